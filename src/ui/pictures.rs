//! Pictures on the page and out of it: the charts and the fork view (SVG made by the
//! pure core, shown as markup), and every picture's export as SVG or PNG with the
//! scenario inside (see [`crate::export`]), so dropping it back on the app restores it.
//!
//! Invariants: only SVG made by the core is inserted as markup (it holds no scripts,
//! no styles, no links, and escapes every user string; tested natively); a PNG is the
//! same SVG drawn by the browser at twice the size, then given the scenario chunk.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::export;
use crate::scenario::file::{encode_pretty, ScenarioFile};

/// Shows an SVG made by the core.
pub fn svg_picture(svg: &str, class: &'static str) -> Html {
    html! {
        <div class={class}>{ Html::from_html_unchecked(AttrValue::from(svg.to_string())) }</div>
    }
}

/// Offers bytes as a file download.
pub fn download_bytes(name: &str, bytes: &[u8], mime_type: &str) {
    let blob = gloo::file::Blob::new_with_options(bytes, Some(mime_type));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = gloo::utils::document();
    if let Ok(anchor) = document.create_element("a") {
        let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    // Keep the URL alive until the browser has started the download.
    gloo::timers::callback::Timeout::new(10_000, move || drop(url)).forget();
}

/// A file name from the scenario's name: letters, digits and dashes only.
pub fn file_stem(file: &ScenarioFile) -> String {
    file.name
        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
}

/// Downloads `svg` with the scenario inside; returns why not, if it cannot.
pub fn export_svg(name: &str, svg: &str, file: &ScenarioFile) -> Result<(), String> {
    let with_scenario = export::embed_scenario_in_svg(svg, &encode_pretty(file))
        .map_err(|error| error.to_string())?;
    download_bytes(name, with_scenario.as_bytes(), "image/svg+xml");
    Ok(())
}

/// The width and height an SVG declares on its root, in pixels.
fn svg_size(svg: &str) -> (u32, u32) {
    // The root tag, after any XML declaration or comment.
    let root_start = svg.find("<svg").unwrap_or(0);
    let root_tag = &svg[root_start..];
    let attribute = |name: &str| {
        let root_end = root_tag.find('>').unwrap_or(root_tag.len());
        let root = &root_tag[..root_end];
        let start = root.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = root[start..].find('"')? + start;
        root[start..end]
            .trim_end_matches("px")
            .parse::<f64>()
            .ok()
            .map(|value| value.round().clamp(1.0, 8_000.0) as u32)
    };
    (
        attribute("width").unwrap_or(800),
        attribute("height").unwrap_or(600),
    )
}

/// Draws `svg` in the browser at twice its size, puts the scenario in the PNG and
/// downloads it. `on_error` hears why, if it fails.
pub fn export_png(name: &str, svg: &str, file: &ScenarioFile, on_error: Callback<String>) {
    const SCALE: u32 = 2;
    let (width, height) = svg_size(svg);
    let scenario_json = encode_pretty(file);
    let name = name.to_string();
    let document = gloo::utils::document();
    let Ok(image) = document
        .create_element("img")
        .map(|element| element.unchecked_into::<web_sys::HtmlImageElement>())
    else {
        on_error.emit("the browser could not make an image".into());
        return;
    };
    let blob = gloo::file::Blob::new_with_options(svg, Some("image/svg+xml"));
    let url = gloo::file::ObjectUrl::from(blob);
    let source = url.to_string();
    let loaded_image = image.clone();
    let on_error_for_image = on_error.clone();
    let on_load = Closure::once(move || {
        let _keep_url_alive = url;
        let canvas: web_sys::HtmlCanvasElement = match document.create_element("canvas") {
            Ok(element) => element.unchecked_into(),
            Err(_) => return on_error.emit("the browser could not make a canvas".into()),
        };
        canvas.set_width(width * SCALE);
        canvas.set_height(height * SCALE);
        let Some(context) = context_2d(&canvas) else {
            return on_error.emit("the browser could not draw the picture".into());
        };
        let _ = context.scale(f64::from(SCALE), f64::from(SCALE));
        if context
            .draw_image_with_html_image_element(&loaded_image, 0.0, 0.0)
            .is_err()
        {
            return on_error.emit("the browser could not draw the picture".into());
        }
        let Ok(data_url) = canvas.to_data_url_with_type("image/png") else {
            return on_error.emit("the browser could not encode the PNG".into());
        };
        let Some(png) = data_url
            .strip_prefix("data:image/png;base64,")
            .and_then(decode_base64)
        else {
            return on_error.emit("the browser gave an unreadable PNG".into());
        };
        match export::embed_scenario_in_png(&png, &scenario_json) {
            Ok(with_scenario) => download_bytes(&name, &with_scenario, "image/png"),
            Err(error) => on_error.emit(error.to_string()),
        }
    });
    let failed = on_error_for_image;
    let on_image_error = Closure::once(move || {
        failed.emit("the browser could not read the picture to draw it".into())
    });
    image.set_onload(Some(on_load.as_ref().unchecked_ref()));
    image.set_onerror(Some(on_image_error.as_ref().unchecked_ref()));
    // One of the two runs once; both are small and live as long as the page.
    on_load.forget();
    on_image_error.forget();
    image.set_src(&source);
}

/// A canvas's 2D drawing context, if the browser gives one.
pub(super) fn context_2d(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into().ok())
}

/// The bytes of a browser data URL's standard base64, read with the share links'
/// base64url decoder (same alphabet but for two symbols, and no padding).
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let url_safe: String = text
        .trim_end_matches('=')
        .chars()
        .map(|character| match character {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect();
    crate::share::base64url_decode(&url_safe)
}

/// A picture to export, made only when a button is pressed.
pub(super) type PictureSource = Rc<dyn Fn() -> String>;

/// A picture that is already made.
pub(super) fn made(svg: &str) -> PictureSource {
    let svg = svg.to_string();
    Rc::new(move || svg.clone())
}

/// A picture already drawn, held by shared data (a frame, the run's charts): read out
/// only when it is exported, so a render copies nothing.
pub(super) fn shared_picture<T: 'static>(
    owner: Rc<T>,
    svg: impl Fn(&T) -> &str + 'static,
) -> PictureSource {
    Rc::new(move || svg(&owner).to_string())
}

/// Export buttons for one picture: SVG and PNG, each with the scenario inside.
pub(super) fn export_buttons(
    file: &Rc<ScenarioFile>,
    stem: &str,
    label: &str,
    svg: PictureSource,
    on_error: Callback<String>,
) -> Html {
    let svg_name = format!("{}-{stem}.svg", file_stem(file));
    let png_name = format!("{}-{stem}.png", file_stem(file));
    let on_svg = {
        let file = file.clone();
        let svg = svg.clone();
        let on_error = on_error.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(message) = export_svg(&svg_name, &svg(), &file) {
                on_error.emit(message);
            }
        })
    };
    let on_png = {
        let file = file.clone();
        Callback::from(move |_: MouseEvent| export_png(&png_name, &svg(), &file, on_error.clone()))
    };
    html! {
        <span class="picture-exports">
            <button type="button" class={format!("export-svg export-{stem}-svg")} onclick={on_svg} aria-label={format!("Export {label} as SVG")}>{ "SVG" }</button>
            <button type="button" class={format!("export-png export-{stem}-png")} onclick={on_png} aria-label={format!("Export {label} as PNG")}>{ "PNG" }</button>
        </span>
    }
}

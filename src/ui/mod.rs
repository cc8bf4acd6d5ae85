//! The browser shell (WebAssembly only): Yew components that render view data from the
//! pure core and dispatch user actions. Nothing here simulates; it calls `sim`.

mod app;

pub use app::App;

/// Mounts the app on the page's `<main id="app">` element (or the body).
pub fn start() {
    console_error_panic_hook::set_once();
    let root = gloo::utils::document().get_element_by_id("app");
    match root {
        Some(element) => {
            yew::Renderer::<App>::with_root(element).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

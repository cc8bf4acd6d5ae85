//! The toolbar: the product name, the presets, "from scratch" and the import button.

use yew::prelude::*;

use crate::scenario::presets;

/// The header: a preset loads with `load_preset`, a blank scenario with `start_blank`,
/// a chosen file goes to `on_file_chosen`.
pub(super) fn toolbar_view(
    load_preset: Callback<&'static str>,
    start_blank: Callback<MouseEvent>,
    on_file_chosen: Callback<Event>,
) -> Html {
    html! {
        <header class="shell-header">
            <h1 class="product-name">{ crate::PRODUCT_NAME }</h1>
            <nav class="preset-menu" aria-label="Presets">
                <span class="preset-label">{ "Start from a preset:" }</span>
                { for presets::PRESETS.iter().map(|preset| {
                    let load_preset = load_preset.clone();
                    let name = preset.name;
                    html! {
                        <button type="button" class="preset-button" title={preset.summary}
                            onclick={Callback::from(move |_| load_preset.emit(name))}>
                            { name }
                        </button>
                    }
                }) }
                <button type="button" class="blank-button" title="One region, one AZ, a PEER and an API node: build your own"
                    onclick={start_blank}>{ "from scratch" }</button>
            </nav>
            <label class="import-button">
                { "Import JSON, SVG or PNG…" }
                <input type="file" class="import-input" accept=".json,application/json,.svg,image/svg+xml,.png,image/png" onchange={on_file_chosen} />
            </label>
        </header>
    }
}

//! The toolbar: the product name, the presets, "from scratch" and import, and the
//! actions a presenter needs at any moment (Run, Undo, Redo, Export JSON, Share link,
//! presentation mode, the shortcuts). It sticks to the top of the window, so none of
//! them scrolls away; every control is a plain button, so Tab reaches each.

use yew::prelude::*;

use crate::scenario::presets;

/// What the toolbar calls, and whether a scenario is loaded.
pub(super) struct ToolbarParts {
    /// A preset loads with its name.
    pub load_preset: Callback<&'static str>,
    pub start_blank: Callback<MouseEvent>,
    pub on_file_chosen: Callback<Event>,
    pub run: Callback<MouseEvent>,
    pub undo: Callback<MouseEvent>,
    pub redo: Callback<MouseEvent>,
    pub export: Callback<MouseEvent>,
    pub make_link: Callback<MouseEvent>,
    pub toggle_presenting: Callback<MouseEvent>,
    pub toggle_help: Callback<MouseEvent>,
    pub has_file: bool,
    pub has_run: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub presenting: bool,
}

pub(super) fn toolbar_view(parts: ToolbarParts) -> Html {
    let ToolbarParts {
        load_preset,
        start_blank,
        on_file_chosen,
        run,
        undo,
        redo,
        export,
        make_link,
        toggle_presenting,
        toggle_help,
        has_file,
        has_run,
        can_undo,
        can_redo,
        presenting,
    } = parts;
    html! {
        <header class="shell-header">
            <h1 class="product-name">{ crate::PRODUCT_NAME }</h1>
            <nav class="preset-menu" aria-label="Presets">
                <span class="preset-label">{ "Preset:" }</span>
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
                <label class="import-button" title="Import a scenario: JSON, or an SVG or PNG exported from here">
                    { "Import…" }
                    <input type="file" class="import-input" aria-label="Import JSON, SVG or PNG" accept=".json,application/json,.svg,image/svg+xml,.png,image/png" onchange={on_file_chosen} />
                </label>
            </nav>
            <div class="toolbar-actions" role="toolbar" aria-label="Scenario actions">
                <button type="button" class="run-button" onclick={run} disabled={!has_run}
                    title="Run the whole simulation: the summary lands in Results">{ "Run" }</button>
                <button type="button" class="undo-button" onclick={undo} disabled={!can_undo} title="Undo (Ctrl+Z)">{ "Undo" }</button>
                <button type="button" class="redo-button" onclick={redo} disabled={!can_redo} title="Redo (Ctrl+Shift+Z)">{ "Redo" }</button>
                <button type="button" class="export-button" onclick={export} disabled={!has_file}>{ "Export JSON" }</button>
                <button type="button" class="share-button" onclick={make_link} disabled={!has_file}>{ "Share link" }</button>
                <button type="button" class="present-button" onclick={toggle_presenting} disabled={!has_run}
                    aria-pressed={presenting.to_string()} title="Presentation mode (P): the canvas, the timeline and the story only">
                    { if presenting { "Exit presentation" } else { "Present" } }
                </button>
                <button type="button" class="help-button" onclick={toggle_help} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">{ "?" }</button>
            </div>
        </header>
    }
}

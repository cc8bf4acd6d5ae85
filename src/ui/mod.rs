//! The browser shell (WebAssembly only): Yew components that render view data from the
//! pure core and dispatch user actions. Nothing here simulates; it calls `sim`.

mod app;
pub mod canvas;
mod context_menu;
mod crash_banner;
mod dot_layer;
pub mod fault_timeline;
pub mod inspector;
mod keyboard;
mod page_state;
mod pictures;
mod planner_panel;
mod player;
mod progressive;
mod rename_field;
mod replay_client;
mod results;
mod share_box;
mod timeline_area;
mod timeline_strip;
mod toolbar;
mod topology_area;
pub mod workers;

pub use app::App;
pub use crash_banner::show_crash_banner;

/// Shared data a component's props compare by identity, not by content: the shell
/// replaces the `Rc` whenever the data changes (an edit, a load), so an unchanged
/// pointer means unchanged data, and a render compares one pointer instead of a whole
/// scenario (200 nodes at 1,000×, issue 13).
pub struct ByPointer<T>(pub std::rc::Rc<T>);

impl<T> PartialEq for ByPointer<T> {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Clone for ByPointer<T> {
    fn clone(&self) -> Self {
        ByPointer(std::rc::Rc::clone(&self.0))
    }
}

/// Mounts the app on the page's `<main id="app">` element (or the body), after
/// installing the panic hook that shows the crash banner instead of a dead page.
pub fn start() {
    // Yew installs its own panic hook when it renders unless one is given here.
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_banner(&info.to_string());
    }));
    let root = gloo::utils::document().get_element_by_id("app");
    match root {
        Some(element) => {
            yew::Renderer::<App>::with_root(element).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
    // A self-test of the crash path, for the end-to-end test and for users who want
    // to see what a crash looks like: `?selftest=crash`.
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    if search.contains("selftest=crash") {
        gloo::timers::callback::Timeout::new(300, || {
            panic!("self-test crash requested by ?selftest=crash")
        })
        .forget();
    }
}

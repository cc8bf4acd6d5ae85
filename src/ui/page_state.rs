//! Where the page's state comes from and goes: the starting [`ShellState`] (a share
//! link in the address, else the autosaved session, else nothing; an embed never reads
//! the visitor's session) and the autosave to localStorage. What a link or a saved
//! session means is decided in [`crate::share`] and [`crate::session`].

use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};

use crate::scenario::ScenarioFile;
use crate::session;
use crate::share;
use crate::shell::{self, ShellAction, ShellState};

/// Whether the address holds a share link. The page then first shows
/// [`opening_state`] and reads the link a task later with [`initial_state`], so that
/// compiling the module, decoding a scenario at the limits and drawing the page are
/// not one main-thread task (issue 13).
pub(super) fn link_in_address() -> bool {
    let fragment = gloo::utils::window().location().hash().unwrap_or_default();
    share::is_share_fragment(&fragment)
}

/// What the page shows for the one task while its link is read.
pub(super) fn opening_state() -> ShellState {
    ShellState {
        notice: Some("Opening the scenario from the link…".into()),
        ..ShellState::default()
    }
}

/// The starting state: a share link in the URL wins over the autosaved session; a
/// damaged link shows its errors and keeps the autosaved scenario. An embed with
/// `autoplay=1` starts playing.
pub(super) fn initial_state(embedded: bool) -> ShellState {
    let state = loaded_state(embedded);
    if embedded && page_flag("autoplay") && state.file.is_some() {
        return Rc::unwrap_or_clone(shell::reduce(Rc::new(state), ShellAction::TogglePlaying));
    }
    state
}

fn loaded_state(embedded: bool) -> ShellState {
    // An embed shows only what its link carries, and never reads the visitor's session.
    let restored = || {
        if embedded {
            ShellState::default()
        } else {
            restored_state()
        }
    };
    let fragment = gloo::utils::window().location().hash().unwrap_or_default();
    if !share::is_share_fragment(&fragment) {
        return restored();
    }
    match share::decode_link(&fragment) {
        Ok(link) => {
            // The link wins over the saved session, which is not even decoded (it can
            // be a scenario at the limits). The link's moment and speed are as the
            // person sharing saw them.
            let opened = ShellState::default().with_checked_file(link.file, Some(link.scenario));
            let mut state = Rc::new(opened);
            if let Some(at_ms) = link.view.at_ms {
                state = shell::reduce(state, ShellAction::Seek(at_ms));
            }
            if let Some(speed) = link.view.speed {
                state = shell::reduce(state, ShellAction::SetSpeed(speed));
            }
            let mut state = Rc::unwrap_or_clone(state);
            let mut notice = String::from("Loaded the scenario from the link.");
            for note in &link.notes {
                notice.push(' ');
                notice.push_str(note);
            }
            state.notice = Some(notice);
            state
        }
        Err(errors) => ShellState {
            import_errors: errors.iter().map(ToString::to_string).collect(),
            ..restored()
        },
    }
}

/// A `name=1` flag in the page's query string (`?embed=1&autoplay=1`).
pub(super) fn page_flag(name: &str) -> bool {
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == format!("{name}=1"))
}

/// Reads the autosaved session, if any, with a notice when it cannot be used.
fn restored_state() -> ShellState {
    let saved: Option<String> = LocalStorage::raw()
        .get_item(session::STORAGE_KEY)
        .ok()
        .flatten();
    match saved {
        None => ShellState::default(),
        Some(text) => match session::restore(&text) {
            Ok(file) => ShellState::default().with_file(file),
            Err(problem) => ShellState {
                notice: Some(problem.notice()),
                ..ShellState::default()
            },
        },
    }
}

pub(super) fn autosave(file: &ScenarioFile) {
    // Storage may be full or disabled; the session then simply is not kept.
    let _ = LocalStorage::raw().set_item(session::STORAGE_KEY, &session::save(file));
}

/// The page area nearest the top of the window (one of [`share::PANELS`]): the panel a
/// share link opens.
pub(super) fn panel_in_view() -> Option<String> {
    let document = gloo::utils::document();
    share::PANELS
        .iter()
        .filter_map(|panel| {
            let area = document
                .query_selector(&format!("section.{panel}-area"))
                .ok()
                .flatten()?;
            let bounds = area.get_bounding_client_rect();
            // Areas wholly above the window are passed; of the rest, the highest.
            (bounds.bottom() > 0.0).then_some((bounds.top().max(0.0), *panel))
        })
        .min_by(|first, second| first.0.total_cmp(&second.0))
        .map(|(_, panel)| panel.to_string())
}

/// Once the panels are drawn (the shell's last drawing phase, `progressive::use_phase`):
/// a share link's panel is scrolled into view.
#[yew::hook]
pub(super) fn use_linked_panel(panels_shown: bool) {
    yew::use_effect_with(panels_shown, |&panels_shown| {
        if !panels_shown {
            return;
        }
        let fragment = gloo::utils::window().location().hash().unwrap_or_default();
        let panel = share::is_share_fragment(&fragment)
            .then(|| share::linked_panel(&fragment))
            .flatten();
        if let Some(panel) = panel {
            if let Ok(Some(area)) =
                gloo::utils::document().query_selector(&format!("section.{panel}-area"))
            {
                area.scroll_into_view();
            }
        }
    });
}

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
    let restored = if embedded {
        ShellState::default()
    } else {
        restored_state()
    };
    let fragment = gloo::utils::window().location().hash().unwrap_or_default();
    if !share::is_share_fragment(&fragment) {
        return restored;
    }
    match share::decode_fragment(&fragment) {
        Ok(file) => {
            let mut state = restored.with_file(file);
            state.notice = Some("Loaded the scenario from the link.".into());
            state
        }
        Err(errors) => ShellState {
            import_errors: errors.iter().map(ToString::to_string).collect(),
            ..restored
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

//! Undo and redo over whole scenario files.
//!
//! Invariants: at most [`HISTORY_MAX`] past files are kept; a new change clears what
//! could be redone.

use crate::scenario::file::ScenarioFile;

/// Edits kept for undo.
pub const HISTORY_MAX: usize = 100;

/// Undo and redo over whole scenario files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    past: Vec<ScenarioFile>,
    future: Vec<ScenarioFile>,
}

impl History {
    /// Records `previous` before a change; a new change clears what could be redone.
    pub fn record(&mut self, previous: ScenarioFile) {
        self.past.push(previous);
        if self.past.len() > HISTORY_MAX {
            self.past.remove(0);
        }
        self.future.clear();
    }

    pub fn undo(&mut self, current: ScenarioFile) -> Option<ScenarioFile> {
        let previous = self.past.pop()?;
        self.future.push(current);
        Some(previous)
    }

    pub fn redo(&mut self, current: ScenarioFile) -> Option<ScenarioFile> {
        let next = self.future.pop()?;
        self.past.push(current);
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

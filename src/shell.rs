//! The app's state machine, pure: everything the shell remembers between events (the
//! scenario and its undo history, the selection, the open menu, the name being renamed
//! in place, the player's moment, speed and play/pause, the run's event markers,
//! presentation mode, the help overlay, messages) as one [`ShellState`], changed only
//! by [`reduce`] with a [`ShellAction`]; and the one table of keyboard shortcuts
//! ([`SHORTCUTS`]) the page's key handler reads through [`shortcut_actions`]. The Yew
//! shell (`ui::app`) holds it in one `use_reducer` and only dispatches actions and runs
//! side effects (storage, workers, timers, focus).
//!
//! Lifecycle: the page builds the starting state (a share link, the autosaved session
//! or nothing) with [`ShellState::with_file`], then every event becomes one action.
//!
//! Invariants:
//! - [`reduce`] returns the same `Rc` when an action changes nothing (so the page does
//!   not render again), and a new state otherwise; it never reads a clock.
//! - [`ShellState::revision`] changes exactly when the scenario file's content changes,
//!   so effects that depend on the file key on it instead of comparing whole files.
//! - Cloning a state is cheap: the file, the checked scenario and the history are
//!   shared (`Rc`); only an edit copies the history.
//! - The moment shown stays within the run (`at_ms ≤ duration` once a scenario is
//!   valid), and the player is never playing at or past the end of the run.
//! - The selection only holds targets that exist in the current file.

use std::rc::Rc;

use crate::edit::{self, Edit, History, Target};
use crate::scenario::{validate, Scenario, ScenarioFile};

/// Playback speeds, in simulated seconds per real second.
pub const SPEEDS: [u64; 5] = [1, 10, 100, 1_000, 10_000];

/// The speed the player starts at.
pub const SPEED_DEFAULT: u64 = 100;

/// Simulated time one step (→ key or Step button) moves.
pub const STEP_MS: u64 = 60_000;

/// What the shell holds.
#[derive(Clone, Debug)]
pub struct ShellState {
    pub file: Option<Rc<ScenarioFile>>,
    /// The file checked, when it is valid.
    pub scenario: Option<Rc<Scenario>>,
    /// Counts changes of the file's content (see the module invariants).
    pub revision: u64,
    /// Problems with the last import, each `PATH: message`.
    pub import_errors: Vec<String>,
    /// A notice about the saved session (corrupt, older version) or the link loaded.
    pub notice: Option<String>,
    /// The last share link made.
    pub share_link: Option<String>,
    /// Undo and redo.
    pub history: Rc<History>,
    /// The context menu, when open: what it acts on.
    pub menu: Option<Target>,
    /// What is selected on the canvas (the inspector edits it).
    pub selection: Vec<Target>,
    /// Why the last edit (or export) was refused.
    pub edit_errors: Vec<String>,
    /// The moment the canvas shows, in simulated milliseconds.
    pub at_ms: u64,
    pub playing: bool,
    /// Simulated seconds per real second while playing.
    pub speed: u64,
    /// Whether the keyboard shortcuts are shown.
    pub help_open: bool,
    /// The node, AZ or region being renamed in place on the canvas (F2 or a
    /// double-click); it stays open while a refused name is corrected.
    pub renaming: Option<Target>,
    /// The run's event markers' moments, in time order (from the replay worker, with
    /// the charts); the `.` and `,` keys jump between them.
    pub markers_ms: Rc<Vec<u64>>,
    /// Presentation mode: the canvas, the timeline strip and the story's caption only.
    pub presenting: bool,
}

impl Default for ShellState {
    fn default() -> Self {
        ShellState {
            file: None,
            scenario: None,
            revision: 0,
            import_errors: Vec::new(),
            notice: None,
            share_link: None,
            history: Rc::default(),
            menu: None,
            selection: Vec::new(),
            edit_errors: Vec::new(),
            at_ms: 0,
            playing: false,
            speed: SPEED_DEFAULT,
            help_open: false,
            renaming: None,
            markers_ms: Rc::default(),
            presenting: false,
        }
    }
}

/// A whole state to start from: the page opened at a share link reads it a task after
/// its first render (`ui::page_state`). Equal only to itself (a state is not compared).
#[derive(Clone, Debug)]
pub struct StartingState(pub Rc<ShellState>);

impl PartialEq for StartingState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// One thing that happened in the shell.
#[derive(Clone, Debug, PartialEq)]
pub enum ShellAction {
    /// The page's starting state, read after the first render: it replaces the
    /// placeholder shown while the link was decoded.
    Start(StartingState),
    /// An imported file, or the planner's targets written into the file: undoable.
    ChangeFile(ScenarioFile),
    /// A preset or a blank scenario: undoable, and the player stops at the start.
    StartOver(ScenarioFile),
    /// An import that failed: the current scenario stays; these are shown.
    ImportFailed(Vec<String>),
    Edit(Edit),
    Undo,
    Redo,
    OpenMenu(Target),
    CloseMenu,
    /// Esc: closes the menu and clears the selection.
    Dismiss,
    /// `target` becomes the selection.
    Select(Target),
    /// `target` joins the selection, or leaves it if it was there.
    ToggleSelected(Target),
    ClearSelection,
    /// A marquee: `targets` become the selection, or join it when `additive`.
    SelectMany {
        targets: Vec<Target>,
        additive: bool,
    },
    /// Ctrl+A, the marquee's keyboard equivalent: every node becomes the selection.
    SelectAllNodes,
    /// A share link was made (`None` if the page's address could not be read).
    ShareLinkMade(Option<String>),
    ExportFailed(String),
    DismissNotice,
    /// The moment shown (the scrubber, the timeline, Run, Restart).
    Seek(u64),
    /// One step forward ([`STEP_MS`]), stopping at the end of the run.
    StepForward,
    /// The player's timer: `elapsed_ms` of real time passed while playing.
    Tick {
        elapsed_ms: u64,
    },
    TogglePlaying,
    SetSpeed(u64),
    ToggleHelp,
    CloseHelp,
    /// Delete or Backspace: the selected nodes, AZs and regions go, as one undoable
    /// step (see [`Edit::DeleteTargets`]).
    DeleteSelection,
    /// F2: the one selected node, AZ or region is renamed in place.
    RenameSelection,
    /// A double-click: `target` is renamed in place.
    StartRename(Target),
    /// Escape in the name field: the name stays as it was.
    CancelRename,
    /// The run's event markers arrived (their moments, in time order).
    MarkersFound(Rc<Vec<u64>>),
    /// To the next event marker after the moment shown (none: nothing changes).
    NextEvent,
    /// To the last event marker before the moment shown (none: nothing changes).
    PreviousEvent,
    /// Presentation mode on or off.
    TogglePresenting,
    /// Presentation mode off (Esc).
    StopPresenting,
}

impl ShellState {
    /// The run's length, or 0 when there is no valid scenario.
    pub fn duration_ms(&self) -> u64 {
        self.scenario
            .as_ref()
            .map(|scenario| scenario.duration_ms)
            .unwrap_or(0)
    }

    /// This state showing `file` (checked; selection kept where it still exists; menu,
    /// share link and errors cleared; history unchanged).
    pub fn with_file(&self, file: ScenarioFile) -> ShellState {
        let scenario = validate(&file).ok();
        self.with_checked_file(file, scenario)
    }

    /// [`Self::with_file`] for a file already validated: `scenario` is what
    /// `validate(&file)` gave (`None` when it failed). A share link is validated when it
    /// is decoded, and a scenario at the limits takes milliseconds to check.
    pub fn with_checked_file(&self, file: ScenarioFile, scenario: Option<Scenario>) -> ShellState {
        let scenario = scenario.map(Rc::new);
        let selection = self
            .selection
            .iter()
            .filter(|target| edit::target_exists(&file, target))
            .cloned()
            .collect();
        let revision = if self.file.as_deref() == Some(&file) {
            self.revision
        } else {
            self.revision + 1
        };
        ShellState {
            file: Some(Rc::new(file)),
            scenario,
            revision,
            import_errors: Vec::new(),
            share_link: None,
            menu: None,
            selection,
            edit_errors: Vec::new(),
            renaming: None,
            ..self.clone()
        }
        .settled()
    }

    /// Switches to `file`, remembering the current one for undo.
    fn changed_to(&self, file: ScenarioFile) -> ShellState {
        let mut next = self.with_file(file);
        if let Some(previous) = &self.file {
            Rc::make_mut(&mut next.history).record((**previous).clone());
        }
        next
    }

    fn undone(&self) -> Option<ShellState> {
        let mut history = (*self.history).clone();
        let previous = history.undo((**self.file.as_ref()?).clone())?;
        let mut next = self.with_file(previous);
        next.history = Rc::new(history);
        Some(next)
    }

    fn redone(&self) -> Option<ShellState> {
        let mut history = (*self.history).clone();
        let following = history.redo((**self.file.as_ref()?).clone())?;
        let mut next = self.with_file(following);
        next.history = Rc::new(history);
        Some(next)
    }

    /// Applies an edit, or keeps everything and says why not.
    fn edited(&self, edit: &Edit) -> ShellState {
        let Some(file) = &self.file else {
            return self.clone();
        };
        match edit::apply(file, edit) {
            Ok(changed) => {
                // What an add or duplicate made becomes the selection.
                let added = edit::added_ids(file, &changed);
                let mut next = self.changed_to(changed);
                if !added.is_empty() {
                    next.selection = added
                        .into_iter()
                        .filter_map(|id| edit::target_for_id(next.file.as_ref()?, &id))
                        .collect();
                }
                next
            }
            Err(errors) => ShellState {
                edit_errors: edit::refusal_messages(edit, &errors),
                menu: None,
                ..self.clone()
            },
        }
    }

    /// The player stops at the end of the run, and a shorter run never leaves the
    /// moment past its end.
    fn settled(mut self) -> ShellState {
        let duration_ms = self.duration_ms();
        if self.playing && self.at_ms >= duration_ms {
            self.playing = false;
        }
        if duration_ms > 0 && self.at_ms > duration_ms {
            self.at_ms = duration_ms;
        }
        self
    }
}

/// The state after `action`: the same `Rc` when nothing changes.
pub fn reduce(state: Rc<ShellState>, action: ShellAction) -> Rc<ShellState> {
    let next = match action {
        ShellAction::Start(StartingState(starting)) => return starting,
        ShellAction::ChangeFile(file) => state.changed_to(file),
        ShellAction::StartOver(file) => {
            let stopped = ShellState {
                playing: false,
                at_ms: 0,
                ..(*state).clone()
            };
            stopped.changed_to(file)
        }
        ShellAction::ImportFailed(errors) => ShellState {
            import_errors: errors,
            ..(*state).clone()
        },
        ShellAction::Edit(edit) => state.edited(&edit),
        ShellAction::Undo => match state.undone() {
            Some(next) => next,
            None => return state,
        },
        ShellAction::Redo => match state.redone() {
            Some(next) => next,
            None => return state,
        },
        ShellAction::OpenMenu(target) => ShellState {
            menu: Some(target),
            edit_errors: Vec::new(),
            ..(*state).clone()
        },
        ShellAction::CloseMenu => ShellState {
            menu: None,
            ..(*state).clone()
        },
        ShellAction::Dismiss => {
            if state.menu.is_none() && state.selection.is_empty() && state.renaming.is_none() {
                return state;
            }
            ShellState {
                menu: None,
                selection: Vec::new(),
                renaming: None,
                ..(*state).clone()
            }
        }
        ShellAction::Select(target) => ShellState {
            selection: vec![target],
            ..(*state).clone()
        },
        ShellAction::ToggleSelected(target) => {
            let mut next = (*state).clone();
            if let Some(position) = next.selection.iter().position(|chosen| chosen == &target) {
                next.selection.remove(position);
            } else {
                next.selection.push(target);
            }
            next
        }
        ShellAction::SelectAllNodes => ShellState {
            selection: state
                .file
                .iter()
                .flat_map(|file| file.regions.iter())
                .flat_map(|region| region.azs.iter())
                .flat_map(|az| az.nodes.iter())
                .map(|node| Target::Node(node.id.clone()))
                .collect(),
            ..(*state).clone()
        },
        ShellAction::ClearSelection => ShellState {
            selection: Vec::new(),
            ..(*state).clone()
        },
        ShellAction::SelectMany { targets, additive } => {
            let mut selection = if additive {
                state.selection.clone()
            } else {
                Vec::new()
            };
            for target in targets {
                if !selection.contains(&target) {
                    selection.push(target);
                }
            }
            ShellState {
                selection,
                ..(*state).clone()
            }
        }
        ShellAction::ShareLinkMade(link) => ShellState {
            share_link: link,
            ..(*state).clone()
        },
        ShellAction::ExportFailed(message) => ShellState {
            edit_errors: vec![format!("export: {message}")],
            ..(*state).clone()
        },
        ShellAction::DismissNotice => ShellState {
            notice: None,
            ..(*state).clone()
        },
        ShellAction::Seek(at_ms) => ShellState {
            at_ms,
            ..(*state).clone()
        },
        ShellAction::StepForward => ShellState {
            at_ms: (state.at_ms + STEP_MS).min(state.duration_ms()),
            ..(*state).clone()
        },
        // A tick the timer sent just before a pause changes nothing.
        ShellAction::Tick { .. } if !state.playing => return state,
        ShellAction::Tick { elapsed_ms } => ShellState {
            at_ms: (state.at_ms + state.speed * elapsed_ms).min(state.duration_ms()),
            ..(*state).clone()
        },
        ShellAction::TogglePlaying => ShellState {
            playing: !state.playing,
            ..(*state).clone()
        },
        ShellAction::SetSpeed(speed) => ShellState {
            speed,
            ..(*state).clone()
        },
        ShellAction::ToggleHelp => ShellState {
            help_open: !state.help_open,
            ..(*state).clone()
        },
        ShellAction::CloseHelp => {
            if !state.help_open {
                return state;
            }
            ShellState {
                help_open: false,
                ..(*state).clone()
            }
        }
        ShellAction::DeleteSelection => {
            if state.selection.is_empty() {
                return state;
            }
            state.edited(&Edit::DeleteTargets {
                targets: state.selection.clone(),
            })
        }
        ShellAction::RenameSelection => match state.selection.as_slice() {
            [target] if !matches!(target, Target::Link(..)) => ShellState {
                renaming: Some(target.clone()),
                menu: None,
                ..(*state).clone()
            },
            _ => return state,
        },
        ShellAction::StartRename(target) => {
            let exists = state
                .file
                .as_ref()
                .is_some_and(|file| edit::target_exists(file, &target));
            if matches!(target, Target::Link(..)) || !exists {
                return state;
            }
            ShellState {
                selection: vec![target.clone()],
                renaming: Some(target),
                menu: None,
                ..(*state).clone()
            }
        }
        ShellAction::CancelRename => {
            if state.renaming.is_none() {
                return state;
            }
            ShellState {
                renaming: None,
                edit_errors: Vec::new(),
                ..(*state).clone()
            }
        }
        ShellAction::MarkersFound(markers_ms) => {
            if state.markers_ms == markers_ms {
                return state;
            }
            ShellState {
                markers_ms,
                ..(*state).clone()
            }
        }
        ShellAction::NextEvent => {
            match crate::view::markers::next_marker_ms(&state.markers_ms, state.at_ms) {
                Some(at_ms) => ShellState {
                    at_ms,
                    ..(*state).clone()
                },
                None => return state,
            }
        }
        ShellAction::PreviousEvent => {
            match crate::view::markers::previous_marker_ms(&state.markers_ms, state.at_ms) {
                Some(at_ms) => ShellState {
                    at_ms,
                    ..(*state).clone()
                },
                None => return state,
            }
        }
        ShellAction::TogglePresenting => ShellState {
            presenting: !state.presenting,
            ..(*state).clone()
        },
        ShellAction::StopPresenting => {
            if !state.presenting {
                return state;
            }
            ShellState {
                presenting: false,
                ..(*state).clone()
            }
        }
    };
    Rc::new(next.settled())
}

// ---------------------------------------------------------------------------------
// Keyboard shortcuts.

/// Where a key was pressed, as far as shortcuts care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyTarget {
    /// A text field (`input`, `textarea`): keys are typing.
    TextField,
    /// A drop-down (`select`): keys choose an option.
    Choice,
    /// A button (or a checkbox, a disclosure): Space presses it.
    Button,
    /// A slider (`input type=range`): the arrow keys move it; Space plays or pauses,
    /// as it would scroll the page otherwise.
    Slider,
    Other,
}

/// A key press, as the page's handler reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPress {
    /// `KeyboardEvent.key` (`" "`, `"ArrowRight"`, `"z"`, `"Z"`).
    pub key: String,
    /// Ctrl, or ⌘ on a Mac.
    pub control: bool,
    pub shift: bool,
    pub target: KeyTarget,
    /// A component already handled it (the planner's matrix, the canvas).
    pub handled: bool,
}

/// When a shortcut applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShortcutScope {
    /// A player key: only with a run to play, not while typing or choosing, not for
    /// a key a component handled, and not Space on a button (the button answers it).
    Player,
    /// An undo key: with Ctrl or ⌘, not while typing in a text field.
    History,
    /// Always, even while typing (Esc).
    Always,
    /// A drawing key (Delete, F2): with a scenario, not while typing or choosing, and
    /// not for a key a component handled (a fault bar deletes its own fault).
    Drawing,
}

/// One keyboard shortcut.
#[derive(Clone, Debug, PartialEq)]
pub struct Shortcut {
    /// `KeyboardEvent.key`, compared without case for letters and shortcuts with Ctrl.
    pub key: &'static str,
    /// Ctrl (or ⌘) required; `None` for shortcuts that ignore it.
    pub control: Option<bool>,
    /// Shift required or refused; `None` for shortcuts that ignore it.
    pub shift: Option<bool>,
    pub scope: ShortcutScope,
    /// Whether the browser's own action for the key is stopped (Space scrolls, Ctrl+Z
    /// undoes typing).
    pub prevent_default: bool,
    pub action: ShellAction,
    /// The keys as the help shows them.
    pub keys_text: &'static str,
    /// What it does, for the help.
    pub description: &'static str,
}

/// Every shortcut the shell itself answers (the canvas, the fault timeline and the
/// context menu handle their own keys while focused).
pub const SHORTCUTS: [Shortcut; 15] = [
    Shortcut {
        key: " ",
        control: None,
        shift: None,
        scope: ShortcutScope::Player,
        prevent_default: true,
        action: ShellAction::TogglePlaying,
        keys_text: "Space",
        description: "play or pause",
    },
    Shortcut {
        key: "ArrowRight",
        control: None,
        shift: None,
        scope: ShortcutScope::Player,
        prevent_default: false,
        action: ShellAction::StepForward,
        keys_text: "→",
        description: "step forward one minute of simulated time",
    },
    Shortcut {
        key: ".",
        control: Some(false),
        shift: None,
        scope: ShortcutScope::Player,
        prevent_default: true,
        action: ShellAction::NextEvent,
        keys_text: ".",
        description:
            "jump to the next event (fault, unhealthy target, rollback, finalization stall)",
    },
    Shortcut {
        key: ",",
        control: Some(false),
        shift: None,
        scope: ShortcutScope::Player,
        prevent_default: true,
        action: ShellAction::PreviousEvent,
        keys_text: ",",
        description: "jump to the previous event",
    },
    Shortcut {
        key: "p",
        control: Some(false),
        shift: None,
        scope: ShortcutScope::Player,
        prevent_default: false,
        action: ShellAction::TogglePresenting,
        keys_text: "P",
        description:
            "presentation mode on or off (large canvas, timeline and the story's captions)",
    },
    Shortcut {
        key: "?",
        control: None,
        shift: None,
        scope: ShortcutScope::Player,
        prevent_default: false,
        action: ShellAction::ToggleHelp,
        keys_text: "?",
        description: "show or hide this help",
    },
    Shortcut {
        key: "Escape",
        control: None,
        shift: None,
        scope: ShortcutScope::Player,
        prevent_default: false,
        action: ShellAction::CloseHelp,
        keys_text: "Esc",
        description: "close this help",
    },
    Shortcut {
        key: "Escape",
        control: None,
        shift: None,
        scope: ShortcutScope::Player,
        prevent_default: false,
        action: ShellAction::StopPresenting,
        keys_text: "Esc",
        description: "leave presentation mode",
    },
    Shortcut {
        key: "Escape",
        control: None,
        shift: None,
        scope: ShortcutScope::Always,
        prevent_default: false,
        action: ShellAction::Dismiss,
        keys_text: "Esc",
        description: "close the menu and clear the selection",
    },
    Shortcut {
        key: "z",
        control: Some(true),
        shift: Some(false),
        scope: ShortcutScope::History,
        prevent_default: true,
        action: ShellAction::Undo,
        keys_text: "Ctrl+Z",
        description: "undo",
    },
    Shortcut {
        key: "z",
        control: Some(true),
        shift: Some(true),
        scope: ShortcutScope::History,
        prevent_default: true,
        action: ShellAction::Redo,
        keys_text: "Ctrl+Shift+Z",
        description: "redo",
    },
    Shortcut {
        key: "Delete",
        control: Some(false),
        shift: None,
        scope: ShortcutScope::Drawing,
        prevent_default: true,
        action: ShellAction::DeleteSelection,
        keys_text: "Delete",
        description: "delete the selected nodes, AZs or regions (Ctrl+Z brings them back)",
    },
    Shortcut {
        key: "Backspace",
        control: Some(false),
        shift: None,
        scope: ShortcutScope::Drawing,
        prevent_default: true,
        action: ShellAction::DeleteSelection,
        keys_text: "Backspace",
        description: "delete the selection, as Delete does",
    },
    Shortcut {
        key: "a",
        control: Some(true),
        shift: Some(false),
        scope: ShortcutScope::Drawing,
        prevent_default: true,
        action: ShellAction::SelectAllNodes,
        keys_text: "Ctrl+A",
        description:
            "select every node (the keyboard's marquee; Shift+Space on a node adds or removes it)",
    },
    Shortcut {
        key: "F2",
        control: None,
        shift: Some(false),
        scope: ShortcutScope::Drawing,
        prevent_default: true,
        action: ShellAction::RenameSelection,
        keys_text: "F2, double-click",
        description: "rename the selected node, AZ or region in place (Enter keeps, Esc cancels)",
    },
];

impl Shortcut {
    /// Whether this shortcut answers `press` in `state`.
    pub fn answers(&self, press: &KeyPress, state: &ShellState) -> bool {
        let letter = self.key.len() == 1 && self.key.chars().all(|c| c.is_ascii_alphabetic());
        let key_matches = if self.control == Some(true) || letter {
            press.key.to_lowercase() == self.key
        } else {
            press.key == self.key
        };
        let in_scope = match self.scope {
            ShortcutScope::Player => {
                let typing = matches!(press.target, KeyTarget::TextField | KeyTarget::Choice);
                let button_answers = press.key == " " && press.target == KeyTarget::Button;
                let slider_answers =
                    press.key.starts_with("Arrow") && press.target == KeyTarget::Slider;
                let idle = press.handled || typing || button_answers || slider_answers;
                !idle && state.duration_ms() > 0
            }
            ShortcutScope::History => press.target != KeyTarget::TextField,
            ShortcutScope::Always => true,
            ShortcutScope::Drawing => {
                let typing = matches!(press.target, KeyTarget::TextField | KeyTarget::Choice);
                !typing && !press.handled && state.file.is_some()
            }
        };
        key_matches
            && in_scope
            && self.control.is_none_or(|control| control == press.control)
            && self.shift.is_none_or(|shift| shift == press.shift)
    }
}

/// What a key press does in `state`: the actions to dispatch, in order, and whether the
/// browser's own action for the key is stopped.
pub fn shortcut_actions(press: &KeyPress, state: &ShellState) -> (Vec<ShellAction>, bool) {
    let answering: Vec<&Shortcut> = SHORTCUTS
        .iter()
        .filter(|shortcut| shortcut.answers(press, state))
        .collect();
    let prevent_default = answering.iter().any(|shortcut| shortcut.prevent_default);
    let actions = answering
        .into_iter()
        .map(|shortcut| shortcut.action.clone())
        .collect();
    (actions, prevent_default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::presets;

    const HOUR_MS: u64 = 3_600_000;

    fn loaded(name: &str) -> Rc<ShellState> {
        Rc::new(ShellState::default().with_file(presets::load_file(name).unwrap()))
    }

    fn press(key: &str, target: KeyTarget) -> KeyPress {
        KeyPress {
            key: key.into(),
            control: false,
            shift: false,
            target,
            handled: false,
        }
    }

    fn control(key: &str, shift: bool, target: KeyTarget) -> KeyPress {
        KeyPress {
            control: true,
            shift,
            ..press(key, target)
        }
    }

    #[test]
    fn actions_that_change_nothing_keep_the_same_state() {
        let state = loaded("multi-az");
        for action in [
            ShellAction::Undo,
            ShellAction::Redo,
            ShellAction::Dismiss,
            ShellAction::CloseHelp,
            ShellAction::StopPresenting,
        ] {
            let next = reduce(state.clone(), action.clone());
            assert!(Rc::ptr_eq(&state, &next), "{action:?}");
        }
    }

    #[test]
    fn a_starting_state_replaces_the_placeholder_whole() {
        let placeholder = Rc::new(ShellState::default());
        let starting = loaded("multi-az");
        let next = reduce(
            placeholder,
            ShellAction::Start(StartingState(starting.clone())),
        );
        assert!(Rc::ptr_eq(&next, &starting));
        assert_eq!(
            StartingState(starting.clone()),
            StartingState(starting.clone())
        );
        assert_ne!(StartingState(starting), StartingState(loaded("multi-az")));
    }

    #[test]
    fn edits_are_undone_and_redone_and_bump_the_revision() {
        let state = loaded("multi-az");
        let revision = state.revision;
        let crash = edit::fault_for(
            state.file.as_ref().unwrap(),
            &Target::Node("peer2".into()),
            edit::MenuAction::Crash,
            HOUR_MS,
            HOUR_MS,
        )
        .unwrap();
        let edited = reduce(state.clone(), ShellAction::Edit(Edit::AddFault(crash)));
        assert_eq!(edited.revision, revision + 1);
        assert!(edited.history.can_undo());
        let undone = reduce(edited.clone(), ShellAction::Undo);
        assert_eq!(undone.file, state.file);
        // The content is back, and so is the revision's meaning: it changed again.
        assert_eq!(undone.revision, revision + 2);
        let redone = reduce(undone, ShellAction::Redo);
        assert_eq!(redone.file, edited.file);
        // Loading the same content again keeps the revision.
        let same = reduce(
            redone.clone(),
            ShellAction::ChangeFile((**redone.file.as_ref().unwrap()).clone()),
        );
        assert_eq!(same.revision, redone.revision);
    }

    #[test]
    fn a_refused_edit_keeps_the_file_and_says_why() {
        let state = reduce(
            loaded("multi-az"),
            ShellAction::OpenMenu(Target::Node("peer1".into())),
        );
        let refused = reduce(
            state.clone(),
            ShellAction::Edit(Edit::DeleteNodes {
                nodes: vec!["nowhere".into()],
            }),
        );
        assert_eq!(refused.file, state.file);
        assert_eq!(refused.revision, state.revision);
        assert!(refused.menu.is_none());
        assert!(refused.edit_errors[0].contains("nowhere"));
        // Opening a menu clears the message.
        let reopened = reduce(refused, ShellAction::OpenMenu(Target::Az("x".into())));
        assert!(reopened.edit_errors.is_empty());
    }

    #[test]
    fn selection_toggles_and_keeps_only_what_exists() {
        let peer1 = Target::Node("peer1".into());
        let peer2 = Target::Node("peer2".into());
        let state = reduce(loaded("multi-az"), ShellAction::Select(peer1.clone()));
        let both = reduce(state, ShellAction::ToggleSelected(peer2.clone()));
        assert_eq!(both.selection, [peer1.clone(), peer2.clone()]);
        let one = reduce(both.clone(), ShellAction::ToggleSelected(peer1.clone()));
        assert_eq!(one.selection, std::slice::from_ref(&peer2));
        let deleted = reduce(
            both,
            ShellAction::Edit(Edit::DeleteNodes {
                nodes: vec!["peer2".into()],
            }),
        );
        assert_eq!(deleted.selection, [peer1]);
        let dismissed = reduce(deleted, ShellAction::Dismiss);
        assert!(dismissed.selection.is_empty());
    }

    #[test]
    fn the_player_moves_within_the_run_and_stops_at_its_end() {
        let state = loaded("multi-az");
        let duration_ms = state.duration_ms();
        let playing = reduce(state, ShellAction::TogglePlaying);
        assert!(playing.playing);
        let ticked = reduce(playing.clone(), ShellAction::Tick { elapsed_ms: 100 });
        assert_eq!(ticked.at_ms, SPEED_DEFAULT * 100);
        let faster = reduce(ticked, ShellAction::SetSpeed(10_000));
        let mut state = faster;
        while state.playing {
            state = reduce(state, ShellAction::Tick { elapsed_ms: 100 });
        }
        assert_eq!(state.at_ms, duration_ms);
        // At the end, Play does not start.
        assert!(!reduce(state.clone(), ShellAction::TogglePlaying).playing);
        assert_eq!(
            reduce(state.clone(), ShellAction::StepForward).at_ms,
            duration_ms
        );
        // A shorter run brings the moment back inside it.
        let mut shorter = (**state.file.as_ref().unwrap()).clone();
        shorter.duration_ms = duration_ms / 2;
        let shortened = reduce(state, ShellAction::ChangeFile(shorter));
        assert_eq!(shortened.at_ms, duration_ms / 2);
        // A preset starts over, paused.
        let restarted = reduce(
            reduce(shortened, ShellAction::Seek(HOUR_MS)),
            ShellAction::StartOver(presets::blank()),
        );
        assert_eq!((restarted.at_ms, restarted.playing), (0, false));
        assert!(restarted.history.can_undo());
    }

    #[test]
    fn delete_removes_the_selection_and_undo_brings_it_back_issue_13() {
        let state = reduce(
            loaded("multi-az"),
            ShellAction::Select(Target::Node("peer2".into())),
        );
        let state = reduce(
            state,
            ShellAction::ToggleSelected(Target::Node("api2".into())),
        );
        let (actions, prevent) = shortcut_actions(&press("Delete", KeyTarget::Other), &state);
        assert_eq!(
            (actions.clone(), prevent),
            (vec![ShellAction::DeleteSelection], true)
        );
        assert_eq!(
            shortcut_actions(&press("Backspace", KeyTarget::Other), &state).0,
            actions
        );
        // Typing, choosing or a fault bar's own Delete is not a deletion.
        for target in [KeyTarget::TextField, KeyTarget::Choice] {
            assert!(shortcut_actions(&press("Delete", target), &state)
                .0
                .is_empty());
        }
        let handled = KeyPress {
            handled: true,
            ..press("Delete", KeyTarget::Other)
        };
        assert!(shortcut_actions(&handled, &state).0.is_empty());
        let deleted = reduce(state.clone(), ShellAction::DeleteSelection);
        let file = deleted.file.as_ref().unwrap();
        assert!(!edit::target_exists(file, &Target::Node("peer2".into())));
        assert!(!edit::target_exists(file, &Target::Node("api2".into())));
        assert!(deleted.selection.is_empty());
        let undone = reduce(deleted, ShellAction::Undo);
        assert_eq!(undone.file, state.file);
        // Nothing selected, nothing happens.
        let empty = reduce(undone.clone(), ShellAction::ClearSelection);
        assert!(Rc::ptr_eq(
            &empty,
            &reduce(empty.clone(), ShellAction::DeleteSelection)
        ));
    }

    #[test]
    fn renaming_in_place_opens_commits_and_keeps_a_refused_name_open_issue_13() {
        let state = reduce(
            loaded("multi-az"),
            ShellAction::Select(Target::Node("peer2".into())),
        );
        assert_eq!(
            shortcut_actions(&press("F2", KeyTarget::Other), &state).0,
            [ShellAction::RenameSelection]
        );
        let renaming = reduce(state.clone(), ShellAction::RenameSelection);
        assert_eq!(renaming.renaming, Some(Target::Node("peer2".into())));
        // A taken name is refused once, readably, and the field stays open.
        let refused = reduce(
            renaming.clone(),
            ShellAction::Edit(Edit::RenameNode {
                from: "peer2".into(),
                to: "api1".into(),
            }),
        );
        assert_eq!(
            refused.edit_errors,
            ["Name: 'api1' is already used by another node; choose another name"]
        );
        assert_eq!(refused.renaming, renaming.renaming);
        let cancelled = reduce(refused.clone(), ShellAction::CancelRename);
        assert!(cancelled.renaming.is_none() && cancelled.edit_errors.is_empty());
        let renamed = reduce(
            refused,
            ShellAction::Edit(Edit::RenameNode {
                from: "peer2".into(),
                to: "harvester".into(),
            }),
        );
        assert!(renamed.renaming.is_none());
        assert_eq!(renamed.selection, [Target::Node("harvester".into())]);
        // A double-click names its target; links and unknown targets are not renamed.
        let clicked = reduce(
            loaded("multi-az"),
            ShellAction::StartRename(Target::Az("ap-northeast-1c".into())),
        );
        assert_eq!(clicked.renaming, Some(Target::Az("ap-northeast-1c".into())));
        assert_eq!(clicked.selection, [Target::Az("ap-northeast-1c".into())]);
        let plain = loaded("multi-az");
        for target in [
            Target::Link("a".into(), "b".into()),
            Target::Node("nowhere".into()),
        ] {
            assert!(Rc::ptr_eq(
                &plain,
                &reduce(plain.clone(), ShellAction::StartRename(target))
            ));
        }
    }

    #[test]
    fn control_a_selects_every_node_as_a_marquee_would_issue_13() {
        let state = reduce(
            loaded("multi-az"),
            ShellAction::Select(Target::Az("ap-northeast-1a".into())),
        );
        let (actions, prevent) = shortcut_actions(&control("a", false, KeyTarget::Other), &state);
        assert_eq!(
            (actions.clone(), prevent),
            (vec![ShellAction::SelectAllNodes], true)
        );
        let selected = reduce(state.clone(), ShellAction::SelectAllNodes);
        let names: Vec<&str> = selected
            .selection
            .iter()
            .map(|target| match target {
                Target::Node(name) => name.as_str(),
                other => panic!("not a node: {other:?}"),
            })
            .collect();
        assert_eq!(names, ["peer1", "peer2", "api1", "peer3", "api2"]);
        // Typing in a field keeps the browser's own Ctrl+A.
        assert!(
            shortcut_actions(&control("a", false, KeyTarget::TextField), &state)
                .0
                .is_empty()
        );
        // Shift+Space on a node then takes it out, as a Shift+click would.
        let narrowed = reduce(
            selected,
            ShellAction::ToggleSelected(Target::Node("api1".into())),
        );
        assert_eq!(narrowed.selection.len(), 4);
    }

    #[test]
    fn a_marquee_selects_or_adds_issue_13() {
        let peer1 = Target::Node("peer1".into());
        let peer2 = Target::Node("peer2".into());
        let api1 = Target::Node("api1".into());
        let state = reduce(loaded("multi-az"), ShellAction::Select(api1.clone()));
        let replaced = reduce(
            state.clone(),
            ShellAction::SelectMany {
                targets: vec![peer1.clone(), peer2.clone()],
                additive: false,
            },
        );
        assert_eq!(replaced.selection, [peer1.clone(), peer2.clone()]);
        let added = reduce(
            state,
            ShellAction::SelectMany {
                targets: vec![peer1.clone(), api1.clone()],
                additive: true,
            },
        );
        assert_eq!(added.selection, [api1, peer1]);
    }

    #[test]
    fn a_tick_after_pausing_changes_nothing() {
        let playing = reduce(loaded("multi-az"), ShellAction::TogglePlaying);
        let ticked = reduce(playing, ShellAction::Tick { elapsed_ms: 100 });
        let paused = reduce(ticked, ShellAction::TogglePlaying);
        let late = reduce(paused.clone(), ShellAction::Tick { elapsed_ms: 100 });
        assert!(Rc::ptr_eq(&paused, &late));
        assert_eq!(late.at_ms, SPEED_DEFAULT * 100);
    }

    #[test]
    fn nothing_plays_without_a_scenario() {
        let state = reduce(Rc::new(ShellState::default()), ShellAction::TogglePlaying);
        assert!(!state.playing);
    }

    #[test]
    fn the_shortcut_table_answers_as_the_help_says() {
        let state = loaded("multi-az");
        let (actions, prevent) = shortcut_actions(&press(" ", KeyTarget::Other), &state);
        assert_eq!(actions, [ShellAction::TogglePlaying]);
        assert!(prevent, "Space must not scroll the page");
        // A focused button answers Space itself; typing is typing.
        for target in [KeyTarget::Button, KeyTarget::TextField, KeyTarget::Choice] {
            assert_eq!(
                shortcut_actions(&press(" ", target), &state),
                (vec![], false)
            );
        }
        // No run, no player keys.
        let empty = ShellState::default();
        assert!(shortcut_actions(&press(" ", KeyTarget::Other), &empty)
            .0
            .is_empty());
        assert_eq!(
            shortcut_actions(&press("ArrowRight", KeyTarget::Other), &state).0,
            [ShellAction::StepForward]
        );
        assert_eq!(
            shortcut_actions(&press("?", KeyTarget::Other), &state).0,
            [ShellAction::ToggleHelp]
        );
        // Esc closes the help and dismisses the menu; in a text field, only the menu.
        assert_eq!(
            shortcut_actions(&press("Escape", KeyTarget::Other), &state).0,
            [
                ShellAction::CloseHelp,
                ShellAction::StopPresenting,
                ShellAction::Dismiss
            ]
        );
        assert_eq!(
            shortcut_actions(&press("Escape", KeyTarget::TextField), &state).0,
            [ShellAction::Dismiss]
        );
        // Undo and redo, also from a drop-down but not while typing.
        assert_eq!(
            shortcut_actions(&control("z", false, KeyTarget::Choice), &state),
            (vec![ShellAction::Undo], true)
        );
        assert_eq!(
            shortcut_actions(&control("Z", true, KeyTarget::Other), &state),
            (vec![ShellAction::Redo], true)
        );
        assert!(
            shortcut_actions(&control("z", false, KeyTarget::TextField), &state)
                .0
                .is_empty()
        );
        assert!(shortcut_actions(&press("z", KeyTarget::Other), &state)
            .0
            .is_empty());
        // A key a component handled is not a player key.
        let handled = KeyPress {
            handled: true,
            ..press(" ", KeyTarget::Other)
        };
        assert!(shortcut_actions(&handled, &state).0.is_empty());
    }

    #[test]
    fn event_keys_jump_between_markers() {
        let state = loaded("multi-az");
        let markers = Rc::new(vec![2 * HOUR_MS, 2 * HOUR_MS + 30_000, 3 * HOUR_MS]);
        // Nothing to jump to before the markers arrive.
        let next = reduce(state.clone(), ShellAction::NextEvent);
        assert!(Rc::ptr_eq(&state, &next));
        let found = reduce(state, ShellAction::MarkersFound(markers.clone()));
        assert!(Rc::ptr_eq(
            &found,
            &reduce(found.clone(), ShellAction::MarkersFound(markers))
        ));
        let first = reduce(found, ShellAction::NextEvent);
        assert_eq!(first.at_ms, 2 * HOUR_MS);
        let second = reduce(first, ShellAction::NextEvent);
        assert_eq!(second.at_ms, 2 * HOUR_MS + 30_000);
        let back = reduce(second, ShellAction::PreviousEvent);
        assert_eq!(back.at_ms, 2 * HOUR_MS);
        let last = reduce(
            reduce(back, ShellAction::Seek(4 * HOUR_MS)),
            ShellAction::PreviousEvent,
        );
        assert_eq!(last.at_ms, 3 * HOUR_MS);
        // Past the last marker, nothing changes.
        let end = reduce(last, ShellAction::Seek(5 * HOUR_MS));
        assert!(Rc::ptr_eq(
            &end,
            &reduce(end.clone(), ShellAction::NextEvent)
        ));
        // The keys, from the page, not while typing; Space plays from a slider too,
        // but its arrows are the slider's own.
        assert_eq!(
            shortcut_actions(&press(".", KeyTarget::Other), &end),
            (vec![ShellAction::NextEvent], true)
        );
        assert_eq!(
            shortcut_actions(&press(",", KeyTarget::Slider), &end),
            (vec![ShellAction::PreviousEvent], true)
        );
        assert!(shortcut_actions(&press(".", KeyTarget::TextField), &end)
            .0
            .is_empty());
        assert_eq!(
            shortcut_actions(&press(" ", KeyTarget::Slider), &end),
            (vec![ShellAction::TogglePlaying], true)
        );
        assert!(
            shortcut_actions(&press("ArrowRight", KeyTarget::Slider), &end)
                .0
                .is_empty()
        );
    }

    #[test]
    fn presentation_mode_toggles_with_p_in_either_case() {
        let state = loaded("multi-az");
        for key in ["p", "P"] {
            assert_eq!(
                shortcut_actions(&press(key, KeyTarget::Other), &state).0,
                [ShellAction::TogglePresenting]
            );
        }
        assert!(shortcut_actions(&press("p", KeyTarget::TextField), &state)
            .0
            .is_empty());
        assert!(Rc::ptr_eq(
            &state,
            &reduce(state.clone(), ShellAction::StopPresenting)
        ));
        let presenting = reduce(state, ShellAction::TogglePresenting);
        assert!(presenting.presenting);
        assert!(!reduce(presenting.clone(), ShellAction::TogglePresenting).presenting);
        assert!(!reduce(presenting, ShellAction::StopPresenting).presenting);
    }

    #[test]
    fn every_shell_shortcut_is_in_the_help_table_once() {
        let mut seen = std::collections::BTreeSet::new();
        for shortcut in &SHORTCUTS {
            assert!(!shortcut.description.is_empty());
            assert!(
                seen.insert((shortcut.keys_text, shortcut.description)),
                "{shortcut:?}"
            );
        }
        for key in [".", ",", "P"] {
            assert!(SHORTCUTS.iter().any(|shortcut| shortcut.keys_text == key));
        }
    }
}

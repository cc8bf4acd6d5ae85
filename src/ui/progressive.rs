//! Drawing a long list of SVG elements over several main-thread tasks.
//!
//! Creating an element from WebAssembly costs a few calls into the browser, and the
//! browser then styles and lays out every new `<text>`: a scenario at the limits
//! (300 nodes) opened from a share link drew all its nodes in the app's first render,
//! one main-thread task of 250–390 ms, with a layout task of 80–140 ms after it
//! (issue 13: no task over 100 ms). A list drawn through [`use_drawn_count`] shows
//! its first items in the render that brings it, and the rest a batch per following
//! task (a step each, below), so the page answers between batches and each layout
//! covers one batch.
//!
//! Invariants: each render of the list draws at most `per_render` items more than were
//! drawn before, so a list that fits in one batch is drawn whole in the render that
//! brings it, as before (every preset, every small scenario, a node added by an edit);
//! the count drawn never goes down while the component lives (items removed and
//! brought back by undo come back at once), so an edit to a large drawing redraws
//! nothing already shown; while items are missing, one step asks for the next render,
//! and once all are drawn nothing is scheduled.
//!
//! Every step (a batch, a phase) goes through one queue that runs a single step per
//! main-thread task, and asks for the next task only once the step's render is done
//! ([`next_step`]). Each list and each phase keeping a zero-delay timeout of its own
//! made their renders pile up: Yew's scheduler yields to the browser every 16 ms and
//! runs whatever was asked meanwhile in one task, so a batch of nodes, the entry
//! point's lines and a page phase were laid out together (70–120 ms with 300 nodes).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use yew::prelude::*;

/// A step waiting for its task; dropping it takes it off the queue.
pub struct Step {
    cancelled: Rc<Cell<bool>>,
}

impl Drop for Step {
    fn drop(&mut self) {
        self.cancelled.set(true);
    }
}

type QueuedStep = (Rc<Cell<bool>>, Box<dyn FnOnce()>);

thread_local! {
    static STEPS: RefCell<VecDeque<QueuedStep>> = RefCell::new(VecDeque::new());
    /// A task is asked for (or a step's render is still under way).
    static DRIVING: Cell<bool> = const { Cell::new(false) };
}

/// Queues `step` to run in a main-thread task of its own, after the steps queued
/// before it and after the render each of them caused.
pub fn next_step(step: impl FnOnce() + 'static) -> Step {
    let cancelled = Rc::new(Cell::new(false));
    STEPS.with(|steps| {
        steps
            .borrow_mut()
            .push_back((cancelled.clone(), Box::new(step)))
    });
    drive();
    Step { cancelled }
}

fn drive() {
    if DRIVING.with(|driving| driving.replace(true)) {
        return;
    }
    gloo::timers::callback::Timeout::new(0, || {
        let step = STEPS.with(|steps| {
            let mut steps = steps.borrow_mut();
            while let Some((cancelled, step)) = steps.pop_front() {
                if !cancelled.get() {
                    return Some(step);
                }
            }
            None
        });
        if let Some(step) = step {
            step();
        }
        // Spawned after the step, so it runs after the render the step asked for (Yew
        // starts its scheduler the same way, first): the next step gets a task of its
        // own, after any task in which the scheduler finishes what it yielded.
        yew::platform::spawn_local(async {
            DRIVING.with(|driving| driving.set(false));
            if STEPS.with(|steps| steps.borrow().iter().any(|(cancelled, _)| !cancelled.get())) {
                drive();
            } else {
                STEPS.with(|steps| steps.borrow_mut().clear());
            }
        });
    })
    .forget();
}

/// How many of `total` items to draw in this render: up to `per_render` more than the
/// component drew before; while some are left, the next batch comes in a task of its
/// own.
#[hook]
pub fn use_drawn_count(total: usize, per_render: usize) -> usize {
    let drawn = use_mut_ref(|| 0_usize);
    let shown = {
        let mut drawn = drawn.borrow_mut();
        *drawn = (*drawn).max(total.min(drawn.saturating_add(per_render.max(1))));
        (*drawn).min(total)
    };
    let next_batch = use_force_update();
    use_effect_with((shown, total), move |&(shown, total)| {
        let next = (shown < total).then(|| next_step(move || next_batch.force_update()));
        move || drop(next)
    });
    shown
}

/// The page's drawing phase, `0..=last`: a component mounted with `wait` set starts at
/// phase 0 and moves one phase on per main-thread task (a step each) until `last`,
/// staying at 0 while `hold` is set; mounted without `wait` it is at `last` from the
/// start. The shell opened at a scenario (a share link, a saved session) draws its
/// parts a phase at a time (`app`), so no single task builds the whole page; it holds
/// while its link is still to be read. A large drawing adds its layers the same way
/// (`canvas`).
#[hook]
pub fn use_phase(wait: bool, hold: bool, last: u8) -> u8 {
    let phase = use_state(|| if wait { 0 } else { last });
    {
        let phase = phase.clone();
        use_effect_with((*phase, hold), move |&(now, hold)| {
            let next = (now < last && !hold).then(|| next_step(move || phase.set(now + 1)));
            move || drop(next)
        });
    }
    (*phase).min(last)
}

//! The page's side of the replay workers: a hook that asks one worker for the frame at
//! the moment shown and another for the whole run's charts, markers and summary, so no
//! simulation runs on the main thread and a frame never waits behind a whole run (a
//! 300-node, 30-day scenario's charts take minutes; scrubbing it waited that long).
//!
//! Invariants: each worker has at most one request in flight; while one is, only the
//! latest wish is kept (scrubbing fast never queues stale work); a reply for an older
//! scenario is dropped; the frames worker is never asked for a whole run, nor the runs
//! worker for a frame (the first request after a change carries the scenario, whatever
//! it asks); when a worker cannot start (a `file:` page, an old browser) the same service answers on the
//! page instead, so the app still works.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::scenario::file::encode;
use crate::scenario::{Scenario, ScenarioFile};
use crate::view::markers::Marker;
use crate::view::replay::{BlockTravel, Frame};
use crate::worker::replay::{self, ReplayReply, ReplayService};

use crate::view::replay::{travels_started, TRAVEL_SHOWN_MS};

/// A block on its way, as the canvas draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct TravelDot {
    /// Unique for the page's lifetime (the canvas keys dots by it).
    pub key: u64,
    pub travel: BlockTravel,
    /// When it set off, in `performance.now()` milliseconds.
    pub started_ms: f64,
}

/// What the hook gives the page.
#[derive(Clone, PartialEq)]
pub struct ReplayHandle {
    pub frame: Option<Rc<Frame>>,
    pub dots: Rc<Vec<TravelDot>>,
    pub summary: Option<Result<String, String>>,
    pub summary_running: bool,
    /// The whole run's charts, (name, SVG), drawn once per scenario.
    pub charts: Option<Rc<Vec<(String, String)>>>,
    /// Why the charts could not be drawn (the run stopped early, say).
    pub charts_error: Option<String>,
    /// The charts shown are those of an earlier version of the scenario (the new
    /// ones are being drawn); the old ones stay meanwhile, so the page does not jump.
    pub charts_updating: bool,
    /// The whole run's event markers (see [`crate::view::markers`]), found with the
    /// charts; empty until they arrive.
    pub markers: Rc<Vec<Marker>>,
    pub errors: Vec<String>,
    pub request_summary: Callback<()>,
}

/// The whole run's charts, (name, SVG), and its event markers.
type RunPictures = (Rc<Vec<(String, String)>>, Rc<Vec<Marker>>);

enum Reply {
    Frame(Rc<Frame>),
    Summary(Result<String, String>),
    Charts(Result<RunPictures, String>),
    Failed(Vec<String>),
}

/// What a request asked for, so a failure lands where it belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Asked {
    Frame,
    Charts,
    Summary,
}

/// What a client's worker is for (the hook asks each client for its own kind only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Duty {
    /// The frame at the moment shown.
    Frames,
    /// The whole run: charts, markers, summary.
    Runs,
}

struct Client {
    worker: Option<web_sys::Worker>,
    local: Option<ReplayService>,
    ready: bool,
    next_id: u64,
    /// (id, scenario version, what was asked).
    in_flight: Option<(u64, u64, Asked)>,
    wanted_frame_ms: Option<u64>,
    /// The moment the page shows (asked for again when the scenario changes).
    shown_ms: u64,
    wanted_summary: bool,
    wanted_charts: bool,
    version: u64,
    sent_version: u64,
    scenario: Option<Rc<Scenario>>,
    /// The file to send with the next request (shared by the page's two clients).
    scenario_file: Option<Rc<OutgoingScenario>>,
    deliver: Callback<Reply>,
    _on_message: Option<Closure<dyn Fn(web_sys::MessageEvent)>>,
    _on_error: Option<Closure<dyn Fn(web_sys::Event)>>,
    /// The scenario version the current worker was started at.
    worker_first_version: u64,
}

/// A scenario file on its way to the replay workers: encoded only when first sent (not
/// in the render that changed it), and once for both clients.
struct OutgoingScenario {
    file: Rc<ScenarioFile>,
    json: OnceCell<Value>,
}

impl OutgoingScenario {
    fn json(&self) -> &Value {
        self.json.get_or_init(|| encode(&self.file))
    }
}

impl Client {
    /// Stops the worker (if any); what was in flight is wanted again, and the next
    /// request carries the scenario, for whoever answers next. Returns the worker's
    /// handlers: a caller running inside one of them must not drop them yet.
    #[must_use]
    fn stop_worker(&mut self) -> WorkerHandlers {
        if let Some(worker) = self.worker.take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
        let handlers = (self._on_message.take(), self._on_error.take());
        if let Some((_, _, asked)) = self.in_flight.take() {
            match asked {
                Asked::Frame => {
                    let shown = self.shown_ms;
                    self.wanted_frame_ms.get_or_insert(shown);
                }
                Asked::Charts => self.wanted_charts = true,
                Asked::Summary => self.wanted_summary = true,
            }
        }
        self.sent_version = 0;
        handlers
    }
}

/// A worker's message and error handlers.
type WorkerHandlers = (
    Option<Closure<dyn Fn(web_sys::MessageEvent)>>,
    Option<Closure<dyn Fn(web_sys::Event)>>,
);

impl Drop for Client {
    fn drop(&mut self) {
        if let Some(worker) = &self.worker {
            worker.terminate();
        }
    }
}

/// The page's clock, `performance.now()` milliseconds (0 where there is none).
pub(super) fn now_ms() -> f64 {
    gloo::utils::window()
        .performance()
        .map(|performance| performance.now())
        .unwrap_or(0.0)
}

/// Sends the next request, if one is wanted and none is in flight.
fn pump(client: &Rc<RefCell<Client>>) {
    let request = {
        let mut state = client.borrow_mut();
        if state.in_flight.is_some() || !state.ready || state.scenario.is_none() {
            return;
        }
        // Whatever is asked first after the scenario changed (or the worker was
        // renewed) carries it.
        let outgoing = state.scenario_file.clone();
        let no_file = Value::Null;
        let scenario = (state.sent_version != state.version)
            .then(|| outgoing.as_deref().map_or(&no_file, OutgoingScenario::json));
        let id = state.next_id;
        // A client is asked for frames or for whole runs (`Duty`), never both.
        let (request, asked) = if let Some(at_ms) = state.wanted_frame_ms.take() {
            (replay::frame_request(id, scenario, at_ms), Asked::Frame)
        } else if state.wanted_charts {
            state.wanted_charts = false;
            (replay::charts_request(id, scenario), Asked::Charts)
        } else if state.wanted_summary {
            state.wanted_summary = false;
            (replay::summary_request(id, scenario), Asked::Summary)
        } else {
            return;
        };
        state.next_id += 1;
        state.sent_version = state.version;
        state.in_flight = Some((id, state.version, asked));
        request
    };
    let worker = client.borrow().worker.clone();
    match worker {
        Some(worker) => {
            if worker.post_message(&request.into()).is_err() {
                client.borrow_mut().in_flight = None;
            }
        }
        None => {
            // No worker: answer on the page, after this turn (as a worker would).
            let client = client.clone();
            gloo::timers::callback::Timeout::new(0, move || {
                let reply = client
                    .borrow_mut()
                    .local
                    .get_or_insert_with(ReplayService::default)
                    .handle(&request);
                receive(&client, &reply);
            })
            .forget();
        }
    }
}

/// Takes one reply: passes it on if it is for the current scenario, then sends the
/// next request.
fn receive(client: &Rc<RefCell<Client>>, text: &str) {
    if text == replay::READY {
        client.borrow_mut().ready = true;
        pump(client);
        return;
    }
    let delivery = {
        let mut state = client.borrow_mut();
        let Some((id, version, asked)) = state.in_flight.take() else {
            return;
        };
        let current = version == state.version;
        match replay::parse_reply(text) {
            Some(ReplayReply::Frame {
                id: reply_id,
                frame,
            }) if reply_id == id && current => {
                let scenario = state.scenario.clone();
                scenario
                    .and_then(|scenario| replay::decode_frame(&frame, &scenario))
                    .map(|frame| (Reply::Frame(Rc::new(frame)), state.deliver.clone()))
            }
            Some(ReplayReply::Charts {
                id: reply_id,
                charts,
                markers,
            }) if reply_id == id && current => Some((
                Reply::Charts(Ok((Rc::new(charts), Rc::new(markers)))),
                state.deliver.clone(),
            )),
            Some(ReplayReply::Summary { id: reply_id, text }) if reply_id == id && current => {
                Some((Reply::Summary(Ok(text)), state.deliver.clone()))
            }
            Some(ReplayReply::Failed { errors, .. }) if current => Some((
                match asked {
                    Asked::Frame => Reply::Failed(errors),
                    Asked::Charts => Reply::Charts(Err(errors.join("; "))),
                    Asked::Summary => Reply::Summary(Err(errors.join("; "))),
                },
                state.deliver.clone(),
            )),
            _ => None,
        }
    };
    if let Some((reply, deliver)) = delivery {
        deliver.emit(reply);
    }
    pump(client);
}

fn start_client(deliver: Callback<Reply>) -> Rc<RefCell<Client>> {
    let client = Rc::new(RefCell::new(Client {
        worker: None,
        local: None,
        ready: false,
        next_id: 1,
        in_flight: None,
        wanted_frame_ms: None,
        shown_ms: 0,
        wanted_summary: false,
        wanted_charts: false,
        version: 0,
        sent_version: 0,
        scenario: None,
        scenario_file: None,
        deliver,
        _on_message: None,
        _on_error: None,
        worker_first_version: 0,
    }));
    // The worker starts a task later: creating one took the main thread 10–30 ms,
    // which the page's first task cannot spare (issue 13: no task over 100 ms when a
    // scenario at the limits opens from a link). Until it says it is ready, `pump`
    // keeps what is asked and sends it then.
    let weak = Rc::downgrade(&client);
    gloo::timers::callback::Timeout::new(0, move || {
        if let Some(client) = weak.upgrade() {
            attach_worker(&client);
        }
    })
    .forget();
    client
}

/// Starts a (new) worker for the client; without one, the page answers itself.
fn attach_worker(client: &Rc<RefCell<Client>>) {
    match super::workers::spawn_replay() {
        Ok(worker) => {
            let weak = Rc::downgrade(client);
            let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(
                move |event: web_sys::MessageEvent| {
                    if let Some(client) = weak.upgrade() {
                        receive(&client, &event.data().as_string().unwrap_or_default());
                    }
                },
            );
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            // A worker that cannot load or dies: the page answers from now on.
            let weak = Rc::downgrade(client);
            let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
                if let Some(client) = weak.upgrade() {
                    fall_back_to_page(&client);
                }
            });
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            let mut state = client.borrow_mut();
            state.worker = Some(worker);
            state._on_message = Some(on_message);
            state._on_error = Some(on_error);
            state.ready = false;
        }
        Err(_) => client.borrow_mut().ready = true,
    }
}

/// Stops a failed worker and lets the page answer instead; whatever was in flight is
/// asked again.
fn fall_back_to_page(client: &Rc<RefCell<Client>>) {
    {
        let mut state = client.borrow_mut();
        let handlers = state.stop_worker();
        state.ready = true;
        // This runs inside the error handler: drop the handlers after it returns.
        gloo::timers::callback::Timeout::new(0, move || drop(handlers)).forget();
    }
    pump(client);
}

/// The worker keeps every scenario it was sent (its run borrows it), so after this
/// many scenarios it is replaced by a fresh one, which gives all that memory back.
const WORKER_SCENARIOS_MAX: u64 = 40;

/// Replaces the worker when it has held [`WORKER_SCENARIOS_MAX`] scenarios: the old
/// one stops, any request in flight is forgotten, and the current scenario is sent to
/// the new one when it is ready.
fn renew_worker_if_full(client: &Rc<RefCell<Client>>) {
    {
        let mut state = client.borrow_mut();
        if state.worker.is_none()
            || state.version - state.worker_first_version < WORKER_SCENARIOS_MAX
        {
            return;
        }
        drop(state.stop_worker());
        state.worker_first_version = state.version;
    }
    attach_worker(client);
}

/// The frame at `at_ms` of the run of `file`, worked out off the main thread.
#[hook]
pub fn use_replay(
    revision: u64,
    file: Option<Rc<ScenarioFile>>,
    scenario: Option<Rc<Scenario>>,
    at_ms: u64,
) -> ReplayHandle {
    let frame = use_state(|| None::<Rc<Frame>>);
    let summary = use_state(|| None::<Result<String, String>>);
    let summary_running = use_state(|| false);
    let errors = use_state(Vec::<String>::new);
    let charts = use_state(|| None::<Rc<Vec<(String, String)>>>);
    let charts_error = use_state(|| None::<String>);
    let charts_updating = use_state(|| false);
    let markers = use_state(|| Rc::new(Vec::<Marker>::new()));
    let next_dot_key = use_mut_ref(|| 0u64);
    let last_frame_ms = use_mut_ref(|| f64::NEG_INFINITY);
    // The dots on their way: kept outside Yew's state so that several frames arriving
    // between two renders each see the dots the one before started; the frame's own
    // state change re-renders.
    let live_dots = use_mut_ref(|| Rc::new(Vec::<TravelDot>::new()));
    let deliver = {
        let frame = frame.clone();
        let summary = summary.clone();
        let summary_running = summary_running.clone();
        let errors = errors.clone();
        let charts = charts.clone();
        let charts_error = charts_error.clone();
        let charts_updating = charts_updating.clone();
        let markers = markers.clone();
        let next_dot_key = next_dot_key.clone();
        let last_frame_ms = last_frame_ms.clone();
        let live_dots = live_dots.clone();
        Callback::from(move |reply: Reply| match reply {
            Reply::Frame(next) => {
                let now = now_ms();
                let mut shown: Vec<TravelDot> = live_dots
                    .borrow()
                    .iter()
                    .filter(|dot| now - dot.started_ms < TRAVEL_SHOWN_MS)
                    .cloned()
                    .collect();
                let since_ms = now - last_frame_ms.replace(now);
                let on_their_way: Vec<BlockTravel> = shown.iter().map(|dot| dot.travel).collect();
                for &index in &travels_started(&next.travels, &on_their_way, since_ms) {
                    let mut key = next_dot_key.borrow_mut();
                    *key += 1;
                    shown.push(TravelDot {
                        key: *key,
                        travel: next.travels[index],
                        started_ms: now,
                    });
                }
                *live_dots.borrow_mut() = Rc::new(shown);
                errors.set(Vec::new());
                frame.set(Some(next));
            }
            Reply::Charts(Ok((drawn, found))) => {
                charts_error.set(None);
                charts_updating.set(false);
                charts.set(Some(drawn));
                markers.set(found);
            }
            Reply::Charts(Err(message)) => {
                charts_updating.set(false);
                charts.set(None);
                charts_error.set(Some(message));
            }
            Reply::Summary(result) => {
                summary_running.set(false);
                summary.set(Some(result));
            }
            Reply::Failed(list) => {
                summary_running.set(false);
                errors.set(list);
            }
        })
    };
    let clients = use_mut_ref(|| None::<(Rc<RefCell<Client>>, Rc<RefCell<Client>>)>);
    if clients.borrow().is_none() {
        *clients.borrow_mut() =
            Some((start_client(deliver.clone()), start_client(deliver.clone())));
    }
    let (client, runs) = clients.borrow().clone().expect("started above");
    client.borrow_mut().deliver = deliver.clone();
    runs.borrow_mut().deliver = deliver;
    {
        let client = client.clone();
        let runs = runs.clone();
        let frame = frame.clone();
        let summary = summary.clone();
        let summary_running = summary_running.clone();
        let charts = charts.clone();
        let charts_error = charts_error.clone();
        let charts_updating = charts_updating.clone();
        let markers = markers.clone();
        // Keyed on the file's revision (`shell::ShellState::revision`): no file or
        // scenario is compared on a render.
        use_effect_with(revision, move |_| {
            let outgoing = file.map(|file| {
                Rc::new(OutgoingScenario {
                    file,
                    json: OnceCell::new(),
                })
            });
            for (each, duty) in [(&client, Duty::Frames), (&runs, Duty::Runs)] {
                let mut state = each.borrow_mut();
                state.version += 1;
                state.scenario = scenario.clone();
                state.scenario_file = outgoing.clone();
                state.wanted_summary = false;
                state.wanted_charts = duty == Duty::Runs && scenario.is_some();
                state.wanted_frame_ms = (duty == Duty::Frames).then_some(state.shown_ms);
            }
            renew_worker_if_full(&client);
            renew_worker_if_full(&runs);
            if scenario.is_none() {
                frame.set(None);
            }
            summary.set(None);
            summary_running.set(false);
            // The old charts stay (marked as updating) until the new ones arrive.
            if scenario.is_none() {
                charts.set(None);
                markers.set(Rc::default());
            }
            charts_updating.set(scenario.is_some());
            charts_error.set(None);
            pump(&client);
            pump(&runs);
        });
    }
    {
        let client = client.clone();
        use_effect_with(at_ms, move |&at_ms| {
            let mut state = client.borrow_mut();
            state.shown_ms = at_ms;
            state.wanted_frame_ms = Some(at_ms);
            drop(state);
            pump(&client);
        });
    }
    let request_summary = {
        let summary_running = summary_running.clone();
        Callback::from(move |_: ()| {
            runs.borrow_mut().wanted_summary = true;
            summary_running.set(true);
            pump(&runs);
        })
    };
    let dots = live_dots.borrow().clone();
    ReplayHandle {
        frame: (*frame).clone(),
        dots,
        summary: (*summary).clone(),
        summary_running: *summary_running,
        charts: (*charts).clone(),
        charts_error: (*charts_error).clone(),
        charts_updating: *charts_updating,
        markers: (*markers).clone(),
        errors: (*errors).clone(),
        request_summary,
    }
}

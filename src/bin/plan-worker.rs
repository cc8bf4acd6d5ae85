//! The planner's Web Worker (WebAssembly only): the page starts one per core; each
//! receives batches of trial jobs ([`catapult_dr::worker::plan::serve_jobs`]) and posts
//! their results, or (one worker) a whole plan ([`catapult_dr::worker::plan::serve`]),
//! posting progress and the result.
//! Natively this binary does nothing: the command line is `catapult-dr plan`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let request = event.data().as_string().unwrap_or_default();
            // A batch of pool jobs (one of several workers), or a whole plan.
            let reply = if catapult_dr::worker::plan::is_jobs_request(&request) {
                catapult_dr::worker::plan::serve_jobs(&request)
            } else {
                catapult_dr::worker::plan::serve(&request, |progress| {
                    let _ = replies.post_message(&progress.into());
                })
            };
            let _ = replies.post_message(&reply.into());
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that arrive before the handler is set are lost, so the page waits for this.
    let _ = scope.post_message(&catapult_dr::worker::plan::READY.into());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "plan-worker is the browser's planner worker; on the command line use `catapult-dr plan`"
    );
    std::process::exit(2);
}

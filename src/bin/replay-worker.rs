//! The canvas's replay Web Worker (WebAssembly only): receives frame requests from the
//! page, answers with [`catapult_dr::worker::replay::ReplayService`], so the simulation
//! never runs on the page's main thread. Natively this binary does nothing: the
//! command line is `catapult-dr simulate`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let service = RefCell::new(catapult_dr::worker::replay::ReplayService::default());
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let request = event.data().as_string().unwrap_or_default();
            let reply = service.borrow_mut().handle(&request);
            let _ = replies.post_message(&reply.into());
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that arrive before the handler is set are lost, so the page waits for this.
    let _ = scope.post_message(&catapult_dr::worker::replay::READY.into());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "replay-worker is the browser's replay worker; on the command line use `catapult-dr simulate`"
    );
    std::process::exit(2);
}

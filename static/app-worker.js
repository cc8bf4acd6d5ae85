// The bootstrap of the app's Web Workers (see src/ui/workers.rs). Its starter sends the
// URL of a wasm-bindgen script and its module: a compiled WebAssembly.Module (the page's
// own, for the replay worker; the planner's, for trial workers: nothing is downloaded
// again) or the URL of the wasm to fetch (the planner module, the first time). This
// worker instantiates it and starts the role's message loop, which replaces this
// handler and posts the role's READY.
self.onmessage = async (event) => {
    const { script, module, role } = event.data;
    try {
        const bindings = await import(script);
        await bindings.default({ module_or_path: module });
        bindings.start_worker(role, script);
    } catch (error) {
        // Thrown outside the promise, so the page's Worker gets an error event and its
        // fallback takes over (the page answers replay requests itself; the planner
        // panel says planning could not start).
        setTimeout(() => { throw error; });
    }
};

// The bootstrap of the app's Web Workers (see src/ui/workers.rs). The page sends the
// URL of its wasm-bindgen script and its compiled WebAssembly.Module; this worker
// instantiates that same module (nothing is downloaded again) and starts the role's
// message loop, which replaces this handler and posts the role's READY.
self.onmessage = async (event) => {
    const { script, module, role } = event.data;
    try {
        const bindings = await import(script);
        await bindings.default({ module_or_path: module });
        bindings.start_worker(role);
    } catch (error) {
        // Thrown outside the promise, so the page's Worker gets an error event and its
        // fallback (the page answers replay requests itself) takes over.
        setTimeout(() => { throw error; });
    }
};

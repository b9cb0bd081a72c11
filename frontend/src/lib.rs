//! The WASM entry point: hydrates the server-rendered page.

/// Called by the generated JS once the WASM module is loaded. Pages are lazy routes (separate WASM chunks),
/// so hydration is asynchronous: the page's chunk is fetched first, then the page is hydrated.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    use leptos::prelude::*;
    console_error_panic_hook::set_once();
    // An Err only means the executor was already set up.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let owner = leptos::mount::hydrate_from_async(document().body().expect("body"), app::App).await;
        owner.forget();
        // A marker for tests and for styles that should only apply once the page is interactive.
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

//! The browser entry point: hydrates the islands rendered by the server.

// Islands are only linked into the bundle when the crate that defines them is used.
#[allow(unused_imports)]
use app::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

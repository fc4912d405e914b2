//! Server-only Leptos glue: the state pages and server functions share,
//! who is asking, cookies and the pages' Content-Security-Policy. The
//! domain itself (services, storage, errors) lives in the `domain` crate.
//! Compiled only with the `ssr` feature.

pub mod auth;
pub mod cookies;
pub mod security_headers;
pub mod state;

pub use state::AppState;

//! Server functions, grouped by domain. Each one is thin: it calls a
//! server-only function of the same module that reads the input, calls the
//! services and shapes the result for a page. They are public endpoints, so
//! each decides itself who may call it.

pub mod indices;
pub mod rounds;
pub mod survey;

pub use indices::*;
pub use rounds::*;
pub use survey::*;

/// What a page may learn of a failure: internal details are logged, not sent.
#[cfg(feature = "ssr")]
pub fn server_error(err: crate::ssr::AppError) -> leptos::prelude::ServerFnError {
    use crate::ssr::AppError;
    err.log();
    let message = match &err {
        AppError::Database(_) | AppError::Internal(_) => "internal error".to_owned(),
        other => other.to_string(),
    };
    leptos::prelude::ServerFnError::new(message)
}

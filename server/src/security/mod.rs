//! The security layers in front of every route, outermost first:
//!
//! 1. [`client`]: where the request comes from (address, TLS, whether it
//!    wants a page or data);
//! 2. [`rate_limits`]: per-address budgets of public submissions, sign-in and
//!    tracking-code lookups (the JSON API's routes carry theirs as route
//!    layers, see [`crate::api::router`]);
//! 3. [`authentication`]: the session cookie or the API token, resolved once
//!    into a [`RequestAuth`](domain::auth::RequestAuth); on the way back,
//!    the CSRF cookie is issued and a stale session cookie removed;
//! 4. [`body_limit`]: every body held to the ordinary limit, uploads taken
//!    only on their routes from signed-in staff;
//! 5. [`csrf`]: every state-changing request to a page or server function
//!    comes from this site and carries the anti-forgery token.
//!
//! [`headers`] adds hardened headers to every response (HSTS behind TLS,
//! `Cache-Control: no-store` on everything but static files). Rules of who may
//! do what live with the services and server functions, not here.

pub mod authentication;
pub mod body_limit;
pub mod client;
pub mod csrf;
pub mod headers;
pub mod rate_limits;
mod refusal;

use std::sync::Arc;

use app::ssr::AppState;
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};

pub use rate_limits::{Budget, RateLimits};

/// How the layers treat the network around them.
#[derive(Clone, Debug, Default)]
pub struct SecurityConfig {
    /// Take the client address from the last `X-Forwarded-For` entry (behind one trusted proxy).
    pub trust_proxy: bool,
    /// Development over plain HTTP: cookies without `Secure` and the
    /// `__Host-` prefix, no HSTS (unless the proxy says the request came
    /// over HTTPS). Off by default.
    pub insecure_cookies: bool,
    /// Skip the per-address request budgets: for load tests from one
    /// address, or behind a gateway that limits rates itself.
    pub without_rate_limits: bool,
}

/// Puts the security layers around `router` (which already holds the
/// JSON API with its route-level budgets from `limits`).
pub fn around(
    router: Router,
    state: &AppState,
    config: &SecurityConfig,
    limits: Arc<RateLimits>,
) -> Router {
    router
        .layer(from_fn(csrf::check))
        .layer(from_fn(body_limit::check))
        .layer(from_fn_with_state(
            state.db.clone(),
            authentication::resolve,
        ))
        .layer(from_fn_with_state(limits, rate_limits::limit_pages))
        .layer(from_fn_with_state(config.clone(), client::identify))
}

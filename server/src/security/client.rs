//! Where a request comes from, worked out once for the layers after it.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use super::SecurityConfig;

/// What the layers and handlers know of the caller's connection.
#[derive(Clone, Debug)]
pub struct Client {
    /// The peer's address, or the trusted proxy's last `X-Forwarded-For` entry.
    pub ip: String,
    /// The request came over TLS (directly or behind a proxy): cookies get `Secure`.
    pub secure: bool,
    /// A browser asking for a page (a plain form post), not a script asking for data.
    pub wants_html: bool,
}

pub async fn identify(
    State(config): State<SecurityConfig>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let client = Client {
        ip: client_ip(&request, config.trust_proxy),
        secure: config.secure_cookies
            || headers
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https")),
        wants_html: headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html")),
    };
    request.extensions_mut().insert(client);
    next.run(request).await
}

fn client_ip(request: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return forwarded.trim().to_owned();
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The [`Client`] the first layer stored (a stand-in when a test drives a
/// layer alone).
pub fn of(request: &Request) -> Client {
    request
        .extensions()
        .get::<Client>()
        .cloned()
        .unwrap_or(Client {
            ip: "unknown".to_owned(),
            secure: false,
            wants_html: false,
        })
}

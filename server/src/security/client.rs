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
    /// What budgets are kept by: the address, or an IPv6 address's /64.
    pub network: String,
    /// Cookies get `Secure` and the `__Host-` prefix, and HSTS is sent: always,
    /// unless development over plain HTTP was asked for.
    pub secure: bool,
    /// A browser asking for a page (a plain form post), not a script asking for data.
    pub wants_html: bool,
}

pub async fn identify(
    State(config): State<SecurityConfig>,
    mut request: Request,
    next: Next,
) -> Response {
    warn_of_untrusted_forwarding(&request, config.trust_proxy);
    let headers = request.headers();
    let ip = client_ip(&request, config.trust_proxy);
    let client = Client {
        network: domain::auth::network_key(&ip),
        ip,
        secure: !config.insecure_cookies
            || headers
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https")),
        wants_html: headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html")),
    };
    let secure = client.secure;
    request.extensions_mut().insert(client);
    let mut response = next.run(request).await;
    if secure {
        // Behind TLS, browsers keep to HTTPS for a year (they ignore this over plain HTTP).
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Says once in the log when requests carry `X-Forwarded-For` but the
/// server was not told to trust a proxy: behind one, every client then has
/// the proxy's address and shares its budgets.
fn warn_of_untrusted_forwarding(request: &Request, trust_proxy: bool) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !trust_proxy
        && request.headers().contains_key("x-forwarded-for")
        && !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        tracing::warn!(
            "requests carry X-Forwarded-For but HAILONG_TRUST_PROXY is off: \
             behind a reverse proxy, set HAILONG_TRUST_PROXY=1 so that rate limits \
             and the audit log see each client's address"
        );
    }
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
            network: "unknown".to_owned(),
            secure: false,
            wants_html: false,
        })
}

//! Headers every response gets; pages set a stricter, nonce-based
//! Content-Security-Policy themselves. Nothing but the static files of
//! `/pkg`, the favicon and the agency's logo may be kept by a cache: staff pages, personal data
//! and exports are `no-store`. HSTS is sent by [`super::client`], which knows
//! whether the request came over TLS.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

pub async fn hardened(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let cacheable = path.starts_with("/pkg/") || path == "/favicon.ico" || path == "/agency/logo";
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !cacheable {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }

    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                 form-action 'self'; frame-ancestors 'none'",
            ),
        );
    }
    response
}

//! Headers every response gets; pages set a stricter, nonce-based
//! Content-Security-Policy themselves. Only static files may be kept by a
//! cache (see [`cache_control`]): staff pages, personal data and exports are
//! `no-store`. HSTS is sent by [`super::client`], which knows whether the
//! request came over TLS.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// How long a response to `path` may be kept: a year for the bundle, whose
/// names carry a hash of its contents (`/pkg/hailong.<16 hex>.js`), a day for
/// the other static files and the logo (asked for with its version), and not
/// at all for everything else.
pub fn cache_control(path: &str) -> &'static str {
    let hashed = path.strip_prefix("/pkg/hailong.").is_some_and(|rest| {
        rest.split_once('.').is_some_and(|(hash, _)| {
            hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit())
        })
    });
    let static_file =
        path.starts_with("/pkg/") || matches!(path, "/favicon.svg" | "/share.png" | "/agency/logo");
    if hashed {
        "public, max-age=31536000, immutable"
    } else if static_file {
        "public, max-age=86400"
    } else {
        "no-store"
    }
}

pub async fn hardened(request: Request, next: Next) -> Response {
    let policy = cache_control(request.uri().path());
    let mut response = next.run(request).await;
    // A missing file is not kept either: it may exist after the next build.
    let policy = if response.status().is_success() {
        policy
    } else {
        "no-store"
    };
    let headers = response.headers_mut();
    if policy == "no-store" || !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
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

#[cfg(test)]
mod tests {
    use super::cache_control;

    #[test]
    fn only_hashed_bundle_files_are_kept_for_a_year() {
        assert_eq!(
            cache_control("/pkg/hailong.0123456789abcdef.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("/pkg/hailong.js"), "public, max-age=86400");
        assert_eq!(
            cache_control("/pkg/hailong.0123.js"),
            "public, max-age=86400"
        );
        assert_eq!(cache_control("/share.png"), "public, max-age=86400");
        assert_eq!(cache_control("/s/khao-sat"), "no-store");
        assert_eq!(cache_control("/"), "no-store");
        assert_eq!(cache_control("/api/v1/rounds"), "no-store");
    }
}

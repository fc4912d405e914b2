//! Every state-changing request to a page or server function (forms posted
//! without JavaScript, the island's requests) must come from this site and
//! carry the token of the `hl_csrf` cookie, as the form field `csrf_token`
//! or the header `X-CSRF-Token`. The JSON API is exempt: it changes state
//! only for API tokens, never for cookies (see [`super::authentication`]).
//!
//! A refusal for a missing or stale token carries the token that now holds
//! (the authentication layer sets its cookie on the way out), so the island
//! can send the form again without losing what was typed.

use app::error::PageError;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use domain::auth::RequestAuth;
use domain::secrets::constant_time_eq;

use super::{body_limit, client, refusal};
use crate::api::is_api;

pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub async fn check(request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path().to_owned();
    if !changes_state || is_api(&path) {
        return next.run(request).await;
    }
    let client = client::of(&request);
    if !same_origin(request.headers()) {
        return refusal::refuse(&client, &path, StatusCode::FORBIDDEN, PageError::CrossSite);
    }
    let expected = request
        .extensions()
        .get::<RequestAuth>()
        .map(|auth| auth.csrf_token.clone())
        .unwrap_or_default();
    let (presented, request) = match presented_token(request).await {
        Ok(found) => found,
        Err(()) => {
            return refusal::refuse(
                &client,
                &path,
                StatusCode::PAYLOAD_TOO_LARGE,
                PageError::TooLarge,
            );
        }
    };
    let valid =
        !expected.is_empty() && presented.is_some_and(|token| constant_time_eq(&token, &expected));
    if !valid {
        return refusal::refuse(
            &client,
            &path,
            StatusCode::FORBIDDEN,
            PageError::FormExpired {
                csrf_token: expected,
            },
        );
    }
    next.run(request).await
}

/// An `Origin`, when sent, names this site.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split("://").nth(1).unwrap_or_default();
    !host.is_empty() && origin_host == host
}

/// The token presented by the request: the header, else the form field
/// (url-encoded or multipart; the body is read within its limit and put
/// back). `Err` when the body is larger than its limit.
async fn presented_token(request: Request) -> Result<(Option<String>, Request), ()> {
    if let Some(token) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        let token = token.to_owned();
        return Ok((Some(token), request));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let limit = body_limit::limit_of(&request);
    let (parts, body) = request.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, limit).await.map_err(|_| ())?;
    let token = match multer::parse_boundary(&content_type).ok() {
        Some(boundary) => multipart_field(bytes.clone(), boundary, CSRF_FIELD).await,
        None if content_type.starts_with("application/x-www-form-urlencoded") => {
            form_urlencoded::parse(&bytes)
                .find(|(key, _)| key == CSRF_FIELD)
                .map(|(_, value)| value.into_owned())
        }
        None => None,
    };
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

/// The text of the first multipart field named `name`.
async fn multipart_field(bytes: Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

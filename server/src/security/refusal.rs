//! How a layer refuses a request: under `/api/v1/` with the JSON API's
//! error body, to a browser without JavaScript with a short page, and to
//! the island (or any script calling a server function) with a
//! [`PageError`] of its kind.

use app::error::PageError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::i18n::Lang;

use super::client::Client;
use crate::api::is_api;

pub fn refuse(client: &Client, path: &str, status: StatusCode, error: PageError) -> Response {
    let mut response = if is_api(path) {
        let body = serde_json::json!({"error": {
            "code": api_code(&error),
            "message": error.message(Lang::En),
            "fields": [],
        }});
        (status, axum::Json(body)).into_response()
    } else if client.wants_html {
        let words = |lang: Lang| match &error {
            PageError::FormExpired { .. } => lang.texts().form_expired_reload.to_owned(),
            other => other.message(lang),
        };
        let html = format!(
            "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{status}</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\
             <body><main><h1>{}</h1><p lang=\"en\">{}</p>\
             <p><a href=\"/\">Trang chủ / Home</a></p></main></body></html>",
            words(Lang::Vi),
            words(Lang::En)
        );
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response()
    } else {
        (status, axum::Json(&error)).into_response()
    };
    if let PageError::RateLimited { retry_after_secs } = error {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    }
    response
}

/// The stable `code` of the JSON API's error body.
fn api_code(error: &PageError) -> &'static str {
    match error {
        PageError::RateLimited { .. } => "rate_limited",
        PageError::TooLarge => "too_large",
        PageError::SignedOut => "unauthorized",
        PageError::FormExpired { .. } => "csrf",
        PageError::CrossSite => "cross_origin",
        PageError::Forbidden => "forbidden",
        _ => "refused",
    }
}

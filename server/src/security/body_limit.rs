//! Bodies larger than their route accepts are refused by their declared
//! length before anything reads them; the `RequestBodyLimitLayer` around
//! the router stops a body that grows past the upload limit while it is read.

use app::error::PageError;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::{client, refusal};

/// Largest body of an ordinary request, in bytes; larger ones get 413.
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;
/// Largest upload (an invitation list or a batch of paper responses).
pub const UPLOAD_LIMIT_BYTES: usize = 8 * 1024 * 1024;

/// The limit of a request by its content type: multipart bodies are uploads.
pub fn limit_of(request: &Request) -> usize {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        UPLOAD_LIMIT_BYTES
    } else {
        BODY_LIMIT_BYTES
    }
}

pub async fn check(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit_of(&request)) {
        return refusal::refuse(
            &client::of(&request),
            request.uri().path(),
            StatusCode::PAYLOAD_TOO_LARGE,
            PageError::TooLarge,
        );
    }
    next.run(request).await
}

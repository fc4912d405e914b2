//! How much a request may send. Every request outside the upload
//! routes is held to [`BODY_LIMIT_BYTES`] whatever its headers say: a
//! declared length over it is refused before anything reads the body, and a
//! body sent without one (chunked) is read only up to the limit. Uploads up
//! to [`UPLOAD_LIMIT_BYTES`] are taken only on the upload routes and only
//! from signed-in staff or admins (this layer runs after authentication),
//! so nobody can fill memory or disk anonymously.

use app::error::PageError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::auth::RequestAuth;
use domain::model::{Role, Scope};

use super::{client, refusal};

/// Largest body of an ordinary request, in bytes; larger ones get 413.
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;
/// Largest upload (an invitation list or a batch of paper responses).
pub const UPLOAD_LIMIT_BYTES: usize = 8 * 1024 * 1024;
/// Largest batch of dossiers (`POST /api/v1/dossiers`, up to 1,000 entries).
pub const DOSSIER_BATCH_LIMIT_BYTES: usize = 2 * 1024 * 1024;
/// Where the one-stop software sends dossiers.
pub const DOSSIER_ROUTE: &str = "/api/v1/dossiers";
/// The routes that take a spreadsheet upload.
pub const UPLOAD_ROUTES: [&str; 4] = [
    "/sf/rounds/invitations/import",
    "/sf/rounds/responses/import",
    "/sf/admin/catalogue/import",
    "/sf/admin/profile/logo",
];

/// The limit of a request: an upload's on the upload routes for signed-in
/// staff and admins, the ordinary one everywhere else.
pub fn limit_of(request: &Request) -> usize {
    let upload_route = UPLOAD_ROUTES.contains(&request.uri().path());
    let staff = request
        .extensions()
        .get::<RequestAuth>()
        .and_then(|auth| auth.principal.as_ref())
        .is_some_and(|p| !p.is_token() && matches!(p.role, Role::Staff | Role::Admin));
    let dossier_sender = request
        .extensions()
        .get::<RequestAuth>()
        .and_then(|auth| auth.principal.as_ref())
        .is_some_and(|p| p.has_scope(Scope::DossiersWrite));
    if upload_route && staff {
        UPLOAD_LIMIT_BYTES
    } else if request.uri().path() == DOSSIER_ROUTE && dossier_sender {
        DOSSIER_BATCH_LIMIT_BYTES
    } else {
        BODY_LIMIT_BYTES
    }
}

pub async fn check(request: Request, next: Next) -> Response {
    let limit = limit_of(&request);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let too_large = |request: &Request| {
        refusal::refuse(
            &client::of(request),
            request.uri().path(),
            StatusCode::PAYLOAD_TOO_LARGE,
            PageError::TooLarge,
        )
    };
    if declared.is_some_and(|length| length > limit) {
        return too_large(&request);
    }
    let has_body = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if limit == BODY_LIMIT_BYTES && has_body {
        // Read within the limit here, whatever the headers claim.
        let (parts, body) = request.into_parts();
        return match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => {
                next.run(Request::from_parts(parts, Body::from(bytes)))
                    .await
            }
            Err(err) if is_length_limit(&err) => {
                too_large(&Request::from_parts(parts, Body::empty()))
            }
            // The client stopped sending (the body-read timeout) or went away.
            Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
        };
    }
    next.run(request).await
}

/// Whether reading a body failed because it passed its limit.
fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

//! `GET /agency/logo`: the agency's logo as stored (a rewritten PNG or SVG).
//! The headers keep even a crafted file inert: no sniffing, no scripts, no
//! loads, and a sandbox when it is opened on its own.

use app::ssr::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn logo(State(state): State<AppState>) -> Response {
    match domain::services::logo::get(&state.db).await {
        Ok(Some(logo)) => {
            let mut response = logo.bytes.into_response();
            let headers = response.headers_mut();
            if let Ok(kind) = HeaderValue::from_str(&logo.content_type) {
                headers.insert(header::CONTENT_TYPE, kind);
            }
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
                ),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            // The pages ask for it with ?v=<time of the upload>: a new logo is a new address.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            response
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            err.log();
            err.status().into_response()
        }
    }
}

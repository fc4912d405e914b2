//! The JSON API's error response: an [`AppError`] with its status, a body
//! worded in English, and `Retry-After` where waiting helps. Internal
//! details are logged, never sent.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::AppError;

/// What a JSON handler returns on failure; `?` converts an [`AppError`].
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self(err)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self(AppError::from(err))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let mut response =
            (err.status(), axum::Json(err.body(domain::i18n::Lang::En))).into_response();
        if let Some(seconds) = err.retry_after_secs() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

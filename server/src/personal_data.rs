//! The download of one person's data, asked for by an admin on the
//! person's request: a plain form post (the CSRF layer checks it) that
//! answers a JSON file. A request that does not name a person comes back to
//! the page with the message beside the field.

use app::ssr::AppState;
use app::ssr::cookies::flash_cookie;
use axum::Form;
use axum::extract::{Extension, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use domain::AppError;
use domain::auth::RequestAuth;
use domain::i18n::Lang;
use domain::model::{FormFlash, Role};
use domain::services::{audit::Actor, retention};
use serde::Deserialize;

use crate::api::ApiError;

#[derive(Debug, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    reason: String,
}

pub async fn export(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Form(form): Form<PersonForm>,
) -> Result<Response, ApiError> {
    let principal = auth.require(&[Role::Admin])?;
    let actor = Actor::of(&principal, &auth.client_ip);
    match retention::export_person(&state.db, &actor, &form.identifier, &form.reason).await {
        Ok(data) => {
            let body = serde_json::to_vec_pretty(&data)
                .map_err(|e| AppError::Internal(format!("person export: {e}")))?;
            Ok(crate::api::attachment(
                "personal-data.json",
                "application/json; charset=utf-8",
                body,
            ))
        }
        Err(AppError::Invalid(violations)) => {
            let flash = FormFlash {
                form: "person".to_owned(),
                errors: violations
                    .iter()
                    .map(|v| v.to_field_error(Lang::Vi))
                    .collect(),
                values: [("reason".to_owned(), form.reason)].into(),
                ..FormFlash::default()
            };
            let cookie = flash_cookie(&state.db, &flash, auth.secure).await?;
            let mut response = Redirect::to("/admin/personal-data").into_response();
            response.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

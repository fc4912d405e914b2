//! `/api/v1/catalogue`: the agency's departments and procedures. Reading is
//! public (the survey form offers them); changing takes an admin with
//! `setup:write`, one entry at a time or a whole CSV/XLSX file, with a
//! dry run that only shows the changes.

use super::{ApiError, JsonBody, attachment};
use app::ssr::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::auth::RequestAuth;
use domain::i18n::Lang;
use domain::model::{CatalogueEntry, CataloguePlan, Role, Scope};
use domain::services::audit::Actor;
use domain::services::catalogue::changes;
use serde::Deserialize;

/// Every department and procedure, retired ones included (`active: false`).
#[utoipa::path(
    get,
    path = "/api/v1/catalogue",
    tag = "catalogue",
    responses((status = 200, body = [CatalogueEntry]))
)]
pub async fn list_catalogue(
    State(state): State<AppState>,
) -> Result<Json<Vec<CatalogueEntry>>, ApiError> {
    Ok(Json(changes::entries(&state.db).await?))
}

/// The catalogue as the CSV file that `POST /api/v1/catalogue/import` reads.
#[utoipa::path(
    get,
    path = "/api/v1/catalogue.csv",
    tag = "catalogue",
    responses((status = 200, description = "CSV, UTF-8", content_type = "text/csv"))
)]
pub async fn catalogue_csv(State(state): State<AppState>) -> Result<Response, ApiError> {
    let body = changes::export_csv(&state.db).await?;
    Ok(attachment("catalogue.csv", "text/csv; charset=utf-8", body))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CatalogueRequest {
    /// Entries to add or change, matched by kind and code.
    pub entries: Vec<CatalogueEntry>,
    /// Only say what would change.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// Only say what would change.
    #[serde(default)]
    pub dry_run: bool,
    /// Tells CSV from XLSX (`.xlsx`); CSV when absent.
    pub file_name: Option<String>,
}

/// Adds, renames, retires (`active: false`) or reactivates entries; all or
/// nothing. Problems come back by entry (line 1 is the first entry).
#[utoipa::path(
    post,
    path = "/api/v1/catalogue",
    tag = "catalogue",
    request_body = CatalogueRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = CataloguePlan),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, description = "Problems by entry; nothing stored", body = CataloguePlan)
    )
)]
pub async fn change_catalogue(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    JsonBody(request): JsonBody<CatalogueRequest>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin], Scope::SetupWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let incoming = request
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| (i + 1, e))
        .collect();
    let plan = changes::apply(
        &state.db,
        &actor,
        "api",
        incoming,
        request.dry_run,
        Lang::En,
    )
    .await?;
    Ok(outcome(plan))
}

/// Imports a catalogue file (the body: CSV, or XLSX with `file_name=….xlsx`)
/// in the format of `GET /api/v1/catalogue.csv`; all rows or none.
#[utoipa::path(
    post,
    path = "/api/v1/catalogue/import",
    tag = "catalogue",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    security(("bearer" = [])),
    responses(
        (status = 200, body = CataloguePlan),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, description = "Problems by line; nothing stored", body = CataloguePlan)
    )
)]
pub async fn import_catalogue(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin], Scope::SetupWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let file_name = query
        .file_name
        .unwrap_or_else(|| "catalogue.csv".to_owned());
    let plan = changes::import_file(
        &state.db,
        &actor,
        &file_name,
        body.to_vec(),
        query.dry_run,
        Lang::En,
    )
    .await?;
    Ok(outcome(plan))
}

fn outcome(plan: CataloguePlan) -> Response {
    let status = if plan.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, Json(plan)).into_response()
}

/// The holiday calendar (days off and the weekend days a swap makes working
/// days) as iCalendar, the format `/admin/feedback-settings` imports.
#[utoipa::path(
    get,
    path = "/api/v1/holidays.ics",
    tag = "catalogue",
    responses((status = 200, description = "iCalendar", content_type = "text/calendar"))
)]
pub async fn holidays_ics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let body = domain::services::holidays::export_ics(&state.db).await?;
    Ok(attachment(
        "holidays.ics",
        "text/calendar; charset=utf-8",
        body,
    ))
}

//! `/api/v1/dossiers`: the one-stop software sends dossiers (a token with
//! `dossiers:write`) and prints each completed one's rating link and QR
//! code; leadership reads the figures (`indices:read`). Nothing here tells
//! who rated a dossier, or how.

use super::{ApiError, JsonBody, attachment};
use app::ssr::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::AppError;
use domain::auth::RequestAuth;
use domain::i18n::Lang;
use domain::model::{DossierBatch, DossierFigures, IncomingDossier, Role, Scope};
use domain::services::audit::Actor;
use domain::services::dossiers::{self, figures, ingest, kiosk, rating};
use serde::{Deserialize, Serialize};

/// Who may send dossiers.
const SENDERS: &[Role] = &[Role::Admin, Role::Staff];
/// Who may read the figures.
const READERS: &[Role] = &[Role::Admin, Role::Leader, Role::Staff];

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierRequest {
    /// At most 1,000; all stored or none.
    pub dossiers: Vec<IncomingDossier>,
}

/// Stores a batch of dossiers from the one-stop software: all or nothing,
/// problems by entry (1: the first). A dossier sent again exactly so
/// changes nothing; sent again with its completion, it completes. Each
/// completed dossier comes back with its rating link.
#[utoipa::path(
    post,
    path = "/api/v1/dossiers",
    tag = "dossiers",
    request_body = DossierRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = DossierBatch),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, description = "Problems by entry; nothing stored", body = DossierBatch)
    )
)]
pub async fn store_dossiers(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<DossierRequest>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(SENDERS, Scope::DossiersWrite)?;
    ingest::check_batch_size(request.dossiers.len())?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let base = state.public_base_url_for(Some(&headers)).await?;
    let incoming = request
        .dossiers
        .into_iter()
        .enumerate()
        .map(|(i, d)| (i + 1, d))
        .collect();
    let batch = ingest::store(&state.db, &actor, incoming, &base, Lang::En).await?;
    let status = if batch.stored {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(batch)).into_response())
}

/// A dossier for a counter kiosk to take the rating of.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Handover {
    /// The code of a completed dossier not rated yet.
    pub code: String,
}

/// Puts a completed dossier on counter kiosk `id` (the officer hands the
/// result over): the kiosk asks for its rating for the next ten minutes.
#[utoipa::path(
    post,
    path = "/api/v1/kiosks/{id}/handover",
    tag = "dossiers",
    params(("id" = i32, Path, description = "The kiosk, as the kiosks page lists it")),
    request_body = Handover,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The dossier waits on the kiosk"),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, description = "Unknown kiosk or dossier, rated already or past its period", body = domain::error::ErrorBody)
    )
)]
pub async fn kiosk_handover(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(id): Path<i32>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let principal = auth.require_scoped(SENDERS, Scope::DossiersWrite)?;
    let request: Handover = super::json::parse(&body)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    kiosk::hand_over(&state.db, &actor, id, &request.code, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The rating link of a completed dossier, to print it again.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RatingLink {
    pub code: String,
    pub rating_url: String,
    /// The QR code of the link, as SVG.
    pub qr_svg_url: String,
}

/// The rating link of the completed dossier `code` (for the result slip).
#[utoipa::path(
    get,
    path = "/api/v1/dossiers/{code}/rating-link",
    tag = "dossiers",
    params(("code" = String, Path, description = "The dossier's code")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = RatingLink),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 404, description = "No completed dossier has this code", body = domain::error::ErrorBody)
    )
)]
pub async fn rating_link(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Json<RatingLink>, ApiError> {
    auth.require_scoped(SENDERS, Scope::DossiersWrite)?;
    let key = rating::key_of_code(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound("dossier"))?;
    let base = state.public_base_url_for(Some(&headers)).await?;
    Ok(Json(RatingLink {
        code,
        rating_url: dossiers::rating_url(Some(&base), &key),
        qr_svg_url: format!("{base}/api/v1/ratings/{key}/qr.svg"),
    }))
}

/// The QR code of a rating link, as SVG, for the result slip (no account:
/// it holds only the link).
#[utoipa::path(
    get,
    path = "/api/v1/ratings/{key}/qr.svg",
    tag = "dossiers",
    params(("key" = String, Path, description = "The rating key")),
    responses(
        (status = 200, description = "SVG image", content_type = "image/svg+xml"),
        (status = 404, body = domain::error::ErrorBody)
    )
)]
pub async fn rating_qr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let found = rating::by_key(&state.db, &key).await?;
    if found.is_none() {
        return Err(AppError::NotFound("rating link").into());
    }
    let base = state.public_base_url_for(Some(&headers)).await?;
    let key = domain::public_codes::normalise(&key);
    let svg = domain::qr::svg(&dossiers::rating_url(Some(&base), &key), 400)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PeriodQuery {
    /// The year of completion; this year when absent.
    pub year: Option<i32>,
    /// 1–12; the whole year when absent.
    pub month: Option<u32>,
}

impl PeriodQuery {
    fn period(&self) -> Result<(i32, Option<u32>), AppError> {
        let year = self.year.unwrap_or_else(|| {
            chrono::Datelike::year(&domain::working_days::vietnam_date(chrono::Utc::now()))
        });
        if self.month.is_some_and(|m| !(1..=12).contains(&m)) || !(2000..=2100).contains(&year) {
            return Err(AppError::Malformed {
                field: "month".to_owned(),
                message: "The year is 2000–2100 and the month 1–12.".to_owned(),
            });
        }
        Ok((year, self.month))
    }
}

/// The dossier figures of a year or month: rated share, satisfied share
/// with Wilson's interval, on-time share and average trips, by department,
/// procedure, channel and month. Rating figures below the suppression
/// threshold are `null`.
#[utoipa::path(
    get,
    path = "/api/v1/dossiers/figures",
    tag = "dossiers",
    params(PeriodQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = DossierFigures),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody)
    )
)]
pub async fn dossier_figures(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<DossierFigures>, ApiError> {
    auth.require_scoped(READERS, Scope::IndicesRead)?;
    let (year, month) = query.period()?;
    Ok(Json(
        figures::figures(&state.db, year, month, Lang::En).await?,
    ))
}

/// The same figures as CSV (UTF-8), hidden figures left empty.
#[utoipa::path(
    get,
    path = "/api/v1/dossiers/figures.csv",
    tag = "dossiers",
    params(PeriodQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "CSV, UTF-8", content_type = "text/csv"))
)]
pub async fn dossier_figures_csv(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let (name, found) = figures_to_download(&state, &auth, &query, "csv").await?;
    Ok(attachment(
        &name,
        "text/csv; charset=utf-8",
        figures::to_csv(&found)?,
    ))
}

/// The same figures as XLSX: a sheet per slice, hidden figures left empty.
#[utoipa::path(
    get,
    path = "/api/v1/dossiers/figures.xlsx",
    tag = "dossiers",
    params(PeriodQuery),
    security(("bearer" = [])),
    responses((
        status = 200,
        description = "XLSX",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ))
)]
pub async fn dossier_figures_xlsx(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let (name, found) = figures_to_download(&state, &auth, &query, "xlsx").await?;
    Ok(attachment(
        &name,
        super::XLSX,
        figures::to_xlsx(&found, DOWNLOAD_LANG)?,
    ))
}

/// Downloads are in Vietnamese, the language of the agency's own files.
const DOWNLOAD_LANG: Lang = Lang::Vi;

/// The checks, figures and file name shared by the CSV and XLSX downloads.
async fn figures_to_download(
    state: &AppState,
    auth: &RequestAuth,
    query: &PeriodQuery,
    extension: &str,
) -> Result<(String, DossierFigures), ApiError> {
    auth.require_scoped(READERS, Scope::IndicesRead)?;
    let (year, month) = query.period()?;
    let found = figures::figures(&state.db, year, month, DOWNLOAD_LANG).await?;
    let name = match month {
        Some(m) => format!("dossier-figures-{year}-{m:02}.{extension}"),
        None => format!("dossier-figures-{year}.{extension}"),
    };
    Ok((name, found))
}

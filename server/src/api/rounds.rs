//! `GET /api/v1/rounds`: rounds open for responses.

use super::ApiError;
use app::ssr::AppState;
use axum::Json;
use axum::extract::{Extension, Path, State};
use domain::auth::{ANY_ROLE, RequestAuth};
use domain::i18n::Lang;
use domain::model::RoundStats;
use domain::model::Scope;
use domain::services::rounds;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoundBody {
    /// Used in URLs: `/s/{slug}` (the form) and `/api/v1/rounds/{slug}/…`.
    pub slug: String,
    pub title_vi: String,
    pub title_en: String,
    /// Year and half, e.g. "2026-H2".
    pub period: String,
    pub year: i32,
    /// 1 (January–June) or 2 (July–December).
    pub half: i16,
    /// open, closed …
    pub status: String,
    /// The public form's path.
    pub survey_path: String,
}

/// Rounds that take responses now, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/rounds",
    tag = "rounds",
    responses((status = 200, description = "Open rounds", body = [RoundBody]))
)]
pub async fn list_rounds(State(state): State<AppState>) -> Result<Json<Vec<RoundBody>>, ApiError> {
    let open = rounds::list_open(&state.db, chrono::Utc::now()).await?;
    Ok(Json(
        open.into_iter()
            .map(|r| RoundBody {
                period: format!("{}-H{}", r.year, r.half),
                survey_path: format!("/s/{}", r.slug),
                status: rounds::status(&r).code().to_owned(),
                slug: r.slug,
                title_en: Lang::En.pick(&r.title_vi, &r.title_en).to_owned(),
                title_vi: r.title_vi,
                year: r.year,
                half: r.half,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoundDetailBody {
    #[serde(flatten)]
    pub round: RoundBody,
    /// The instrument version, as code@version.
    pub instrument: String,
    pub opens_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closes_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Dossiers handled in the half-year (N).
    pub dossiers_handled: Option<i32>,
    pub departments: Vec<String>,
    pub stats: RoundStats,
}

/// One round with its schedule, target sample and response rate (any status).
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}",
    tag = "rounds",
    params(("slug" = String, Path, description = "The round's slug")),
    security(("bearer" = [])),
    responses((status = 200, body = RoundDetailBody), (status = 401, body = domain::error::ErrorBody), (status = 404, body = domain::error::ErrorBody))
)]
pub async fn get_round(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
) -> Result<Json<RoundDetailBody>, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    let round = rounds::require(&state.db, &slug).await?;
    let instrument = domain::services::instruments::load(&state.db, round.instrument_id).await?;
    Ok(Json(RoundDetailBody {
        instrument: format!(
            "{}@{}",
            instrument.instrument.code, instrument.instrument.version
        ),
        opens_at: round.opens_at,
        closes_at: round.closes_at,
        dossiers_handled: round.dossiers_handled,
        departments: rounds::department_codes(&state.db, round.id).await?,
        stats: rounds::stats(&state.db, &round).await?,
        round: RoundBody {
            period: format!("{}-H{}", round.year, round.half),
            survey_path: format!("/s/{}", round.slug),
            status: rounds::status(&round).code().to_owned(),
            title_en: Lang::En.pick(&round.title_vi, &round.title_en).to_owned(),
            title_vi: round.title_vi.clone(),
            slug: round.slug.clone(),
            year: round.year,
            half: round.half,
        },
    }))
}

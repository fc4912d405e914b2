//! `GET /api/v1/rounds`: rounds open for responses.

use app::i18n::Lang;
use app::ssr::services::rounds;
use app::ssr::{AppError, AppState};
use axum::Json;
use axum::extract::State;
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
pub async fn list_rounds(State(state): State<AppState>) -> Result<Json<Vec<RoundBody>>, AppError> {
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

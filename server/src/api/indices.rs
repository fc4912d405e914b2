//! `GET /api/v1/rounds/{slug}/indices`: the round's satisfaction indices.

use app::model::IndicesReport;
use app::ssr::services::{indices, rounds};
use app::ssr::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};

/// Per criterion: valid and satisfied counts, index, 95% Wilson interval,
/// mean score and the 1..5 distribution; per element the index; the overall
/// index; and the formula version.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/indices",
    tag = "indices",
    params(("slug" = String, Path, description = "The round's slug")),
    responses(
        (status = 200, description = "The round's indices", body = IndicesReport),
        (status = 404, description = "No such round", body = app::ssr::error::ErrorBody)
    )
)]
pub async fn round_indices(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<IndicesReport>, AppError> {
    let round = rounds::require(&state.db, &slug).await?;
    Ok(Json(
        indices::report(&state.db, &round, &indices::Filter::default()).await?,
    ))
}

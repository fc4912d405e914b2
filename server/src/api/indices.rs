//! `GET /api/v1/rounds/{slug}/indices`: the round's satisfaction indices.

use app::model::IndicesReport;
use app::ssr::auth::{ANY_ROLE, RequestAuth};
use app::ssr::services::{indices, rounds};
use app::ssr::{AppError, AppState};
use axum::Json;
use axum::extract::{Extension, Path, State};

/// Per criterion: valid and satisfied counts, index, 95% Wilson interval,
/// mean score and the 1..5 distribution; per element the index; the overall
/// index; and the formula version.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/indices",
    tag = "indices",
    params(("slug" = String, Path, description = "The round's slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The round's indices", body = IndicesReport),
        (status = 401, description = "No valid token or session", body = app::ssr::error::ErrorBody),
        (status = 404, description = "No such round", body = app::ssr::error::ErrorBody)
    )
)]
pub async fn round_indices(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
) -> Result<Json<IndicesReport>, AppError> {
    auth.require(ANY_ROLE)?;
    let round = rounds::require(&state.db, &slug).await?;
    Ok(Json(
        indices::report(&state.db, &round, &indices::Filter::default()).await?,
    ))
}

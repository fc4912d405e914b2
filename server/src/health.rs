//! `GET /healthz`: is the process up and can it reach its database.

use app::ssr::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::db::backend_name;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// "ok", or "unavailable" when the database does not answer.
    pub status: &'static str,
    /// "sqlite" or "postgres".
    pub database: &'static str,
}

/// Health of the instance and its database.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses(
        (status = 200, description = "Up and connected", body = Health),
        (status = 503, description = "The database does not answer", body = Health)
    )
)]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = backend_name(&state.db);
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database,
            }),
        ),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    database,
                }),
            )
        }
    }
}

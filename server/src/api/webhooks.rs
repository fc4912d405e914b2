//! `/api/v1/webhooks`: the outgoing webhooks, for an admin's token with
//! `setup:write`, as on the admins' page: list them (never a secret, and
//! each address without its query), add one (its signing secret comes back
//! this once) and stop one.

use super::{ApiError, JsonBody};
use app::ssr::AppState;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use domain::auth::RequestAuth;
use domain::model::{Role, Scope, WebhookRow};
use domain::services::audit::Actor;
use domain::services::webhooks::{self, NewWebhook};
use serde::Serialize;

/// Who may manage webhooks.
const MANAGERS: &[Role] = &[Role::Admin];

/// A webhook just added, as the list shows it, with the secret that
/// signs its deliveries.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookRow,
    /// Shown this once: the receiver checks `X-HaiLong-Signature` with it.
    pub secret: String,
}

/// Every webhook, newest first, with how its deliveries stand.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    security(("bearer" = [])),
    responses(
        (status = 200, body = [WebhookRow]),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody)
    )
)]
pub async fn list_webhooks(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
) -> Result<Json<Vec<WebhookRow>>, ApiError> {
    auth.require_scoped(MANAGERS, Scope::SetupWrite)?;
    Ok(Json(webhooks::list(&state.db).await?))
}

/// Adds a webhook; the answer holds its signing secret, which is not shown again.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    request_body = NewWebhook,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CreatedWebhook),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, description = "A missing name, an address that is not http(s), no event", body = domain::error::ErrorBody)
    )
)]
pub async fn create_webhook(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    JsonBody(new): JsonBody<NewWebhook>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    let principal = auth.require_scoped(MANAGERS, Scope::SetupWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let (webhook, secret) = webhooks::create(&state.db, &actor, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook { webhook, secret }),
    ))
}

/// Stops a webhook: it gets nothing more, and what waits for it is
/// withdrawn. Stopping a stopped webhook changes nothing.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    tag = "webhooks",
    params(("id" = i32, Path, description = "The webhook, as the list gives it")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Stopped"),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 404, body = domain::error::ErrorBody)
    )
)]
pub async fn revoke_webhook(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(id): Path<i32>,
) -> Result<StatusCode, ApiError> {
    let principal = auth.require_scoped(MANAGERS, Scope::SetupWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    webhooks::revoke(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

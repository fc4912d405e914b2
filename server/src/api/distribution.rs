//! QR codes of a round's public link, and its invitations.

use super::ApiError;
use app::ssr::AppState;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::auth::{ANY_ROLE, RequestAuth};
use domain::model::Scope;
use domain::model::{InvitationRow, Role};
use domain::services::audit::Actor;
use domain::services::{invitations, rounds};
use domain::{AppError, qr};
use serde::{Deserialize, Serialize};

use super::JsonBody;

async fn public_link(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<String, AppError> {
    let base = state.public_base_url_for(Some(headers)).await?;
    Ok(format!("{base}/s/{slug}"))
}

/// The QR code of the round's public form, as SVG.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/qr.svg",
    tag = "rounds",
    params(("slug" = String, Path, description = "The round's slug")),
    responses((status = 200, description = "SVG image", content_type = "image/svg+xml"), (status = 404, body = domain::error::ErrorBody))
)]
pub async fn qr_svg(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let round = rounds::require(&state.db, &slug).await?;
    let svg = qr::svg(&public_link(&state, &headers, &round.slug).await?, 600)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// The QR code of the round's public form, as PNG for printing.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/qr.png",
    tag = "rounds",
    params(("slug" = String, Path, description = "The round's slug")),
    responses((status = 200, description = "PNG image", content_type = "image/png"), (status = 404, body = domain::error::ErrorBody))
)]
pub async fn qr_png(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let round = rounds::require(&state.db, &slug).await?;
    let png = qr::png(&public_link(&state, &headers, &round.slug).await?, 1200)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// The round's invitations with their codes, whether each has answered, and personal links.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/invitations",
    tag = "invitations",
    params(("slug" = String, Path, description = "The round's slug")),
    security(("bearer" = [])),
    responses((status = 200, body = [InvitationRow]), (status = 401, body = domain::error::ErrorBody), (status = 404, body = domain::error::ErrorBody))
)]
pub async fn list_invitations(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<InvitationRow>>, ApiError> {
    let principal = auth.require_scoped(ANY_ROLE, Scope::InvitationsRead)?;
    let round = rounds::require(&state.db, &slug).await?;
    let rows =
        invitations::list(&state.db, &principal, &auth.client_ip, &round, "api list").await?;
    Ok(Json(rows))
}

/// The same list as CSV, with full personal links, for mail merge.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/invitations.csv",
    tag = "invitations",
    params(("slug" = String, Path, description = "The round's slug")),
    security(("bearer" = [])),
    responses((status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv"), (status = 401, body = domain::error::ErrorBody))
)]
pub async fn invitations_csv(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(ANY_ROLE, Scope::InvitationsRead)?;
    let round = rounds::require(&state.db, &slug).await?;
    let rows = invitations::list(
        &state.db,
        &principal,
        &auth.client_ip,
        &round,
        "mail-merge download",
    )
    .await?;
    let base = state.public_base_url_for(Some(&headers)).await?;
    let csv = invitations::to_csv(&rows, &base)?;
    Ok(super::attachment(
        &format!("{}-invitations.csv", round.slug),
        "text/csv; charset=utf-8",
        csv,
    ))
}

/// Invitees to add to a round; each gets a one-use code.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitations {
    pub invitations: Vec<NewInvitation>,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub name: String,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Department code.
    pub department: Option<String>,
    /// Procedure code.
    pub procedure: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedInvitations {
    pub stored: usize,
    pub invitations: Vec<InvitationRow>,
}

/// Adds invitees (all or none): the same checks as an uploaded list.
#[utoipa::path(
    post,
    path = "/api/v1/rounds/{slug}/invitations",
    tag = "invitations",
    params(("slug" = String, Path, description = "The round's slug")),
    request_body = NewInvitations,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CreatedInvitations),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, description = "Rows with problems; nothing stored", body = domain::error::ErrorBody)
    )
)]
pub async fn create_invitations(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<NewInvitations>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin, Role::Staff], Scope::InvitationsWrite)?;
    let round = rounds::require(&state.db, &slug).await?;
    // The rows go through the same checks as a CSV file with these columns.
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    writer
        .write_record(invitations::COLUMNS)
        .map_err(internal)?;
    for row in &body.invitations {
        writer
            .write_record([
                row.name.as_str(),
                row.tax_code.as_deref().unwrap_or(""),
                row.email.as_deref().unwrap_or(""),
                row.phone.as_deref().unwrap_or(""),
                row.department.as_deref().unwrap_or(""),
                row.procedure.as_deref().unwrap_or(""),
            ])
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let outcome = invitations::import(
        &state.db,
        &actor,
        &round,
        "api.csv",
        &bytes,
        domain::i18n::Lang::En,
    )
    .await?;
    if !outcome.problems.is_empty() {
        return Err(ApiError(AppError::Invalid(
            outcome
                .problems
                .into_iter()
                .map(|p| {
                    domain::model::Violation::new(
                        format!("invitations[{}].{}", p.line.saturating_sub(2), p.field),
                        domain::model::Problem::Malformed(p.message),
                    )
                })
                .collect(),
        )));
    }
    let all = invitations::list(
        &state.db,
        &principal,
        &auth.client_ip,
        &round,
        "invitations added",
    )
    .await?;
    let created = all[all.len().saturating_sub(outcome.stored)..].to_vec();
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvitations {
            stored: outcome.stored,
            invitations: created,
        }),
    )
        .into_response())
}

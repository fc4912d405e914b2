//! Setting up an agency through the JSON API alone, as the pages do it: the
//! profile and holidays (`setup:write`), accounts (`users:write`, admin
//! tokens) and rounds (`rounds:write`). The catalogue is in [`super::catalogue`].

use super::{ApiError, JsonBody};
use app::ssr::AppState;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::AppError;
use domain::auth::RequestAuth;
use domain::model::{AgencyProfile, Problem, Role, RoundStatus, Scope};
use domain::services::audit::Actor;
use domain::services::{accounts, holidays, instruments, rounds, settings};
use serde::{Deserialize, Serialize};

/// The agency's names and contact details.
#[utoipa::path(
    get,
    path = "/api/v1/profile",
    tag = "setup",
    responses((status = 200, body = AgencyProfile))
)]
pub async fn get_profile(State(state): State<AppState>) -> Result<Json<AgencyProfile>, ApiError> {
    Ok(Json(settings::profile(&state.db).await?))
}

/// Replaces the agency's names and contact details (all checked first).
#[utoipa::path(
    put,
    path = "/api/v1/profile",
    tag = "setup",
    request_body = AgencyProfile,
    security(("bearer" = [])),
    responses(
        (status = 200, body = AgencyProfile),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn put_profile(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    JsonBody(profile): JsonBody<AgencyProfile>,
) -> Result<Json<AgencyProfile>, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin], Scope::SetupWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    settings::save_profile(&state.db, &actor, profile).await?;
    Ok(Json(settings::profile(&state.db).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PublicHolidaysRequest {
    pub year: i32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HolidaysAdded {
    /// Days put in the calendar (days already there keep their name).
    pub added: u64,
}

/// Puts a year's public holidays in the calendar: the Labour Code's list
/// with Tết and the Hùng Kings' day from Vietnam's lunar calendar, and the
/// substitute days of holidays on a weekend.
#[utoipa::path(
    post,
    path = "/api/v1/holidays/public",
    tag = "setup",
    request_body = PublicHolidaysRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = HolidaysAdded),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn add_public_holidays(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    JsonBody(request): JsonBody<PublicHolidaysRequest>,
) -> Result<Json<HolidaysAdded>, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin], Scope::SetupWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let added = holidays::add_public(&state.db, &actor, request.year).await?;
    Ok(Json(HolidaysAdded { added }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewUserRequest {
    pub username: String,
    pub display_name: String,
    /// admin, staff or leader.
    pub role: String,
    /// At least 12 characters.
    pub password: String,
    /// Department codes (staff).
    #[serde(default)]
    pub departments: Vec<String>,
    /// Staff who also route feedback no department has yet.
    #[serde(default)]
    pub can_triage: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserCreated {
    pub username: String,
    pub role: String,
}

/// Creates an account (admin tokens with `users:write`).
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "setup",
    request_body = NewUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = UserCreated),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 409, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    JsonBody(request): JsonBody<NewUserRequest>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin], Scope::UsersWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let role = Role::parse(request.role.trim())
        .ok_or_else(|| AppError::invalid("role", Problem::InvalidValue))?;
    let user = accounts::create_user(
        &state.db,
        &actor,
        accounts::NewUser {
            username: request.username,
            display_name: request.display_name,
            password: request.password,
            role,
            departments: request.departments,
            can_triage: request.can_triage,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(UserCreated {
            username: user.username,
            role: user.role.code().to_owned(),
        }),
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewRoundRequest {
    /// Used in links: lowercase letters, digits and hyphens.
    pub slug: String,
    pub title_vi: String,
    #[serde(default)]
    pub title_en: String,
    pub year: i32,
    /// 1 (January–June) or 2 (July–December).
    pub half: i16,
    /// The questionnaire as code@version, e.g. "dvhcc@1".
    pub instrument: String,
    /// businesses, citizens, partner-agencies; none: everyone.
    #[serde(default)]
    pub audience: Vec<String>,
    /// Department codes; none: every department.
    #[serde(default)]
    pub departments: Vec<String>,
    pub opens_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closes_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Dossiers handled in the half-year (N), for the target sample.
    pub dossiers_handled: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoundState {
    pub slug: String,
    /// draft, scheduled, open, closed or published.
    pub status: String,
}

fn state_of(round: &domain::entities::round::Model) -> RoundState {
    RoundState {
        slug: round.slug.clone(),
        status: rounds::status(round).code().to_owned(),
    }
}

/// Creates a draft round.
#[utoipa::path(
    post,
    path = "/api/v1/rounds",
    tag = "rounds",
    request_body = NewRoundRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = RoundState),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn create_round(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    JsonBody(request): JsonBody<NewRoundRequest>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin, Role::Staff], Scope::RoundsWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let instrument = match request.instrument.split_once('@') {
        Some((code, version)) => match version.parse() {
            Ok(version) => instruments::find(&state.db, code, version).await?,
            Err(_) => None,
        },
        None => None,
    }
    .ok_or_else(|| AppError::invalid("instrument", Problem::InvalidValue))?;
    let round = rounds::create_from_form(
        &state.db,
        &actor,
        rounds::RoundForm {
            slug: request.slug.trim().to_owned(),
            title_vi: request.title_vi,
            title_en: request.title_en,
            year: request.year,
            half: request.half,
            instrument_id: instrument.id,
            audience: request.audience.join(","),
            department_codes: request.departments,
            opens_at: request.opens_at,
            closes_at: request.closes_at,
            dossiers_handled: request.dossiers_handled,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(state_of(&round))).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusRequest {
    /// open (scheduled when its opening time is ahead), closed or draft
    /// (a scheduled round back to draft). Publishing is a leader's act on
    /// the round's page.
    pub status: String,
}

/// Moves a round along its life.
#[utoipa::path(
    post,
    path = "/api/v1/rounds/{slug}/status",
    tag = "rounds",
    params(("slug" = String, Path, description = "The round's slug")),
    request_body = StatusRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = RoundState),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 404, body = domain::error::ErrorBody),
        (status = 409, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn set_round_status(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
    JsonBody(request): JsonBody<StatusRequest>,
) -> Result<Json<RoundState>, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin, Role::Staff], Scope::RoundsWrite)?;
    let actor = Actor::of(&principal, &auth.client_ip);
    let to = RoundStatus::parse(request.status.trim())
        .filter(|s| {
            matches!(
                s,
                RoundStatus::Open | RoundStatus::Closed | RoundStatus::Draft
            )
        })
        .ok_or_else(|| AppError::invalid("status", Problem::InvalidValue))?;
    let round = rounds::transition(&state.db, &actor, &slug, to).await?;
    Ok(Json(state_of(&round)))
}

//! The JSON API under `/api/v1`, described by an OpenAPI document generated
//! from these handlers. Handlers are thin: they read the request and call the
//! same services as the pages.

pub mod catalogue;
pub mod distribution;
pub mod dossiers;
mod error;
pub mod feedback;
pub mod indices;
pub mod instruments;
mod json;
pub mod responses;
pub mod rounds;
pub mod setup;
pub mod webhooks;

use app::ssr::AppState;
use domain::error::{ErrorBody, ErrorDetail};
use std::sync::Arc;

use axum::middleware::from_fn_with_state;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::ApiError;

use crate::security::rate_limits::{Budget, RateLimits, limit_route};
pub use json::JsonBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hài Lòng API",
        description = "Satisfaction surveys of public services: rounds, responses and indices \
                       (formulas of docs/methodology.md, version sipas-mean-v1). Error messages are in English.",
        license(name = "Apache-2.0")
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerToken),
    tags(
        (name = "rounds", description = "Survey rounds"),
        (name = "responses", description = "Submitting responses"),
        (name = "indices", description = "Satisfaction indices"),
        (name = "exports", description = "Responses and index tables as CSV and XLSX"),
        (name = "invitations", description = "Invitation lists and one-use codes"),
        (name = "instruments", description = "Questionnaires and their versions"),
        (name = "catalogue", description = "Departments and administrative procedures"),
        (name = "setup", description = "The agency's profile, holidays and accounts"),
        (name = "feedback", description = "Feedback and proposals (phản ánh, kiến nghị): tracking codes, handling, published answers"),
        (name = "dossiers", description = "Dossiers from the one-stop software, their rating links, and the rating figures"),
        (name = "webhooks", description = "Outgoing webhooks: signed events for other systems"),
        (name = "health", description = "Instance health")
    )
)]
struct ApiDoc;

/// API tokens (created by admins) are sent as `Authorization: Bearer hl_…`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The media type of an XLSX workbook.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to download: `body` as `content_type`, saved as `name`.
pub(crate) fn attachment(
    name: &str,
    content_type: &'static str,
    body: impl Into<axum::body::Body>,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// Paths of the JSON API start with this.
pub const API_PREFIX: &str = "/api/v1/";

/// The JSON API and the Open311 interface: machines that send no cookies
/// and no anti-forgery token, and read errors as documents.
pub fn is_api(path: &str) -> bool {
    path.starts_with(API_PREFIX) || path.starts_with(crate::open311::OPEN311_PREFIX)
}

/// The public routes that spend a rate-limit budget, each with its own.
fn budgeted(limits: &Arc<RateLimits>) -> OpenApiRouter<AppState> {
    let spend = |budget| from_fn_with_state((Arc::clone(limits), budget), limit_route);
    OpenApiRouter::new()
        .merge(
            OpenApiRouter::new()
                .routes(routes!(responses::submit_response))
                .route_layer(spend(Budget::ApiSubmit)),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(feedback::send_feedback))
                .route_layer(spend(Budget::FeedbackSubmit)),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(distribution::qr_svg))
                .routes(routes!(distribution::qr_png))
                .routes(routes!(dossiers::rating_qr))
                .route_layer(spend(Budget::Lookup)),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(feedback::track_feedback))
                .routes(routes!(feedback::rate_feedback))
                .route_layer(spend(Budget::Tracking)),
        )
}

/// The API routes together with their OpenAPI description.
pub fn router(limits: &Arc<RateLimits>) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(budgeted(limits))
        .routes(routes!(crate::health::healthz))
        .routes(routes!(rounds::list_rounds, setup::create_round))
        .routes(routes!(setup::set_round_status))
        .routes(routes!(setup::get_profile, setup::put_profile))
        .routes(routes!(setup::add_public_holidays))
        .routes(routes!(setup::create_user))
        .routes(routes!(indices::round_indices))
        .routes(routes!(indices::round_drivers))
        .routes(routes!(indices::compare_rounds))
        .routes(routes!(indices::responses_csv))
        .routes(routes!(indices::responses_xlsx))
        .routes(routes!(indices::indices_xlsx))
        .routes(routes!(indices::evidence_zip))
        .routes(routes!(rounds::get_round))
        .routes(routes!(
            distribution::list_invitations,
            distribution::create_invitations
        ))
        .routes(routes!(distribution::invitations_csv))
        .routes(routes!(instruments::list_instruments))
        .routes(routes!(instruments::get_instrument))
        .routes(routes!(feedback::published_answers))
        .routes(routes!(feedback::list_items, feedback::record_item))
        .routes(routes!(feedback::get_item))
        .routes(routes!(feedback::act_on_item))
        .routes(routes!(feedback::summary))
        .routes(routes!(feedback::half_year_report))
        .routes(routes!(feedback::half_year_report_xlsx))
        .routes(routes!(
            catalogue::list_catalogue,
            catalogue::change_catalogue
        ))
        .routes(routes!(catalogue::catalogue_csv))
        .routes(routes!(catalogue::import_catalogue))
        .routes(routes!(catalogue::holidays_ics))
        .routes(routes!(dossiers::store_dossiers))
        .routes(routes!(dossiers::rating_link))
        .routes(routes!(dossiers::kiosk_handover))
        .routes(routes!(dossiers::dossier_figures))
        .routes(routes!(dossiers::dossier_figures_csv))
        .routes(routes!(dossiers::dossier_figures_xlsx))
        .routes(routes!(webhooks::list_webhooks, webhooks::create_webhook))
        .routes(routes!(webhooks::revoke_webhook))
}

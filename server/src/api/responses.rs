//! `POST /api/v1/rounds/{slug}/responses`: submits one response.

use std::collections::BTreeMap;

use super::ApiError;
use app::ssr::AppState;
use axum::Json;
use std::sync::Arc;

use axum::extract::{Extension, Path, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::AppError;
use domain::auth::RequestAuth;
use domain::model::{Problem, Role, Scope, SurveyChannel, SurveyField};

use crate::security::rate_limits::{Budget, RateLimits};
use domain::services::responses::{self, AnswerInput, AnswerValue, Completeness, Submission};
use domain::services::rounds;
use serde::{Deserialize, Serialize};

use super::JsonBody;

/// A response to a round's questionnaire.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseRequest {
    /// Chosen by the client, unique per response (a UUID is fine). Sending the
    /// same key again returns the first receipt and stores nothing new.
    #[schema(example = "7d0f6a53-7c1e-4b8e-9a57-3f1f2c9d0e11")]
    pub idempotency_key: String,
    /// Criterion code → 1..5 (1..3 on three-level scales), or null for
    /// "not applicable / don't know".
    #[schema(value_type = BTreeMap<String, Option<i32>>, example = json!({"A1": 5, "A2": 4, "A4": null}))]
    pub answers: BTreeMap<String, serde_json::Value>,
    pub respondent: RespondentContext,
    /// Free-text comment ("Ý kiến góp ý khác"), at most 4000 characters.
    pub comment: Option<String>,
    /// The one-use code of an invitation; each code answers once.
    pub invitation_code: Option<String>,
}

/// Who answered and about what.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondentContext {
    /// doanh-nghiep, ca-nhan or co-quan-phoi-hop.
    #[serde(rename = "type")]
    #[schema(example = "doanh-nghiep")]
    pub respondent_type: String,
    /// Department code from the catalogue, e.g. QLDN.
    pub department: Option<String>,
    /// Procedure code from the catalogue, e.g. LD-01; implies its department.
    pub procedure: Option<String>,
    /// truc-tiep, truc-tuyen or buu-chinh: how the dossier was submitted.
    pub submission_method: Option<String>,
    /// web (default), paper, phone or kiosk: how the answers reached the agency.
    pub channel: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReceiptBody {
    /// Show this to the respondent, e.g. HL-7F3K-9QXM.
    pub receipt_code: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// True when this key was seen before and nothing new was stored.
    pub replayed: bool,
}

/// Stores a response and returns its receipt.
#[utoipa::path(
    post,
    path = "/api/v1/rounds/{slug}/responses",
    tag = "responses",
    params(("slug" = String, Path, description = "The round's slug")),
    request_body = ResponseRequest,
    responses(
        (status = 201, description = "Stored (or replayed for a known idempotency key)", body = ReceiptBody),
        (status = 400, description = "The body is not the JSON document described here", body = domain::error::ErrorBody),
        (status = 404, description = "No such round", body = domain::error::ErrorBody),
        (status = 409, description = "The round is not open", body = domain::error::ErrorBody),
        (status = 413, description = "The body is too large"),
        (status = 422, description = "Fields break the rules; each is named", body = domain::error::ErrorBody),
        (status = 429, description = "Too many comments (feedback) from this address", body = domain::error::ErrorBody),
        (status = 503, description = "The database is unavailable; retry", body = domain::error::ErrorBody)
    )
)]
pub async fn submit_response(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Extension(limits): Extension<Arc<RateLimits>>,
    Path(slug): Path<String>,
    JsonBody(request): JsonBody<ResponseRequest>,
) -> Result<Response, ApiError> {
    let round = rounds::require(&state.db, &slug).await?;
    if request.idempotency_key.trim().is_empty() {
        return Err(AppError::invalid("idempotency_key", Problem::Required).into());
    }
    // Paper, phone and kiosk responses are typed in by staff, through a
    // token that may write responses; the public submits on the web only.
    let channel = request
        .respondent
        .channel
        .as_deref()
        .and_then(|c| SurveyChannel::parse(c.trim()));
    let staff_channel = channel.is_some_and(|c| c != SurveyChannel::Web);
    let staff = auth.principal.as_ref().is_some_and(|p| {
        p.has_role(&[Role::Admin, Role::Staff]) && p.has_scope(Scope::ResponsesWrite)
    });
    if staff_channel && !staff {
        return Err(AppError::invalid(SurveyField::Channel, Problem::StaffOnly).into());
    }
    // A comment becomes a feedback item: it spends the feedback budget too
    // (a retry of a stored response stores nothing and spends nothing).
    let comments = request
        .comment
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty());
    if comments
        && !responses::is_stored(&state.db, &round, &request.idempotency_key).await?
        && let Err(retry_after_secs) = limits.spend(Budget::FeedbackSubmit, &auth.client_ip)
    {
        return Err(AppError::Throttled { retry_after_secs }.into());
    }
    let submission = Submission {
        answers: request
            .answers
            .into_iter()
            .map(|(code, value)| AnswerInput {
                code,
                value: match value {
                    serde_json::Value::Null => AnswerValue::NotApplicable,
                    serde_json::Value::Number(n) => n
                        .as_i64()
                        .map_or(AnswerValue::Unreadable, AnswerValue::Level),
                    _ => AnswerValue::Unreadable,
                },
            })
            .collect(),
        respondent_type: Some(request.respondent.respondent_type),
        department: request.respondent.department,
        procedure: request.respondent.procedure,
        submission_method: request.respondent.submission_method,
        channel: request.respondent.channel,
        comment: request.comment,
        idempotency_key: Some(request.idempotency_key),
        submitted_at: None,
        invitation_code: request.invitation_code,
        // A burst from one network counts through the API as through the form.
        network_hash: domain::quality::network_hash(
            &domain::services::quality::signing_key(&state.db).await?,
            &auth.client_ip,
        ),
        ..Submission::default()
    };
    let receipt = responses::submit(&state.db, &round, submission, Completeness::Partial).await?;
    let replayed = receipt.replayed;
    let mut response = (
        StatusCode::CREATED,
        Json(ReceiptBody {
            receipt_code: receipt.code,
            submitted_at: receipt.submitted_at,
            replayed,
        }),
    )
        .into_response();
    if replayed {
        response.headers_mut().insert(
            HeaderName::from_static("idempotent-replayed"),
            HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

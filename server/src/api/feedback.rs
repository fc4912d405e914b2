//! Feedback (phản ánh, kiến nghị) over JSON: the public form, tracking and
//! published answers without an account; the staff list, recording,
//! handling and the leadership's summary with a token or session.

use super::ApiError;
use app::ssr::AppState;
use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::AppError;
use domain::auth::{ANY_ROLE, RequestAuth};
use domain::i18n::Lang;
use domain::model::Scope;
use domain::model::{
    FeedbackAction, FeedbackDetail, FeedbackFilter, FeedbackList, FeedbackPanel, Problem,
    PublicAnswersPage, PublicFeedbackView, Role, SenderContact,
};
use domain::services::catalogue;
use domain::services::feedback::{self, ActionInput, NewFeedback, Recorder};
use serde::{Deserialize, Serialize};

use super::JsonBody;

/// Feedback sent by a business or citizen.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// The feedback or proposal, 10 to 10 000 characters, in Vietnamese.
    pub content: String,
    pub subject: Option<String>,
    /// procedures, regulations, conduct, infrastructure, environment, labour or other.
    pub category: Option<String>,
    /// Department code, e.g. QLDN.
    pub department: Option<String>,
    /// Procedure code, e.g. LD-01.
    pub procedure: Option<String>,
    /// Name, address, phone and email: without all four the item is recorded
    /// but not eligible for a direct reply.
    #[serde(default)]
    pub sender: SenderContact,
    /// The sender agrees that the item and its answer are published with personal data removed.
    #[serde(default)]
    pub consent_to_publish: bool,
}

/// An item recorded by staff from another channel.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRequest {
    /// hotline, letter, email, in-person or web.
    pub channel: String,
    /// When the agency received it; now when absent.
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What the sender said (for a call, the faithful transcript) and who they are.
    pub feedback: FeedbackRequest,
}

impl FeedbackRequest {
    fn into_new(
        self,
        channel: &str,
        received_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> NewFeedback {
        NewFeedback {
            channel: channel.to_owned(),
            received_at,
            subject: self.subject.unwrap_or_default(),
            content: self.content,
            category: self.category.unwrap_or_default(),
            department: self.department.unwrap_or_default(),
            procedure: self.procedure.unwrap_or_default(),
            sender: self.sender,
            consent_to_publish: self.consent_to_publish,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedbackReceipt {
    /// Keep it to follow the item, e.g. PA-7F3K-9QXM-2HRT.
    pub tracking_code: String,
    /// The item's id, for staff endpoints.
    pub id: i32,
    pub eligible_for_reply: bool,
    /// Contact fields still needed for a direct reply.
    pub missing_for_reply: Vec<String>,
    /// The sender's private key to rate the handling later, given only here
    /// (to pass on to the sender); the tracking code alone cannot rate.
    pub rating_key: String,
}

fn receipt(item: &domain::entities::feedback_item::Model, rating_key: String) -> FeedbackReceipt {
    let channel = item.channel;
    let sender = SenderContact {
        name: item.sender_name.clone().unwrap_or_default(),
        address: item.sender_address.clone().unwrap_or_default(),
        phone: item.sender_phone.clone().unwrap_or_default(),
        email: item.sender_email.clone().unwrap_or_default(),
    };
    FeedbackReceipt {
        tracking_code: item.tracking_code.clone(),
        id: item.id,
        eligible_for_reply: item.eligible_for_reply,
        missing_for_reply: sender
            .missing_for_reply(channel)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        rating_key,
    }
}

/// Sends feedback through the web channel; no account needed.
#[utoipa::path(
    post,
    path = "/api/v1/feedback",
    tag = "feedback",
    request_body = FeedbackRequest,
    responses(
        (status = 201, description = "Recorded; keep the tracking code", body = FeedbackReceipt),
        (status = 400, description = "The body is not the JSON document described here", body = domain::error::ErrorBody),
        (status = 422, description = "Fields break the rules; each is named", body = domain::error::ErrorBody),
        (status = 429, description = "Too many submissions from this address", body = domain::error::ErrorBody)
    )
)]
pub async fn send_feedback(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<FeedbackRequest>,
) -> Result<Response, ApiError> {
    let item = feedback::record(&state.db, Recorder::Sender, request.into_new("web", None)).await?;
    let key = feedback::issue_rating_key(&state.db, item.id).await?;
    Ok((StatusCode::CREATED, Json(receipt(&item, key))).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TrackQuery {
    /// The sender's private rating key: `can_rate` is true only with it.
    pub key: Option<String>,
}

/// The status and the published answer of an item, by its tracking code.
#[utoipa::path(
    get,
    path = "/api/v1/feedback/{tracking_code}",
    tag = "feedback",
    params(("tracking_code" = String, Path, description = "e.g. PA-7F3K-9QXM-2HRT"), TrackQuery),
    responses(
        (status = 200, body = PublicFeedbackView),
        (status = 404, description = "No item has this code", body = domain::error::ErrorBody),
        (status = 429, description = "Too many lookups from this address", body = domain::error::ErrorBody)
    )
)]
pub async fn track_feedback(
    State(state): State<AppState>,
    Path(tracking_code): Path<String>,
    Query(query): Query<TrackQuery>,
) -> Result<Json<PublicFeedbackView>, ApiError> {
    feedback::public_view(&state.db, &tracking_code, query.key.as_deref())
        .await?
        .map(Json)
        .ok_or(ApiError(AppError::NotFound("feedback item")))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub rating: i64,
    /// The private rating key the sender received (not the tracking code).
    pub key: String,
}

/// The sender rates the handling once the answer is published; once only.
#[utoipa::path(
    post,
    path = "/api/v1/feedback/{tracking_code}/rating",
    tag = "feedback",
    params(("tracking_code" = String, Path, description = "e.g. PA-7F3K-9QXM-2HRT")),
    request_body = RatingRequest,
    responses(
        (status = 204, description = "Rated"),
        (status = 404, body = domain::error::ErrorBody),
        (status = 409, description = "Not answered yet, or rated already", body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn rate_feedback(
    State(state): State<AppState>,
    Path(tracking_code): Path<String>,
    JsonBody(request): JsonBody<RatingRequest>,
) -> Result<StatusCode, ApiError> {
    let rating = request.rating.to_string();
    feedback::rate(&state.db, &tracking_code, &request.key, &rating).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// From 1.
    pub page: Option<String>,
}

/// Published answers whose senders agreed, personal data removed, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/feedback-answers",
    tag = "feedback",
    params(PageQuery),
    responses((status = 200, body = PublicAnswersPage))
)]
pub async fn published_answers(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Json<PublicAnswersPage>, ApiError> {
    Ok(Json(
        feedback::published_answers(
            &state.db,
            query.page.as_deref().unwrap_or_default(),
            domain::i18n::Lang::Vi,
        )
        .await?,
    ))
}

/// Items for staff: filtered by status, department, channel, overdue, and searched.
#[utoipa::path(
    get,
    path = "/api/v1/feedback-items",
    tag = "feedback",
    params(FeedbackFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = FeedbackList),
        (status = 401, body = domain::error::ErrorBody),
        (status = 422, description = "An unknown filter value, named", body = domain::error::ErrorBody)
    )
)]
pub async fn list_items(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(filter): Query<FeedbackFilter>,
) -> Result<Json<FeedbackList>, ApiError> {
    let principal = auth.require_scoped(ANY_ROLE, Scope::FeedbackRead)?;
    Ok(Json(feedback::list(&state.db, &principal, &filter).await?))
}

/// Staff record an item from the hotline, a letter, an email, a visit or the web.
#[utoipa::path(
    post,
    path = "/api/v1/feedback-items",
    tag = "feedback",
    request_body = RecordRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = FeedbackReceipt),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn record_item(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    JsonBody(request): JsonBody<RecordRequest>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(&[Role::Admin, Role::Staff], Scope::FeedbackWrite)?;
    let new = request
        .feedback
        .into_new(&request.channel, request.received_at);
    let item =
        feedback::record(&state.db, Recorder::Staff(&principal, &auth.client_ip), new).await?;
    let key = feedback::issue_rating_key(&state.db, item.id).await?;
    Ok((StatusCode::CREATED, Json(receipt(&item, key))).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ItemQuery {
    /// A leader opens the sender's contact on purpose (recorded in the audit log).
    pub reveal: Option<bool>,
}

/// One item with its history. `sender` is present only for those who may
/// see it (staff of the item's department, admins, tokens with
/// `personal-data:read`, a leader with `reveal=true`); each read is audited.
#[utoipa::path(
    get,
    path = "/api/v1/feedback-items/{id}",
    tag = "feedback",
    params(("id" = i32, Path, description = "The item's id"), ItemQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = FeedbackDetail),
        (status = 401, body = domain::error::ErrorBody),
        (status = 404, body = domain::error::ErrorBody)
    )
)]
pub async fn get_item(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(id): Path<i32>,
    Query(query): Query<ItemQuery>,
) -> Result<Json<FeedbackDetail>, ApiError> {
    let principal = auth.require_scoped(ANY_ROLE, Scope::FeedbackRead)?;
    let reveal = query.reveal.unwrap_or(false);
    let item = feedback::detail(&state.db, &principal, &auth.client_ip, id, Lang::Vi, reveal);
    Ok(Json(item.await?))
}

/// An action on an item; each action reads the fields it needs.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// classify, assign, start, answer, approve, return, publish or close.
    pub action: String,
    /// classify: in-scope, complaint-denunciation, out-of-scope or duplicate.
    pub classification: Option<String>,
    /// classify: a category code.
    pub category: Option<String>,
    /// classify as duplicate: the other item's tracking code.
    pub duplicate_of: Option<String>,
    /// assign: a department code.
    pub department: Option<String>,
    /// answer: the answer, at least 10 characters.
    pub answer: Option<String>,
    /// Why; required to return an answer for rework.
    pub reason: Option<String>,
    /// publish: the item as the public list shows it; by default its content with personal data removed.
    pub public_summary: Option<String>,
    /// publish: true once the leader has read the public wording and what it hides
    /// (the item's `content_pieces` and `answer_pieces`); required.
    pub confirm_public: Option<bool>,
}

/// Moves an item along the workflow; illegal moves get 409 with the reason.
#[utoipa::path(
    post,
    path = "/api/v1/feedback-items/{id}/actions",
    tag = "feedback",
    params(("id" = i32, Path, description = "The item's id")),
    request_body = ActionRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The item after the action", body = FeedbackDetail),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, description = "The role or department may not take this action", body = domain::error::ErrorBody),
        (status = 404, body = domain::error::ErrorBody),
        (status = 409, description = "Not possible in the item's status", body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn act_on_item(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(id): Path<i32>,
    JsonBody(request): JsonBody<ActionRequest>,
) -> Result<Json<FeedbackDetail>, ApiError> {
    let principal = auth.require_scoped(ANY_ROLE, Scope::FeedbackWrite)?;
    let action = FeedbackAction::parse(&request.action)
        .ok_or_else(|| AppError::invalid("action", Problem::InvalidValue))?;
    let input = ActionInput {
        classification: request.classification.unwrap_or_default(),
        category: request.category.unwrap_or_default(),
        duplicate_of: request.duplicate_of.unwrap_or_default(),
        department: request.department.unwrap_or_default(),
        answer: request.answer.unwrap_or_default(),
        reason: request.reason.unwrap_or_default(),
        public_summary: request.public_summary.unwrap_or_default(),
        confirm_public: if request.confirm_public == Some(true) {
            "1".to_owned()
        } else {
            String::new()
        },
    };
    feedback::act(&state.db, &principal, &auth.client_ip, id, action, input).await?;
    let item = feedback::detail(&state.db, &principal, &auth.client_ip, id, Lang::Vi, false);
    Ok(Json(item.await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SummaryQuery {
    /// The year of the half-year, e.g. 2026.
    pub year: i32,
    /// 1 (January–June) or 2 (July–December).
    pub half: i16,
    /// A department code; all when absent.
    pub department: Option<String>,
}

/// The leadership's feedback panel over a half-year.
#[utoipa::path(
    get,
    path = "/api/v1/feedback-summary",
    tag = "feedback",
    params(SummaryQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = FeedbackPanel),
        (status = 401, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn summary(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<FeedbackPanel>, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    if !(1..=2).contains(&query.half) {
        return Err(AppError::invalid("half", Problem::InvalidValue).into());
    }
    if !(2000..=2200).contains(&query.year) {
        return Err(AppError::invalid("year", Problem::InvalidValue).into());
    }
    let department_id = match query.department.as_deref().filter(|d| !d.is_empty()) {
        Some(code) => Some(
            catalogue::department_by_code(&state.db, code)
                .await?
                .ok_or_else(|| AppError::invalid("department", Problem::UnknownDepartment))?
                .id,
        ),
        None => None,
    };
    Ok(Json(
        feedback::panel(
            &state.db,
            query.year,
            query.half,
            department_id,
            domain::i18n::Lang::Vi,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// The year of the half-year, e.g. 2026.
    pub year: i32,
    /// 1 (January–June) or 2 (July–December).
    pub half: i16,
}

impl ReportQuery {
    fn checked(&self) -> Result<(), AppError> {
        if !(2000..=2200).contains(&self.year) {
            return Err(AppError::invalid("year", Problem::InvalidValue));
        }
        if !(1..=2).contains(&self.half) {
            return Err(AppError::invalid("half", Problem::InvalidValue));
        }
        Ok(())
    }
}

/// The six-monthly report on feedback: the items received in the
/// half-year, in total and by channel, classification and department, with
/// those answered, answered on time, overdue today and published. No
/// personal data.
#[utoipa::path(
    get,
    path = "/api/v1/feedback-report",
    tag = "feedback",
    params(ReportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = domain::model::FeedbackReport),
        (status = 401, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn half_year_report(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(query): Query<ReportQuery>,
) -> Result<Json<domain::model::FeedbackReport>, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    query.checked()?;
    let today = domain::working_days::vietnam_date(chrono::Utc::now());
    Ok(Json(
        feedback::report(&state.db, query.year, query.half, today, Lang::Vi).await?,
    ))
}

/// The six-monthly report on feedback as XLSX: one sheet per breakdown.
#[utoipa::path(
    get,
    path = "/api/v1/feedback-report.xlsx",
    tag = "exports",
    params(ReportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody)
    )
)]
pub async fn half_year_report_xlsx(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    query.checked()?;
    let today = domain::working_days::vietnam_date(chrono::Utc::now());
    let report = feedback::report(&state.db, query.year, query.half, today, Lang::Vi).await?;
    let bytes = feedback::report_xlsx(&report, Lang::Vi)?;
    Ok(super::attachment(
        &format!("phan-anh-{}-h{}.xlsx", query.year, query.half),
        super::XLSX,
        axum::body::Body::from(bytes),
    ))
}

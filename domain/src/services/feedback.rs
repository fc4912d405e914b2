//! Feedback handling (phản ánh, kiến nghị; methodology.md §5): recording
//! from every channel with a tracking code, the status workflow with its
//! history, working-day deadlines, search, the public views without
//! personal data, the sender's rating, and the leadership's panel.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{department, feedback_event, feedback_item, procedure, response};
use crate::feedback_rules::{
    self, Classification, DeadlineStep, FeedbackAction, FeedbackCategory, FeedbackChannel,
    FeedbackStatus, PublicStatus, Refusal, SenderContact,
};
use crate::i18n::{Lang, day_text, local_time};
use crate::model::{
    Choice, FeedbackDetail, FeedbackEventRow, FeedbackFilter, FeedbackList, FeedbackPanel,
    FeedbackPanelRow, FeedbackRow, Problem, PublicAnswer, PublicAnswersPage, PublicFeedbackView,
    Violation,
};
use crate::privacy::{plain, redact};
use crate::public_codes::{normalise, random_code};
use crate::services::audit::{self, Actor};
use crate::services::invitations::{email_is_valid, phone_is_valid};
use crate::services::{holidays, settings};
use crate::working_days::{add_working_days, vietnam_date};

/// Limits of the text fields, in characters.
pub const CONTENT_MIN: usize = 10;
pub const CONTENT_MAX: usize = 10_000;
pub const SUBJECT_MAX: usize = 200;
pub const NAME_MAX: usize = 200;
pub const ADDRESS_MAX: usize = 300;
/// The longest email address the standards allow.
pub const EMAIL_MAX: usize = 254;
pub const ANSWER_MIN: usize = 10;
pub const REASON_MAX: usize = 2_000;
/// Items per page of the staff list and of the public list.
pub const PAGE_SIZE: u64 = 25;

/// An item as it arrives, from a form, the API or staff typing it in.
#[derive(Clone, Debug, Default)]
pub struct NewFeedback {
    pub channel: String,
    /// When the agency received it (staff recording a letter later); now when absent.
    pub received_at: Option<DateTime<Utc>>,
    pub subject: String,
    pub content: String,
    /// A category code; may be left for classification.
    pub category: String,
    /// Department and procedure codes the sender named, if any.
    pub department: String,
    pub procedure: String,
    pub sender: SenderContact,
    pub consent_to_publish: bool,
}

/// Who records an item: the sender through the public form or API, or staff.
#[derive(Clone, Copy)]
pub enum Recorder<'a> {
    Sender,
    Staff(&'a Principal, &'a str),
}

fn check_length(violations: &mut Vec<Violation>, field: &str, value: &str, min: usize, max: usize) {
    let length = value.chars().count();
    if min > 0 && length == 0 {
        violations.push(Violation::new(field, Problem::Required));
    } else if length < min {
        violations.push(Violation::new(field, Problem::TooShort { min }));
    } else if length > max {
        violations.push(Violation::new(field, Problem::TooLong { max }));
    }
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// What search compares for an item.
fn search_text(item: &feedback_item::Model) -> String {
    [
        Some(item.tracking_code.as_str()),
        item.subject.as_deref(),
        Some(item.content.as_str()),
        item.answer.as_deref(),
        item.sender_name.as_deref(),
        item.sender_phone.as_deref(),
        item.sender_email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(plain)
    .collect::<Vec<_>>()
    .join(" ")
}

/// The due date of `step` when it starts on `day`.
async fn due_date(
    db: &impl ConnectionTrait,
    step: DeadlineStep,
    day: NaiveDate,
) -> Result<NaiveDate, AppError> {
    let days = settings::deadline_days(db, step).await?;
    let off = holidays::from(db, day).await?;
    Ok(add_working_days(day, days, &off))
}

/// Records an item and gives it a tracking code. Missing contact data is
/// allowed; it makes the item ineligible for a reply.
pub async fn record(
    db: &DatabaseConnection,
    recorder: Recorder<'_>,
    new: NewFeedback,
) -> Result<feedback_item::Model, AppError> {
    let mut violations = Vec::new();
    let channel = FeedbackChannel::parse(new.channel.trim());
    match (&recorder, channel) {
        (Recorder::Sender, Some(FeedbackChannel::Web)) => {}
        (Recorder::Staff(..), Some(c)) if FeedbackChannel::RECORDED_BY_STAFF.contains(&c) => {}
        _ => violations.push(Violation::new("channel", Problem::InvalidValue)),
    }
    let content = new.content.trim().to_owned();
    check_length(
        &mut violations,
        "content",
        &content,
        CONTENT_MIN,
        CONTENT_MAX,
    );
    check_length(
        &mut violations,
        "subject",
        new.subject.trim(),
        0,
        SUBJECT_MAX,
    );
    check_length(
        &mut violations,
        "sender_name",
        new.sender.name.trim(),
        0,
        NAME_MAX,
    );
    check_length(
        &mut violations,
        "sender_address",
        new.sender.address.trim(),
        0,
        ADDRESS_MAX,
    );
    let sender = SenderContact {
        name: new.sender.name.trim().to_owned(),
        address: new.sender.address.trim().to_owned(),
        phone: new.sender.phone.trim().to_owned(),
        email: new.sender.email.trim().to_owned(),
    };
    if !sender.phone.is_empty() && !phone_is_valid(&sender.phone) {
        violations.push(Violation::new("sender_phone", Problem::InvalidPhone));
    }
    if sender.email.chars().count() > EMAIL_MAX {
        violations.push(Violation::new(
            "sender_email",
            Problem::TooLong { max: EMAIL_MAX },
        ));
    } else if !sender.email.is_empty() && !email_is_valid(&sender.email) {
        violations.push(Violation::new("sender_email", Problem::InvalidEmail));
    }
    let category = parse_category(&new.category, &mut violations);
    let now = Utc::now();
    let received_at = new.received_at.unwrap_or(now);
    if received_at > now + chrono::Duration::minutes(5) {
        violations.push(Violation::new("received_at", Problem::InTheFuture));
    }
    let (department_id, procedure_id) =
        catalogue_ids(db, &new.department, &new.procedure, &mut violations).await?;
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let channel = channel.expect("checked above");
    let (actor, recorded_by) = match recorder {
        Recorder::Sender => (
            Actor {
                user_id: None,
                name: "sender".to_owned(),
                ip: None,
            },
            None,
        ),
        Recorder::Staff(principal, ip) => (Actor::of(principal, ip), principal.user_id),
    };
    let item = NewItem {
        channel,
        received_at,
        subject: optional(&new.subject),
        content,
        category,
        department_id,
        procedure_id,
        eligible_for_reply: sender.eligible_for_reply(channel),
        sender,
        consent_to_publish: new.consent_to_publish,
        response_id: None,
        recorded_by,
    };
    let txn = db.begin().await?;
    let stored = insert(&txn, item, &actor).await?;
    txn.commit().await?;
    Ok(stored)
}

/// The department and procedure named by code, checked against each other.
async fn catalogue_ids(
    db: &impl ConnectionTrait,
    department_code: &str,
    procedure_code: &str,
    violations: &mut Vec<Violation>,
) -> Result<(Option<i32>, Option<i32>), AppError> {
    let mut department_id = None;
    if let Some(code) = optional(department_code) {
        match department::Entity::find()
            .filter(department::Column::Code.eq(code))
            .one(db)
            .await?
        {
            Some(d) => department_id = Some(d.id),
            None => violations.push(Violation::new("department", Problem::UnknownDepartment)),
        }
    }
    let mut procedure_id = None;
    if let Some(code) = optional(procedure_code) {
        match procedure::Entity::find()
            .filter(procedure::Column::Code.eq(code))
            .one(db)
            .await?
        {
            Some(p) if department_id.is_some_and(|d| d != p.department_id) => violations.push(
                Violation::new("procedure", Problem::ProcedureDepartmentMismatch),
            ),
            Some(p) => {
                procedure_id = Some(p.id);
                department_id = department_id.or(Some(p.department_id));
            }
            None => violations.push(Violation::new("procedure", Problem::UnknownProcedure)),
        }
    }
    Ok((department_id, procedure_id))
}

struct NewItem {
    channel: FeedbackChannel,
    received_at: DateTime<Utc>,
    subject: Option<String>,
    content: String,
    category: Option<FeedbackCategory>,
    department_id: Option<i32>,
    procedure_id: Option<i32>,
    sender: SenderContact,
    eligible_for_reply: bool,
    consent_to_publish: bool,
    response_id: Option<i32>,
    recorded_by: Option<i32>,
}

/// Writes a new item and its first history event inside `txn`.
async fn insert(
    txn: &impl ConnectionTrait,
    item: NewItem,
    actor: &Actor,
) -> Result<feedback_item::Model, AppError> {
    let due_on = due_date(txn, DeadlineStep::Classify, vietnam_date(item.received_at)).await?;
    let mut model = feedback_item::ActiveModel {
        // Unguessable: 12 characters of a 31-letter alphabet.
        tracking_code: Set(random_code("PA", 3)),
        channel: Set(item.channel),
        status: Set(FeedbackStatus::Received),
        category: Set(item.category),
        sender_name: Set(optional(&item.sender.name)),
        sender_address: Set(optional(&item.sender.address)),
        sender_phone: Set(optional(&item.sender.phone)),
        sender_email: Set(optional(&item.sender.email)),
        eligible_for_reply: Set(item.eligible_for_reply),
        consent_to_publish: Set(item.consent_to_publish),
        subject: Set(item.subject),
        content: Set(item.content),
        department_id: Set(item.department_id),
        procedure_id: Set(item.procedure_id),
        response_id: Set(item.response_id),
        recorded_by_user_id: Set(item.recorded_by),
        received_at: Set(item.received_at),
        due_on: Set(Some(due_on)),
        search_text: Set(String::new()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let search = search_text(&model);
    model = feedback_item::ActiveModel {
        id: Set(model.id),
        search_text: Set(search),
        ..Default::default()
    }
    .update(txn)
    .await?;
    add_event(
        txn,
        model.id,
        None,
        FeedbackStatus::Received,
        "record",
        actor,
        None,
    )
    .await?;
    audit::record(
        txn,
        actor,
        "feedback.record",
        "feedback",
        Some(model.tracking_code.clone()),
        None::<&()>,
        Some(&serde_json::json!({ "channel": model.channel })),
    )
    .await?;
    Ok(model)
}

async fn add_event(
    txn: &impl ConnectionTrait,
    feedback_id: i32,
    from: Option<FeedbackStatus>,
    to: FeedbackStatus,
    action: &str,
    actor: &Actor,
    reason: Option<String>,
) -> Result<(), AppError> {
    feedback_event::ActiveModel {
        feedback_id: Set(feedback_id),
        from_status: Set(from),
        to_status: Set(to),
        actor_user_id: Set(actor.user_id),
        actor_name: Set(actor.name.clone()),
        action: Set(action.to_owned()),
        reason: Set(reason),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// A survey form is a feedback channel: every non-empty comment becomes an
/// item linked to its response, in the response's transaction.
pub async fn record_survey_comment(
    txn: &impl ConnectionTrait,
    stored: &response::Model,
) -> Result<Option<feedback_item::Model>, AppError> {
    let Some(comment) = stored.comment.as_deref().and_then(optional) else {
        return Ok(None);
    };
    let item = NewItem {
        channel: FeedbackChannel::Survey,
        received_at: stored.submitted_at,
        subject: None,
        content: comment,
        category: None,
        department_id: stored.department_id,
        procedure_id: stored.procedure_id,
        sender: SenderContact::default(),
        eligible_for_reply: false,
        consent_to_publish: false,
        response_id: Some(stored.id),
        recorded_by: None,
    };
    let actor = Actor {
        user_id: None,
        name: "survey".to_owned(),
        ip: None,
    };
    insert(txn, item, &actor).await.map(Some)
}

/// Removes the items of survey comments whose responses are being removed
/// (an import undone), with their history.
pub async fn remove_for_response(
    txn: &impl ConnectionTrait,
    response_id: i32,
) -> Result<(), AppError> {
    if let Some(item) = feedback_item::Entity::find()
        .filter(feedback_item::Column::ResponseId.eq(response_id))
        .one(txn)
        .await?
    {
        feedback_event::Entity::delete_many()
            .filter(feedback_event::Column::FeedbackId.eq(item.id))
            .exec(txn)
            .await?;
        feedback_item::Entity::delete_by_id(item.id)
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The tracking code of the item a response's comment became.
pub async fn tracking_code_of_response(
    db: &impl ConnectionTrait,
    response_id: i32,
) -> Result<Option<String>, AppError> {
    Ok(feedback_item::Entity::find()
        .filter(feedback_item::Column::ResponseId.eq(response_id))
        .one(db)
        .await?
        .map(|i| i.tracking_code))
}

/// What an action needs beyond its name; each action reads its own fields.
#[derive(Clone, Debug, Default)]
pub struct ActionInput {
    pub classification: String,
    pub category: String,
    /// Tracking code of the record this one duplicates.
    pub duplicate_of: String,
    pub department: String,
    pub answer: String,
    pub reason: String,
    /// The question as the public list will show it; when empty, the content with personal data removed.
    pub public_summary: String,
}

pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<feedback_item::Model, AppError> {
    feedback_item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("feedback item"))
}

/// A category code typed in a form: empty is none, an unknown code is a violation.
fn parse_category(text: &str, violations: &mut Vec<Violation>) -> Option<FeedbackCategory> {
    let code = optional(text)?;
    let category = FeedbackCategory::parse(&code);
    if category.is_none() {
        violations.push(Violation::new("category", Problem::InvalidValue));
    }
    category
}

fn sender_of(item: &feedback_item::Model) -> SenderContact {
    SenderContact {
        name: item.sender_name.clone().unwrap_or_default(),
        address: item.sender_address.clone().unwrap_or_default(),
        phone: item.sender_phone.clone().unwrap_or_default(),
        email: item.sender_email.clone().unwrap_or_default(),
    }
}

fn refusal(err: Refusal, action: FeedbackAction, status: FeedbackStatus) -> AppError {
    match err {
        Refusal::NotFromStatus => AppError::Conflict {
            code: crate::error::Conflict::FeedbackTransition,
            message: format!(
                "`{}` cannot be done to an item that is `{}`.",
                action.code(),
                status.code()
            ),
        },
        Refusal::NotInScope => AppError::Conflict {
            code: crate::error::Conflict::FeedbackNotInScope,
            message: "Only items classified in scope are assigned and handled.".to_owned(),
        },
        Refusal::InScopeNeedsAnswer => AppError::Conflict {
            code: crate::error::Conflict::FeedbackNeedsAnswer,
            message: "An item in scope is answered before it is closed.".to_owned(),
        },
    }
}

/// The actions `principal` may take on `item` now.
pub fn actions_for(principal: &Principal, item: &feedback_item::Model) -> Vec<FeedbackAction> {
    feedback_rules::possible_actions(item.status, item.classification)
        .into_iter()
        .filter(|a| {
            feedback_rules::may_act(
                *a,
                principal.role,
                &principal.department_ids,
                item.department_id,
            )
        })
        .collect()
}

/// Takes `action` on item `id`: checks the workflow, the caller's right,
/// and the fields the action needs; moves the item, sets its next deadline
/// and records who, when and why. Two people acting at once: one wins, the
/// other is told the item has moved.
pub async fn act(
    db: &DatabaseConnection,
    principal: &Principal,
    ip: &str,
    id: i32,
    action: FeedbackAction,
    input: ActionInput,
) -> Result<feedback_item::Model, AppError> {
    let item = find(db, id).await?;
    let from = item.status;
    let mut violations = Vec::new();
    let mut update = <feedback_item::ActiveModel as Default>::default();
    let mut classification = item.classification;
    let mut department_id = item.department_id;
    let reason = optional(&input.reason);
    if reason
        .as_deref()
        .is_some_and(|r| r.chars().count() > REASON_MAX)
    {
        violations.push(Violation::new(
            "reason",
            Problem::TooLong { max: REASON_MAX },
        ));
    }
    match action {
        FeedbackAction::Classify => {
            classification = Classification::parse(input.classification.trim());
            match classification {
                None if input.classification.trim().is_empty() => {
                    violations.push(Violation::new("classification", Problem::ChoiceRequired))
                }
                None => violations.push(Violation::new("classification", Problem::InvalidValue)),
                Some(_) => {}
            }
            let category = parse_category(&input.category, &mut violations);
            let mut duplicate_of = None;
            if classification == Some(Classification::Duplicate) {
                let code = normalise(&input.duplicate_of);
                match feedback_item::Entity::find()
                    .filter(feedback_item::Column::TrackingCode.eq(code.as_str()))
                    .one(db)
                    .await?
                {
                    Some(other) if other.id != item.id => duplicate_of = Some(other.id),
                    _ if code.is_empty() => {
                        violations.push(Violation::new("duplicate_of", Problem::Required))
                    }
                    _ => violations
                        .push(Violation::new("duplicate_of", Problem::UnknownTrackingCode)),
                }
            }
            update.classification = Set(classification);
            update.duplicate_of_id = Set(duplicate_of);
            if category.is_some() {
                update.category = Set(category);
            }
        }
        FeedbackAction::Assign => {
            if optional(&input.department).is_none() {
                violations.push(Violation::new("department", Problem::DepartmentRequired));
            } else {
                let (found, _) = catalogue_ids(db, &input.department, "", &mut violations).await?;
                department_id = found;
                update.department_id = Set(found);
            }
        }
        FeedbackAction::Answer => {
            let answer = input.answer.trim().to_owned();
            check_length(&mut violations, "answer", &answer, ANSWER_MIN, CONTENT_MAX);
            update.answer = Set(Some(answer));
            update.answered_at = Set(Some(Utc::now()));
        }
        FeedbackAction::Return if reason.is_none() => {
            violations.push(Violation::new("reason", Problem::Required));
        }
        FeedbackAction::Publish => {
            let summary = optional(&input.public_summary)
                .unwrap_or_else(|| redact(&item.content, &sender_of(&item)));
            check_length(&mut violations, "public_summary", &summary, 1, CONTENT_MAX);
            update.public_summary = Set(Some(summary));
            update.published_at = Set(Some(Utc::now()));
        }
        FeedbackAction::Close => {
            update.closed_at = Set(Some(Utc::now()));
        }
        FeedbackAction::Start | FeedbackAction::Approve | FeedbackAction::Return => {}
    }
    let to = feedback_rules::next_status(from, action, classification)
        .map_err(|e| refusal(e, action, from))?;
    if !feedback_rules::may_act(
        action,
        principal.role,
        &principal.department_ids,
        department_id,
    ) {
        return Err(AppError::Forbidden);
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }

    let txn = db.begin().await?;
    let today = vietnam_date(Utc::now());
    let due_on = match feedback_rules::deadline_step(to, Some(action)) {
        // The answer's deadline runs from assignment and does not restart when work starts.
        Some(DeadlineStep::Answer) if action == FeedbackAction::Start => item.answer_due_on,
        Some(step) => Some(due_date(&txn, step, today).await?),
        None => None,
    };
    update.due_on = Set(due_on);
    if action == FeedbackAction::Assign {
        update.answer_due_on = Set(due_on);
    }
    update.status = Set(to);
    // Only if nobody moved the item meanwhile.
    let moved = feedback_item::Entity::update_many()
        .set(update)
        .filter(feedback_item::Column::Id.eq(item.id))
        .filter(feedback_item::Column::Status.eq(from.code()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::FeedbackMoved,
            message: "Someone else changed this item meanwhile; reload it.".to_owned(),
        });
    }
    let mut stored = find(&txn, item.id).await?;
    let search = search_text(&stored);
    if search != stored.search_text {
        stored = feedback_item::ActiveModel {
            id: Set(stored.id),
            search_text: Set(search),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    let actor = Actor::of(principal, ip);
    add_event(&txn, item.id, Some(from), to, action.code(), &actor, reason).await?;
    audit::record(
        &txn,
        &actor,
        &format!("feedback.{}", action.code()),
        "feedback",
        Some(item.tracking_code.clone()),
        Some(&serde_json::json!({ "status": from.code() })),
        Some(&serde_json::json!({ "status": to.code() })),
    )
    .await?;
    txn.commit().await?;
    Ok(stored)
}

fn is_overdue(item: &feedback_item::Model, today: NaiveDate) -> bool {
    let open = item.status.is_open();
    open && item.due_on.is_some_and(|due| due < today)
}

/// Open statuses, for "overdue" queries.
fn open_status_codes() -> Vec<&'static str> {
    FeedbackStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.code())
        .collect()
}

fn overdue_condition(today: NaiveDate) -> Condition {
    Condition::all()
        .add(feedback_item::Column::Status.is_in(open_status_codes()))
        .add(feedback_item::Column::DueOn.lt(today))
}

fn page_number(text: &str) -> u64 {
    text.trim().parse::<u64>().unwrap_or(1).max(1)
}

/// The staff list: filtered, searched, newest first, a page at a time.
pub async fn list(
    db: &DatabaseConnection,
    filter: &FeedbackFilter,
) -> Result<FeedbackList, AppError> {
    let today = vietnam_date(Utc::now());
    let mut violations = Vec::new();
    let mut query = feedback_item::Entity::find();
    if let Some(code) = optional(&filter.status) {
        match FeedbackStatus::parse(&code) {
            Some(s) => query = query.filter(feedback_item::Column::Status.eq(s.code())),
            None => violations.push(Violation::new("status", Problem::InvalidValue)),
        }
    }
    if let Some(code) = optional(&filter.channel) {
        match FeedbackChannel::parse(&code) {
            Some(c) => query = query.filter(feedback_item::Column::Channel.eq(c.code())),
            None => violations.push(Violation::new("channel", Problem::InvalidValue)),
        }
    }
    if optional(&filter.department).is_some() {
        let (found, _) = catalogue_ids(db, &filter.department, "", &mut violations).await?;
        if let Some(id) = found {
            query = query.filter(feedback_item::Column::DepartmentId.eq(id));
        }
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    if filter.overdue.trim() == "1" {
        query = query.filter(overdue_condition(today));
    }
    for word in plain(&filter.q).split(' ').filter(|w| !w.is_empty()) {
        query = query.filter(feedback_item::Column::SearchText.contains(word));
    }
    let paginator = query
        .order_by_desc(feedback_item::Column::ReceivedAt)
        .order_by_desc(feedback_item::Column::Id)
        .paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let page = page_number(&filter.page).min(counts.number_of_pages.max(1));
    let items = paginator.fetch_page(page - 1).await?;
    let departments = department_codes(db).await?;
    let overdue_total = feedback_item::Entity::find()
        .filter(overdue_condition(today))
        .count(db)
        .await?;
    Ok(FeedbackList {
        rows: items
            .iter()
            .map(|item| FeedbackRow {
                id: item.id,
                tracking_code: item.tracking_code.clone(),
                channel: item.channel,
                status: item.status,
                received_at: local_time(item.received_at),
                title: item
                    .subject
                    .clone()
                    .unwrap_or_else(|| excerpt(&item.content, 90)),
                department: item
                    .department_id
                    .and_then(|id| departments.get(&id).map(|d| d.code.clone())),
                due_on: item.due_on.map(day_text),
                overdue: is_overdue(item, today),
                eligible_for_reply: item.eligible_for_reply,
            })
            .collect(),
        total: counts.number_of_items,
        page,
        pages: counts.number_of_pages.max(1),
        overdue_total,
    })
}

fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    }
}

async fn department_codes(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<i32, department::Model>, AppError> {
    Ok(department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect())
}

/// Everything about one item, with its history.
pub async fn detail(
    db: &DatabaseConnection,
    id: i32,
    lang: Lang,
) -> Result<FeedbackDetail, AppError> {
    let item = find(db, id).await?;
    let today = vietnam_date(Utc::now());
    let departments = department_codes(db).await?;
    let department = item
        .department_id
        .and_then(|id| departments.get(&id))
        .map(|d| Choice {
            code: d.code.clone(),
            label: lang.pick(&d.name_vi, &d.name_en).to_owned(),
        });
    let procedure = match item.procedure_id {
        Some(pid) => procedure::Entity::find_by_id(pid)
            .one(db)
            .await?
            .map(|p| Choice {
                label: lang.pick(&p.name_vi, &p.name_en).to_owned(),
                code: p.code,
            }),
        None => None,
    };
    let duplicate_of = match item.duplicate_of_id {
        Some(other) => feedback_item::Entity::find_by_id(other)
            .one(db)
            .await?
            .map(|o| o.tracking_code),
        None => None,
    };
    let response_receipt = match item.response_id {
        Some(rid) => response::Entity::find_by_id(rid)
            .one(db)
            .await?
            .map(|r| r.receipt_code),
        None => None,
    };
    let events = feedback_event::Entity::find()
        .filter(feedback_event::Column::FeedbackId.eq(item.id))
        .order_by_asc(feedback_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| FeedbackEventRow {
            at: local_time(e.created_at),
            actor: e.actor_name,
            action: e.action,
            from_status: e.from_status,
            to_status: e.to_status,
            reason: e.reason,
        })
        .collect();
    let sender = sender_of(&item);
    let channel = item.channel;
    Ok(FeedbackDetail {
        id: item.id,
        tracking_code: item.tracking_code.clone(),
        channel,
        status: item.status,
        classification: item.classification,
        category: item.category,
        duplicate_of,
        subject: item.subject.clone(),
        content: item.content.clone(),
        missing_for_reply: sender
            .missing_for_reply(channel)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        suggested_summary: redact(&item.content, &sender),
        sender,
        eligible_for_reply: item.eligible_for_reply,
        consent_to_publish: item.consent_to_publish,
        department,
        procedure,
        response_receipt,
        answer: item.answer.clone(),
        public_summary: item.public_summary.clone(),
        received_at: local_time(item.received_at),
        due_on: item.due_on.map(day_text),
        overdue: is_overdue(&item, today),
        answer_due_on: item.answer_due_on.map(day_text),
        answered_at: item.answered_at.map(local_time),
        published_at: item.published_at.map(local_time),
        closed_at: item.closed_at.map(local_time),
        handling_rating: item.handling_rating,
        events,
    })
}

/// Whether the item's answer has been published (it stays so once closed).
fn answer_is_public(item: &feedback_item::Model) -> bool {
    item.published_at.is_some() && item.answer.is_some()
}

async fn by_tracking_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<feedback_item::Model>, AppError> {
    let code = normalise(code);
    if code.is_empty() || code.len() > 40 {
        return Ok(None);
    }
    Ok(feedback_item::Entity::find()
        .filter(feedback_item::Column::TrackingCode.eq(code))
        .one(db)
        .await?)
}

/// What the holder of a tracking code may see: the status and the
/// published answer, with personal data removed.
pub async fn public_view(
    db: &DatabaseConnection,
    code: &str,
) -> Result<Option<PublicFeedbackView>, AppError> {
    let Some(item) = by_tracking_code(db, code).await? else {
        return Ok(None);
    };
    let public = answer_is_public(&item);
    let status = PublicStatus::of(item.status, public);
    let sender = sender_of(&item);
    Ok(Some(PublicFeedbackView {
        tracking_code: item.tracking_code.clone(),
        status,
        received_on: day_text(vietnam_date(item.received_at)),
        classification: (status == PublicStatus::NotHandledHere)
            .then_some(item.classification)
            .flatten(),
        answer: public
            .then(|| item.answer.as_deref().map(|a| redact(a, &sender)))
            .flatten(),
        answered_on: public
            .then(|| item.published_at.map(|at| day_text(vietnam_date(at))))
            .flatten(),
        can_rate: public && item.handling_rating.is_none(),
        rating: item.handling_rating,
    }))
}

/// The sender's one answer to "how satisfied are you with the handling?"
/// (1–5), once the answer is published.
pub async fn rate(db: &DatabaseConnection, code: &str, rating: &str) -> Result<(), AppError> {
    let value = rating
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|v| (1..=5).contains(v))
        .ok_or_else(|| {
            AppError::invalid(
                "rating",
                Problem::OutOfRange {
                    max: 5,
                    allows_not_applicable: false,
                },
            )
        })?;
    let item = by_tracking_code(db, code)
        .await?
        .ok_or(AppError::NotFound("feedback item"))?;
    if !answer_is_public(&item) {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::FeedbackNotAnswered,
            message: "The handling can be rated once the answer is published.".to_owned(),
        });
    }
    let stored = feedback_item::Entity::update_many()
        .col_expr(feedback_item::Column::HandlingRating, Expr::value(value))
        .col_expr(feedback_item::Column::RatedAt, Expr::value(Utc::now()))
        .filter(feedback_item::Column::Id.eq(item.id))
        .filter(feedback_item::Column::HandlingRating.is_null())
        .exec(db)
        .await?;
    if stored.rows_affected == 0 {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::FeedbackAlreadyRated,
            message: "The handling of this item has been rated already.".to_owned(),
        });
    }
    Ok(())
}

/// Published answers whose senders agreed to publication, newest first,
/// with personal data removed.
pub async fn published_answers(
    db: &DatabaseConnection,
    page: &str,
    lang: Lang,
) -> Result<PublicAnswersPage, AppError> {
    let paginator = feedback_item::Entity::find()
        .filter(feedback_item::Column::ConsentToPublish.eq(true))
        .filter(feedback_item::Column::PublishedAt.is_not_null())
        .filter(feedback_item::Column::Answer.is_not_null())
        .order_by_desc(feedback_item::Column::PublishedAt)
        .order_by_desc(feedback_item::Column::Id)
        .paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let page = page_number(page).min(counts.number_of_pages.max(1));
    let departments = department_codes(db).await?;
    let answers = paginator
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(|item| {
            let sender = sender_of(&item);
            PublicAnswer {
                received_on: day_text(vietnam_date(item.received_at)),
                published_on: item
                    .published_at
                    .map(|at| day_text(vietnam_date(at)))
                    .unwrap_or_default(),
                category: item.category,
                department: item
                    .department_id
                    .and_then(|id| departments.get(&id))
                    .map(|d| lang.pick(&d.name_vi, &d.name_en).to_owned()),
                // Redacted again: a summary typed by staff gets the same net.
                question: redact(
                    item.public_summary.as_deref().unwrap_or(&item.content),
                    &sender,
                ),
                answer: redact(item.answer.as_deref().unwrap_or_default(), &sender),
            }
        })
        .collect();
    Ok(PublicAnswersPage {
        answers,
        page,
        pages: counts.number_of_pages.max(1),
        total: counts.number_of_items,
    })
}

/// The leadership's panel over items received in [from, to), for one
/// department or all.
pub async fn panel(
    db: &DatabaseConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    department_id: Option<i32>,
    lang: Lang,
) -> Result<FeedbackPanel, AppError> {
    let today = vietnam_date(Utc::now());
    let mut query = feedback_item::Entity::find()
        .filter(feedback_item::Column::ReceivedAt.gte(from))
        .filter(feedback_item::Column::ReceivedAt.lt(to));
    if let Some(id) = department_id {
        query = query.filter(feedback_item::Column::DepartmentId.eq(id));
    }
    // The counts come from a handful of columns, not the texts.
    let items: Vec<PanelItem> = query
        .select_only()
        .column(feedback_item::Column::Status)
        .column(feedback_item::Column::Classification)
        .column(feedback_item::Column::Category)
        .column(feedback_item::Column::DepartmentId)
        .column(feedback_item::Column::DueOn)
        .column(feedback_item::Column::AnswerDueOn)
        .column(feedback_item::Column::AnsweredAt)
        .column(feedback_item::Column::HandlingRating)
        .into_model::<PanelItem>()
        .all(db)
        .await?;
    let departments = department_codes(db).await?;
    let t = lang.feedback_texts();
    let mut by_department: BTreeMap<String, FeedbackPanelRow> = BTreeMap::new();
    let mut by_category: BTreeMap<String, FeedbackPanelRow> = BTreeMap::new();
    let mut panel = FeedbackPanel {
        period: format!(
            "{} – {}",
            day_text(vietnam_date(from)),
            day_text(vietnam_date(to - chrono::Duration::seconds(1)))
        ),
        received: 0,
        in_scope: 0,
        answered: 0,
        answered_on_time: 0,
        overdue: 0,
        by_department: Vec::new(),
        by_category: Vec::new(),
        ratings: 0,
        rating_mean: None,
        rating_satisfied_share: None,
    };
    let (mut rating_sum, mut rating_satisfied) = (0u64, 0u64);
    for item in &items {
        let status = FeedbackStatus::parse(&item.status);
        let overdue = status.is_some_and(FeedbackStatus::is_open)
            && item.due_on.is_some_and(|due| due < today);
        let answered = item.answered_at.is_some();
        panel.received += 1;
        panel.in_scope +=
            u64::from(item.classification.as_deref() == Some(Classification::InScope.code()));
        panel.overdue += u64::from(overdue);
        if let Some(at) = item.answered_at {
            panel.answered += 1;
            panel.answered_on_time += u64::from(
                item.answer_due_on
                    .is_some_and(|due| vietnam_date(at) <= due),
            );
        }
        if let Some(rating) = item.handling_rating.and_then(|r| u64::try_from(r).ok()) {
            panel.ratings += 1;
            rating_sum += rating;
            rating_satisfied += u64::from(rating >= 4);
        }
        let (code, label) = match item.department_id.and_then(|id| departments.get(&id)) {
            Some(d) => (d.code.clone(), lang.pick(&d.name_vi, &d.name_en).to_owned()),
            None => (String::new(), t.not_assigned.to_owned()),
        };
        count_into(&mut by_department, code, label, answered, overdue);
        let (code, label) = match item.category {
            Some(c) => (c.code().to_owned(), lang.feedback_category(c).to_owned()),
            None => (String::new(), t.not_classified.to_owned()),
        };
        count_into(&mut by_category, code, label, answered, overdue);
    }
    if panel.ratings > 0 {
        let n = panel.ratings as f64;
        panel.rating_mean = Some(rating_sum as f64 / n);
        panel.rating_satisfied_share = Some(100.0 * rating_satisfied as f64 / n);
    }
    panel.by_department = by_department.into_values().collect();
    panel.by_category = by_category.into_values().collect();
    Ok(panel)
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct PanelItem {
    status: String,
    classification: Option<String>,
    category: Option<FeedbackCategory>,
    department_id: Option<i32>,
    due_on: Option<NaiveDate>,
    answer_due_on: Option<NaiveDate>,
    answered_at: Option<DateTime<Utc>>,
    handling_rating: Option<i16>,
}

fn count_into(
    rows: &mut BTreeMap<String, FeedbackPanelRow>,
    code: String,
    label: String,
    answered: bool,
    overdue: bool,
) {
    let row = rows.entry(code.clone()).or_insert(FeedbackPanelRow {
        code,
        label,
        received: 0,
        answered: 0,
        overdue: 0,
    });
    row.received += 1;
    row.answered += u64::from(answered);
    row.overdue += u64::from(overdue);
}

//! Recording an item from any channel: checking what was sent, giving it a tracking code and its
//! first deadline, and the items that survey comments become.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use super::{
    ADDRESS_MAX, CONTENT_MAX, CONTENT_MIN, EMAIL_MAX, NAME_MAX, SUBJECT_MAX, check_length,
    optional, parse_category,
};
use crate::AppError;
use crate::auth::Principal;
use crate::entities::{department, feedback_event, feedback_item, procedure, response};
use crate::feedback_rules::{
    DeadlineStep, FeedbackCategory, FeedbackChannel, FeedbackStatus, SenderContact,
};
use crate::i18n::Lang;
use crate::messages::Acknowledgement;
use crate::model::{MessageKind, WebhookEvent};
use crate::model::{Problem, Violation};
use crate::privacy::plain;
use crate::public_codes::{SECRET_GROUPS, random_code};
use crate::services::audit::{self, Actor};
use crate::services::invitations::{email_is_valid, phone_is_valid};
use crate::services::{holidays, outbox, settings};
use crate::working_days::{add_working_days, vietnam_date};

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

/// What search compares for an item.
pub(super) fn search_text(item: &feedback_item::Model) -> String {
    plain_words([
        Some(item.tracking_code.as_str()),
        item.subject.as_deref(),
        Some(item.content.as_str()),
        item.answer.as_deref(),
    ])
}

/// The sender's contact as search compares it; searched only by those who
/// may see it (a search by phone number must not tell a leader who called).
pub(super) fn contact_text(item: &feedback_item::Model) -> String {
    plain_words([
        item.sender_name.as_deref(),
        item.sender_address.as_deref(),
        item.sender_phone.as_deref(),
        item.sender_email.as_deref(),
    ])
}

fn plain_words<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(plain)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Gives items written before contacts were searched apart their two
/// search texts; runs at start, touches only those items.
#[tracing::instrument(skip_all)]
pub async fn reindex_search(db: &DatabaseConnection) -> Result<u64, AppError> {
    let stale = feedback_item::Entity::find()
        .filter(feedback_item::Column::ContactText.is_null())
        .all(db)
        .await?;
    let count = stale.len() as u64;
    for item in stale {
        feedback_item::ActiveModel {
            id: Set(item.id),
            search_text: Set(search_text(&item)),
            contact_text: Set(Some(contact_text(&item))),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(count)
}

/// The due date of `step` when it starts on `day`.
pub(super) async fn due_date(
    db: &impl ConnectionTrait,
    step: DeadlineStep,
    day: NaiveDate,
) -> Result<NaiveDate, AppError> {
    due_after(db, &[step], day).await
}

/// The day an answer is expected for an item received on `day`: once it
/// is classified, assigned and answered, each in its working days.
pub(super) async fn expected_answer_on(
    db: &impl ConnectionTrait,
    day: NaiveDate,
) -> Result<NaiveDate, AppError> {
    due_after(db, &ANSWER_STEPS, day).await
}

/// The steps from receipt to an answer: the acknowledgement's expected day.
pub(super) const ANSWER_STEPS: [DeadlineStep; 3] = [
    DeadlineStep::Classify,
    DeadlineStep::Assign,
    DeadlineStep::Answer,
];

/// The working days `steps` take, one after the other.
pub(super) async fn days_of(
    db: &impl ConnectionTrait,
    steps: &[DeadlineStep],
) -> Result<u32, AppError> {
    let mut days = 0;
    for step in steps {
        days += settings::deadline_days(db, *step).await?;
    }
    Ok(days)
}

/// The day `steps`, one after the other, are due when the first starts on `day`.
async fn due_after(
    db: &impl ConnectionTrait,
    steps: &[DeadlineStep],
    day: NaiveDate,
) -> Result<NaiveDate, AppError> {
    let days = days_of(db, steps).await?;
    let calendar = holidays::calendar_from(db, day).await?;
    Ok(add_working_days(day, days, &calendar))
}

/// Records an item and gives it a tracking code. Missing contact data is
/// allowed; it makes the item ineligible for a reply.
#[tracing::instrument(skip_all)]
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
    // Read before the transaction, which then only writes: on SQLite a
    // transaction that reads first cannot take the write lock once another
    // connection has written meanwhile.
    let received_on = vietnam_date(item.received_at);
    let due_on = due_date(db, DeadlineStep::Classify, received_on).await?;
    let expected_answer_on = expected_answer_on(db, received_on).await?;
    let txn = db.begin().await?;
    let stored = insert(&txn, item, due_on, &actor).await?;
    // The acknowledgement goes by e-mail, else by text message to a phone.
    let acknowledgement = Acknowledgement {
        tracking_code: stored.tracking_code.clone(),
        received_on,
        expected_answer_on,
    };
    let kind = MessageKind::FeedbackAcknowledgement;
    if let Some(email) = &stored.sender_email {
        outbox::enqueue_email(
            &txn,
            kind,
            email,
            &acknowledgement,
            Lang::Vi,
            Some(stored.id),
        )
        .await?;
    } else if let Some(phone) = stored
        .sender_phone
        .as_deref()
        .filter(|p| outbox::Phone::parse(p).is_some())
    {
        outbox::enqueue_sms(
            &txn,
            kind,
            phone,
            &acknowledgement,
            Lang::Vi,
            Some(stored.id),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(stored)
}

/// The department and procedure named by code, checked against each other.
pub(super) async fn catalogue_ids(
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

pub(super) struct NewItem {
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

/// Writes a new item, due to be classified by `due_on`, and its first
/// history event inside `txn`.
pub(super) async fn insert(
    txn: &impl ConnectionTrait,
    item: NewItem,
    due_on: NaiveDate,
    actor: &Actor,
) -> Result<feedback_item::Model, AppError> {
    let mut model = feedback_item::ActiveModel {
        // Unguessable: 12 characters of a 31-letter alphabet.
        tracking_code: Set(random_code("PA", SECRET_GROUPS)),
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
    model = feedback_item::ActiveModel {
        id: Set(model.id),
        search_text: Set(search_text(&model)),
        contact_text: Set(Some(contact_text(&model))),
        ..Default::default()
    }
    .update(txn)
    .await?;
    super::tallies::shift(txn, None, Some(&model)).await?;
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
    super::events::announce(txn, WebhookEvent::FeedbackRecorded, &model).await?;
    Ok(model)
}

pub(super) async fn add_event(
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
#[tracing::instrument(skip_all)]
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
    // The response's transaction has written already.
    let due_on = due_date(txn, DeadlineStep::Classify, vietnam_date(item.received_at)).await?;
    insert(txn, item, due_on, &actor).await.map(Some)
}

/// The comment of a dossier rating becomes an item as survey comments do,
/// in the rating's transaction; it names the dossier's department and
/// procedure, never the dossier, so the item does not tell who rated.
#[tracing::instrument(skip_all)]
pub async fn record_dossier_comment(
    txn: &impl ConnectionTrait,
    department_id: i32,
    procedure_id: i32,
    comment: &str,
    at: DateTime<Utc>,
) -> Result<Option<feedback_item::Model>, AppError> {
    let Some(comment) = optional(comment) else {
        return Ok(None);
    };
    let item = NewItem {
        channel: FeedbackChannel::DossierRating,
        received_at: at,
        subject: None,
        content: comment,
        category: None,
        department_id: Some(department_id),
        procedure_id: Some(procedure_id),
        sender: SenderContact::default(),
        eligible_for_reply: false,
        consent_to_publish: false,
        response_id: None,
        recorded_by: None,
    };
    let actor = Actor {
        user_id: None,
        name: "dossier-rating".to_owned(),
        ip: None,
    };
    let due_on = due_date(txn, DeadlineStep::Classify, vietnam_date(at)).await?;
    insert(txn, item, due_on, &actor).await.map(Some)
}

/// Removes the items of survey comments whose responses are being removed
/// (an import undone), with their history.
#[tracing::instrument(skip_all)]
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
        super::tallies::shift(txn, Some(&item), None).await?;
    }
    Ok(())
}

/// The tracking code of the item a response's comment became.
#[tracing::instrument(skip_all)]
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

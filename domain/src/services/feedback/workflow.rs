//! Moving an item along the workflow: who may take which action, what each action needs, the next
//! deadline, and the history of who, when and why.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::feedback_item;
use crate::feedback_rules::{
    self, Classification, DeadlineStep, FeedbackAction, FeedbackStatus, Refusal,
};
use crate::model::{Problem, Violation};
use crate::privacy::redact;
use crate::public_codes::normalise;
use crate::services::audit::{self, Actor};
use crate::working_days::vietnam_date;

use super::record::{add_event, catalogue_ids, due_date, search_text};
use super::tallies;
use super::{
    ANSWER_MIN, CONTENT_MAX, REASON_MAX, check_length, optional, parse_category, sender_of,
};

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
    /// The leader who publishes has read the public wording and the hidden
    /// parts ("1" when the box is ticked).
    pub confirm_public: String,
}

#[tracing::instrument(skip_all)]
pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<feedback_item::Model, AppError> {
    feedback_item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("feedback item"))
}

pub(super) fn refusal(err: Refusal, action: FeedbackAction, status: FeedbackStatus) -> AppError {
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
    if !principal.sees_item_of(item.department_id) {
        return Vec::new();
    }
    feedback_rules::possible_actions(item.status, item.classification)
        .into_iter()
        .filter(|a| {
            feedback_rules::may_act(
                *a,
                principal.role,
                &principal.department_ids,
                item.department_id,
                item.classification,
            )
        })
        .collect()
}

/// Takes `action` on item `id`: checks the workflow, the caller's right,
/// and the fields the action needs; moves the item, sets its next deadline
/// and records who, when and why. Two people acting at once: one wins, the
/// other is told the item has moved.
#[tracing::instrument(skip_all, fields(item = id, action = action.code()))]
pub async fn act(
    db: &DatabaseConnection,
    principal: &Principal,
    ip: &str,
    id: i32,
    action: FeedbackAction,
    input: ActionInput,
) -> Result<feedback_item::Model, AppError> {
    let item = find(db, id).await?;
    // Staff act only on their departments' items (and, with the triage
    // permission, on unassigned ones): they cannot reassign another's item.
    if !principal.sees_item_of(item.department_id) {
        return Err(AppError::NotFound("feedback item"));
    }
    let mut violations = Vec::new();
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
    let change = change_of(db, &item, action, &input, &reason, &mut violations).await?;
    let from = item.status;
    let to = feedback_rules::next_status(from, action, change.classification)
        .map_err(|e| refusal(e, action, from))?;
    if !feedback_rules::may_act(
        action,
        principal.role,
        &principal.department_ids,
        change.department_id,
        change.classification,
    ) {
        return Err(AppError::Forbidden);
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let actor = Actor::of(principal, ip);
    move_item(db, &item, action, to, change.update, &actor, reason).await
}

/// What an action changes on an item, before the move is allowed.
struct Change {
    update: feedback_item::ActiveModel,
    /// The classification the workflow decides the next status by.
    classification: Option<Classification>,
    /// The department whose staff may act (after an assignment, the new one).
    department_id: Option<i32>,
}

/// The fields `action` reads from `input`, checked into the item's update.
async fn change_of(
    db: &DatabaseConnection,
    item: &feedback_item::Model,
    action: FeedbackAction,
    input: &ActionInput,
    reason: &Option<String>,
    violations: &mut Vec<Violation>,
) -> Result<Change, AppError> {
    let mut change = Change {
        update: <feedback_item::ActiveModel as Default>::default(),
        classification: item.classification,
        department_id: item.department_id,
    };
    let update = &mut change.update;
    match action {
        FeedbackAction::Classify => {
            change.classification = classification_of(db, item, input, update, violations).await?;
        }
        FeedbackAction::Assign => {
            if optional(&input.department).is_none() {
                violations.push(Violation::new("department", Problem::DepartmentRequired));
            } else {
                let (found, _) = catalogue_ids(db, &input.department, "", violations).await?;
                change.department_id = found;
                update.department_id = Set(found);
            }
        }
        FeedbackAction::Answer => {
            let answer = input.answer.trim().to_owned();
            check_length(violations, "answer", &answer, ANSWER_MIN, CONTENT_MAX);
            update.answer = Set(Some(answer));
            update.answered_at = Set(Some(Utc::now()));
        }
        FeedbackAction::Return if reason.is_none() => {
            violations.push(Violation::new("reason", Problem::Required));
        }
        FeedbackAction::Publish => {
            if input.confirm_public.trim().is_empty() {
                violations.push(Violation::new("confirm_public", Problem::Required));
            }
            let summary = optional(&input.public_summary)
                .unwrap_or_else(|| redact(&item.content, &sender_of(item)));
            check_length(violations, "public_summary", &summary, 1, CONTENT_MAX);
            update.public_summary = Set(Some(summary));
            update.published_at = Set(Some(Utc::now()));
        }
        FeedbackAction::Close => {
            update.closed_at = Set(Some(Utc::now()));
        }
        FeedbackAction::MarkPraise => {
            change.classification = Some(Classification::Praise);
            update.classification = Set(Some(Classification::Praise));
            update.closed_at = Set(Some(Utc::now()));
        }
        FeedbackAction::Start | FeedbackAction::Approve | FeedbackAction::Return => {}
    }
    Ok(change)
}

/// Classifying: the classification, a category, and for a duplicate the
/// tracking code of the item it repeats.
async fn classification_of(
    db: &DatabaseConnection,
    item: &feedback_item::Model,
    input: &ActionInput,
    update: &mut feedback_item::ActiveModel,
    violations: &mut Vec<Violation>,
) -> Result<Option<Classification>, AppError> {
    let classification = Classification::parse(input.classification.trim());
    match classification {
        None if input.classification.trim().is_empty() => {
            violations.push(Violation::new("classification", Problem::ChoiceRequired))
        }
        None => violations.push(Violation::new("classification", Problem::InvalidValue)),
        Some(_) => {}
    }
    let category = parse_category(&input.category, violations);
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
            _ => violations.push(Violation::new("duplicate_of", Problem::UnknownTrackingCode)),
        }
    }
    update.classification = Set(classification);
    update.duplicate_of_id = Set(duplicate_of);
    if category.is_some() {
        update.category = Set(category);
    }
    Ok(classification)
}

/// Moves the item from its status to `to` in one transaction, only if
/// nobody moved it meanwhile: the next deadline, the search text, the
/// history and the audit log.
async fn move_item(
    db: &DatabaseConnection,
    item: &feedback_item::Model,
    action: FeedbackAction,
    to: FeedbackStatus,
    mut update: feedback_item::ActiveModel,
    actor: &Actor,
    reason: Option<String>,
) -> Result<feedback_item::Model, AppError> {
    let from = item.status;
    let today = vietnam_date(Utc::now());
    // Read before the transaction, which then writes first (see `record`).
    let due_on = match feedback_rules::deadline_step(to, Some(action)) {
        // The answer's deadline runs from assignment and does not restart when work starts.
        Some(DeadlineStep::Answer) if action == FeedbackAction::Start => item.answer_due_on,
        Some(step) => Some(due_date(db, step, today).await?),
        None => None,
    };
    let txn = db.begin().await?;
    update.due_on = Set(due_on);
    if action == FeedbackAction::Assign {
        update.answer_due_on = Set(due_on);
    }
    update.status = Set(to);
    // The counted fields this move sets; the others may have changed since
    // `item` was read (a rating), and are taken as stored.
    let sets = Counted {
        department: update.department_id.is_set(),
        category: update.category.is_set(),
        classification: update.classification.is_set(),
        answer: update.answered_at.is_set() || update.answer_due_on.is_set(),
    };
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
    tallies::shift(&txn, Some(&sets.before(item, &stored)), Some(&stored)).await?;
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
    add_event(&txn, item.id, Some(from), to, action.code(), actor, reason).await?;
    if action == FeedbackAction::Assign {
        crate::services::work_alerts::queue_assigned(&txn, &stored).await?;
    }
    if action == FeedbackAction::Publish {
        queue_answer_notice(&txn, &stored).await?;
        super::events::announce(&txn, crate::model::WebhookEvent::FeedbackAnswered, &stored)
            .await?;
    }
    audit::record(
        &txn,
        actor,
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

/// Tells the sender that the answer is published, with a private rating
/// key of its own (the receipt's keeps working), by e-mail or else by
/// text message, to whoever left an address or a phone (whether or not the
/// item was eligible for an individual reply); nothing once its contacts
/// are erased.
async fn queue_answer_notice(
    txn: &impl sea_orm::ConnectionTrait,
    item: &feedback_item::Model,
) -> Result<(), AppError> {
    use crate::services::outbox;
    if item.contacts_erased_at.is_some() {
        return Ok(());
    }
    let email = item.sender_email.as_deref();
    let phone = item
        .sender_phone
        .as_deref()
        .filter(|p| outbox::Phone::parse(p).is_some());
    if email.is_none() && phone.is_none() {
        return Ok(());
    }
    let notice = crate::messages::AnswerNotice {
        tracking_code: item.tracking_code.clone(),
        published_on: vietnam_date(item.published_at.unwrap_or_else(Utc::now)),
        rating_key: super::public::issue_notice_rating_key(txn, item.id).await?,
    };
    let kind = crate::model::MessageKind::FeedbackAnswer;
    let lang = crate::i18n::Lang::Vi;
    match (email, phone) {
        (Some(email), _) => {
            outbox::enqueue_email(txn, kind, email, &notice, lang, Some(item.id)).await?;
        }
        (None, Some(phone)) => {
            outbox::enqueue_sms(txn, kind, phone, &notice, lang, Some(item.id)).await?;
        }
        (None, None) => {}
    }
    Ok(())
}

/// Which of the fields the feedback tallies count a move sets. They are
/// changed only by moves, which are refused when the status changed
/// meanwhile, so `item`'s values of them are the ones the move replaced.
struct Counted {
    department: bool,
    category: bool,
    classification: bool,
    answer: bool,
}

impl Counted {
    /// The item as it was counted before the move: `stored` (read after it,
    /// in its transaction) with the fields the move set as `item` had them.
    fn before(
        &self,
        item: &feedback_item::Model,
        stored: &feedback_item::Model,
    ) -> feedback_item::Model {
        let mut before = stored.clone();
        if self.department {
            before.department_id = item.department_id;
        }
        if self.category {
            before.category = item.category;
        }
        if self.classification {
            before.classification = item.classification;
        }
        if self.answer {
            before.answered_at = item.answered_at;
            before.answer_due_on = item.answer_due_on;
        }
        before
    }
}

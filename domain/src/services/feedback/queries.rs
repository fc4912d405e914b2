//! What staff read: the list with filters and search, and one item with its history.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{feedback_event, feedback_item, procedure, response};
use crate::feedback_rules::{FeedbackChannel, FeedbackStatus};
use crate::i18n::{Lang, day_text, local_time};
use crate::model::{
    Choice, FeedbackDetail, FeedbackEventRow, FeedbackFilter, FeedbackList, FeedbackRow, Problem,
    Violation,
};
use crate::model::{Role, Scope};
use crate::privacy::{plain, redact};
use crate::services::audit::{self, Actor};
use crate::working_days::vietnam_date;

use super::record::catalogue_ids;
use super::tallies;
use super::{PAGE_SIZE, department_codes, find, optional, page_number, sender_of};

pub(super) fn is_overdue(item: &feedback_item::Model, today: NaiveDate) -> bool {
    let open = item.status.is_open();
    open && item.due_on.is_some_and(|due| due < today)
}

/// Open statuses, for "overdue" queries.
pub(super) fn open_status_codes() -> Vec<&'static str> {
    FeedbackStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.code())
        .collect()
}

pub(super) fn overdue_condition(today: NaiveDate) -> Condition {
    Condition::all()
        .add(feedback_item::Column::Status.is_in(open_status_codes()))
        .add(feedback_item::Column::DueOn.lt(today))
}

/// The departments whose items `principal` may see (0: the unassigned
/// ones), or `None` for all: the rule of [`visible_to`] for the tallies.
fn visible_departments(principal: &Principal) -> Option<Vec<i32>> {
    if principal.is_token() || principal.role != Role::Staff {
        return None;
    }
    let mut ids = principal.department_ids.clone();
    if principal.can_triage {
        ids.push(0);
    }
    Some(ids)
}

/// The items `principal` may see: every item for admins, leaders and
/// tokens; for staff, their departments' items and, with the triage
/// permission, the unassigned ones.
fn visible_to(principal: &Principal) -> Condition {
    if principal.is_token() || principal.role != Role::Staff {
        return Condition::all();
    }
    let mut visible = Condition::any()
        .add(feedback_item::Column::DepartmentId.is_in(principal.department_ids.iter().copied()));
    if principal.can_triage {
        visible = visible.add(feedback_item::Column::DepartmentId.is_null());
    }
    visible
}

/// The staff list of the items `principal` may see: filtered, searched,
/// newest first, a page at a time. Words match the sender's contact only
/// for those who may see contacts.
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    principal: &Principal,
    filter: &FeedbackFilter,
) -> Result<FeedbackList, AppError> {
    let today = vietnam_date(Utc::now());
    let mut violations = Vec::new();
    let mut query = feedback_item::Entity::find().filter(visible_to(principal));
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
    let mut departments = visible_departments(principal);
    if optional(&filter.department).is_some() {
        let (found, _) = catalogue_ids(db, &filter.department, "", &mut violations).await?;
        if let Some(id) = found {
            query = query.filter(feedback_item::Column::DepartmentId.eq(id));
            departments = Some(match departments {
                Some(visible) => visible.into_iter().filter(|d| *d == id).collect(),
                None => vec![id],
            });
        }
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    if filter.overdue.trim() == "1" {
        query = query.filter(overdue_condition(today));
    }
    // Staff see the contacts of every item they see, admins all contacts;
    // leaders none without opening one item.
    let searches_contacts = if principal.is_token() {
        principal.has_scope(Scope::PersonalData)
    } else {
        principal.role != Role::Leader
    };
    for word in plain(&filter.q).split(' ').filter(|w| !w.is_empty()) {
        let mut matches = Condition::any().add(feedback_item::Column::SearchText.contains(word));
        if searches_contacts {
            matches = matches.add(feedback_item::Column::ContactText.contains(word));
        }
        query = query.filter(matches);
    }
    // Without a status, channel, overdue or word filter, the tallies count
    // the items (a bounded number of rows, however many items there are).
    let by_visibility_only = optional(&filter.status).is_none()
        && optional(&filter.channel).is_none()
        && filter.overdue.trim() != "1"
        && plain(&filter.q).trim().is_empty();
    let total = if by_visibility_only {
        tallies::count(db, departments).await?
    } else {
        query.clone().count(db).await?
    };
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page_number(&filter.page).min(pages);
    let items = query
        .order_by_desc(feedback_item::Column::ReceivedAt)
        .order_by_desc(feedback_item::Column::Id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let departments = department_codes(db).await?;
    let overdue_total = feedback_item::Entity::find()
        .filter(visible_to(principal))
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
        total,
        page,
        pages,
        overdue_total,
    })
}

pub(super) fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    }
}

/// Whether and why the reader of one item sees its sender's contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactRead {
    /// As the reader's work needs it (staff of the department, admins,
    /// tokens with `personal-data:read`).
    Routine,
    /// A leader opened the contact of this item on purpose.
    OnPurpose,
}

/// Everything about one item `principal` may see, with its history. The
/// sender's contact is there only for those who may see it (a leader asks
/// with `reveal`), and every time it is, the audit log says who read it.
#[tracing::instrument(skip_all, fields(item = id))]
pub async fn detail(
    db: &DatabaseConnection,
    principal: &Principal,
    ip: &str,
    id: i32,
    lang: Lang,
    reveal: bool,
) -> Result<FeedbackDetail, AppError> {
    let item = find(db, id).await?;
    if !principal.sees_item_of(item.department_id) {
        return Err(AppError::NotFound("feedback item"));
    }
    let contact_read = if principal.sees_contacts_of(item.department_id) {
        Some(ContactRead::Routine)
    } else if reveal && principal.may_reveal_contacts() {
        Some(ContactRead::OnPurpose)
    } else {
        None
    };
    if let Some(why) = contact_read {
        let reason = match why {
            ContactRead::Routine => "handling",
            ContactRead::OnPurpose => "opened on purpose",
        };
        audit::record(
            db,
            &Actor::of(principal, ip),
            "feedback.contact.read",
            "feedback",
            Some(item.tracking_code.clone()),
            None::<&()>,
            Some(&serde_json::json!({ "why": reason })),
        )
        .await?;
    }
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
        content_pieces: crate::privacy::pieces(&item.content, &sender),
        answer_pieces: item
            .answer
            .as_deref()
            .map(|a| crate::privacy::pieces(a, &sender))
            .unwrap_or_default(),
        sender: contact_read.map(|_| sender),
        may_reveal_contact: contact_read.is_none() && principal.may_reveal_contacts(),
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

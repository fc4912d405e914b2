//! How long personal data is kept, and what happens after.
//!
//! Contacts are needed while work is under way: a feedback sender's until
//! the item is closed and the answer is no longer disputed, an invitee's
//! until the round is over. Admins set how many days past that point each
//! kind is kept; then [`purge`] (a daily job in every `hailong serve`, and
//! `hailong purge`) erases the contact fields and keeps the anonymous
//! content: the feedback text, the answer, the responses and every figure.
//! On a person's request an admin exports ([`export_person`]) and erases
//! ([`erase_person`]) everything that names them by phone or e-mail.
//! Expired survey drafts go too.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use serde::Serialize;

use crate::AppError;
use crate::entities::{dossier, dossier_contact, feedback_item, invitation, outbox_message, round};
use crate::model::{MessageStatus, Problem, RetentionSettings};
use crate::services::audit::{self, Actor};
use crate::services::{drafts, settings};

pub const FEEDBACK_CONTACT_DAYS: &str = "retention_days.feedback_contacts";
pub const INVITATION_CONTACT_DAYS: &str = "retention_days.invitation_contacts";
/// Two years after an item is closed: the time to raise a complaint about its handling.
pub const DEFAULT_FEEDBACK_CONTACT_DAYS: u32 = 730;
/// One year after a round closes: time for its reminders, checks and publication.
pub const DEFAULT_INVITATION_CONTACT_DAYS: u32 = 365;
/// The shortest and longest periods admins may set.
pub const MIN_DAYS: u32 = 30;
pub const MAX_DAYS: u32 = 3650;

/// The periods in force.
pub async fn periods(db: &impl ConnectionTrait) -> Result<RetentionSettings, AppError> {
    let days = async |key: &str, default: u32| -> Result<u32, AppError> {
        Ok(settings::get(db, key)
            .await?
            .and_then(|v| v.parse().ok())
            .filter(|d| (MIN_DAYS..=MAX_DAYS).contains(d))
            .unwrap_or(default))
    };
    Ok(RetentionSettings {
        feedback_contact_days: days(FEEDBACK_CONTACT_DAYS, DEFAULT_FEEDBACK_CONTACT_DAYS).await?,
        invitation_contact_days: days(INVITATION_CONTACT_DAYS, DEFAULT_INVITATION_CONTACT_DAYS)
            .await?,
    })
}

/// Sets both periods from the admin's form (whole days, 30 to 3650).
pub async fn set_periods(
    db: &DatabaseConnection,
    actor: &Actor,
    feedback_days: &str,
    invitation_days: &str,
) -> Result<RetentionSettings, AppError> {
    let parse = |field: &str, value: &str| {
        value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (MIN_DAYS..=MAX_DAYS).contains(d))
            .ok_or_else(|| {
                crate::model::Violation::new(
                    field,
                    Problem::NumberOutOfRange {
                        min: MIN_DAYS,
                        max: MAX_DAYS,
                    },
                )
            })
    };
    let (feedback, invitations) = (
        parse("feedback_contact_days", feedback_days),
        parse("invitation_contact_days", invitation_days),
    );
    let (feedback, invitations) = match (feedback, invitations) {
        (Ok(f), Ok(i)) => (f, i),
        (f, i) => {
            return Err(AppError::Invalid(
                [f.err(), i.err()].into_iter().flatten().collect(),
            ));
        }
    };
    let before = periods(db).await?;
    let txn = db.begin().await?;
    settings::set(&txn, FEEDBACK_CONTACT_DAYS, &feedback.to_string()).await?;
    settings::set(&txn, INVITATION_CONTACT_DAYS, &invitations.to_string()).await?;
    let after = RetentionSettings {
        feedback_contact_days: feedback,
        invitation_contact_days: invitations,
    };
    audit::record(
        &txn,
        actor,
        "retention.update",
        "settings",
        None,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// What a purge erased (or, dry, would erase).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    pub feedback_items: u64,
    pub invitations: u64,
    /// Dossier contacts, kept only while the rating link is open.
    pub dossier_contacts: u64,
    pub drafts: u64,
}

/// Feedback items whose contacts are past their period at `now`.
fn feedback_due(days: u32, now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(feedback_item::Column::ContactsErasedAt.is_null())
        .add(feedback_item::Column::ClosedAt.lt(now - Duration::days(i64::from(days))))
}

/// Rounds whose invitees' contacts are past their period at `now`.
async fn rounds_due(
    db: &impl ConnectionTrait,
    days: u32,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, AppError> {
    Ok(round::Entity::find()
        .select_only()
        .column(round::Column::Id)
        .filter(round::Column::ClosesAt.lt(now - Duration::days(i64::from(days))))
        .into_tuple()
        .all(db)
        .await?)
}

/// Dossiers whose rating link closed before `now` (a day of margin for the
/// Vietnam calendar day the link counts in).
async fn dossier_contacts_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<sea_orm::sea_query::SelectStatement, AppError> {
    let days = crate::services::dossiers::rating_days(db).await?;
    Ok(Query::select()
        .column(dossier::Column::Id)
        .from(dossier::Entity)
        .and_where(dossier::Column::CompletedAt.lt(now - Duration::days(i64::from(days) + 1)))
        .to_owned())
}

/// Erases the contacts that are past their period at `now` (or, with
/// `dry_run`, only counts them) and forgets expired survey drafts.
#[tracing::instrument(skip_all)]
pub async fn purge(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Purged, AppError> {
    let periods = periods(db).await?;
    let rounds = rounds_due(db, periods.invitation_contact_days, now).await?;
    let invitations_due = Condition::all()
        .add(invitation::Column::ContactsErasedAt.is_null())
        .add(invitation::Column::RoundId.is_in(rounds));
    let feedback_due = feedback_due(periods.feedback_contact_days, now);
    let dossiers_due = dossier_contacts_due(db, now).await?;
    if dry_run {
        use sea_orm::PaginatorTrait;
        return Ok(Purged {
            feedback_items: feedback_item::Entity::find()
                .filter(feedback_due)
                .count(db)
                .await?,
            invitations: invitation::Entity::find()
                .filter(invitations_due)
                .count(db)
                .await?,
            dossier_contacts: dossier_contact::Entity::find()
                .filter(dossier_contact::Column::DossierId.in_subquery(dossiers_due))
                .count(db)
                .await?,
            drafts: 0,
        });
    }
    let txn = db.begin().await?;
    let feedback_items = erase_feedback_contacts(&txn, feedback_due, now).await?;
    let invitations = erase_invitation_contacts(&txn, invitations_due, now).await?;
    withdraw_messages(
        &txn,
        outbox_message::Column::DossierId,
        dossiers_due.clone(),
    )
    .await?;
    let dossier_contacts = dossier_contact::Entity::delete_many()
        .filter(dossier_contact::Column::DossierId.in_subquery(dossiers_due))
        .exec(&txn)
        .await?
        .rows_affected;
    let purged = Purged {
        feedback_items,
        invitations,
        dossier_contacts,
        drafts: 0,
    };
    if feedback_items + invitations + dossier_contacts > 0 {
        audit::record(
            &txn,
            &Actor::system(),
            "personal_data.purge",
            "retention",
            None,
            Some(&periods),
            Some(&purged),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Purged {
        drafts: drafts::forget_expired(db).await?,
        ..purged
    })
}

async fn erase_feedback_contacts(
    db: &impl ConnectionTrait,
    which: Condition,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let items = Query::select()
        .column(feedback_item::Column::Id)
        .from(feedback_item::Entity)
        .cond_where(which.clone())
        .to_owned();
    withdraw_messages(db, outbox_message::Column::FeedbackId, items).await?;
    let erased = feedback_item::Entity::update_many()
        .col_expr(
            feedback_item::Column::SenderName,
            Expr::value(None::<String>),
        )
        .col_expr(
            feedback_item::Column::SenderAddress,
            Expr::value(None::<String>),
        )
        .col_expr(
            feedback_item::Column::SenderPhone,
            Expr::value(None::<String>),
        )
        .col_expr(
            feedback_item::Column::SenderEmail,
            Expr::value(None::<String>),
        )
        .col_expr(
            feedback_item::Column::ContactText,
            Expr::value(None::<String>),
        )
        .col_expr(feedback_item::Column::ContactsErasedAt, Expr::value(now))
        .filter(which)
        .exec(db)
        .await?;
    Ok(erased.rows_affected)
}

/// Messages not yet delivered to the people `of` selects (their ids, in
/// the outbox's `column`) go with their contacts: withdrawn, the address
/// erased (delivered ones no longer hold one).
async fn withdraw_messages(
    db: &impl ConnectionTrait,
    column: outbox_message::Column,
    of: sea_orm::sea_query::SelectStatement,
) -> Result<(), AppError> {
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Recipient,
            Expr::value(None::<String>),
        )
        .col_expr(
            outbox_message::Column::Status,
            Expr::value(MessageStatus::Cancelled.code()),
        )
        .filter(column.in_subquery(of))
        .filter(outbox_message::Column::Recipient.is_not_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn erase_invitation_contacts(
    db: &impl ConnectionTrait,
    which: Condition,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let invitations = Query::select()
        .column(invitation::Column::Id)
        .from(invitation::Entity)
        .cond_where(which.clone())
        .to_owned();
    withdraw_messages(db, outbox_message::Column::InvitationId, invitations).await?;
    let erased = invitation::Entity::update_many()
        .col_expr(invitation::Column::Name, Expr::value(String::new()))
        .col_expr(invitation::Column::TaxCode, Expr::value(None::<String>))
        .col_expr(invitation::Column::Email, Expr::value(None::<String>))
        .col_expr(invitation::Column::Phone, Expr::value(None::<String>))
        .col_expr(invitation::Column::ContactsErasedAt, Expr::value(now))
        .filter(which)
        .exec(db)
        .await?;
    Ok(erased.rows_affected)
}

/// Digits of a phone number, without a leading 84 or 0 ("+84 905 123 456"
/// and "0905123456" are the same number).
fn phone_key(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.strip_prefix("84").unwrap_or(&digits);
    digits.trim_start_matches('0').to_owned()
}

/// The person a request is about: a phone number or an e-mail address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonKey {
    Phone(String),
    Email(String),
}

impl PersonKey {
    pub fn parse(identifier: &str) -> Result<Self, AppError> {
        let identifier = identifier.trim();
        if identifier.contains('@') && identifier.len() <= 254 {
            return Ok(Self::Email(identifier.to_lowercase()));
        }
        let key = phone_key(identifier);
        if (8..=12).contains(&key.len()) {
            Ok(Self::Phone(key))
        } else {
            Err(AppError::invalid("identifier", Problem::InvalidValue))
        }
    }

    fn matches(&self, phone: Option<&str>, email: Option<&str>) -> bool {
        match self {
            Self::Phone(key) => phone.is_some_and(|p| phone_key(p) == *key),
            Self::Email(address) => email.is_some_and(|e| e.trim().to_lowercase() == *address),
        }
    }
}

/// Everything stored that names one person, as handed to them on request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PersonData {
    pub feedback_items: Vec<serde_json::Value>,
    pub invitations: Vec<serde_json::Value>,
    /// The dossiers whose rating link was to reach them (never the rating).
    pub dossiers: Vec<serde_json::Value>,
}

/// The dossier contacts that name `person`, with their dossier's code.
async fn matching_dossier_contacts(
    db: &impl ConnectionTrait,
    person: &PersonKey,
) -> Result<Vec<(dossier_contact::Model, String)>, AppError> {
    let contacts: Vec<dossier_contact::Model> = dossier_contact::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|c| person.matches(c.phone.as_deref(), c.email.as_deref()))
        .collect();
    let codes: std::collections::BTreeMap<i32, String> = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(contacts.iter().map(|c| c.dossier_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.code))
        .collect();
    Ok(contacts
        .into_iter()
        .map(|c| {
            let code = codes.get(&c.dossier_id).cloned().unwrap_or_default();
            (c, code)
        })
        .collect())
}

async fn matching(
    db: &impl ConnectionTrait,
    person: &PersonKey,
) -> Result<(Vec<feedback_item::Model>, Vec<invitation::Model>), AppError> {
    // Contacts are few per agency; compared here so that every way of
    // writing a phone number matches.
    let items = feedback_item::Entity::find()
        .filter(
            Condition::any()
                .add(feedback_item::Column::SenderPhone.is_not_null())
                .add(feedback_item::Column::SenderEmail.is_not_null()),
        )
        .all(db)
        .await?
        .into_iter()
        .filter(|i| person.matches(i.sender_phone.as_deref(), i.sender_email.as_deref()))
        .collect();
    let invitations = invitation::Entity::find()
        .filter(
            Condition::any()
                .add(invitation::Column::Phone.is_not_null())
                .add(invitation::Column::Email.is_not_null()),
        )
        .all(db)
        .await?
        .into_iter()
        .filter(|i| person.matches(i.phone.as_deref(), i.email.as_deref()))
        .collect();
    Ok((items, invitations))
}

/// Everything stored about the person `identifier` names; the export is
/// in the audit log with its reason.
#[tracing::instrument(skip_all)]
pub async fn export_person(
    db: &DatabaseConnection,
    actor: &Actor,
    identifier: &str,
    reason: &str,
) -> Result<PersonData, AppError> {
    let person = PersonKey::parse(identifier)?;
    let reason = required_reason(reason)?;
    let (items, invitations) = matching(db, &person).await?;
    let dossier_contacts = matching_dossier_contacts(db, &person).await?;
    let data = PersonData {
        dossiers: dossier_contacts
            .iter()
            .map(|(c, code)| {
                serde_json::json!({
                    "code": code,
                    "phone": c.phone,
                    "email": c.email,
                })
            })
            .collect(),
        feedback_items: items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "tracking_code": i.tracking_code,
                    "received_at": i.received_at,
                    "channel": i.channel,
                    "status": i.status,
                    "name": i.sender_name,
                    "address": i.sender_address,
                    "phone": i.sender_phone,
                    "email": i.sender_email,
                    "subject": i.subject,
                    "content": i.content,
                    "answer": i.answer,
                })
            })
            .collect(),
        invitations: invitations
            .iter()
            .map(|i| {
                serde_json::json!({
                    "code": i.code,
                    "created_at": i.created_at,
                    "name": i.name,
                    "tax_code": i.tax_code,
                    "phone": i.phone,
                    "email": i.email,
                })
            })
            .collect(),
    };
    audit_request(
        db,
        actor,
        "personal_data.export",
        reason,
        &items,
        &invitations,
    )
    .await?;
    Ok(data)
}

/// Erases the contacts of every record that names the person `identifier`
/// names, keeping the anonymous content; returns how many records.
#[tracing::instrument(skip_all)]
pub async fn erase_person(
    db: &DatabaseConnection,
    actor: &Actor,
    identifier: &str,
    reason: &str,
) -> Result<Purged, AppError> {
    let person = PersonKey::parse(identifier)?;
    let reason = required_reason(reason)?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let (items, invitations) = matching(&txn, &person).await?;
    let item_ids: Vec<i32> = items.iter().map(|i| i.id).collect();
    let invitation_ids: Vec<i32> = invitations.iter().map(|i| i.id).collect();
    let dossier_ids: Vec<i32> = matching_dossier_contacts(&txn, &person)
        .await?
        .iter()
        .map(|(c, _)| c.dossier_id)
        .collect();
    withdraw_messages(
        &txn,
        outbox_message::Column::DossierId,
        Query::select()
            .column(dossier::Column::Id)
            .from(dossier::Entity)
            .and_where(dossier::Column::Id.is_in(dossier_ids.clone()))
            .to_owned(),
    )
    .await?;
    let erased = Purged {
        dossier_contacts: dossier_contact::Entity::delete_many()
            .filter(dossier_contact::Column::DossierId.is_in(dossier_ids))
            .exec(&txn)
            .await?
            .rows_affected,
        feedback_items: erase_feedback_contacts(
            &txn,
            Condition::all().add(feedback_item::Column::Id.is_in(item_ids)),
            now,
        )
        .await?,
        invitations: erase_invitation_contacts(
            &txn,
            Condition::all().add(invitation::Column::Id.is_in(invitation_ids)),
            now,
        )
        .await?,
        drafts: 0,
    };
    audit_request(
        &txn,
        actor,
        "personal_data.erase",
        reason,
        &items,
        &invitations,
    )
    .await?;
    txn.commit().await?;
    Ok(erased)
}

/// The audit entry of a person's request: why, and which records (by
/// their codes, never their contacts).
async fn audit_request(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    reason: &str,
    items: &[feedback_item::Model],
    invitations: &[invitation::Model],
) -> Result<(), AppError> {
    audit::record(
        db,
        actor,
        action,
        "person",
        None,
        None::<&()>,
        Some(&serde_json::json!({
            "reason": reason,
            "feedback_items": items.iter().map(|i| &i.tracking_code).collect::<Vec<_>>(),
            "invitations": invitations.iter().map(|i| &i.code).collect::<Vec<_>>(),
        })),
    )
    .await
}

fn required_reason(reason: &str) -> Result<&str, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err(AppError::invalid("reason", Problem::Required))
    } else {
        Ok(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_is_the_same_however_it_is_written() {
        for written in [
            "0905 123 456",
            "+84 905-123-456",
            "84905123456",
            "0905.123.456",
        ] {
            assert_eq!(
                PersonKey::parse(written).unwrap(),
                PersonKey::Phone("905123456".to_owned())
            );
        }
        assert_eq!(
            PersonKey::parse(" Ngoc.Tran@ChuLai.vn ").unwrap(),
            PersonKey::Email("ngoc.tran@chulai.vn".to_owned())
        );
        assert!(PersonKey::parse("12").is_err());
    }
}

//! Invitations by e-mail, or by text message to an invitee who left only a
//! phone (docs/architecture.md, "Outbox"). Staff queue a round's
//! invitations in one transaction; the outbox delivers them, each with the
//! invitee's personal link. Reminders follow the round's schedule
//! (days after the invitation was delivered) for invitees who have not
//! answered, and a reminder still waiting when the invitee answers is
//! withdrawn at delivery. An invitee may ask for no more survey mail: the
//! invitation remembers it, and the address is kept only as a keyed hash so
//! that later rounds do not write to it either.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{invitation, mail_suppression, outbox_message, response, round};
use crate::i18n::Lang;
use crate::messages::{self, SurveyInvitation};
use crate::model::{InvitationProgress, MessageChannel, MessageKind, MessageStatus, Role};
use crate::public_codes::normalise;
use crate::services::audit::{self, Actor};
use crate::services::{outbox, rounds, settings};

/// Who sends a round's invitations and sets its reminders.
pub const SENDERS: &[Role] = &[Role::Admin, Role::Staff];

/// The keyed hash under which an address (or a phone, for text messages)
/// that asked for no more survey mail is kept (case and surrounding spaces
/// do not matter).
pub fn address_hash(key: &[u8], email: &str) -> String {
    let address = email.trim().to_lowercase();
    hex::encode(crate::quality::mac(key, &format!("mail\0{address}")))
}

/// Where survey mail to `invitee` goes: the e-mail address, else a text
/// message to the phone.
fn contact_of(invitee: &invitation::Model) -> Option<(MessageChannel, String)> {
    let present = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    match (present(&invitee.email), present(&invitee.phone)) {
        (Some(email), _) => Some((MessageChannel::Email, email)),
        (None, Some(phone)) => Some((MessageChannel::Sms, phone)),
        (None, None) => None,
    }
}

/// The invitations of `round_id` with an address or phone the outbox may
/// write to: contacts not erased, no request to stop survey mail (on the
/// invitation or, by its hash, on the address or phone).
async fn reachable(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<invitation::Model>, AppError> {
    let with_address: Vec<invitation::Model> = invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(round_id))
        .filter(
            Condition::any()
                .add(invitation::Column::Email.is_not_null())
                .add(invitation::Column::Phone.is_not_null()),
        )
        .filter(invitation::Column::ContactsErasedAt.is_null())
        .filter(invitation::Column::UnsubscribedAt.is_null())
        .all(db)
        .await?;
    let key = crate::services::quality::signing_key(db).await?;
    let hashes: HashMap<i32, String> = with_address
        .iter()
        .filter_map(|i| Some((i.id, address_hash(&key, &contact_of(i)?.1))))
        .collect();
    let suppressed = suppressed(db, hashes.values().cloned().collect()).await?;
    Ok(with_address
        .into_iter()
        .filter(|i| hashes.get(&i.id).is_some_and(|h| !suppressed.contains(h)))
        .collect())
}

/// Those of `hashes` that asked for no more survey mail.
async fn suppressed(
    db: &impl ConnectionTrait,
    hashes: Vec<String>,
) -> Result<HashSet<String>, AppError> {
    let mut found = HashSet::new();
    for chunk in hashes.chunks(500) {
        let rows: Vec<String> = mail_suppression::Entity::find()
            .select_only()
            .column(mail_suppression::Column::AddressHash)
            .filter(mail_suppression::Column::AddressHash.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// The invitations of `round_id` that have a response.
async fn answered(db: &impl ConnectionTrait, round_id: i32) -> Result<HashSet<i32>, AppError> {
    let ids: Vec<Option<i32>> = response::Entity::find()
        .select_only()
        .column(response::Column::InvitationId)
        .filter(response::Column::RoundId.eq(round_id))
        .filter(response::Column::InvitationId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().flatten().collect())
}

/// A reminder due: the invitee, where to write, the language, the step.
type Reminder = (invitation::Model, (MessageChannel, String), Lang, i32);

/// One message to an invitee, as the schedule reads it.
struct Sent {
    invitation_id: i32,
    sequence: i32,
    status: MessageStatus,
    sent_at: Option<DateTime<Utc>>,
    lang: String,
}

/// The messages of `kind` to the invitations of `round_id`.
async fn messages_of(
    db: &impl ConnectionTrait,
    round_id: i32,
    kind: MessageKind,
) -> Result<Vec<Sent>, AppError> {
    let of_round = Query::select()
        .column(invitation::Column::Id)
        .from(invitation::Entity)
        .and_where(invitation::Column::RoundId.eq(round_id))
        .to_owned();
    type Row = (
        Option<i32>,
        Option<i32>,
        MessageStatus,
        Option<DateTime<Utc>>,
        String,
    );
    let rows: Vec<Row> = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::InvitationId)
        .column(outbox_message::Column::Sequence)
        .column(outbox_message::Column::Status)
        .column(outbox_message::Column::SentAt)
        .column(outbox_message::Column::Lang)
        .filter(outbox_message::Column::Kind.eq(kind))
        .filter(outbox_message::Column::InvitationId.in_subquery(of_round))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, sequence, status, sent_at, lang)| {
            Some(Sent {
                invitation_id: id?,
                sequence: sequence.unwrap_or(0),
                status,
                sent_at,
                lang,
            })
        })
        .collect())
}

/// What an invitation or reminder of `round` says in `lang`, but for the
/// invitee's code.
async fn payload(
    db: &impl ConnectionTrait,
    round: &round::Model,
    lang: Lang,
) -> Result<SurveyInvitation, AppError> {
    Ok(SurveyInvitation {
        agency: settings::agency_name_in(db, lang).await?,
        round_title: lang.pick(&round.title_vi, &round.title_en).to_owned(),
        slug: round.slug.clone(),
        code: String::new(),
        closes_on: round.closes_at.map(crate::working_days::vietnam_date),
    })
}

fn for_invitee(says: &SurveyInvitation, invitee: &invitation::Model) -> SurveyInvitation {
    SurveyInvitation {
        code: invitee.code.clone(),
        ..says.clone()
    }
}

/// Queues an invitation (e-mail, else text message) to every reachable invitee of `round` the
/// principal may contact who has not answered and has no invitation queued
/// or delivered yet, in one transaction; returns how many were queued.
#[tracing::instrument(skip_all)]
pub async fn queue(
    db: &DatabaseConnection,
    principal: &Principal,
    actor: &Actor,
    round: &round::Model,
    lang: Lang,
) -> Result<u64, AppError> {
    if !principal.has_role(SENDERS) {
        return Err(AppError::Forbidden);
    }
    rounds::accepts_responses(round, Utc::now())?;
    let txn = db.begin().await?;
    crate::db::write_first(&txn).await?;
    let answered = answered(&txn, round.id).await?;
    let invited: HashSet<i32> = messages_of(&txn, round.id, MessageKind::SurveyInvitation)
        .await?
        .into_iter()
        .map(|m| m.invitation_id)
        .collect();
    let says = payload(&txn, round, lang).await?;
    let mut queued = 0;
    for invitee in reachable(&txn, round.id).await? {
        if answered.contains(&invitee.id)
            || invited.contains(&invitee.id)
            || !principal.sees_contacts_of(invitee.department_id)
        {
            continue;
        }
        let Some((channel, recipient)) = contact_of(&invitee) else {
            continue;
        };
        if outbox::enqueue_invitation(
            &txn,
            (channel, &recipient),
            MessageKind::SurveyInvitation,
            &for_invitee(&says, &invitee),
            lang,
            invitee.id,
            0,
        )
        .await?
        {
            queued += 1;
        }
    }
    if queued > 0 {
        audit::record(
            &txn,
            actor,
            "invitation.email.queue",
            "round",
            Some(round.slug.clone()),
            None::<&()>,
            Some(&serde_json::json!({ "queued": queued })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(queued)
}

/// Sets `round`'s reminder schedule from what was typed ("7, 14"; empty
/// for none); returns it as stored.
pub async fn set_reminder_days(
    db: &DatabaseConnection,
    principal: &Principal,
    actor: &Actor,
    round: &round::Model,
    typed: &str,
) -> Result<String, AppError> {
    if !principal.has_role(SENDERS) {
        return Err(AppError::Forbidden);
    }
    let days = messages::parse_reminder_days(typed)
        .map_err(|problem| AppError::invalid("reminder_days", problem))?;
    let stored = messages::format_reminder_days(&days);
    let txn = db.begin().await?;
    round::Entity::update_many()
        .col_expr(
            round::Column::ReminderDays,
            Expr::value((!stored.is_empty()).then(|| stored.clone())),
        )
        .filter(round::Column::Id.eq(round.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "round.reminders",
        "round",
        Some(round.slug.clone()),
        Some(&serde_json::json!({ "reminder_days": round.reminder_days })),
        Some(&serde_json::json!({ "reminder_days": stored })),
    )
    .await?;
    txn.commit().await?;
    Ok(stored)
}

/// Queues the reminders due at `now` in every round that takes responses:
/// to each reachable invitee whose invitation was delivered, who has not
/// answered, the latest reminder of the schedule that has come due and was
/// not queued yet (a reminder missed while the server was down is not sent
/// late on top of the next one). Returns how many were queued.
#[tracing::instrument(skip_all)]
pub async fn queue_reminders(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, AppError> {
    let mut queued = 0;
    for round in rounds::list_open(db, now).await? {
        let days = round
            .reminder_days
            .as_deref()
            .and_then(|d| messages::parse_reminder_days(d).ok())
            .unwrap_or_default();
        if days.is_empty() {
            continue;
        }
        // Read first, outside a transaction: most minutes nothing is due. A
        // reminder queued for someone who answers meanwhile is withdrawn at
        // delivery; the outbox keeps one reminder per step and invitee.
        let due = reminders_due_in(db, &round, &days, now).await?;
        if due.is_empty() {
            continue;
        }
        let mut says: HashMap<Lang, SurveyInvitation> = HashMap::new();
        for lang in [Lang::Vi, Lang::En] {
            says.insert(lang, payload(db, &round, lang).await?);
        }
        let txn = db.begin().await?;
        crate::db::write_first(&txn).await?;
        for (invitee, (channel, recipient), lang, step) in due {
            if outbox::enqueue_invitation(
                &txn,
                (channel, &recipient),
                MessageKind::SurveyReminder,
                &for_invitee(&says[&lang], &invitee),
                lang,
                invitee.id,
                step,
            )
            .await?
            {
                queued += 1;
            }
        }
        txn.commit().await?;
    }
    Ok(queued)
}

/// The reminders of `round` due at `now` and not queued yet: the invitee,
/// where to write, the invitation's language and the step of the schedule.
async fn reminders_due_in(
    db: &DatabaseConnection,
    round: &round::Model,
    days: &[u32],
    now: DateTime<Utc>,
) -> Result<Vec<Reminder>, AppError> {
    // The invitation's delivery and language, per invitee.
    let delivered: HashMap<i32, (DateTime<Utc>, Lang)> =
        messages_of(db, round.id, MessageKind::SurveyInvitation)
            .await?
            .into_iter()
            .filter_map(|m| Some((m.invitation_id, (m.sent_at?, Lang::parse(Some(&m.lang))))))
            .collect();
    if delivered.is_empty() {
        return Ok(Vec::new());
    }
    let mut reminded: HashMap<i32, i32> = HashMap::new();
    for m in messages_of(db, round.id, MessageKind::SurveyReminder).await? {
        let latest = reminded.entry(m.invitation_id).or_default();
        *latest = (*latest).max(m.sequence);
    }
    let answered = answered(db, round.id).await?;
    Ok(reachable(db, round.id)
        .await?
        .into_iter()
        .filter_map(|invitee| {
            let (sent_at, lang) = delivered.get(&invitee.id)?;
            let step = messages::reminders_due(days, *sent_at, now) as i32;
            let done = reminded.get(&invitee.id).copied().unwrap_or(0);
            if step <= done || answered.contains(&invitee.id) {
                return None;
            }
            let contact = contact_of(&invitee)?;
            Some((invitee, contact, *lang, step))
        })
        .collect())
}

/// Those of `claimed` (outbox messages about to be sent) that must not go
/// out: survey mail whose invitee answered, asked for no more survey mail
/// or had their contacts erased meanwhile.
pub async fn no_longer_wanted(
    db: &impl ConnectionTrait,
    claimed: &[outbox_message::Model],
) -> Result<HashSet<i32>, AppError> {
    let survey_mail: Vec<&outbox_message::Model> = claimed
        .iter()
        .filter(|m| {
            matches!(
                m.kind,
                MessageKind::SurveyInvitation | MessageKind::SurveyReminder
            )
        })
        .collect();
    if survey_mail.is_empty() {
        return Ok(HashSet::new());
    }
    let ids: Vec<i32> = survey_mail.iter().filter_map(|m| m.invitation_id).collect();
    let still_reachable: HashSet<i32> = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::Id)
        .filter(invitation::Column::Id.is_in(ids.clone()))
        .filter(invitation::Column::ContactsErasedAt.is_null())
        .filter(invitation::Column::UnsubscribedAt.is_null())
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let answered: HashSet<i32> = response::Entity::find()
        .select_only()
        .column(response::Column::InvitationId)
        .filter(response::Column::InvitationId.is_in(ids))
        .into_tuple::<Option<i32>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let key = crate::services::quality::signing_key(db).await?;
    let hashes: HashMap<i32, String> = survey_mail
        .iter()
        .filter_map(|m| Some((m.id, address_hash(&key, m.recipient.as_deref()?))))
        .collect();
    let suppressed = suppressed(db, hashes.values().cloned().collect()).await?;
    Ok(survey_mail
        .into_iter()
        .filter(|m| {
            let wanted = m
                .invitation_id
                .is_some_and(|id| still_reachable.contains(&id) && !answered.contains(&id))
                && hashes.get(&m.id).is_some_and(|h| !suppressed.contains(h));
            !wanted
        })
        .map(|m| m.id)
        .collect())
}

/// Notes that the invitee of `code` followed their personal link (the
/// first time counts).
pub async fn mark_opened(
    db: &impl ConnectionTrait,
    round_id: i32,
    code: &str,
) -> Result<(), AppError> {
    invitation::Entity::update_many()
        .col_expr(invitation::Column::OpenedAt, Expr::value(Some(Utc::now())))
        .filter(invitation::Column::RoundId.eq(round_id))
        .filter(invitation::Column::Code.eq(normalise(code)))
        .filter(invitation::Column::OpenedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The invitee of `code` asks for no more survey mail: the invitation
/// remembers it, the address joins the suppressed ones (as its hash) and
/// the messages still waiting for it are withdrawn. Asking twice is fine.
pub async fn unsubscribe(
    db: &DatabaseConnection,
    round: &round::Model,
    code: &str,
) -> Result<(), AppError> {
    let invitee = super::find(db, round.id, code)
        .await?
        .ok_or(AppError::NotFound("invitation"))?;
    let key = crate::services::quality::signing_key(db).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    invitation::Entity::update_many()
        .col_expr(invitation::Column::UnsubscribedAt, Expr::value(Some(now)))
        .filter(invitation::Column::Id.eq(invitee.id))
        .filter(invitation::Column::UnsubscribedAt.is_null())
        .exec(&txn)
        .await?;
    if let Some((_, address)) = contact_of(&invitee) {
        mail_suppression::Entity::insert(mail_suppression::ActiveModel {
            address_hash: Set(address_hash(&key, &address)),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(mail_suppression::Column::AddressHash)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Status,
            Expr::value(MessageStatus::Cancelled.code()),
        )
        .col_expr(
            outbox_message::Column::Recipient,
            Expr::value(None::<String>),
        )
        .filter(outbox_message::Column::InvitationId.eq(invitee.id))
        .filter(outbox_message::Column::Status.eq(MessageStatus::Queued))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Where the invitations of `round_id` stand.
#[tracing::instrument(skip_all)]
pub async fn progress(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<InvitationProgress, AppError> {
    let of_round = || invitation::Entity::find().filter(invitation::Column::RoundId.eq(round_id));
    let answered = answered(db, round_id).await?;
    let reachable = reachable(db, round_id).await?;
    let invitations = messages_of(db, round_id, MessageKind::SurveyInvitation).await?;
    let invited: HashSet<i32> = invitations.iter().map(|m| m.invitation_id).collect();
    let count =
        |status: MessageStatus| invitations.iter().filter(|m| m.status == status).count() as u64;
    let reminded = messages_of(db, round_id, MessageKind::SurveyReminder)
        .await?
        .into_iter()
        .filter(|m| m.status == MessageStatus::Sent)
        .count() as u64;
    Ok(InvitationProgress {
        invitations: of_round().count(db).await?,
        reachable: reachable.len() as u64,
        queued: count(MessageStatus::Queued),
        sent: count(MessageStatus::Sent),
        failed: count(MessageStatus::Dead),
        opened: of_round()
            .filter(invitation::Column::OpenedAt.is_not_null())
            .count(db)
            .await?,
        answered: answered.len() as u64,
        unsubscribed: of_round()
            .filter(invitation::Column::UnsubscribedAt.is_not_null())
            .count(db)
            .await?,
        reminded,
        to_send: reachable
            .iter()
            .filter(|i| !answered.contains(&i.id) && !invited.contains(&i.id))
            .count() as u64,
    })
}

//! The outbox (docs/architecture.md, "Outbox"): a message is stored in the
//! transaction of the event that causes it ([`enqueue_email`]) and delivered
//! later by [`deliver_due`], which each `hailong serve` process runs every
//! few seconds and `hailong send` runs once. A sender claims due rows for a
//! lease (PostgreSQL skips rows another instance holds); a process that
//! dies mid-delivery leaves the lease to expire and the row is claimed
//! again. Failures wait longer each time ([`messages::backoff`]); after
//! [`messages::MAX_ATTEMPTS`], or at once on a permanent refusal, the
//! message is `dead` until an admin queues it again. The recipient is
//! erased once the message is delivered or cancelled.

mod mail;
mod sms;
mod webhook_sender;

pub use mail::{Failure, MailSettings, Mailer, SendRates};
pub use sms::{DEFAULT_BODY, Phone, SmsGateway, SmsSettings, fill};
pub use webhook_sender::WebhookSender;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde::Serialize;

use crate::AppError;
use crate::entities::{outbox_message, webhook};
use crate::i18n::{Lang, local_time};
use crate::messages::{self, RenderError};
use crate::model::{
    MessageChannel, MessageKind, MessageStatus, OutboxCount, OutboxPageData, OutboxRow,
    WebhookEvent,
};
use crate::services::audit::{self, Actor};

/// How long a sender holds the messages it claimed.
pub const LEASE: Duration = Duration::minutes(5);

/// Messages claimed at once by one sender.
pub const BATCH: u64 = 50;

/// Stores an e-mail of `kind` to `recipient` inside `txn` (the event's own
/// transaction), due at once.
pub async fn enqueue_email(
    txn: &impl ConnectionTrait,
    kind: MessageKind,
    recipient: &str,
    payload: &impl Serialize,
    lang: Lang,
    feedback_id: Option<i32>,
) -> Result<outbox_message::Model, AppError> {
    let mut row = new_message(MessageChannel::Email, kind, recipient, payload, lang)?;
    row.feedback_id = Set(feedback_id);
    Ok(row.insert(txn).await?)
}

/// Stores a text message (SMS) of `kind` to the phone `recipient` inside
/// `txn` (the event's own transaction), due at once.
pub async fn enqueue_sms(
    txn: &impl ConnectionTrait,
    kind: MessageKind,
    recipient: &str,
    payload: &impl Serialize,
    lang: Lang,
    feedback_id: Option<i32>,
) -> Result<outbox_message::Model, AppError> {
    let mut row = new_message(MessageChannel::Sms, kind, recipient, payload, lang)?;
    row.feedback_id = Set(feedback_id);
    Ok(row.insert(txn).await?)
}

/// The rating-link notice of one completed dossier, to its contact.
pub struct DossierNotice {
    pub dossier_id: i32,
    /// E-mail when the dossier has an address, else a text message.
    pub channel: MessageChannel,
    pub recipient: String,
    pub notice: messages::DossierRatingNotice,
}

/// Stores the rating-link notices of completed dossiers inside `txn` (the
/// batch's own transaction), due at once: a batch's notices in one
/// statement, a longer list a thousand per statement.
pub async fn enqueue_dossier_notices(
    txn: &impl ConnectionTrait,
    notices: &[DossierNotice],
    lang: Lang,
) -> Result<(), AppError> {
    // Eleven values a row: 11,000 a statement, well under the bounds of
    // SQLite (32,766) and PostgreSQL (65,535).
    const CHUNK: usize = 1_000;
    for chunk in notices.chunks(CHUNK) {
        let rows = chunk
            .iter()
            .map(|n| {
                let mut row = new_message(
                    n.channel,
                    MessageKind::DossierRatingLink,
                    &n.recipient,
                    &n.notice,
                    lang,
                )?;
                row.dossier_id = Set(Some(n.dossier_id));
                Ok(row)
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        outbox_message::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Stores the event `body` of `kind` once for each webhook of
/// `webhook_ids` inside `txn` (the event's own transaction), due at once.
/// Such a row has no recipient: its webhook says where it goes.
pub async fn enqueue_webhook_event(
    txn: &impl ConnectionTrait,
    webhook_ids: &[i32],
    kind: MessageKind,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let rows = webhook_ids.iter().map(|id| outbox_message::ActiveModel {
        channel: Set(MessageChannel::Webhook),
        kind: Set(kind),
        recipient: Set(None),
        recipient_domain: Set(None),
        payload: Set(body.to_owned()),
        lang: Set(Lang::Vi.code().to_owned()),
        status: Set(MessageStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        webhook_id: Set(Some(*id)),
        ..Default::default()
    });
    outbox_message::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// Stores a work alert of `kind` to the e-mail address `recipient` inside
/// `txn`, unless one with the same `alert_key` (what it is about and for
/// whom) is stored already: returns whether it was stored now.
pub async fn enqueue_alert(
    txn: &impl ConnectionTrait,
    kind: MessageKind,
    recipient: &str,
    payload: &impl Serialize,
    feedback_id: Option<i32>,
    alert_key: &str,
) -> Result<bool, AppError> {
    let mut row = new_message(MessageChannel::Email, kind, recipient, payload, Lang::Vi)?;
    row.feedback_id = Set(feedback_id);
    row.alert_key = Set(Some(alert_key.to_owned()));
    let stored = outbox_message::Entity::insert(row)
        .on_conflict(
            // The unique index holds only rows with a key; the target names
            // its condition, as both backends require for a partial index.
            OnConflict::column(outbox_message::Column::AlertKey)
                .target_and_where(is_set(outbox_message::Column::AlertKey))
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(stored == 1)
}

/// Stores message `sequence` of `kind` (0 the invitation, 1 the first
/// reminder…) to the invitee of `invitation_id` inside `txn`, by the
/// channel and to the recipient of `to`, unless that one is stored already
/// (a concurrent click, a second pass): returns whether it was stored now.
pub async fn enqueue_invitation(
    txn: &impl ConnectionTrait,
    (channel, recipient): (MessageChannel, &str),
    kind: MessageKind,
    payload: &impl Serialize,
    lang: Lang,
    invitation_id: i32,
    sequence: i32,
) -> Result<bool, AppError> {
    let mut row = new_message(channel, kind, recipient, payload, lang)?;
    row.invitation_id = Set(Some(invitation_id));
    row.sequence = Set(Some(sequence));
    let stored = outbox_message::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                outbox_message::Column::InvitationId,
                outbox_message::Column::Kind,
                outbox_message::Column::Sequence,
            ])
            .target_and_where(is_set(outbox_message::Column::InvitationId))
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(stored == 1)
}

/// `column IS NOT NULL`, unqualified: the condition of the outbox's partial
/// unique indexes, which an upsert's conflict target must repeat.
fn is_set(column: outbox_message::Column) -> Expr {
    use sea_orm::sea_query::ExprTrait;
    Expr::col(column).is_not_null()
}

/// A message of `kind` to `recipient` by `channel`, due at once; an
/// e-mail keeps its recipient's domain apart (for the rates).
fn new_message(
    channel: MessageChannel,
    kind: MessageKind,
    recipient: &str,
    payload: &impl Serialize,
    lang: Lang,
) -> Result<outbox_message::ActiveModel, AppError> {
    let now = Utc::now();
    let payload = serde_json::to_string(payload).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(outbox_message::ActiveModel {
        channel: Set(channel),
        kind: Set(kind),
        recipient: Set(Some(recipient.trim().to_owned())),
        recipient_domain: Set((channel == MessageChannel::Email)
            .then(|| recipient.rsplit_once('@'))
            .flatten()
            .map(|(_, domain)| domain.trim().to_lowercase())),
        payload: Set(payload),
        lang: Set(lang.code().to_owned()),
        status: Set(MessageStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    })
}

/// Claims up to `limit` queued messages of `channel` due at `now` and not
/// held by another sender, holding them until `now + LEASE`; each claim
/// counts an attempt.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    channel: MessageChannel,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox_message::Model>, AppError> {
    let backend = db.get_database_backend();
    let (sql, skip_locked) = match backend {
        DbBackend::Postgres => (
            "UPDATE outbox_messages SET claimed_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox_messages \
               WHERE status = $2 AND channel = $3 AND next_attempt_at <= $4 \
                 AND (claimed_until IS NULL OR claimed_until <= $4) \
               ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) \
             RETURNING *",
            true,
        ),
        _ => (
            // SQLite lets one writer in at a time: the statement alone is
            // the claim.
            "UPDATE outbox_messages SET claimed_until = ?, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox_messages \
               WHERE status = ? AND channel = ? AND next_attempt_at <= ? \
                 AND (claimed_until IS NULL OR claimed_until <= ?) \
               ORDER BY id LIMIT ?) \
             RETURNING *",
            false,
        ),
    };
    let mut values: Vec<sea_orm::Value> = vec![
        (now + LEASE).into(),
        MessageStatus::Queued.code().into(),
        channel.code().into(),
        now.into(),
    ];
    if !skip_locked {
        values.push(now.into());
    }
    values.push((limit as i64).into());
    let mut claimed = outbox_message::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// What one pass of the sender did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pass {
    pub sent: u64,
    /// Failed this time, to be tried again later.
    pub retrying: u64,
    /// Given up: a permanent refusal or the last attempt failed.
    pub dead: u64,
    /// Withdrawn unsent: the invitee answered or asked for no more mail.
    pub cancelled: u64,
    /// Left for the next minute: the mail server's rates were reached.
    pub postponed: u64,
    /// Why nothing was claimed although messages may be waiting.
    pub waiting: Option<Waiting>,
}

impl Pass {
    fn waiting(why: Waiting) -> Self {
        Self {
            waiting: Some(why),
            ..Self::default()
        }
    }
}

/// Why queued messages stay queued.
#[derive(Clone, Debug, PartialEq)]
pub enum Waiting {
    /// `HAILONG_SMTP_URL` and `HAILONG_MAIL_FROM` are not set.
    NoMailServer,
    /// `HAILONG_SMS_WEBHOOK_URL` is not set.
    NoSmsGateway,
    /// Neither `HAILONG_PUBLIC_URL` nor the profile's public address is set,
    /// so links in messages cannot be written.
    NoPublicAddress,
}

/// How one channel's messages leave: by e-mail, through the SMS gateway or
/// to the webhooks.
#[derive(Clone, Copy)]
enum Transport<'a> {
    Mail(&'a Mailer),
    Sms(&'a SmsGateway),
    Webhook(&'a WebhookSender),
}

impl Transport<'_> {
    fn channel(&self) -> MessageChannel {
        match self {
            Transport::Mail(_) => MessageChannel::Email,
            Transport::Sms(_) => MessageChannel::Sms,
            Transport::Webhook(_) => MessageChannel::Webhook,
        }
    }

    /// Renders `message` and hands it over (a webhook event goes to `hook`
    /// as stored); the reason of a failure never names the recipient.
    async fn send(
        &self,
        message: &outbox_message::Model,
        base_url: &str,
        hook: Option<&webhook::Model>,
        templates: &messages::Templates,
        now: DateTime<Utc>,
    ) -> Result<(), mail::Failure> {
        let lang = Lang::parse(Some(&message.lang));
        let recipient = message.recipient.clone().unwrap_or_default();
        let unreadable = |e: RenderError| match e {
            RenderError::Payload(e) => {
                mail::Failure::permanent(format!("the stored message cannot be read: {e}"))
            }
            RenderError::NoPublicAddress => {
                unreachable!("the base address is checked before claiming")
            }
            RenderError::Template(e) => {
                mail::Failure::permanent(format!("the message's template failed: {e}"))
            }
        };
        let outcome = match self {
            Transport::Mail(mailer) => {
                match messages::render(message.kind, &message.payload, lang, base_url, templates) {
                    Ok(rendered) => {
                        let id = messages::message_id(message.id, mailer.domain());
                        mailer.send(&id, &recipient, &rendered).await
                    }
                    Err(e) => Err(unreadable(e)),
                }
            }
            Transport::Sms(gateway) => {
                match messages::render_sms(
                    message.kind,
                    &message.payload,
                    lang,
                    base_url,
                    templates,
                ) {
                    Ok(text) => {
                        let id = messages::sms_reference(message.id);
                        gateway.send(&id, &recipient, &text).await
                    }
                    Err(e) => Err(unreadable(e)),
                }
            }
            Transport::Webhook(sender) => match (hook, WebhookEvent::of_kind(message.kind)) {
                (Some(hook), Some(event)) => {
                    let id = messages::sms_reference(message.id);
                    sender
                        .send(&id, event.code(), hook, &message.payload, now)
                        .await
                }
                _ => Err(mail::Failure::permanent(
                    "not an event for a webhook".to_owned(),
                )),
            },
        };
        outcome.map_err(|failure| failure.redacted(&recipient))
    }
}

/// Delivers the e-mails due at `now`: claims a batch, renders and sends each,
/// and records the outcome. `public_url` is the operator's address
/// (`HAILONG_PUBLIC_URL`); without it the profile's is used.
#[tracing::instrument(skip_all)]
pub async fn deliver_due(
    db: &DatabaseConnection,
    mailer: Option<&Mailer>,
    public_url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Pass, AppError> {
    let Some(mailer) = mailer else {
        return Ok(Pass::waiting(Waiting::NoMailServer));
    };
    deliver(db, Transport::Mail(mailer), public_url, now).await
}

/// Delivers the text messages due at `now` through the SMS gateway, as
/// [`deliver_due`] does e-mails.
#[tracing::instrument(skip_all)]
pub async fn deliver_due_sms(
    db: &DatabaseConnection,
    gateway: Option<&SmsGateway>,
    public_url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Pass, AppError> {
    let Some(gateway) = gateway else {
        return Ok(Pass::waiting(Waiting::NoSmsGateway));
    };
    deliver(db, Transport::Sms(gateway), public_url, now).await
}

/// Delivers the webhook events due at `now`; an event whose webhook was
/// revoked meanwhile is withdrawn.
#[tracing::instrument(skip_all)]
pub async fn deliver_due_webhooks(
    db: &DatabaseConnection,
    sender: &WebhookSender,
    now: DateTime<Utc>,
) -> Result<Pass, AppError> {
    deliver(db, Transport::Webhook(sender), None, now).await
}

async fn deliver(
    db: &DatabaseConnection,
    transport: Transport<'_>,
    public_url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Pass, AppError> {
    // Webhook events carry no links; messages to people do.
    let base_url = match (transport, public_url) {
        (Transport::Webhook(_), _) => Some(String::new()),
        (_, Some(url)) => Some(url.trim_end_matches('/').to_owned()),
        (_, None) => crate::services::settings::public_url(db)
            .await?
            .filter(|u| !u.is_empty()),
    };
    let Some(base_url) = base_url else {
        return Ok(Pass::waiting(Waiting::NoPublicAddress));
    };
    let mut pass = Pass::default();
    let mut budget = match transport {
        Transport::Mail(mailer) => Some(Budget::left(db, mailer.rates(), now).await?),
        Transport::Sms(_) | Transport::Webhook(_) => None,
    };
    let claimed = claim_due(db, transport.channel(), now, BATCH).await?;
    let unwanted = crate::services::invitations::mailing::no_longer_wanted(db, &claimed).await?;
    let hooks = live_webhooks(db, &claimed).await?;
    // Read once a pass, and only when there is something to word: a
    // template saved now words what is sent next.
    let templates = match transport {
        _ if claimed.is_empty() => messages::Templates::builtin(),
        Transport::Webhook(_) => messages::Templates::builtin(),
        _ => crate::services::message_templates::in_use(db).await?,
    };
    for message in claimed {
        let hook = message.webhook_id.and_then(|id| hooks.get(&id));
        let hook_gone = message.channel == MessageChannel::Webhook && hook.is_none();
        if unwanted.contains(&message.id) || hook_gone {
            pass.cancelled += 1;
            mark(db, &message, MessageStatus::Cancelled, None, None, now).await?;
            continue;
        }
        if let Some(budget) = &mut budget
            && !budget.take(message.recipient_domain.as_deref())
        {
            pass.postponed += 1;
            postpone(db, &message, now + Duration::minutes(1)).await?;
            continue;
        }
        match transport
            .send(&message, &base_url, hook, &templates, now)
            .await
        {
            Ok(()) => {
                pass.sent += 1;
                mark(db, &message, MessageStatus::Sent, None, Some(now), now).await?;
            }
            Err(failure) if failure.permanent || message.attempts >= messages::MAX_ATTEMPTS => {
                pass.dead += 1;
                tracing::warn!(message = message.id, error = %failure.reason, "message given up");
                mark(
                    db,
                    &message,
                    MessageStatus::Dead,
                    Some(failure.reason),
                    None,
                    now,
                )
                .await?;
            }
            Err(failure) => {
                pass.retrying += 1;
                tracing::info!(message = message.id, error = %failure.reason, "message to be retried");
                let later = now + messages::backoff(message.attempts);
                mark(
                    db,
                    &message,
                    MessageStatus::Queued,
                    Some(failure.reason),
                    None,
                    later,
                )
                .await?;
            }
        }
    }
    Ok(pass)
}

/// The outcome of POSTing a message to `what` (the SMS gateway, a webhook):
/// a 2xx reply is a delivery; 408, 429, 5xx and no answer are tried again;
/// any other reply is permanent. The reason never holds the address, which
/// may carry a key.
fn http_outcome(
    what: &str,
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<(), mail::Failure> {
    let reply = sent.map_err(|e| mail::Failure {
        permanent: false,
        reason: format!("{what} did not answer: {}", e.without_url()),
    })?;
    let status = reply.status();
    if status.is_success() {
        return Ok(());
    }
    let retry = status.is_server_error()
        || status == reqwest::StatusCode::REQUEST_TIMEOUT
        || status == reqwest::StatusCode::TOO_MANY_REQUESTS;
    Err(mail::Failure {
        permanent: !retry,
        reason: format!("{what} answered {status}"),
    })
}

/// The webhooks, not revoked, that the claimed events go to.
async fn live_webhooks(
    db: &impl ConnectionTrait,
    claimed: &[outbox_message::Model],
) -> Result<HashMap<i32, webhook::Model>, AppError> {
    let ids: Vec<i32> = claimed.iter().filter_map(|m| m.webhook_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(ids))
        .filter(webhook::Column::RevokedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect())
}

/// What may still go out this minute under the mail server's rates, from
/// the e-mails delivered in the minute before `now`.
struct Budget {
    rates: SendRates,
    sent: u32,
    by_domain: HashMap<String, u32>,
}

impl Budget {
    async fn left(
        db: &impl ConnectionTrait,
        rates: SendRates,
        now: DateTime<Utc>,
    ) -> Result<Self, AppError> {
        let recent: Vec<(Option<String>, i64)> = outbox_message::Entity::find()
            .select_only()
            .column(outbox_message::Column::RecipientDomain)
            .column_as(outbox_message::Column::Id.count(), "n")
            .filter(outbox_message::Column::Channel.eq(MessageChannel::Email))
            .filter(outbox_message::Column::SentAt.gt(now - Duration::minutes(1)))
            .filter(outbox_message::Column::SentAt.lte(now))
            .group_by(outbox_message::Column::RecipientDomain)
            .into_tuple()
            .all(db)
            .await?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(Self {
            rates,
            sent: recent.iter().map(|(_, n)| count(*n)).sum(),
            by_domain: recent
                .into_iter()
                .filter_map(|(domain, n)| Some((domain?, count(n))))
                .collect(),
        })
    }

    /// Whether one more e-mail to `domain` may go now; if so it is counted.
    fn take(&mut self, domain: Option<&str>) -> bool {
        if self.sent >= self.rates.per_minute {
            return false;
        }
        if let Some(domain) = domain {
            let to_domain = self.by_domain.entry(domain.to_owned()).or_default();
            if *to_domain >= self.rates.per_domain_per_minute {
                return false;
            }
            *to_domain += 1;
        }
        self.sent += 1;
        true
    }
}

/// Releases a claimed message untried until `until`: the claim's attempt
/// is given back.
async fn postpone(
    db: &impl ConnectionTrait,
    message: &outbox_message::Model,
    until: DateTime<Utc>,
) -> Result<(), AppError> {
    outbox_message::ActiveModel {
        id: Set(message.id),
        claimed_until: Set(None),
        attempts: Set((message.attempts - 1).max(0)),
        next_attempt_at: Set(until),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Records the outcome of an attempt and releases the claim. A delivered
/// message forgets its recipient.
async fn mark(
    db: &impl ConnectionTrait,
    message: &outbox_message::Model,
    status: MessageStatus,
    error: Option<String>,
    sent_at: Option<DateTime<Utc>>,
    next_attempt_at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut row = outbox_message::ActiveModel {
        id: Set(message.id),
        status: Set(status),
        claimed_until: Set(None),
        last_error: Set(error),
        sent_at: Set(sent_at),
        next_attempt_at: Set(next_attempt_at),
        ..Default::default()
    };
    if matches!(status, MessageStatus::Sent | MessageStatus::Cancelled) {
        row.recipient = Set(None);
    }
    row.update(db).await?;
    Ok(())
}

/// The outbox page lists at most this many waiting or given-up messages.
pub const PAGE_LIMIT: u64 = 200;

/// The admins' outbox page: counts by kind and status, and the messages
/// waiting or given up (oldest due first), without recipients. Whether a
/// mail server is set is the caller's to say.
#[tracing::instrument(skip_all)]
pub async fn page(
    db: &DatabaseConnection,
    mail_configured: bool,
    sms_configured: bool,
    public_url: Option<&str>,
) -> Result<OutboxPageData, AppError> {
    let counts: Vec<(MessageKind, MessageStatus, i64)> = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Kind)
        .column(outbox_message::Column::Status)
        .column_as(outbox_message::Column::Id.count(), "n")
        .group_by(outbox_message::Column::Kind)
        .group_by(outbox_message::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: Vec<OutboxCount> = counts
        .into_iter()
        .map(|(kind, status, n)| OutboxCount {
            kind,
            status,
            count: u64::try_from(n).unwrap_or(0),
        })
        .collect();
    counts.sort_by_key(|c| (c.kind, c.status));
    let messages = outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.is_in([MessageStatus::Queued, MessageStatus::Dead]))
        .order_by_asc(outbox_message::Column::NextAttemptAt)
        .order_by_asc(outbox_message::Column::Id)
        .limit(PAGE_LIMIT + 1)
        .all(db)
        .await?;
    let truncated = messages.len() as u64 > PAGE_LIMIT;
    let public_address_set = match public_url {
        Some(url) => !url.trim().is_empty(),
        None => crate::services::settings::public_url(db)
            .await?
            .is_some_and(|u| !u.is_empty()),
    };
    Ok(OutboxPageData {
        mail_configured,
        sms_configured,
        public_address_set,
        counts,
        messages: messages
            .into_iter()
            .take(PAGE_LIMIT as usize)
            .map(|m| OutboxRow {
                id: m.id,
                kind: m.kind,
                channel: m.channel,
                status: m.status,
                attempts: m.attempts,
                created_at: local_time(m.created_at),
                next_attempt_at: local_time(m.next_attempt_at),
                last_error: m.last_error,
            })
            .collect(),
        truncated,
    })
}

/// Queues a dead message again with a fresh count of attempts.
pub async fn resend(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<(), AppError> {
    decide(
        db,
        actor,
        id,
        MessageStatus::Dead,
        MessageStatus::Queued,
        "outbox.resend",
    )
    .await
}

/// Withdraws a queued or dead message; its recipient is erased.
pub async fn cancel(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<(), AppError> {
    let message = require(db, id).await?;
    let from = message.status;
    if from != MessageStatus::Queued && from != MessageStatus::Dead {
        return Err(not_waiting(id, from));
    }
    decide(
        db,
        actor,
        id,
        from,
        MessageStatus::Cancelled,
        "outbox.cancel",
    )
    .await
}

async fn require(db: &DatabaseConnection, id: i32) -> Result<outbox_message::Model, AppError> {
    outbox_message::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("message"))
}

fn not_waiting(id: i32, status: MessageStatus) -> AppError {
    AppError::Conflict {
        code: crate::error::Conflict::MessageNotWaiting,
        message: format!(
            "Message {id} is {status}: only a waiting or dead message can be changed."
        ),
    }
}

async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    from: MessageStatus,
    to: MessageStatus,
    action: &str,
) -> Result<(), AppError> {
    let message = require(db, id).await?;
    if message.status != from {
        return Err(not_waiting(id, message.status));
    }
    let mut row = outbox_message::ActiveModel {
        id: Set(id),
        status: Set(to),
        claimed_until: Set(None),
        ..Default::default()
    };
    if to == MessageStatus::Queued {
        row.attempts = Set(0);
        row.next_attempt_at = Set(Utc::now());
    }
    if to == MessageStatus::Cancelled {
        row.recipient = Set(None);
    }
    row.update(db).await?;
    audit::record(
        db,
        actor,
        action,
        "outbox_message",
        Some(id.to_string()),
        Some(&serde_json::json!({ "status": from })),
        Some(&serde_json::json!({ "status": to })),
    )
    .await
}

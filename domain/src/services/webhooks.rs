//! Outgoing webhooks (docs/operations.md, "Webhooks"): an admin names an address and the
//! events it wants; each event is stored in the outbox, in the event's own
//! transaction, once per subscribed webhook, and delivered and retried by
//! the outbox's sender with an HMAC-SHA256 signature. What an event says is
//! decided by the service that raises it, never anything personal: a
//! feedback item by its tracking code, a dossier by its code and never its
//! rating (the dossier's code names its holder to the one-stop software).

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::AppError;
use crate::entities::{outbox_message, webhook};
use crate::i18n::local_time;
use crate::model::{MessageChannel, MessageStatus, Problem, Violation, WebhookEvent, WebhookRow};
use crate::secrets::random_token;
use crate::services::audit::{self, Actor};
use crate::services::outbox;

/// The longest name an admin may give a webhook.
pub const NAME_MAX: usize = 120;
/// The longest address.
pub const URL_MAX: usize = 2000;

/// The header names of a delivery.
pub const EVENT_HEADER: &str = "x-hailong-event";
pub const DELIVERY_HEADER: &str = "x-hailong-delivery";
pub const TIMESTAMP_HEADER: &str = "x-hailong-timestamp";
pub const SIGNATURE_HEADER: &str = "x-hailong-signature";

/// What an admin asks for when adding a webhook (on the page, or as the
/// body of `POST /api/v1/webhooks`).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// What the admins' page calls it (at most 120 characters).
    pub name: String,
    /// Where deliveries are posted: an http or https address.
    pub url: String,
    /// The events it wants; at least one.
    pub events: Vec<WebhookEvent>,
}

/// The body of every delivery: the event (a [`WebhookEvent`], or
/// [`TEST_EVENT`]), when it happened, and its data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<E, T> {
    pub event: E,
    pub occurred_at: DateTime<Utc>,
    pub data: T,
}

/// A feedback item as a webhook hears of it: where it stands and, once
/// published, its answer as the public reads it (redacted). Never the
/// sender, their contact or their words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackData {
    pub tracking_code: String,
    pub status: String,
    pub channel: String,
    pub category: Option<String>,
    /// The department's code.
    pub department: Option<String>,
    pub received_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub answer: Option<String>,
}

/// A round whose results were approved and published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundData {
    pub slug: String,
    pub title_vi: String,
    pub title_en: String,
    pub year: i32,
    pub half: i32,
    /// The results' public id: `/results/{public_id}`.
    pub public_id: String,
    pub overall: Option<f64>,
    pub responses: u64,
}

/// A dossier that was rated: which one, so that the one-stop software can
/// stop asking, and the day. Never the rating itself, which the dossier's
/// code would tie to its holder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DossierData {
    pub dossier_code: String,
    pub procedure: String,
    pub department: String,
    pub rated_on: NaiveDate,
}

/// The checked name and address of `new`, or what is wrong with them.
fn check(new: &NewWebhook) -> Result<(String, reqwest::Url), AppError> {
    let mut violations = Vec::new();
    let name = new.name.trim();
    if name.is_empty() {
        violations.push(Violation::new("name", Problem::Required));
    } else if name.chars().count() > NAME_MAX {
        violations.push(Violation::new("name", Problem::TooLong { max: NAME_MAX }));
    }
    let url = new.url.trim();
    let parsed = if url.is_empty() {
        violations.push(Violation::new("url", Problem::Required));
        None
    } else if url.len() > URL_MAX {
        violations.push(Violation::new("url", Problem::TooLong { max: URL_MAX }));
        None
    } else {
        match reqwest::Url::parse(url) {
            Ok(parsed)
                if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() =>
            {
                Some(parsed)
            }
            _ => {
                violations.push(Violation::new("url", Problem::NotAWebAddress));
                None
            }
        }
    };
    if new.events.is_empty() {
        violations.push(Violation::new("events", Problem::ChoiceRequired));
    }
    match parsed {
        Some(parsed) if violations.is_empty() => Ok((name.to_owned(), parsed)),
        _ => Err(AppError::Invalid(violations)),
    }
}

/// Adds a webhook and returns it as the page lists it, with its signing
/// secret: the only time the secret is shown.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewWebhook,
) -> Result<(WebhookRow, String), AppError> {
    let (name, url) = check(&new)?;
    let mut events = new.events.clone();
    events.sort();
    events.dedup();
    let secret = format!("whsec_{}", random_token());
    let stored = webhook::ActiveModel {
        name: Set(name),
        url: Set(url.to_string()),
        secret: Set(secret.clone()),
        events: Set(join(&events)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "webhook.create",
        "webhook",
        Some(stored.id.to_string()),
        None::<&()>,
        Some(&serde_json::json!({
            "name": stored.name,
            "address": shown_address(&stored.url),
            "events": stored.events,
        })),
    )
    .await?;
    Ok((row(&stored), secret))
}

/// Stops a webhook: it gets nothing more, and what waits for it is
/// withdrawn.
#[tracing::instrument(skip_all)]
pub async fn revoke(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<(), AppError> {
    let found = webhook::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("webhook"))?;
    if found.revoked_at.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    webhook::ActiveModel {
        id: Set(id),
        revoked_at: Set(Some(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Status,
            sea_orm::sea_query::Expr::value(MessageStatus::Cancelled.code()),
        )
        .filter(outbox_message::Column::WebhookId.eq(id))
        .filter(outbox_message::Column::Status.is_in([MessageStatus::Queued, MessageStatus::Dead]))
        .exec(db)
        .await?;
    audit::record(
        db,
        actor,
        "webhook.revoke",
        "webhook",
        Some(id.to_string()),
        None::<&()>,
        Some(&serde_json::json!({ "revoked_at": now })),
    )
    .await
}

/// Every webhook, newest first, with how its deliveries stand.
#[tracing::instrument(skip_all)]
pub async fn list(db: &DatabaseConnection) -> Result<Vec<WebhookRow>, AppError> {
    let hooks = webhook::Entity::find()
        .order_by_desc(webhook::Column::Id)
        .all(db)
        .await?;
    let counts: Vec<(Option<i32>, MessageStatus, i64)> = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::WebhookId)
        .column(outbox_message::Column::Status)
        .column_as(outbox_message::Column::Id.count(), "n")
        .filter(outbox_message::Column::Channel.eq(MessageChannel::Webhook))
        .group_by(outbox_message::Column::WebhookId)
        .group_by(outbox_message::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let count = |id: i32, status: MessageStatus| {
        counts
            .iter()
            .filter(|(hook, s, _)| *hook == Some(id) && *s == status)
            .map(|(_, _, n)| u64::try_from(*n).unwrap_or(0))
            .sum()
    };
    Ok(hooks
        .iter()
        .map(|h| WebhookRow {
            delivered: count(h.id, MessageStatus::Sent),
            waiting: count(h.id, MessageStatus::Queued),
            given_up: count(h.id, MessageStatus::Dead),
            ..row(h)
        })
        .collect())
}

/// `hook` as the page lists it, before its deliveries are counted.
fn row(hook: &webhook::Model) -> WebhookRow {
    WebhookRow {
        id: hook.id,
        name: hook.name.clone(),
        address: shown_address(&hook.url),
        events: parse_events(&hook.events),
        created_at: local_time(hook.created_at),
        revoked: hook.revoked_at.is_some(),
        delivered: 0,
        waiting: 0,
        given_up: 0,
    }
}

/// The webhooks that want `event` now, read inside the event's transaction
/// (which has written first). Empty, the event's data need not be built.
pub async fn subscribers(
    txn: &impl ConnectionTrait,
    event: WebhookEvent,
) -> Result<Vec<i32>, AppError> {
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::RevokedAt.is_null())
        .order_by_asc(webhook::Column::Id)
        .all(txn)
        .await?;
    Ok(hooks
        .into_iter()
        .filter(|h| parse_events(&h.events).contains(&event))
        .map(|h| h.id)
        .collect())
}

/// Stores `event` with `data` for each webhook of `subscribers`, inside
/// the event's transaction.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    subscribers: &[i32],
    event: WebhookEvent,
    data: &impl Serialize,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if subscribers.is_empty() {
        return Ok(());
    }
    let body = serde_json::to_string(&Envelope {
        event,
        occurred_at: now,
        data,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    outbox::enqueue_webhook_event(txn, subscribers, event.kind(), &body, now).await
}

/// The event name of a test delivery, sent from the admins' page.
pub const TEST_EVENT: &str = "webhook.test";

/// Sends webhook `id` a signed test event at once (not through the outbox)
/// and says how its address answered; in the audit log.
#[tracing::instrument(skip_all)]
pub async fn send_test(
    db: &DatabaseConnection,
    actor: &Actor,
    sender: &outbox::WebhookSender,
    id: i32,
) -> Result<Result<(), String>, AppError> {
    let hook = webhook::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|h| h.revoked_at.is_none())
        .ok_or(AppError::NotFound("webhook"))?;
    let now = Utc::now();
    let body = serde_json::to_string(&Envelope {
        event: TEST_EVENT,
        occurred_at: now,
        data: serde_json::json!({ "webhook": hook.name }),
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let delivery = format!("hailong-test-{}", now.timestamp_millis());
    let outcome = sender
        .send(&delivery, TEST_EVENT, &hook, &body, now)
        .await
        .map_err(|failure| failure.reason);
    audit::record(
        db,
        actor,
        "webhook.test",
        "webhook",
        Some(id.to_string()),
        None::<&()>,
        Some(&serde_json::json!({ "delivered": outcome.is_ok() })),
    )
    .await?;
    Ok(outcome)
}

/// The signature of a delivery: `sha256=` and the hex HMAC-SHA256, under
/// the webhook's secret, of the timestamp (Unix seconds), a dot and the
/// body exactly as sent.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The address as the admin page shows it: without its query, which may
/// hold a key.
pub fn shown_address(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_query(None);
            parsed.set_fragment(None);
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Err(_) => String::new(),
    }
}

fn join(events: &[WebhookEvent]) -> String {
    events
        .iter()
        .map(|e| e.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_events(text: &str) -> Vec<WebhookEvent> {
    text.split(',')
        .filter_map(|code| WebhookEvent::parse(code.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_of_timestamp_dot_body() {
        // Python: hmac.new(b"key", b"1700000000.{}", "sha256").hexdigest()
        assert_eq!(
            signature("key", 1_700_000_000, "{}"),
            "sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"
        );
    }

    #[test]
    fn names_addresses_and_events_are_checked() {
        let bad = NewWebhook {
            name: " ".to_owned(),
            url: "ftp://example.vn/hook".to_owned(),
            events: vec![],
        };
        let Err(AppError::Invalid(violations)) = check(&bad) else {
            panic!("refused");
        };
        let fields: Vec<_> = violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["name", "url", "events"]);
        let good = NewWebhook {
            name: "Cổng một cửa".to_owned(),
            url: "https://motcua.example.vn/hooks/hailong?key=abc".to_owned(),
            events: vec![WebhookEvent::DossierRated],
        };
        assert!(check(&good).is_ok());
        assert_eq!(
            shown_address(&good.url),
            "https://motcua.example.vn/hooks/hailong"
        );
    }
}

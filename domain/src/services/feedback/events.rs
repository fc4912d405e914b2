//! What webhooks hear of feedback items ([`crate::services::webhooks`]):
//! an item by its tracking code, where it stands and, once published, its
//! answer as the public reads it; never its sender, their contact or their
//! words. Items that came from a dossier's rating stay out: told at the
//! moment of the dossier's own event, they would tie the comment to the
//! dossier and so to its holder.

use sea_orm::{ConnectionTrait, EntityTrait};

use super::public::answer_is_public;
use super::sender_of;
use crate::AppError;
use crate::entities::{department, feedback_item};
use crate::model::{FeedbackChannel, WebhookEvent};
use crate::privacy::redact;
use crate::services::webhooks::{self, FeedbackData};

/// Stores `event` of `item` for the webhooks that want it, inside the
/// transaction that changed the item (which has written first).
pub(super) async fn announce(
    txn: &impl ConnectionTrait,
    event: WebhookEvent,
    item: &feedback_item::Model,
) -> Result<(), AppError> {
    if item.channel == FeedbackChannel::DossierRating {
        return Ok(());
    }
    let subscribers = webhooks::subscribers(txn, event).await?;
    if subscribers.is_empty() {
        return Ok(());
    }
    let department = match item.department_id {
        Some(id) => department::Entity::find_by_id(id)
            .one(txn)
            .await?
            .map(|d| d.code),
        None => None,
    };
    let answer = answer_is_public(item)
        .then(|| item.answer.as_deref().map(|a| redact(a, &sender_of(item))))
        .flatten();
    let data = FeedbackData {
        tracking_code: item.tracking_code.clone(),
        status: item.status.code().to_owned(),
        channel: item.channel.code().to_owned(),
        category: item.category.map(|c| c.code().to_owned()),
        department,
        received_at: item.received_at,
        published_at: item.published_at,
        answer,
    };
    let now = item
        .published_at
        .filter(|_| event == WebhookEvent::FeedbackAnswered);
    webhooks::enqueue(
        txn,
        &subscribers,
        event,
        &data,
        now.unwrap_or_else(chrono::Utc::now),
    )
    .await
}

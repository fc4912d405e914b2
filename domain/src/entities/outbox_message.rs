use sea_orm::entity::prelude::*;

/// A message waiting to be delivered, delivered, or given up on.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub channel: crate::model::MessageChannel,
    pub kind: crate::model::MessageKind,
    /// The address; erased once the message is delivered or cancelled.
    pub recipient: Option<String>,
    /// What the message says as JSON (codes and dates, no personal data).
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub lang: String,
    pub status: crate::model::MessageStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A sender holds the row until then; past it, another may claim it.
    pub claimed_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub feedback_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The invitation a survey invitation or reminder belongs to.
    pub invitation_id: Option<i32>,
    /// Its place among the messages of its kind to that invitation (0 the
    /// invitation, 1 the first reminder…); unique with the two above.
    pub sequence: Option<i32>,
    /// The recipient's mail domain (kept after delivery, for the rates).
    pub recipient_domain: Option<String>,
    /// The dossier a rating-link notice belongs to.
    pub dossier_id: Option<i32>,
    /// The webhook an event goes to (its address and secret are there).
    pub webhook_id: Option<i32>,
    /// What a work alert is about and for whom; unique, so it is queued once.
    pub alert_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

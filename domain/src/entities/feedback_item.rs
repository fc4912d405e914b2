use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub tracking_code: String,
    pub channel: crate::model::FeedbackChannel,
    pub status: crate::model::FeedbackStatus,
    pub classification: Option<crate::model::Classification>,
    pub duplicate_of_id: Option<i32>,
    pub category: Option<crate::model::FeedbackCategory>,
    pub sender_name: Option<String>,
    pub sender_address: Option<String>,
    pub sender_phone: Option<String>,
    pub sender_email: Option<String>,
    pub eligible_for_reply: bool,
    pub consent_to_publish: bool,
    pub subject: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub department_id: Option<i32>,
    #[sea_orm(unique)]
    pub response_id: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub answer: Option<String>,
    pub received_at: DateTimeUtc,
    pub due_on: Option<Date>,
    pub answered_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub handling_rating: Option<i16>,
    pub procedure_id: Option<i32>,
    pub recorded_by_user_id: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub public_summary: Option<String>,
    pub answer_due_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    /// The sender's contact in the plain form search compares; searched
    /// only by those who may see it.
    pub contact_text: Option<String>,
    /// SHA-256 of the private token with which the sender rates the handling.
    pub rating_token_hash: Option<String>,
    /// SHA-256 of the private rating key sent with the notice of the
    /// published answer; either key rates the handling, once.
    pub notice_rating_token_hash: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    /// When the sender's contact details were erased (retention or request).
    pub contacts_erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

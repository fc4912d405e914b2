use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "responses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    #[sea_orm(unique)]
    pub receipt_code: String,
    pub idempotency_key: Option<String>,
    pub invitation_id: Option<i32>,
    pub respondent_type: crate::model::RespondentType,
    pub department_id: Option<i32>,
    pub procedure_id: Option<i32>,
    pub submission_method: Option<crate::model::SubmissionMethod>,
    pub channel: crate::model::SurveyChannel,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub excluded: bool,
    pub submitted_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub import_job_id: Option<i32>,
    /// Why staff asked to leave this response out of the figures; it is
    /// left out (`excluded`) only once a leader confirms.
    #[sea_orm(column_type = "Text", nullable)]
    pub exclusion_reason: Option<String>,
    pub exclusion_proposed_by: Option<i32>,
    pub exclusion_proposed_at: Option<DateTimeUtc>,
    /// When the web form was drawn, as the server signed it (web only).
    pub started_at: Option<DateTimeUtc>,
    /// From the form being drawn to the response being stored.
    pub completion_seconds: Option<i32>,
    /// A keyed hash of the sender's network prefix (IPv4 /24, IPv6 /64);
    /// the address itself is never stored.
    pub network_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title_vi: String,
    pub title_en: String,
    pub year: i32,
    pub half: i16,
    pub instrument_id: i32,
    pub audience: String,
    pub status: crate::model::RoundStatus,
    pub opens_at: Option<DateTimeUtc>,
    pub closes_at: Option<DateTimeUtc>,
    pub dossiers_handled: Option<i32>,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    /// Days after its invitation e-mail at which an invitee who has not
    /// answered is reminded, as "7,14" (`None`: no reminders).
    pub reminder_days: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

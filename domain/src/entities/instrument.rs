use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "instruments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub version: i32,
    pub title_vi: String,
    pub title_en: String,
    pub audience: String,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub frozen_at: Option<DateTimeUtc>,
    /// Comma-separated profile questions the form asks.
    pub profile_fields: String,
    pub asks_comment: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// A data-quality flag on a response, waiting for a person's decision.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "response_flags")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub response_id: i32,
    pub kind: crate::model::FlagKind,
    pub status: crate::model::FlagStatus,
    /// What was measured, e.g. "95 s, median 480 s".
    pub detail: String,
    pub flagged_at: DateTimeUtc,
    pub decided_by_user_id: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

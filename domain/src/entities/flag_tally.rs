use sea_orm::entity::prelude::*;

/// How many data-quality flags of one kind a round holds in one status
/// (`services::quality::tallies`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "flag_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: crate::model::FlagKind,
    #[sea_orm(primary_key, auto_increment = false)]
    pub status: crate::model::FlagStatus,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

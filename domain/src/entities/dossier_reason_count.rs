use sea_orm::entity::prelude::*;

/// How often one reason was ticked in the ratings of the dossiers
/// completed in one month (Vietnam time), and how often with "not
/// satisfied" (`services::dossiers::tallies`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_reason_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: i16,
    /// The reason's code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub reason: String,
    pub count: i64,
    pub unsatisfied: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

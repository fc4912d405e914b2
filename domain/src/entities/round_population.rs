use sea_orm::entity::prelude::*;

/// How many of one stratum (a respondent type or a department) the agency
/// served in the round's half-year: the weights of the weighted figures.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "round_populations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub dimension: crate::model::StratumDimension,
    /// The respondent type's code, or the department's code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub value: String,
    pub population: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

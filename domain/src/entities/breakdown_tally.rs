use sea_orm::entity::prelude::*;

/// Answers of a round per criterion and level, summed along one dimension.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "breakdown_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i32,
    /// `round` (the whole round), `department`, `procedure`,
    /// `respondent_type` or `channel`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub dimension: String,
    /// The dimension's value: '' for the whole round, ids as text ('0' = not given).
    #[sea_orm(primary_key, auto_increment = false)]
    pub value: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub criterion_id: i32,
    /// 0 = not applicable.
    #[sea_orm(primary_key, auto_increment = false)]
    pub level: i16,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// Sums of one pair of a round's driver criteria over the responses that
/// answer both validly (docs/methodology.md, "Drivers").
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pair_sums")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i32,
    /// An index criterion.
    #[sea_orm(primary_key, auto_increment = false)]
    pub x_criterion_id: i32,
    /// Another index criterion with a higher id, or the overall question.
    #[sea_orm(primary_key, auto_increment = false)]
    pub y_criterion_id: i32,
    pub n: i64,
    pub sum_x: i64,
    pub sum_y: i64,
    pub sum_xx: i64,
    pub sum_yy: i64,
    pub sum_xy: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// How many feedback items fall in one combination of half-year received,
/// department, category, classification, answered, on time and rating
/// (`services::feedback::tallies`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    /// 1 (January–June) or 2 (July–December), Vietnam time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub half: i16,
    /// 0: not assigned to a department yet.
    #[sea_orm(primary_key, auto_increment = false)]
    pub department_id: i32,
    /// The category's code; "": not set yet.
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: String,
    /// The classification's code; "": not classified yet.
    #[sea_orm(primary_key, auto_increment = false)]
    pub classification: String,
    /// 1: the item has an answer.
    #[sea_orm(primary_key, auto_increment = false)]
    pub answered: i16,
    /// 1: answered by its answer deadline.
    #[sea_orm(primary_key, auto_increment = false)]
    pub on_time: i16,
    /// The sender's rating of the handling, 1–5; 0: not rated.
    #[sea_orm(primary_key, auto_increment = false)]
    pub rating: i16,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// How many feedback items one department holds, whatever their age
/// (`services::feedback::tallies`): the queue's number of pages.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback_counts")]
pub struct Model {
    /// 0: not assigned to a department yet.
    #[sea_orm(primary_key, auto_increment = false)]
    pub department_id: i32,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

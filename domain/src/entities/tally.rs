use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub criterion_id: i32,
    /// 0 = not given.
    #[sea_orm(primary_key, auto_increment = false)]
    pub department_id: i32,
    /// 0 = not given.
    #[sea_orm(primary_key, auto_increment = false)]
    pub procedure_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub respondent_type: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: String,
    /// Empty = not given.
    #[sea_orm(primary_key, auto_increment = false)]
    pub submission_method: String,
    /// 0 = not applicable.
    #[sea_orm(primary_key, auto_increment = false)]
    pub level: i16,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

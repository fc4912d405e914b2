use sea_orm::entity::prelude::*;

/// How many ratings of one level named one reason ("what shaped your
/// rating"), by month of completion, department and procedure.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_reason_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: i16,
    #[sea_orm(primary_key, auto_increment = false)]
    pub department_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub procedure_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub reason: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub level: i16,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

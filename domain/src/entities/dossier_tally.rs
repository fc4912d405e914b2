use sea_orm::entity::prelude::*;

/// How many completed dossiers fall in one combination of month of
/// completion (Vietnam time), department, procedure, channel, timeliness,
/// rating level and trips reported (`services::dossiers::tallies`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_tallies")]
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
    pub channel: String,
    /// 0: late, 1: on time, 2: no due date.
    #[sea_orm(primary_key, auto_increment = false)]
    pub on_time: i16,
    /// 0: not rated; 1–3: the level.
    #[sea_orm(primary_key, auto_increment = false)]
    pub level: i16,
    /// 0: not reported; 1–5 (5: five or more).
    #[sea_orm(primary_key, auto_increment = false)]
    pub trips: i16,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

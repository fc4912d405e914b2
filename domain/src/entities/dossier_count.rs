use sea_orm::entity::prelude::*;

/// What the completed dossiers of one month of completion (Vietnam time),
/// department, procedure and channel add up to
/// (`services::dossiers::tallies`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_counts")]
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
    pub completed: i64,
    pub rated: i64,
    /// Ratings "not satisfied", "satisfied" and "very satisfied".
    pub level_1: i64,
    pub level_2: i64,
    pub level_3: i64,
    /// Completed with a due date, and of those by it.
    pub with_due_date: i64,
    pub on_time: i64,
    /// Ratings that said how many trips, and the trips they said (five
    /// or more counted as five).
    pub trips_reported: i64,
    pub trips_sum: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// One action of a round's action plan: what leadership decided to do about
/// a weak criterion, which department owns it and by when.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    /// The criterion's stable code (the next round matches it by this).
    pub criterion_code: String,
    pub what: String,
    pub owner_department_id: i32,
    pub due_on: Date,
    pub expected_effect: String,
    pub status: crate::model::ActionStatus,
    pub progress_note: String,
    /// Set when a leader publishes the action on the public page.
    pub published_at: Option<DateTimeUtc>,
    pub created_by_user_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

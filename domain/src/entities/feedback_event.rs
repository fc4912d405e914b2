use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub feedback_id: i32,
    pub from_status: Option<crate::model::FeedbackStatus>,
    pub to_status: crate::model::FeedbackStatus,
    pub actor_user_id: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub action: String,
    pub actor_name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// An address outside that is told of events as they happen. `events` is
/// the comma-separated list of `WebhookEvent` codes it wants; `secret`
/// signs each request. A revoked webhook gets nothing more, and what was
/// waiting for it is withdrawn.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub url: String,
    pub secret: String,
    pub events: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

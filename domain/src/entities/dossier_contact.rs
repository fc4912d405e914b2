use sea_orm::entity::prelude::*;

/// How to reach the person of a dossier with its rating link: personal
/// data, read only to send the link and erased when the link expires.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub dossier_id: i32,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// One saved version of a message's wording (kind and language): the
/// newest version of a kind and language is the one messages use.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "message_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: crate::model::MessageKind,
    pub lang: String,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    #[sea_orm(column_type = "Text")]
    pub sms: String,
    /// The admin who saved it.
    pub saved_by: Option<i32>,
    pub saved_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

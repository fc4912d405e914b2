use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub department_id: Option<i32>,
    pub procedure_id: Option<i32>,
    pub created_at: DateTimeUtc,
    /// When the invitee's name and contacts were erased (retention or request).
    pub contacts_erased_at: Option<DateTimeUtc>,
    /// When the invitee first followed their personal link.
    pub opened_at: Option<DateTimeUtc>,
    /// When the invitee asked for no more survey mail.
    pub unsubscribed_at: Option<DateTimeUtc>,
    /// The dossier this invitation was drawn from, for a round's sample.
    pub dossier_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

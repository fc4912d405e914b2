use sea_orm::entity::prelude::*;

/// A rating tablet at the one-stop counter. `dossier_id` is the dossier
/// an officer handed over for rating, since `handed_at`; none when the
/// kiosk waits. The kiosk's address holds a token of which only the hash
/// is kept here.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "counter_kiosks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub dossier_id: Option<i32>,
    pub handed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

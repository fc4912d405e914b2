use sea_orm::entity::prelude::*;

/// A dossier (hồ sơ) handled at the one-stop desk, as the one-stop
/// software reports it. Its contact is kept apart ([`super::dossier_contact`]),
/// and so is its rating ([`super::dossier_rating`]).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dossiers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The one-stop software's code of the dossier.
    #[sea_orm(unique)]
    pub code: String,
    pub procedure_id: i32,
    pub department_id: i32,
    /// At the counter, online or by post.
    pub channel: crate::model::SubmissionMethod,
    pub received_at: DateTimeUtc,
    pub due_at: Option<DateTimeUtc>,
    /// Set once the result was handed over; only completed dossiers are rated.
    pub completed_at: Option<DateTimeUtc>,
    pub result: Option<crate::model::DossierResult>,
    /// The SHA-256 of the rating key, set at completion.
    pub rating_key_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

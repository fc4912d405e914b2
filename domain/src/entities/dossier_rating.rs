use sea_orm::entity::prelude::*;

/// The rating of one completed dossier; its key allows one per dossier.
/// Nothing here says who rated.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_ratings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub dossier_id: i32,
    /// 1: không hài lòng, 2: hài lòng, 3: rất hài lòng.
    pub level: i16,
    /// Comma-separated [`crate::model::RatingReason`] codes.
    pub reasons: String,
    /// Trips to the office the person reported (5: five or more).
    pub trips: Option<i16>,
    /// The feedback item the comment became.
    pub feedback_item_id: Option<i32>,
    /// The link or the counter kiosk.
    pub source: crate::model::RatingSource,
    pub rated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

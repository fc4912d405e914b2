use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "elements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub instrument_id: i32,
    pub code: String,
    pub kind: crate::model::ElementKind,
    pub position: i32,
    pub title_vi: String,
    pub title_en: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

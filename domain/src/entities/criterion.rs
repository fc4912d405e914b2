use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "criteria")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub instrument_id: i32,
    pub element_id: i32,
    pub code: String,
    pub position: i32,
    #[sea_orm(column_type = "Text")]
    pub text_vi: String,
    #[sea_orm(column_type = "Text")]
    pub text_en: String,
    pub scale: crate::model::Scale,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

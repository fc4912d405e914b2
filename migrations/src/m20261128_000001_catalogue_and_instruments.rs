//! Departments, the catalogue of procedures, and versioned instruments
//! (instrument → elements → criteria, with stable codes).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Departments::Table)
                    .col(pk_auto(Departments::Id))
                    .col(string_uniq(Departments::Code))
                    .col(string(Departments::NameVi))
                    .col(string(Departments::NameEn))
                    .col(boolean(Departments::Active).default(true))
                    .col(timestamp_with_time_zone(Departments::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Procedures::Table)
                    .col(pk_auto(Procedures::Id))
                    .col(string_uniq(Procedures::Code))
                    .col(string(Procedures::NameVi))
                    .col(string(Procedures::NameEn))
                    .col(integer(Procedures::DepartmentId))
                    .col(boolean(Procedures::Active).default(true))
                    .col(timestamp_with_time_zone(Procedures::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Procedures::Table, Procedures::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Instruments::Table)
                    .col(pk_auto(Instruments::Id))
                    .col(string(Instruments::Code))
                    .col(integer(Instruments::Version))
                    .col(string(Instruments::TitleVi))
                    .col(string(Instruments::TitleEn))
                    .col(string(Instruments::Audience))
                    // draft: editable; frozen: used by a round that has opened.
                    .col(string(Instruments::Status))
                    .col(timestamp_with_time_zone(Instruments::CreatedAt))
                    .col(timestamp_with_time_zone_null(Instruments::FrozenAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_instruments_code_version")
                    .table(Instruments::Table)
                    .col(Instruments::Code)
                    .col(Instruments::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Elements::Table)
                    .col(pk_auto(Elements::Id))
                    .col(integer(Elements::InstrumentId))
                    .col(string(Elements::Code))
                    // index | overall | perception | expectation: the section the element belongs to.
                    .col(string(Elements::Kind))
                    .col(integer(Elements::Position))
                    .col(string(Elements::TitleVi))
                    .col(string(Elements::TitleEn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Elements::Table, Elements::InstrumentId)
                            .to(Instruments::Table, Instruments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_elements_instrument_code")
                    .table(Elements::Table)
                    .col(Elements::InstrumentId)
                    .col(Elements::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Criteria::Table)
                    .col(pk_auto(Criteria::Id))
                    .col(integer(Criteria::InstrumentId))
                    .col(integer(Criteria::ElementId))
                    .col(string(Criteria::Code))
                    .col(integer(Criteria::Position))
                    .col(text(Criteria::TextVi))
                    .col(text(Criteria::TextEn))
                    // satisfaction5 | frequency3 | priority3
                    .col(string(Criteria::Scale))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Criteria::Table, Criteria::InstrumentId)
                            .to(Instruments::Table, Instruments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Criteria::Table, Criteria::ElementId)
                            .to(Elements::Table, Elements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_criteria_instrument_code")
                    .table(Criteria::Table)
                    .col(Criteria::InstrumentId)
                    .col(Criteria::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Criteria::Table.into_iden(),
            Elements::Table.into_iden(),
            Instruments::Table.into_iden(),
            Procedures::Table.into_iden(),
            Departments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum Departments {
    Table,
    Id,
    Code,
    NameVi,
    NameEn,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Procedures {
    Table,
    Id,
    Code,
    NameVi,
    NameEn,
    DepartmentId,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Instruments {
    Table,
    Id,
    Code,
    Version,
    TitleVi,
    TitleEn,
    Audience,
    Status,
    CreatedAt,
    FrozenAt,
}

#[derive(DeriveIden)]
pub enum Elements {
    Table,
    Id,
    InstrumentId,
    Code,
    Kind,
    Position,
    TitleVi,
    TitleEn,
}

#[derive(DeriveIden)]
pub enum Criteria {
    Table,
    Id,
    InstrumentId,
    ElementId,
    Code,
    Position,
    TextVi,
    TextEn,
    Scale,
}

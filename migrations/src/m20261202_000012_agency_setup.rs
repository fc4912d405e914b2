//! What an agency sets up for itself: the field (lĩnh vực) of each
//! administrative procedure as the national catalogue groups them, the
//! kind of each calendar day (a day off, or a weekend day worked in a
//! government swap), and the agency's logo.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Procedures::Table)
                    .add_column(text(Procedures::Field).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Holidays::Table)
                    .add_column(string_len(Holidays::Kind, 16).default("day-off"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgencyAssets::Table)
                    .col(string_len(AgencyAssets::Name, 32).primary_key())
                    .col(string_len(AgencyAssets::ContentType, 64))
                    .col(blob(AgencyAssets::Bytes))
                    .col(timestamp_with_time_zone(AgencyAssets::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AgencyAssets::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Holidays::Table)
                    .drop_column(Holidays::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Procedures::Table)
                    .drop_column(Procedures::Field)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Procedures {
    Table,
    Field,
}

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Kind,
}

#[derive(DeriveIden)]
enum AgencyAssets {
    Table,
    Name,
    ContentType,
    Bytes,
    UpdatedAt,
}

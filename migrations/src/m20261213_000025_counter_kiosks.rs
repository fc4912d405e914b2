//! Counter kiosks: a tablet at the one-stop counter on which the person
//! rates the dossier the officer has just handed over. A kiosk holds at
//! most one dossier waiting for its rating, and when it was handed over.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CounterKiosks::Table)
                    .col(pk_auto(CounterKiosks::Id))
                    .col(string_len(CounterKiosks::Name, 120))
                    .col(string_len_uniq(CounterKiosks::TokenHash, 64))
                    .col(integer_null(CounterKiosks::DossierId))
                    .col(timestamp_with_time_zone_null(CounterKiosks::HandedAt))
                    .col(timestamp_with_time_zone(CounterKiosks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CounterKiosks::Table, CounterKiosks::DossierId)
                            .to(Dossiers::Table, Dossiers::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CounterKiosks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CounterKiosks {
    Table,
    Id,
    Name,
    TokenHash,
    DossierId,
    HandedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    Id,
}

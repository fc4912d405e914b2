//! Flag tallies: how many data-quality flags of each kind a round holds in
//! each status (waiting, confirmed, dismissed). Kept in the transaction
//! that raises, decides or removes a flag, so every figure reads a handful
//! of rows instead of counting the round's flags (tens of thousands in a
//! round of a million responses). Filled from the stored flags.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FILL: &str = "INSERT INTO flag_tallies (round_id, kind, status, count) \
    SELECT round_id, kind, status, COUNT(*) FROM response_flags GROUP BY round_id, kind, status";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FlagTallies::Table)
                    .col(integer(FlagTallies::RoundId))
                    // speeder | straight-line | burst
                    .col(string_len(FlagTallies::Kind, 16))
                    // open | confirmed | dismissed
                    .col(string_len(FlagTallies::Status, 16))
                    .col(big_integer(FlagTallies::Count))
                    .primary_key(
                        Index::create()
                            .col(FlagTallies::RoundId)
                            .col(FlagTallies::Kind)
                            .col(FlagTallies::Status),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FlagTallies::Table, FlagTallies::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager.get_connection().execute_unprepared(FILL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FlagTallies::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FlagTallies {
    Table,
    RoundId,
    Kind,
    Status,
    Count,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

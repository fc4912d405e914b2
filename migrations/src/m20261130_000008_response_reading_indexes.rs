//! An index for reading a round's responses newest first (the dashboard's
//! latest comments): without it that query reads every response of the
//! round, which the benchmark showed growing with the round's size.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_responses_round_submitted_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Responses::Table)
                    .col(Responses::RoundId)
                    .col(Responses::SubmittedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Responses::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Responses {
    Table,
    RoundId,
    SubmittedAt,
}

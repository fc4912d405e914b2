//! How many responses counted in the figures carry a flag waiting for a
//! decision, kept beside each response tally (`flagged`) so that every
//! figure reads it from its slice instead of walking the round's flags;
//! and an index that counts the flags of a round by kind and status.
//! Filled from the stored responses and flags.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FILL: &str = "UPDATE response_tallies SET flagged = (\
    SELECT COUNT(*) FROM responses r \
    WHERE r.round_id = response_tallies.round_id \
      AND COALESCE(r.department_id, 0) = response_tallies.department_id \
      AND COALESCE(r.procedure_id, 0) = response_tallies.procedure_id \
      AND r.respondent_type = response_tallies.respondent_type \
      AND r.channel = response_tallies.channel \
      AND COALESCE(r.submission_method, '') = response_tallies.submission_method \
      AND r.excluded = false \
      AND EXISTS (SELECT 1 FROM response_flags f WHERE f.response_id = r.id AND f.status = 'open'))";

const INDEX: &str = "ix_response_flags_round_kind";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ResponseTallies::Table)
                    .add_column(big_integer(ResponseTallies::Flagged).default(0))
                    .to_owned(),
            )
            .await?;
        manager.get_connection().execute_unprepared(FILL).await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(ResponseFlags::Table)
                    .col(ResponseFlags::RoundId)
                    .col(ResponseFlags::Kind)
                    .col(ResponseFlags::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(ResponseFlags::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ResponseTallies::Table)
                    .drop_column(ResponseTallies::Flagged)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ResponseTallies {
    Table,
    Flagged,
}

#[derive(DeriveIden)]
enum ResponseFlags {
    Table,
    RoundId,
    Kind,
    Status,
}

//! How many responses counted in the figures carry a flag waiting for a
//! decision, kept beside each response tally (`flagged`) so that every
//! figure reads it from its slice instead of walking the round's flags;
//! and an index that counts the flags of a round by kind and status.
//! Filled from the stored responses and flags.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One pass over the open flags (UPDATE … FROM: PostgreSQL, SQLite ≥ 3.33).
const FILL: &str = "UPDATE response_tallies SET flagged = c.n FROM (\
    SELECT r.round_id AS round_id, COALESCE(r.department_id, 0) AS department_id, \
      COALESCE(r.procedure_id, 0) AS procedure_id, r.respondent_type AS respondent_type, \
      r.channel AS channel, COALESCE(r.submission_method, '') AS submission_method, \
      COUNT(DISTINCT r.id) AS n \
    FROM response_flags f JOIN responses r ON r.id = f.response_id \
    WHERE f.status = 'open' AND r.excluded = false \
    GROUP BY r.round_id, COALESCE(r.department_id, 0), COALESCE(r.procedure_id, 0), \
      r.respondent_type, r.channel, COALESCE(r.submission_method, '')) AS c \
  WHERE response_tallies.round_id = c.round_id AND response_tallies.department_id = c.department_id \
    AND response_tallies.procedure_id = c.procedure_id \
    AND response_tallies.respondent_type = c.respondent_type \
    AND response_tallies.channel = c.channel \
    AND response_tallies.submission_method = c.submission_method";

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
        // Plain SQL: both backends drop a column so (SQLite since 3.35).
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE response_tallies DROP COLUMN flagged")
            .await?;
        Ok(())
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

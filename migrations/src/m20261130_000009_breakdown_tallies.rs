//! Tallies of each round by one dimension at a time (the whole round,
//! department, procedure, respondent type, channel), kept beside the full
//! tallies in the same transaction. Unfiltered reports and breakdowns read
//! these few hundred rows instead of summing the full tallies, whose rows
//! multiply with every combination of the dimensions (the benchmark's
//! dashboard grew with the round until this table).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Fills the table from the full tallies of rounds that already have answers.
const FILL: &str = "INSERT INTO breakdown_tallies (round_id, dimension, value, criterion_id, level, count) \
    SELECT round_id, 'round', '', criterion_id, level, CAST(SUM(count) AS BIGINT) FROM tallies \
        GROUP BY round_id, criterion_id, level \
    UNION ALL SELECT round_id, 'department', CAST(department_id AS TEXT), criterion_id, level, CAST(SUM(count) AS BIGINT) \
        FROM tallies GROUP BY round_id, department_id, criterion_id, level \
    UNION ALL SELECT round_id, 'procedure', CAST(procedure_id AS TEXT), criterion_id, level, CAST(SUM(count) AS BIGINT) \
        FROM tallies GROUP BY round_id, procedure_id, criterion_id, level \
    UNION ALL SELECT round_id, 'respondent_type', respondent_type, criterion_id, level, CAST(SUM(count) AS BIGINT) \
        FROM tallies GROUP BY round_id, respondent_type, criterion_id, level \
    UNION ALL SELECT round_id, 'channel', channel, criterion_id, level, CAST(SUM(count) AS BIGINT) \
        FROM tallies GROUP BY round_id, channel, criterion_id, level";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BreakdownTallies::Table)
                    .col(integer(BreakdownTallies::RoundId))
                    // round | department | procedure | respondent_type | channel
                    .col(string(BreakdownTallies::Dimension))
                    // '' for the whole round; ids as text, '0' = not given
                    .col(string(BreakdownTallies::Value))
                    .col(integer(BreakdownTallies::CriterionId))
                    // 0 = not applicable, else the answer value
                    .col(small_integer(BreakdownTallies::Level))
                    .col(big_integer(BreakdownTallies::Count))
                    .primary_key(
                        Index::create()
                            .col(BreakdownTallies::RoundId)
                            .col(BreakdownTallies::Dimension)
                            .col(BreakdownTallies::Value)
                            .col(BreakdownTallies::CriterionId)
                            .col(BreakdownTallies::Level),
                    )
                    .to_owned(),
            )
            .await?;
        manager.get_connection().execute_unprepared(FILL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BreakdownTallies::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BreakdownTallies {
    Table,
    RoundId,
    Dimension,
    Value,
    CriterionId,
    Level,
    Count,
}

//! Breakdown tallies of procedure, respondent type and channel within each
//! department (dimension `department:{id}/procedure` and so on), kept with
//! the others in the response's transaction. The dashboard filtered by one
//! department shows those three breakdowns; it summed the department's full
//! tallies for each, whose rows multiply with every combination of the
//! other dimensions (the benchmark's page took 1.4 times as long at a
//! million responses as at a thousand). This fills them for the rounds
//! that already have answers.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const FILL: &str = "INSERT INTO breakdown_tallies (round_id, dimension, value, criterion_id, level, count) \
    SELECT round_id, 'department:' || CAST(department_id AS TEXT) || '/procedure', CAST(procedure_id AS TEXT), \
        criterion_id, level, CAST(SUM(count) AS BIGINT) \
        FROM tallies GROUP BY round_id, department_id, procedure_id, criterion_id, level \
    UNION ALL SELECT round_id, 'department:' || CAST(department_id AS TEXT) || '/respondent_type', respondent_type, \
        criterion_id, level, CAST(SUM(count) AS BIGINT) \
        FROM tallies GROUP BY round_id, department_id, respondent_type, criterion_id, level \
    UNION ALL SELECT round_id, 'department:' || CAST(department_id AS TEXT) || '/channel', channel, \
        criterion_id, level, CAST(SUM(count) AS BIGINT) \
        FROM tallies GROUP BY round_id, department_id, channel, criterion_id, level";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(FILL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM breakdown_tallies WHERE dimension LIKE 'department:%'")
            .await?;
        Ok(())
    }
}

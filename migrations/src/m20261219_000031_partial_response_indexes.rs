//! Two small partial indexes on responses, for reads the dashboard makes
//! on every view. Without them SQLite read every response of the round:
//! its statistics say `excluded` and `round_id` tell nothing apart (nearly
//! every response is counted, and a round holds them all), so the planner
//! scanned the table when a filter named a department, and for the
//! exclusions waiting for a decision (the benchmark's dashboard took 130 ms
//! at 1M responses, 13 ms at 1k). Each index holds only the few rows such a
//! read wants; the queries repeat the index's condition literally so that
//! both SQLite and PostgreSQL use it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const EXCLUDED: &str = "ix_responses_excluded";
const PROPOSED: &str = "ix_responses_exclusion_proposed";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Plain SQL: both backends write a partial index so.
        db.execute_unprepared(&format!(
            "CREATE INDEX {EXCLUDED} ON responses (round_id) WHERE excluded"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "CREATE INDEX {PROPOSED} ON responses (round_id, exclusion_proposed_at) \
             WHERE exclusion_proposed_by IS NOT NULL"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!("DROP INDEX {PROPOSED}"))
            .await?;
        db.execute_unprepared(&format!("DROP INDEX {EXCLUDED}"))
            .await?;
        Ok(())
    }
}

//! A partial index holding only the timed web responses, by round and
//! completion time: the speeder scan counts them and takes their median
//! (every five minutes and when the review page opens). With the index on
//! (round, completion time) over every response, SQLite's planner read the
//! whole table for the count, as the channel filter kept it from the index
//! (about 1.6 s at a million responses, at the server's start and every
//! five minutes after, beside the requests). The queries repeat the index's
//! condition literally so that both SQLite and PostgreSQL use it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TIMED: &str = "ix_responses_timed_web";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {TIMED} ON responses (round_id, completion_seconds) \
                 WHERE channel = 'web' AND completion_seconds IS NOT NULL"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!("DROP INDEX {TIMED}"))
            .await?;
        Ok(())
    }
}

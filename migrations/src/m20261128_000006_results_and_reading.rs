//! Published results never change, and the dashboard's "recent comments"
//! reads responses by round and time without scanning.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_responses_round_submitted")
                    .table(Responses::Table)
                    .col(Responses::RoundId)
                    .col(Responses::SubmittedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_result_snapshots_round")
                    .table(ResultSnapshots::Table)
                    .col(ResultSnapshots::RoundId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION result_snapshots_are_immutable() RETURNS trigger AS $$ \
                     BEGIN RAISE EXCEPTION 'published results never change'; END; $$ LANGUAGE plpgsql",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER result_snapshots_no_change BEFORE UPDATE OR DELETE ON result_snapshots \
                     FOR EACH ROW EXECUTE FUNCTION result_snapshots_are_immutable()",
                )
                .await?;
            }
            _ => {
                for operation in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER result_snapshots_no_{op} BEFORE {operation} ON result_snapshots \
                         BEGIN SELECT RAISE(ABORT, 'published results never change'); END",
                        op = operation.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS result_snapshots_no_change ON result_snapshots",
                )
                .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS result_snapshots_are_immutable()")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS result_snapshots_no_update")
                    .await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS result_snapshots_no_delete")
                    .await?;
            }
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ux_result_snapshots_round")
                    .table(ResultSnapshots::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_responses_round_submitted")
                    .table(Responses::Table)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Responses {
    Table,
    RoundId,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum ResultSnapshots {
    Table,
    RoundId,
}

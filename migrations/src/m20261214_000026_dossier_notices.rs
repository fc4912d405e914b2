//! The outbox row of a dossier's rating-link notice names its dossier, so
//! that a notice not yet delivered goes when the dossier's contact is
//! erased.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessages::Table)
                    .add_column(integer_null(OutboxMessages::DossierId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Plain SQL: both backends drop a column so (SQLite since 3.35).
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE outbox_messages DROP COLUMN dossier_id")
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    DossierId,
}

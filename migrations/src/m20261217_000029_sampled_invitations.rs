//! An invitation drawn from the dossiers completed in its round's
//! half-year names its dossier, so that a round's sample is drawn once and
//! a dossier is invited once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invitations::Table)
                    .add_column(integer_null(Invitations::DossierId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Plain SQL: both backends drop a column so (SQLite since 3.35).
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE invitations DROP COLUMN dossier_id")
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    DossierId,
}

//! The private rating key sent with the notice of a published answer, kept
//! (as its SHA-256) beside the one on the sender's receipt, so that either
//! rates the handling, once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(FeedbackItems::Table)
                    .add_column(string_len_null(FeedbackItems::NoticeRatingTokenHash, 64))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Plain SQL: both backends drop a column so (SQLite since 3.35).
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE feedback_items DROP COLUMN notice_rating_token_hash")
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum FeedbackItems {
    Table,
    NoticeRatingTokenHash,
}

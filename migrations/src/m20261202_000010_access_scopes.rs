//! Who sees personal data: a triage permission on accounts (unassigned
//! feedback items), scopes and an expiry on API tokens, the contact part of
//! a feedback item's search kept apart from its text, and the private
//! token with which only the sender may rate the handling.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(boolean(Users::CanTriage).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .add_column(string(ApiTokens::Scopes).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .add_column(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(FeedbackItems::Table)
                    .add_column(text_null(FeedbackItems::ContactText))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(FeedbackItems::Table)
                    .add_column(string_null(FeedbackItems::RatingTokenHash))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            (
                FeedbackItems::Table.into_iden(),
                FeedbackItems::RatingTokenHash.into_iden(),
            ),
            (
                FeedbackItems::Table.into_iden(),
                FeedbackItems::ContactText.into_iden(),
            ),
            (
                ApiTokens::Table.into_iden(),
                ApiTokens::ExpiresAt.into_iden(),
            ),
            (ApiTokens::Table.into_iden(), ApiTokens::Scopes.into_iden()),
            (Users::Table.into_iden(), Users::CanTriage.into_iden()),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    CanTriage,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Scopes,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum FeedbackItems {
    Table,
    ContactText,
    RatingTokenHash,
}

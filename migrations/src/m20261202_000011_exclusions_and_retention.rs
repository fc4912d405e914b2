//! Exclusions that a leader confirms (the proposal, its reason and who made
//! it, kept on the response); the moment a record's contact details were
//! erased, when their retention period ran out or the person asked; and the
//! one-time form flashes, kept here so that form contents never travel in
//! cookies.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column per statement: SQLite alters one column at a time.
fn add(column: ColumnDef, table: impl IntoIden) -> TableAlterStatement {
    Table::alter().table(table).add_column(column).to_owned()
}

fn drop(column: impl IntoIden, table: impl IntoIden) -> TableAlterStatement {
    Table::alter().table(table).drop_column(column).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for statement in [
            add(text_null(Responses::ExclusionReason), Responses::Table),
            add(
                integer_null(Responses::ExclusionProposedBy),
                Responses::Table,
            ),
            add(
                timestamp_with_time_zone_null(Responses::ExclusionProposedAt),
                Responses::Table,
            ),
            add(
                timestamp_with_time_zone_null(FeedbackItems::ContactsErasedAt),
                FeedbackItems::Table,
            ),
            add(
                timestamp_with_time_zone_null(Invitations::ContactsErasedAt),
                Invitations::Table,
            ),
        ] {
            manager.alter_table(statement).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(FormFlashes::Table)
                    .col(string(FormFlashes::Id).primary_key())
                    .col(text(FormFlashes::Payload))
                    .col(timestamp_with_time_zone(FormFlashes::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FormFlashes::Table).to_owned())
            .await?;
        for statement in [
            drop(Invitations::ContactsErasedAt, Invitations::Table),
            drop(FeedbackItems::ContactsErasedAt, FeedbackItems::Table),
            drop(Responses::ExclusionProposedAt, Responses::Table),
            drop(Responses::ExclusionProposedBy, Responses::Table),
            drop(Responses::ExclusionReason, Responses::Table),
        ] {
            manager.alter_table(statement).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Responses {
    Table,
    ExclusionReason,
    ExclusionProposedBy,
    ExclusionProposedAt,
}

#[derive(DeriveIden)]
enum FeedbackItems {
    Table,
    ContactsErasedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    ContactsErasedAt,
}

#[derive(DeriveIden)]
enum FormFlashes {
    Table,
    Id,
    Payload,
    ExpiresAt,
}

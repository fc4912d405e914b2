//! Outgoing webhooks: an admin names an HTTPS address and the events it
//! wants (feedback recorded or answered, round published, dossier rated).
//! Each event becomes one outbox row per subscribed webhook, so it is
//! stored in the event's own transaction and retried like any message.
//! The secret signs each request (HMAC-SHA256); it is shown to the admin
//! once and kept here because signing needs it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(pk_auto(Webhooks::Id))
                    .col(string_len(Webhooks::Name, 120))
                    .col(string_len(Webhooks::Url, 2000))
                    .col(string_len(Webhooks::Secret, 100))
                    // feedback.recorded,round.published,… (comma-separated)
                    .col(string_len(Webhooks::Events, 200))
                    .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                    .col(timestamp_with_time_zone_null(Webhooks::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessages::Table)
                    .add_column(integer_null(OutboxMessages::WebhookId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Plain SQL: both backends drop a column so (SQLite since 3.35).
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE outbox_messages DROP COLUMN webhook_id")
            .await?;
        manager
            .drop_table(Table::drop().table(Webhooks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Name,
    Url,
    Secret,
    Events,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    WebhookId,
}

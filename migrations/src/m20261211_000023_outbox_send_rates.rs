//! The recipient's mail domain beside each e-mail in the outbox (not
//! personal: "gmail.com", "bqlkkt.gov.vn"), kept after delivery, and an
//! index on delivery time: a sender counts what went out in the last minute,
//! in all and per domain, to keep to the mail server's rates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "ix_outbox_sent";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessages::Table)
                    .add_column(string_len_null(OutboxMessages::RecipientDomain, 255))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::Channel)
                    .col(OutboxMessages::SentAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(OutboxMessages::Table)
                    .to_owned(),
            )
            .await?;
        // Plain SQL: both backends drop a column so (SQLite since 3.35).
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE outbox_messages DROP COLUMN recipient_domain")
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Channel,
    SentAt,
    RecipientDomain,
}

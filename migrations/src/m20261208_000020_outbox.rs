//! The outbox: every message to a person outside the browser (e-mail now,
//! SMS later) is written in the transaction of the event that causes it,
//! then delivered by a sender that claims due rows for a short lease. A
//! process that dies mid-delivery leaves its lease to expire and the row is
//! claimed again; the Message-ID comes from the row, so a repeat is
//! recognisable. The recipient is erased once the message is delivered.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxMessages::Table)
                    .col(pk_auto(OutboxMessages::Id))
                    // email | sms
                    .col(string_len(OutboxMessages::Channel, 8))
                    // feedback-acknowledgement | …
                    .col(string_len(OutboxMessages::Kind, 40))
                    // Personal data: erased (NULL) once delivered or cancelled.
                    .col(string_len_null(OutboxMessages::Recipient, 320))
                    // What the message says, as JSON (codes and dates, no
                    // personal data); rendered when it is sent.
                    .col(text(OutboxMessages::Payload))
                    .col(string_len(OutboxMessages::Lang, 2))
                    // queued | sent | dead | cancelled
                    .col(string_len(OutboxMessages::Status, 12))
                    .col(integer(OutboxMessages::Attempts).default(0))
                    .col(timestamp_with_time_zone(OutboxMessages::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::ClaimedUntil))
                    .col(text_null(OutboxMessages::LastError))
                    .col(integer_null(OutboxMessages::FeedbackId))
                    .col(timestamp_with_time_zone(OutboxMessages::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::Status)
                    .col(OutboxMessages::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxMessages::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Id,
    Channel,
    Kind,
    Recipient,
    Payload,
    Lang,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastError,
    FeedbackId,
    CreatedAt,
    SentAt,
}

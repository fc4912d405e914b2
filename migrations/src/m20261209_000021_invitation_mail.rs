//! Invitations sent by e-mail: a round's reminder schedule (days after the
//! invitation, "7,14"); when an invitee followed their personal link and
//! when they asked for no more survey mail; the invitation an outbox
//! message belongs to and its place in the sequence (0 the invitation, 1
//! the first reminder…), unique so that no invitation or reminder is queued
//! twice; and the addresses that asked for no more survey mail, kept only as
//! keyed hashes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UNIQUE_STEP: &str = "ux_outbox_invitation_step";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns: [(DynIden, ColumnDef); 5] = [
            (
                Rounds::Table.into_iden(),
                string_len_null(Rounds::ReminderDays, 40),
            ),
            (
                Invitations::Table.into_iden(),
                timestamp_with_time_zone_null(Invitations::OpenedAt),
            ),
            (
                Invitations::Table.into_iden(),
                timestamp_with_time_zone_null(Invitations::UnsubscribedAt),
            ),
            (
                OutboxMessages::Table.into_iden(),
                integer_null(OutboxMessages::InvitationId),
            ),
            (
                OutboxMessages::Table.into_iden(),
                integer_null(OutboxMessages::Sequence),
            ),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(UNIQUE_STEP)
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::InvitationId)
                    .col(OutboxMessages::Kind)
                    .col(OutboxMessages::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailSuppressions::Table)
                    .col(string_len(MailSuppressions::AddressHash, 64).primary_key())
                    .col(timestamp_with_time_zone(MailSuppressions::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MailSuppressions::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(UNIQUE_STEP)
                    .table(OutboxMessages::Table)
                    .to_owned(),
            )
            .await?;
        // Plain SQL: both backends drop a column so (SQLite since 3.35).
        for sql in [
            "ALTER TABLE outbox_messages DROP COLUMN sequence",
            "ALTER TABLE outbox_messages DROP COLUMN invitation_id",
            "ALTER TABLE invitations DROP COLUMN unsubscribed_at",
            "ALTER TABLE invitations DROP COLUMN opened_at",
            "ALTER TABLE rounds DROP COLUMN reminder_days",
        ] {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    ReminderDays,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    OpenedAt,
    UnsubscribedAt,
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Kind,
    InvitationId,
    Sequence,
}

#[derive(DeriveIden)]
enum MailSuppressions {
    Table,
    AddressHash,
    CreatedAt,
}

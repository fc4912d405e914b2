//! Data quality: what a web response needs to be checked (when its form
//! was drawn, as the server signed it; how long it took; a keyed hash of
//! its sender's network prefix, never the address) and the flags raised on
//! responses (too fast, one level for every answer, a burst from one
//! network), each waiting for a person to confirm (the response then
//! leaves the figures) or dismiss it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [
            timestamp_with_time_zone_null(Responses::StartedAt),
            integer_null(Responses::CompletionSeconds),
            string_len_null(Responses::NetworkHash, 32),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Responses::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for (name, columns) in [
            (
                "ix_responses_network",
                vec![
                    Responses::RoundId,
                    Responses::NetworkHash,
                    Responses::SubmittedAt,
                ],
            ),
            (
                "ix_responses_completion",
                vec![Responses::RoundId, Responses::CompletionSeconds],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Responses::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ResponseFlags::Table)
                    .col(pk_auto(ResponseFlags::Id))
                    .col(integer(ResponseFlags::RoundId))
                    .col(integer(ResponseFlags::ResponseId))
                    // speeder | straight-line | burst
                    .col(string_len(ResponseFlags::Kind, 16))
                    // open | confirmed | dismissed
                    .col(string_len(ResponseFlags::Status, 16))
                    .col(text(ResponseFlags::Detail).default(""))
                    .col(timestamp_with_time_zone(ResponseFlags::FlaggedAt))
                    .col(integer_null(ResponseFlags::DecidedByUserId))
                    .col(timestamp_with_time_zone_null(ResponseFlags::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResponseFlags::Table, ResponseFlags::ResponseId)
                            .to(Responses::Table, Responses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_response_flags_kind")
                    .table(ResponseFlags::Table)
                    .col(ResponseFlags::ResponseId)
                    .col(ResponseFlags::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_response_flags_round")
                    .table(ResponseFlags::Table)
                    .col(ResponseFlags::RoundId)
                    .col(ResponseFlags::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ResponseFlags::Table).to_owned())
            .await?;
        for name in ["ix_responses_network", "ix_responses_completion"] {
            manager
                .drop_index(Index::drop().name(name).table(Responses::Table).to_owned())
                .await?;
        }
        for column in [
            Responses::StartedAt,
            Responses::CompletionSeconds,
            Responses::NetworkHash,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Responses::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Responses {
    Table,
    Id,
    RoundId,
    SubmittedAt,
    StartedAt,
    CompletionSeconds,
    NetworkHash,
}

#[derive(DeriveIden)]
enum ResponseFlags {
    Table,
    Id,
    RoundId,
    ResponseId,
    Kind,
    Status,
    Detail,
    FlaggedAt,
    DecidedByUserId,
    DecidedAt,
}

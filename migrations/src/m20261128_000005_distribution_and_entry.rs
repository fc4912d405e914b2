//! What rounds and their distribution need beyond the first schema: which
//! profile questions an instrument asks, whether it asks for a comment, and
//! the jobs that import paper and phone responses.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The profile questions every instrument asked before this migration.
pub const ALL_PROFILE_FIELDS: &str = "respondent_type,department,procedure,submission_method";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Instruments::Table)
                    .add_column(string(Instruments::ProfileFields).default(ALL_PROFILE_FIELDS))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Instruments::Table)
                    .add_column(boolean(Instruments::AsksComment).default(true))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ImportJobs::Table)
                    .col(pk_auto(ImportJobs::Id))
                    .col(string_uniq(ImportJobs::PublicId))
                    .col(integer(ImportJobs::RoundId))
                    .col(integer_null(ImportJobs::CreatedByUserId))
                    .col(string(ImportJobs::FileName))
                    // pending | running | done | failed
                    .col(string(ImportJobs::Status))
                    .col(integer(ImportJobs::TotalRows))
                    .col(integer(ImportJobs::StoredRows))
                    // Per-row problems, JSON; empty when the file is valid.
                    .col(text(ImportJobs::Report))
                    .col(timestamp_with_time_zone(ImportJobs::CreatedAt))
                    // Written after every stored chunk: a running job whose
                    // heartbeat stopped was interrupted and is undone.
                    .col(timestamp_with_time_zone(ImportJobs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(ImportJobs::FinishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportJobs::Table, ImportJobs::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // Responses stored by an import carry its id, so that a failed import can be undone.
        manager
            .alter_table(
                Table::alter()
                    .table(Responses::Table)
                    .add_column(integer_null(Responses::ImportJobId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_responses_import_job")
                    .table(Responses::Table)
                    .col(Responses::ImportJobId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_responses_import_job")
                    .table(Responses::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Responses::Table)
                    .drop_column(Responses::ImportJobId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ImportJobs::Table).to_owned())
            .await?;
        for column in [Instruments::AsksComment, Instruments::ProfileFields] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Instruments::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Instruments {
    Table,
    ProfileFields,
    AsksComment,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Responses {
    Table,
    ImportJobId,
}

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Id,
    PublicId,
    RoundId,
    CreatedByUserId,
    FileName,
    Status,
    TotalRows,
    StoredRows,
    Report,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

//! Action plans: what leadership decides to do about a weak criterion of a
//! round (what, which department owns it, by when, the effect expected),
//! its progress as staff report it, and whether it is published on the
//! public "you said — we did — measured again" page. The criterion is kept
//! by its stable code, so that the next round on the same questionnaire can
//! judge it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Actions::Table)
                    .col(pk_auto(Actions::Id))
                    .col(integer(Actions::RoundId))
                    .col(string_len(Actions::CriterionCode, 32))
                    .col(text(Actions::What))
                    .col(integer(Actions::OwnerDepartmentId))
                    .col(date(Actions::DueOn))
                    .col(text(Actions::ExpectedEffect).default(""))
                    // planned | in-progress | done | dropped
                    .col(string_len(Actions::Status, 16))
                    .col(text(Actions::ProgressNote).default(""))
                    .col(timestamp_with_time_zone_null(Actions::PublishedAt))
                    .col(integer_null(Actions::CreatedByUserId))
                    .col(timestamp_with_time_zone(Actions::CreatedAt))
                    .col(timestamp_with_time_zone(Actions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Actions::Table, Actions::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Actions::Table, Actions::OwnerDepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_actions_round")
                    .table(Actions::Table)
                    .col(Actions::RoundId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Actions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Actions {
    Table,
    Id,
    RoundId,
    CriterionCode,
    What,
    OwnerDepartmentId,
    DueOn,
    ExpectedEffect,
    Status,
    ProgressNote,
    PublishedAt,
    CreatedByUserId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
}

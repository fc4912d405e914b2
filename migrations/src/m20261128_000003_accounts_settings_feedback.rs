//! Staff accounts, settings, the holiday calendar, feedback records with
//! their history, and the frozen snapshots of published results.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_catalogue_and_instruments::Departments;
use crate::m20261128_000002_rounds_and_responses::{Responses, Rounds};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string_uniq(Users::Username))
                    .col(string(Users::DisplayName))
                    .col(string(Users::PasswordHash))
                    // admin | staff | leader
                    .col(string(Users::Role))
                    .col(boolean(Users::Active).default(true))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::PasswordChangedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserDepartments::Table)
                    .col(integer(UserDepartments::UserId))
                    .col(integer(UserDepartments::DepartmentId))
                    .primary_key(
                        Index::create()
                            .col(UserDepartments::UserId)
                            .col(UserDepartments::DepartmentId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserDepartments::Table, UserDepartments::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserDepartments::Table, UserDepartments::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Settings::Table)
                    .col(string(Settings::Key).primary_key())
                    .col(text(Settings::Value))
                    .col(timestamp_with_time_zone(Settings::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Holidays::Table)
                    .col(date(Holidays::Day).primary_key())
                    .col(string(Holidays::Name))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FeedbackItems::Table)
                    .col(pk_auto(FeedbackItems::Id))
                    .col(string_uniq(FeedbackItems::TrackingCode))
                    // hotline | letter | email | web | in-person | survey
                    .col(string(FeedbackItems::Channel))
                    // received | classified | assigned | in-progress | answered
                    // | reviewed | published | closed
                    .col(string(FeedbackItems::Status))
                    // in-scope | complaint-denunciation | out-of-scope | duplicate
                    .col(string_null(FeedbackItems::Classification))
                    .col(integer_null(FeedbackItems::DuplicateOfId))
                    .col(string_null(FeedbackItems::Category))
                    .col(string_null(FeedbackItems::SenderName))
                    .col(string_null(FeedbackItems::SenderAddress))
                    .col(string_null(FeedbackItems::SenderPhone))
                    .col(string_null(FeedbackItems::SenderEmail))
                    .col(boolean(FeedbackItems::EligibleForReply))
                    .col(boolean(FeedbackItems::ConsentToPublish).default(false))
                    .col(string_null(FeedbackItems::Subject))
                    .col(text(FeedbackItems::Content))
                    .col(integer_null(FeedbackItems::DepartmentId))
                    .col(integer_null(FeedbackItems::ResponseId).unique_key())
                    .col(text_null(FeedbackItems::Answer))
                    .col(timestamp_with_time_zone(FeedbackItems::ReceivedAt))
                    .col(date_null(FeedbackItems::DueOn))
                    .col(timestamp_with_time_zone_null(FeedbackItems::AnsweredAt))
                    .col(timestamp_with_time_zone_null(FeedbackItems::PublishedAt))
                    .col(timestamp_with_time_zone_null(FeedbackItems::ClosedAt))
                    .col(small_integer_null(FeedbackItems::HandlingRating))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FeedbackItems::Table, FeedbackItems::DuplicateOfId)
                            .to(FeedbackItems::Table, FeedbackItems::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FeedbackItems::Table, FeedbackItems::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FeedbackItems::Table, FeedbackItems::ResponseId)
                            .to(Responses::Table, Responses::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FeedbackEvents::Table)
                    .col(pk_auto(FeedbackEvents::Id))
                    .col(integer(FeedbackEvents::FeedbackId))
                    .col(string_null(FeedbackEvents::FromStatus))
                    .col(string(FeedbackEvents::ToStatus))
                    .col(integer_null(FeedbackEvents::ActorUserId))
                    .col(text_null(FeedbackEvents::Reason))
                    .col(timestamp_with_time_zone(FeedbackEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FeedbackEvents::Table, FeedbackEvents::FeedbackId)
                            .to(FeedbackItems::Table, FeedbackItems::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FeedbackEvents::Table, FeedbackEvents::ActorUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResultSnapshots::Table)
                    .col(pk_auto(ResultSnapshots::Id))
                    .col(integer(ResultSnapshots::RoundId))
                    .col(string_uniq(ResultSnapshots::PublicId))
                    .col(string(ResultSnapshots::FormulaVersion))
                    // Every figure with the counts behind it, as JSON.
                    .col(text(ResultSnapshots::Data))
                    .col(integer_null(ResultSnapshots::ApprovedByUserId))
                    .col(timestamp_with_time_zone(ResultSnapshots::ApprovedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResultSnapshots::Table, ResultSnapshots::RoundId)
                            .to(Rounds::Table, Rounds::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResultSnapshots::Table, ResultSnapshots::ApprovedByUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ResultSnapshots::Table.into_iden(),
            FeedbackEvents::Table.into_iden(),
            FeedbackItems::Table.into_iden(),
            Holidays::Table.into_iden(),
            Settings::Table.into_iden(),
            UserDepartments::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    CreatedAt,
    PasswordChangedAt,
}

#[derive(DeriveIden)]
enum UserDepartments {
    Table,
    UserId,
    DepartmentId,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Day,
    Name,
}

#[derive(DeriveIden)]
enum FeedbackItems {
    Table,
    Id,
    TrackingCode,
    Channel,
    Status,
    Classification,
    DuplicateOfId,
    Category,
    SenderName,
    SenderAddress,
    SenderPhone,
    SenderEmail,
    EligibleForReply,
    ConsentToPublish,
    Subject,
    Content,
    DepartmentId,
    ResponseId,
    Answer,
    ReceivedAt,
    DueOn,
    AnsweredAt,
    PublishedAt,
    ClosedAt,
    HandlingRating,
}

#[derive(DeriveIden)]
enum FeedbackEvents {
    Table,
    Id,
    FeedbackId,
    FromStatus,
    ToStatus,
    ActorUserId,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ResultSnapshots {
    Table,
    Id,
    RoundId,
    PublicId,
    FormulaVersion,
    Data,
    ApprovedByUserId,
    ApprovedAt,
}

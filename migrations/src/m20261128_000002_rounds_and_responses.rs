//! Survey rounds, invitations, responses with one answer row per criterion,
//! drafts for save-and-resume, and the tallies that dashboards read.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_catalogue_and_instruments::{
    Criteria, Departments, Instruments, Procedures,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Rounds::Table)
                    .col(pk_auto(Rounds::Id))
                    .col(string_uniq(Rounds::Slug))
                    .col(string(Rounds::TitleVi))
                    .col(string(Rounds::TitleEn))
                    .col(integer(Rounds::Year))
                    .col(small_integer(Rounds::Half))
                    .col(integer(Rounds::InstrumentId))
                    // businesses | citizens | partner-agencies, comma separated
                    .col(string(Rounds::Audience))
                    // draft | open | closed | published
                    .col(string(Rounds::Status))
                    .col(timestamp_with_time_zone_null(Rounds::OpensAt))
                    .col(timestamp_with_time_zone_null(Rounds::ClosesAt))
                    .col(integer_null(Rounds::DossiersHandled))
                    .col(timestamp_with_time_zone(Rounds::CreatedAt))
                    .col(timestamp_with_time_zone_null(Rounds::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Rounds::Table, Rounds::InstrumentId)
                            .to(Instruments::Table, Instruments::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoundDepartments::Table)
                    .col(integer(RoundDepartments::RoundId))
                    .col(integer(RoundDepartments::DepartmentId))
                    .primary_key(
                        Index::create()
                            .col(RoundDepartments::RoundId)
                            .col(RoundDepartments::DepartmentId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoundDepartments::Table, RoundDepartments::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoundDepartments::Table, RoundDepartments::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_auto(Invitations::Id))
                    .col(integer(Invitations::RoundId))
                    // One-use code printed on the letter or sent in the personal link.
                    .col(string_uniq(Invitations::Code))
                    .col(string(Invitations::Name))
                    .col(string_null(Invitations::TaxCode))
                    .col(string_null(Invitations::Email))
                    .col(string_null(Invitations::Phone))
                    .col(integer_null(Invitations::DepartmentId))
                    .col(integer_null(Invitations::ProcedureId))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::ProcedureId)
                            .to(Procedures::Table, Procedures::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Responses::Table)
                    .col(pk_auto(Responses::Id))
                    .col(integer(Responses::RoundId))
                    .col(string_uniq(Responses::ReceiptCode))
                    .col(string_null(Responses::IdempotencyKey))
                    // At most one response per invitation, enforced here.
                    .col(integer_null(Responses::InvitationId).unique_key())
                    // doanh-nghiep | ca-nhan | co-quan-phoi-hop
                    .col(string(Responses::RespondentType))
                    .col(integer_null(Responses::DepartmentId))
                    .col(integer_null(Responses::ProcedureId))
                    // truc-tiep | truc-tuyen | buu-chinh: how the dossier was submitted
                    .col(string_null(Responses::SubmissionMethod))
                    // web | paper | phone | kiosk: how the answers reached us
                    .col(string(Responses::Channel))
                    .col(text_null(Responses::Comment))
                    .col(boolean(Responses::Excluded).default(false))
                    .col(timestamp_with_time_zone(Responses::SubmittedAt))
                    .col(timestamp_with_time_zone(Responses::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Responses::Table, Responses::RoundId)
                            .to(Rounds::Table, Rounds::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Responses::Table, Responses::InvitationId)
                            .to(Invitations::Table, Invitations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Responses::Table, Responses::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Responses::Table, Responses::ProcedureId)
                            .to(Procedures::Table, Procedures::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_responses_round_idempotency_key")
                    .table(Responses::Table)
                    .col(Responses::RoundId)
                    .col(Responses::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Answers::Table)
                    .col(integer(Answers::ResponseId))
                    .col(integer(Answers::CriterionId))
                    // 1..5 (or 1..3 on three-level scales); NULL = not applicable
                    .col(small_integer_null(Answers::Value))
                    .primary_key(
                        Index::create()
                            .col(Answers::ResponseId)
                            .col(Answers::CriterionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Answers::Table, Answers::ResponseId)
                            .to(Responses::Table, Responses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Answers::Table, Answers::CriterionId)
                            .to(Criteria::Table, Criteria::Id),
                    )
                    .to_owned(),
            )
            .await?;

        // Tallies are derived data, recomputable from answers: no foreign keys,
        // and 0 / '' stand for "not given" so that the key has no NULLs.
        manager
            .create_table(
                Table::create()
                    .table(Tallies::Table)
                    .col(integer(Tallies::RoundId))
                    .col(integer(Tallies::CriterionId))
                    .col(integer(Tallies::DepartmentId))
                    .col(integer(Tallies::ProcedureId))
                    .col(string(Tallies::RespondentType))
                    .col(string(Tallies::Channel))
                    .col(string(Tallies::SubmissionMethod))
                    // 0 = not applicable, else the answer value
                    .col(small_integer(Tallies::Level))
                    .col(big_integer(Tallies::Count))
                    .primary_key(
                        Index::create()
                            .col(Tallies::RoundId)
                            .col(Tallies::CriterionId)
                            .col(Tallies::DepartmentId)
                            .col(Tallies::ProcedureId)
                            .col(Tallies::RespondentType)
                            .col(Tallies::Channel)
                            .col(Tallies::SubmissionMethod)
                            .col(Tallies::Level),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResponseTallies::Table)
                    .col(integer(ResponseTallies::RoundId))
                    .col(integer(ResponseTallies::DepartmentId))
                    .col(integer(ResponseTallies::ProcedureId))
                    .col(string(ResponseTallies::RespondentType))
                    .col(string(ResponseTallies::Channel))
                    .col(string(ResponseTallies::SubmissionMethod))
                    .col(big_integer(ResponseTallies::Count))
                    .primary_key(
                        Index::create()
                            .col(ResponseTallies::RoundId)
                            .col(ResponseTallies::DepartmentId)
                            .col(ResponseTallies::ProcedureId)
                            .col(ResponseTallies::RespondentType)
                            .col(ResponseTallies::Channel)
                            .col(ResponseTallies::SubmissionMethod),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResponseDrafts::Table)
                    .col(pk_auto(ResponseDrafts::Id))
                    .col(string_uniq(ResponseDrafts::ResumeCode))
                    .col(integer(ResponseDrafts::RoundId))
                    // The form as entered, JSON, so nothing typed is lost.
                    .col(text(ResponseDrafts::Data))
                    .col(timestamp_with_time_zone(ResponseDrafts::CreatedAt))
                    .col(timestamp_with_time_zone(ResponseDrafts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResponseDrafts::Table, ResponseDrafts::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ResponseDrafts::Table.into_iden(),
            ResponseTallies::Table.into_iden(),
            Tallies::Table.into_iden(),
            Answers::Table.into_iden(),
            Responses::Table.into_iden(),
            Invitations::Table.into_iden(),
            RoundDepartments::Table.into_iden(),
            Rounds::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum Rounds {
    Table,
    Id,
    Slug,
    TitleVi,
    TitleEn,
    Year,
    Half,
    InstrumentId,
    Audience,
    Status,
    OpensAt,
    ClosesAt,
    DossiersHandled,
    CreatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum RoundDepartments {
    Table,
    RoundId,
    DepartmentId,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    RoundId,
    Code,
    Name,
    TaxCode,
    Email,
    Phone,
    DepartmentId,
    ProcedureId,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Responses {
    Table,
    Id,
    RoundId,
    ReceiptCode,
    IdempotencyKey,
    InvitationId,
    RespondentType,
    DepartmentId,
    ProcedureId,
    SubmissionMethod,
    Channel,
    Comment,
    Excluded,
    SubmittedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Answers {
    Table,
    ResponseId,
    CriterionId,
    Value,
}

#[derive(DeriveIden)]
enum Tallies {
    Table,
    RoundId,
    CriterionId,
    DepartmentId,
    ProcedureId,
    RespondentType,
    Channel,
    SubmissionMethod,
    Level,
    Count,
}

#[derive(DeriveIden)]
enum ResponseTallies {
    Table,
    RoundId,
    DepartmentId,
    ProcedureId,
    RespondentType,
    Channel,
    SubmissionMethod,
    Count,
}

#[derive(DeriveIden)]
enum ResponseDrafts {
    Table,
    Id,
    ResumeCode,
    RoundId,
    Data,
    CreatedAt,
    UpdatedAt,
}

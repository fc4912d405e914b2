//! Dossiers from the one-stop (một cửa) software and the rating of each
//! completed one. The rating is kept apart from the dossier's contact,
//! which is kept apart from the dossier: the contact only serves to send
//! the rating link and is erased when the link expires. The tallies count
//! completed dossiers by month of completion (Vietnam time), department,
//! procedure, channel, on time or not, rating level and trips reported,
//! and are kept in the transaction of every change, so the figures read a
//! bounded number of rows however many dossiers there are.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Dossiers::Table)
                    .col(pk_auto(Dossiers::Id))
                    .col(string_len_uniq(Dossiers::Code, 60))
                    .col(integer(Dossiers::ProcedureId))
                    .col(integer(Dossiers::DepartmentId))
                    .col(string_len(Dossiers::Channel, 16))
                    .col(timestamp_with_time_zone(Dossiers::ReceivedAt))
                    .col(timestamp_with_time_zone_null(Dossiers::DueAt))
                    .col(timestamp_with_time_zone_null(Dossiers::CompletedAt))
                    .col(string_len_null(Dossiers::Result, 16))
                    .col(string_len_null(Dossiers::RatingKeyHash, 64))
                    .col(timestamp_with_time_zone(Dossiers::CreatedAt))
                    .col(timestamp_with_time_zone(Dossiers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dossiers::Table, Dossiers::ProcedureId)
                            .to(Procedures::Table, Procedures::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Dossiers::Table, Dossiers::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dossiers_rating_key")
                    .table(Dossiers::Table)
                    .col(Dossiers::RatingKeyHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dossiers_completed")
                    .table(Dossiers::Table)
                    .col(Dossiers::CompletedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierContacts::Table)
                    .col(integer(DossierContacts::DossierId).primary_key())
                    .col(string_len_null(DossierContacts::Phone, 40))
                    .col(string_len_null(DossierContacts::Email, 254))
                    .col(timestamp_with_time_zone(DossierContacts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DossierContacts::Table, DossierContacts::DossierId)
                            .to(Dossiers::Table, Dossiers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierRatings::Table)
                    // One rating per dossier: the key refuses a second.
                    .col(integer(DossierRatings::DossierId).primary_key())
                    .col(small_integer(DossierRatings::Level))
                    .col(string_len(DossierRatings::Reasons, 200))
                    .col(small_integer_null(DossierRatings::Trips))
                    .col(integer_null(DossierRatings::FeedbackItemId))
                    .col(string_len(DossierRatings::Source, 16))
                    .col(timestamp_with_time_zone(DossierRatings::RatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DossierRatings::Table, DossierRatings::DossierId)
                            .to(Dossiers::Table, Dossiers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierTallies::Table)
                    .col(integer(DossierTallies::Year))
                    .col(small_integer(DossierTallies::Month))
                    .col(integer(DossierTallies::DepartmentId))
                    .col(integer(DossierTallies::ProcedureId))
                    .col(string_len(DossierTallies::Channel, 16))
                    // 0: late, 1: on time, 2: no due date.
                    .col(small_integer(DossierTallies::OnTime))
                    // 0: not rated; 1–3: the level.
                    .col(small_integer(DossierTallies::Level))
                    // 0: not reported; 1–5 (5: five or more).
                    .col(small_integer(DossierTallies::Trips))
                    .col(big_integer(DossierTallies::Count))
                    .primary_key(
                        Index::create()
                            .col(DossierTallies::Year)
                            .col(DossierTallies::Month)
                            .col(DossierTallies::DepartmentId)
                            .col(DossierTallies::ProcedureId)
                            .col(DossierTallies::Channel)
                            .col(DossierTallies::OnTime)
                            .col(DossierTallies::Level)
                            .col(DossierTallies::Trips),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierReasonTallies::Table)
                    .col(integer(DossierReasonTallies::Year))
                    .col(small_integer(DossierReasonTallies::Month))
                    .col(integer(DossierReasonTallies::DepartmentId))
                    .col(integer(DossierReasonTallies::ProcedureId))
                    .col(string_len(DossierReasonTallies::Reason, 32))
                    .col(small_integer(DossierReasonTallies::Level))
                    .col(big_integer(DossierReasonTallies::Count))
                    .primary_key(
                        Index::create()
                            .col(DossierReasonTallies::Year)
                            .col(DossierReasonTallies::Month)
                            .col(DossierReasonTallies::DepartmentId)
                            .col(DossierReasonTallies::ProcedureId)
                            .col(DossierReasonTallies::Reason)
                            .col(DossierReasonTallies::Level),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DossierReasonTallies::Table.into_iden(),
            DossierTallies::Table.into_iden(),
            DossierRatings::Table.into_iden(),
            DossierContacts::Table.into_iden(),
            Dossiers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    Id,
    Code,
    ProcedureId,
    DepartmentId,
    Channel,
    ReceivedAt,
    DueAt,
    CompletedAt,
    Result,
    RatingKeyHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DossierContacts {
    Table,
    DossierId,
    Phone,
    Email,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DossierRatings {
    Table,
    DossierId,
    Level,
    Reasons,
    Trips,
    FeedbackItemId,
    Source,
    RatedAt,
}

#[derive(DeriveIden)]
enum DossierTallies {
    Table,
    Year,
    Month,
    DepartmentId,
    ProcedureId,
    Channel,
    OnTime,
    Level,
    Trips,
    Count,
}

#[derive(DeriveIden)]
enum DossierReasonTallies {
    Table,
    Year,
    Month,
    DepartmentId,
    ProcedureId,
    Reason,
    Level,
    Count,
}

#[derive(DeriveIden)]
enum Procedures {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
}

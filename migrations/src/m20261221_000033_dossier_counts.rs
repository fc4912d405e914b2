//! Dossier counts: one row per month of completion (Vietnam time),
//! department, procedure and channel, holding what the figures add up
//! (completed, rated, each rating level, with a due date, on time, trips
//! reported and their sum) instead of one row per combination of
//! timeliness, level and trips as well; and the reasons ticked counted per
//! month and reason, with how many of them came with "not satisfied". The
//! figures of a year then read a few hundred rows however many dossiers
//! were completed. Filled from the tallies they replace, which are dropped.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FILL_COUNTS: &str = "INSERT INTO dossier_counts (year, month, department_id, procedure_id, \
     channel, completed, rated, level_1, level_2, level_3, with_due_date, on_time, trips_reported, \
     trips_sum) \
     SELECT year, month, department_id, procedure_id, channel, \
       CAST(SUM(count) AS BIGINT), \
       CAST(SUM(CASE WHEN level BETWEEN 1 AND 3 THEN count ELSE 0 END) AS BIGINT), \
       CAST(SUM(CASE WHEN level = 1 THEN count ELSE 0 END) AS BIGINT), \
       CAST(SUM(CASE WHEN level = 2 THEN count ELSE 0 END) AS BIGINT), \
       CAST(SUM(CASE WHEN level = 3 THEN count ELSE 0 END) AS BIGINT), \
       CAST(SUM(CASE WHEN on_time IN (0, 1) THEN count ELSE 0 END) AS BIGINT), \
       CAST(SUM(CASE WHEN on_time = 1 THEN count ELSE 0 END) AS BIGINT), \
       CAST(SUM(CASE WHEN trips > 0 THEN count ELSE 0 END) AS BIGINT), \
       CAST(SUM(count * trips) AS BIGINT) \
     FROM dossier_tallies GROUP BY year, month, department_id, procedure_id, channel";

const FILL_REASONS: &str = "INSERT INTO dossier_reason_counts (year, month, reason, count, \
     unsatisfied) \
     SELECT year, month, reason, CAST(SUM(count) AS BIGINT), \
       CAST(SUM(CASE WHEN level = 1 THEN count ELSE 0 END) AS BIGINT) \
     FROM dossier_reason_tallies GROUP BY year, month, reason";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DossierCounts::Table)
                    .col(integer(DossierCounts::Year))
                    .col(small_integer(DossierCounts::Month))
                    .col(integer(DossierCounts::DepartmentId))
                    .col(integer(DossierCounts::ProcedureId))
                    .col(string_len(DossierCounts::Channel, 16))
                    .col(big_integer(DossierCounts::Completed))
                    .col(big_integer(DossierCounts::Rated))
                    .col(big_integer(DossierCounts::Level1))
                    .col(big_integer(DossierCounts::Level2))
                    .col(big_integer(DossierCounts::Level3))
                    .col(big_integer(DossierCounts::WithDueDate))
                    .col(big_integer(DossierCounts::OnTime))
                    .col(big_integer(DossierCounts::TripsReported))
                    .col(big_integer(DossierCounts::TripsSum))
                    .primary_key(
                        Index::create()
                            .col(DossierCounts::Year)
                            .col(DossierCounts::Month)
                            .col(DossierCounts::DepartmentId)
                            .col(DossierCounts::ProcedureId)
                            .col(DossierCounts::Channel),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierReasonCounts::Table)
                    .col(integer(DossierReasonCounts::Year))
                    .col(small_integer(DossierReasonCounts::Month))
                    .col(string_len(DossierReasonCounts::Reason, 32))
                    .col(big_integer(DossierReasonCounts::Count))
                    .col(big_integer(DossierReasonCounts::Unsatisfied))
                    .primary_key(
                        Index::create()
                            .col(DossierReasonCounts::Year)
                            .col(DossierReasonCounts::Month)
                            .col(DossierReasonCounts::Reason),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(FILL_COUNTS).await?;
        db.execute_unprepared(FILL_REASONS).await?;
        for table in [
            DossierTallies::Table.into_iden(),
            DossierReasonTallies::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The old tallies are rebuilt by `hailong verify-tallies --repair`
        // after going down; their shape is migration 24's.
        manager
            .create_table(
                Table::create()
                    .table(DossierTallies::Table)
                    .col(integer(DossierTallies::Year))
                    .col(small_integer(DossierTallies::Month))
                    .col(integer(DossierTallies::DepartmentId))
                    .col(integer(DossierTallies::ProcedureId))
                    .col(string_len(DossierTallies::Channel, 16))
                    .col(small_integer(DossierTallies::OnTime))
                    .col(small_integer(DossierTallies::Level))
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
            .await?;
        for table in [
            DossierCounts::Table.into_iden(),
            DossierReasonCounts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum DossierCounts {
    Table,
    Year,
    Month,
    DepartmentId,
    ProcedureId,
    Channel,
    Completed,
    Rated,
    #[sea_orm(iden = "level_1")]
    Level1,
    #[sea_orm(iden = "level_2")]
    Level2,
    #[sea_orm(iden = "level_3")]
    Level3,
    WithDueDate,
    OnTime,
    TripsReported,
    TripsSum,
}

#[derive(DeriveIden)]
enum DossierReasonCounts {
    Table,
    Year,
    Month,
    Reason,
    Count,
    Unsatisfied,
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

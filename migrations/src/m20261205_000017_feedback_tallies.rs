//! Feedback tallies: how many feedback items fall in each combination of
//! half-year received (Vietnam time), department, category,
//! classification, answered, answered on time and the sender's rating of
//! the handling. Kept in the transaction of every change to an item, so
//! the dashboard's feedback panel reads a bounded number of rows however
//! many items there are; only "overdue", which moves with the calendar, is
//! counted from the items (the open ones past their deadline).

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tallies of the items already stored. The same rule as
/// `domain::services::feedback::tallies`, written again here in each
/// backend's SQL as migrations are frozen history.
fn fill(backend: DatabaseBackend) -> String {
    let (year, month, answered_day) = match backend {
        DatabaseBackend::Postgres => (
            "CAST(EXTRACT(YEAR FROM (received_at AT TIME ZONE 'UTC') + INTERVAL '7 hours') AS INTEGER)",
            "CAST(EXTRACT(MONTH FROM (received_at AT TIME ZONE 'UTC') + INTERVAL '7 hours') AS INTEGER)",
            "CAST((answered_at AT TIME ZONE 'UTC') + INTERVAL '7 hours' AS DATE)",
        ),
        _ => (
            "CAST(strftime('%Y', received_at, '+7 hours') AS INTEGER)",
            "CAST(strftime('%m', received_at, '+7 hours') AS INTEGER)",
            "date(answered_at, '+7 hours')",
        ),
    };
    format!(
        "INSERT INTO feedback_tallies (year, half, department_id, category, classification, \
         answered, on_time, rating, count) \
         SELECT {year}, CASE WHEN {month} <= 6 THEN 1 ELSE 2 END, COALESCE(department_id, 0), \
         COALESCE(category, ''), COALESCE(classification, ''), \
         CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN answered_at IS NOT NULL AND answer_due_on IS NOT NULL \
              AND {answered_day} <= answer_due_on THEN 1 ELSE 0 END, \
         COALESCE(handling_rating, 0), COUNT(*) \
         FROM feedback_items GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FeedbackTallies::Table)
                    .col(integer(FeedbackTallies::Year))
                    .col(small_integer(FeedbackTallies::Half))
                    // 0: not assigned to a department yet.
                    .col(integer(FeedbackTallies::DepartmentId))
                    // "": not set yet.
                    .col(string_len(FeedbackTallies::Category, 32))
                    .col(string_len(FeedbackTallies::Classification, 32))
                    .col(small_integer(FeedbackTallies::Answered))
                    .col(small_integer(FeedbackTallies::OnTime))
                    // 0: not rated.
                    .col(small_integer(FeedbackTallies::Rating))
                    .col(big_integer(FeedbackTallies::Count))
                    .primary_key(
                        Index::create()
                            .col(FeedbackTallies::Year)
                            .col(FeedbackTallies::Half)
                            .col(FeedbackTallies::DepartmentId)
                            .col(FeedbackTallies::Category)
                            .col(FeedbackTallies::Classification)
                            .col(FeedbackTallies::Answered)
                            .col(FeedbackTallies::OnTime)
                            .col(FeedbackTallies::Rating),
                    )
                    .to_owned(),
            )
            .await?;
        let backend = manager.get_database_backend();
        manager
            .get_connection()
            .execute_unprepared(&fill(backend))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FeedbackTallies::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FeedbackTallies {
    Table,
    Year,
    Half,
    DepartmentId,
    Category,
    Classification,
    Answered,
    OnTime,
    Rating,
    Count,
}

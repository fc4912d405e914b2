//! How many feedback items each department holds, whatever their age, kept
//! in the transaction of every change to an item beside the feedback
//! tallies. The queue's number of pages summed the feedback tallies, which
//! gain rows with every half-year of history (at 14 years of items the
//! queue took a third longer than at 50 days); this is one row per
//! department. Filled from the items already stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FILL: &str = "INSERT INTO feedback_counts (department_id, count) \
    SELECT COALESCE(department_id, 0), COUNT(*) FROM feedback_items GROUP BY COALESCE(department_id, 0)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FeedbackCounts::Table)
                    // 0: not assigned to a department yet.
                    .col(integer(FeedbackCounts::DepartmentId).primary_key())
                    .col(big_integer(FeedbackCounts::Count))
                    .to_owned(),
            )
            .await?;
        manager.get_connection().execute_unprepared(FILL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FeedbackCounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FeedbackCounts {
    Table,
    DepartmentId,
    Count,
}

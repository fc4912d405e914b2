//! What handling feedback needs beyond the records of migration 3: the
//! procedure concerned, who recorded an item, the public wording of the
//! question, the answer deadline, text for search, when the sender rated
//! the handling; the action and actor name of each history event; and the
//! indexes of the staff lists. SQLite cannot add foreign keys to an existing
//! table, so `procedure_id` and `recorded_by_user_id` are checked by the
//! service that writes them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column per statement: SQLite alters one column at a time.
fn add(column: ColumnDef, table: impl IntoIden) -> TableAlterStatement {
    Table::alter().table(table).add_column(column).to_owned()
}

fn drop(column: impl IntoIden, table: impl IntoIden) -> TableAlterStatement {
    Table::alter().table(table).drop_column(column).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for statement in [
            add(
                integer_null(FeedbackItems::ProcedureId),
                FeedbackItems::Table,
            ),
            add(
                integer_null(FeedbackItems::RecordedByUserId),
                FeedbackItems::Table,
            ),
            // The question as the public list shows it (personal data removed).
            add(
                text_null(FeedbackItems::PublicSummary),
                FeedbackItems::Table,
            ),
            // When the answer is due, set at assignment; "answered on time" compares with it.
            add(date_null(FeedbackItems::AnswerDueOn), FeedbackItems::Table),
            // Lower-case text without diacritics, for search.
            add(
                text(FeedbackItems::SearchText).default("").to_owned(),
                FeedbackItems::Table,
            ),
            add(
                timestamp_with_time_zone_null(FeedbackItems::RatedAt),
                FeedbackItems::Table,
            ),
            add(
                string(FeedbackEvents::Action).default("").to_owned(),
                FeedbackEvents::Table,
            ),
            add(
                string(FeedbackEvents::ActorName).default("").to_owned(),
                FeedbackEvents::Table,
            ),
        ] {
            manager.alter_table(statement).await?;
        }
        for (name, columns) in [
            (
                "ix_feedback_items_status_due",
                vec![FeedbackItems::Status, FeedbackItems::DueOn],
            ),
            (
                "ix_feedback_items_received",
                vec![FeedbackItems::ReceivedAt],
            ),
            (
                "ix_feedback_items_department",
                vec![FeedbackItems::DepartmentId],
            ),
            (
                "ix_feedback_items_published",
                vec![FeedbackItems::PublishedAt],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(FeedbackItems::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_feedback_events_item")
                    .table(FeedbackEvents::Table)
                    .col(FeedbackEvents::FeedbackId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_feedback_events_item", FeedbackEvents::Table.into_iden()),
            (
                "ix_feedback_items_published",
                FeedbackItems::Table.into_iden(),
            ),
            (
                "ix_feedback_items_department",
                FeedbackItems::Table.into_iden(),
            ),
            (
                "ix_feedback_items_received",
                FeedbackItems::Table.into_iden(),
            ),
            (
                "ix_feedback_items_status_due",
                FeedbackItems::Table.into_iden(),
            ),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        for statement in [
            drop(FeedbackEvents::ActorName, FeedbackEvents::Table),
            drop(FeedbackEvents::Action, FeedbackEvents::Table),
            drop(FeedbackItems::RatedAt, FeedbackItems::Table),
            drop(FeedbackItems::SearchText, FeedbackItems::Table),
            drop(FeedbackItems::AnswerDueOn, FeedbackItems::Table),
            drop(FeedbackItems::PublicSummary, FeedbackItems::Table),
            drop(FeedbackItems::RecordedByUserId, FeedbackItems::Table),
            drop(FeedbackItems::ProcedureId, FeedbackItems::Table),
        ] {
            manager.alter_table(statement).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum FeedbackItems {
    Table,
    Status,
    DueOn,
    ReceivedAt,
    DepartmentId,
    PublishedAt,
    ProcedureId,
    RecordedByUserId,
    PublicSummary,
    AnswerDueOn,
    SearchText,
    RatedAt,
}

#[derive(DeriveIden)]
enum FeedbackEvents {
    Table,
    FeedbackId,
    Action,
    ActorName,
}

//! Work alerts by e-mail to staff and leaders: each account may give the
//! address its alerts go to, and an alert's outbox row carries a key (what
//! it is about, for whom) that is unique, so a scan that runs again, or on
//! two instances at once, queues an alert once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_len_null(Users::AlertEmail, 254))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessages::Table)
                    .add_column(string_len_null(OutboxMessages::AlertKey, 160))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_outbox_alert_key")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::AlertKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_outbox_alert_key")
                    .table(OutboxMessages::Table)
                    .to_owned(),
            )
            .await?;
        // Plain SQL: both backends drop a column so (SQLite since 3.35).
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE outbox_messages DROP COLUMN alert_key")
            .await?;
        db.execute_unprepared("ALTER TABLE users DROP COLUMN alert_email")
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    AlertEmail,
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    AlertKey,
}

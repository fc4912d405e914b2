//! Three indexes of the outbox hold only the rows they are for. Most rows
//! (every dossier's rating-link notice, every invitation reminder) have no
//! alert key, many have no invitation, and none is sent when it is queued;
//! the full indexes took an entry for each such row all the same, three
//! index writes per queued message that no read ever used. The unique
//! indexes still refuse a second alert with the same key and a second step
//! of an invitation, and the upserts that rely on them name the same
//! condition. The reads of sent messages filter on `sent_at`, which implies
//! the condition, so both SQLite and PostgreSQL still use that index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Name, columns and the column that must be set for a row to be indexed.
const INDEXES: [(&str, &str, &str, bool); 3] = [
    ("ux_outbox_alert_key", "alert_key", "alert_key", true),
    (
        "ux_outbox_invitation_step",
        "invitation_id, kind, sequence",
        "invitation_id",
        true,
    ),
    ("ix_outbox_sent", "channel, sent_at", "sent_at", false),
];

fn create(name: &str, columns: &str, unique: bool, condition: &str) -> String {
    let unique = if unique { "UNIQUE " } else { "" };
    format!("CREATE {unique}INDEX {name} ON outbox_messages ({columns}){condition}")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Plain SQL: both backends write a partial index so. Each index is
        // dropped and created in one call, on one connection: a pooled
        // SQLite connection that did not see the drop would refuse the
        // create ("already exists").
        for (name, columns, set, unique) in INDEXES {
            let condition = format!(" WHERE {set} IS NOT NULL");
            let create = create(name, columns, unique, &condition);
            db.execute_unprepared(&format!("DROP INDEX {name}; {create}"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, columns, _, unique) in INDEXES {
            let create = create(name, columns, unique, "");
            db.execute_unprepared(&format!("DROP INDEX {name}; {create}"))
                .await?;
        }
        Ok(())
    }
}

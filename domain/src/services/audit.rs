//! The append-only audit log of staff, leader and admin actions: who, what,
//! when, and the record before and after. The database refuses any change
//! to a written entry.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};
use serde::Serialize;

use crate::AppError;
use crate::auth::Principal;
use crate::entities::audit_entry;

/// Who did it, as the log records it.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub name: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn of(principal: &Principal, ip: &str) -> Self {
        Self {
            user_id: principal.user_id,
            name: principal.name.clone(),
            ip: (!ip.is_empty()).then(|| ip.to_owned()),
        }
    }

    /// The server's own scheduled work (the daily purge).
    pub fn system() -> Self {
        Self {
            user_id: None,
            name: "system".to_owned(),
            ip: None,
        }
    }

    /// The command line, run by whoever has the server's shell.
    pub fn cli() -> Self {
        Self {
            user_id: None,
            name: "cli".to_owned(),
            ip: None,
        }
    }
}

/// Appends one entry. `before` and `after` are stored as JSON.
#[tracing::instrument(skip_all)]
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: Option<String>,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> Result<(), AppError> {
    audit_entry::ActiveModel {
        at: Set(Utc::now()),
        actor_user_id: Set(actor.user_id),
        actor: Set(actor.name.clone()),
        action: Set(action.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        before: Set(before.map(to_json)),
        after: Set(after.map(to_json)),
        ip: Set(actor.ip.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The newest entries first.
#[tracing::instrument(skip_all)]
pub async fn latest(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<audit_entry::Model>, AppError> {
    Ok(audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

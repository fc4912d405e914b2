//! What a form posted without JavaScript leaves for the page it returns to
//! (its errors, what was typed, a notice, a one-time secret such as a new
//! API token), kept here for two minutes and read once. The browser holds
//! only a random id, so that neither form contents nor secrets travel in
//! cookies.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::AppError;
use crate::entities::form_flash;
use crate::model::FormFlash;

/// How long a flash waits to be read.
pub const LIFETIME_SECS: i64 = 120;

/// Stores `flash` and returns the id the cookie carries. Flashes nobody
/// read in time are deleted on the way.
pub async fn keep(db: &impl ConnectionTrait, flash: &FormFlash) -> Result<String, AppError> {
    let now = Utc::now();
    form_flash::Entity::delete_many()
        .filter(form_flash::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let id = crate::secrets::random_token();
    let payload =
        serde_json::to_string(flash).map_err(|e| AppError::Internal(format!("flash: {e}")))?;
    form_flash::Entity::insert(form_flash::ActiveModel {
        id: Set(id.clone()),
        payload: Set(payload),
        expires_at: Set(now + Duration::seconds(LIFETIME_SECS)),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// The flash stored under `id`, deleted as it is read; `None` when it is
/// unknown, already read or expired.
pub async fn take(db: &impl ConnectionTrait, id: &str) -> Result<Option<FormFlash>, AppError> {
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(found) = form_flash::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let deleted = form_flash::Entity::delete_by_id(id.to_owned())
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 || found.expires_at < Utc::now() {
        return Ok(None);
    }
    Ok(serde_json::from_str(&found.payload).ok())
}

//! API tokens for the JSON API: created by admins with a role, shown once,
//! stored as SHA-256, revocable.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::api_token;
use crate::model::{Problem, Role, Violation};
use crate::secrets::{random_token, sha256_hex};
use crate::services::audit::{self, Actor};

/// Tokens start with this, so that they are recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "hl_";

/// Creates a token and returns it in clear, the only time it is seen.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    name: &str,
    role: Role,
) -> Result<(api_token::Model, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid(vec![Violation::new(
            "name",
            Problem::Required,
        )]));
    }
    let token = format!("{TOKEN_PREFIX}{}", random_token());
    let stored = api_token::ActiveModel {
        name: Set(name.to_owned()),
        token_hash: Set(sha256_hex(&token)),
        prefix: Set(token.chars().take(TOKEN_PREFIX.len() + 6).collect()),
        role: Set(role),
        created_by_user_id: Set(actor.user_id),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let summary =
        serde_json::json!({"name": stored.name, "role": stored.role, "prefix": stored.prefix});
    audit::record(
        db,
        actor,
        "token.create",
        "api_token",
        Some(stored.id.to_string()),
        None::<&()>,
        Some(&summary),
    )
    .await?;
    Ok((stored, token))
}

#[tracing::instrument(skip_all)]
pub async fn revoke(db: &DatabaseConnection, actor: &Actor, id: i32) -> Result<(), AppError> {
    let found = api_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("token"))?;
    if found.revoked_at.is_some() {
        return Ok(());
    }
    let mut active: api_token::ActiveModel = found.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.update(db).await?;
    audit::record(
        db,
        actor,
        "token.revoke",
        "api_token",
        Some(id.to_string()),
        None::<&()>,
        None::<&()>,
    )
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn list(db: &DatabaseConnection) -> Result<Vec<api_token::Model>, AppError> {
    Ok(api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?)
}

/// The principal of a bearer token that is neither unknown nor revoked.
#[tracing::instrument(skip_all)]
pub async fn resolve(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Principal>, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(found) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(sha256_hex(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let role = found.role;
    let principal = Principal {
        user_id: found.created_by_user_id,
        token_id: Some(found.id),
        name: format!("api-token:{}", found.name),
        display_name: found.name.clone(),
        role,
        department_ids: Vec::new(),
    };
    if found
        .last_used_at
        .is_none_or(|last| now - last > chrono::Duration::minutes(1))
    {
        let mut active: api_token::ActiveModel = found.into();
        active.last_used_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok(Some(principal))
}

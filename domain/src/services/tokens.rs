//! API tokens for the JSON API: created by admins with a role, scopes and
//! an expiry, shown once, stored as SHA-256, revocable. A token acts as
//! itself (the audit log names it), never as the admin who created it, and
//! dies with that admin's deactivation or demotion.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{api_token, user};
use crate::model::{Problem, Role, Scope, Violation};
use crate::secrets::{random_token, sha256_hex};
use crate::services::audit::{self, Actor};

/// Tokens start with this, so that they are recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "hl_";

/// What an admin asks for when creating a token.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub name: String,
    pub role: Role,
    pub scopes: Vec<Scope>,
    /// Dies at this moment; `None` lives until revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Creates a token and returns it in clear, the only time it is seen.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewToken,
) -> Result<(api_token::Model, String), AppError> {
    let name = new.name.trim();
    let mut violations = Vec::new();
    if name.is_empty() || name.chars().count() > 100 {
        violations.push(Violation::new("name", Problem::Required));
    }
    if new.scopes.is_empty() {
        violations.push(Violation::new("scopes", Problem::ChoiceRequired));
    }
    if new.expires_at.is_some_and(|at| at <= Utc::now()) {
        violations.push(Violation::new("expires_at", Problem::InvalidValue));
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let role = new.role;
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
        scopes: Set(Scope::join(&new.scopes)),
        expires_at: Set(new.expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let summary = serde_json::json!({
        "name": stored.name,
        "role": stored.role,
        "prefix": stored.prefix,
        "scopes": stored.scopes,
        "expires_at": stored.expires_at,
    });
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

/// The principal of a bearer token that is known, not revoked, not expired,
/// and whose creator is still an active admin.
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
    if found.expires_at.is_some_and(|at| at <= now) || !creator_still_admin(db, &found).await? {
        return Ok(None);
    }
    let principal = Principal {
        user_id: None,
        token_id: Some(found.id),
        name: format!("api-token:{}", found.name),
        display_name: found.name.clone(),
        role: found.role,
        department_ids: Vec::new(),
        can_triage: false,
        scopes: Some(Scope::parse_list(&found.scopes)),
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

/// A token lives only while the admin who made it does: deactivating or
/// demoting the admin ends every token they made. Tokens made on the
/// command line (no creator) live until revoked or expired.
async fn creator_still_admin(
    db: &DatabaseConnection,
    token: &api_token::Model,
) -> Result<bool, AppError> {
    let Some(creator_id) = token.created_by_user_id else {
        return Ok(true);
    };
    Ok(user::Entity::find_by_id(creator_id)
        .one(db)
        .await?
        .is_some_and(|u| u.active && u.role == Role::Admin))
}

//! Staff accounts: admin, staff and leader, with argon2id password hashes.

use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use argon2::{Argon2, PasswordHash, PasswordVerifier};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use crate::AppError;
use crate::entities::{department, user, user_department};
use crate::model::{Problem, Role, UserRow, Violation};
use crate::services::audit::{self, Actor};
use crate::services::{catalogue, sessions};

pub const PASSWORD_MIN_CHARS: usize = 10;

#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    /// Department codes; staff handle the work of these departments.
    pub departments: Vec<String>,
    /// Staff who also see and route feedback no department has yet.
    pub can_triage: bool,
}

/// Argon2 runs at most this many at once, on the blocking pool: a burst of
/// sign-ins must not stall the workers that answer every other request.
static PASSWORD_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Runs `work` (an Argon2 hash or check) on the blocking pool, two at a time.
async fn password_work<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = PASSWORD_WORK
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("password work: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(format!("password work: {e}")))
}

/// [`hash_password`] off the request workers.
pub async fn hash_password_apart(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    password_work(move || hash_password(&password)).await?
}

/// [`verify_password`] off the request workers.
pub async fn verify_password_apart(password: &str, stored_hash: &str) -> Result<bool, AppError> {
    let (password, stored_hash) = (password.to_owned(), stored_hash.to_owned());
    password_work(move || verify_password(&password, &stored_hash)).await
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

fn username_is_valid(username: &str) -> bool {
    (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

fn check_password(password: &str, field: &str, violations: &mut Vec<Violation>) {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        violations.push(Violation::new(
            field,
            Problem::TooShort {
                min: PASSWORD_MIN_CHARS,
            },
        ));
    }
}

/// The ids of department codes; unknown codes become violations.
async fn department_ids(
    db: &DatabaseConnection,
    codes: &[String],
    violations: &mut Vec<Violation>,
) -> Result<Vec<i32>, AppError> {
    let mut ids = Vec::new();
    for code in codes {
        match catalogue::department_by_code(db, code).await? {
            Some(d) => ids.push(d.id),
            None => violations.push(Violation::new("departments", Problem::UnknownDepartment)),
        }
    }
    Ok(ids)
}

#[tracing::instrument(skip_all)]
pub async fn create_user(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewUser,
) -> Result<user::Model, AppError> {
    let mut violations = Vec::new();
    let username = new.username.trim().to_lowercase();
    if !username_is_valid(&username) {
        violations.push(Violation::new("username", Problem::InvalidValue));
    }
    check_password(&new.password, "password", &mut violations);
    let department_ids = department_ids(db, &new.departments, &mut violations).await?;
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    if user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::UsernameTaken,
            message: format!("The username {username} is already taken."),
        });
    }
    let password_hash = hash_password_apart(&new.password).await?;
    let now = Utc::now();
    let display_name = if new.display_name.trim().is_empty() {
        username.clone()
    } else {
        new.display_name.trim().to_owned()
    };
    let txn = db.begin().await?;
    let stored = user::ActiveModel {
        username: Set(username),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        role: Set(new.role),
        active: Set(true),
        can_triage: Set(new.can_triage),
        created_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_departments(&txn, stored.id, &department_ids).await?;
    let row = user_row(&txn, &stored).await?;
    audit::record(
        &txn,
        actor,
        "user.create",
        "user",
        Some(stored.id.to_string()),
        None::<&()>,
        Some(&row),
    )
    .await?;
    txn.commit().await?;
    Ok(stored)
}

async fn set_departments(
    db: &impl ConnectionTrait,
    user_id: i32,
    department_ids: &[i32],
) -> Result<(), AppError> {
    user_department::Entity::delete_many()
        .filter(user_department::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    for department_id in department_ids {
        user_department::ActiveModel {
            user_id: Set(user_id),
            department_id: Set(*department_id),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A user as lists and the audit log show it (never the password hash).
async fn user_row(db: &impl ConnectionTrait, account: &user::Model) -> Result<UserRow, AppError> {
    let links = user_department::Entity::find()
        .filter(user_department::Column::UserId.eq(account.id))
        .all(db)
        .await?;
    let mut departments = Vec::new();
    for link in links {
        if let Some(d) = department::Entity::find_by_id(link.department_id)
            .one(db)
            .await?
        {
            departments.push(d.code);
        }
    }
    departments.sort();
    Ok(UserRow {
        id: account.id,
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        role: account.role,
        active: account.active,
        can_triage: account.can_triage,
        departments,
    })
}

#[tracing::instrument(skip_all)]
pub async fn list_users(db: &DatabaseConnection) -> Result<Vec<UserRow>, AppError> {
    let accounts = user::Entity::find()
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(accounts.len());
    for account in &accounts {
        rows.push(user_row(db, account).await?);
    }
    Ok(rows)
}

/// What an admin may change about a user.
#[derive(Clone, Debug)]
pub struct UserUpdate {
    pub display_name: String,
    pub role: Role,
    pub departments: Vec<String>,
    pub active: bool,
    pub can_triage: bool,
}

/// Changes a user; deactivating ends their sessions. An admin cannot
/// deactivate or demote themselves (someone must stay able to manage users).
#[tracing::instrument(skip_all)]
pub async fn update_user(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    update: UserUpdate,
) -> Result<UserRow, AppError> {
    let account = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    if actor.user_id == Some(id) && (!update.active || update.role != Role::Admin) {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::OwnAccount,
            message: "You cannot deactivate or demote your own account.".to_owned(),
        });
    }
    let mut violations = Vec::new();
    let department_ids = department_ids(db, &update.departments, &mut violations).await?;
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let txn = db.begin().await?;
    let before = user_row(&txn, &account).await?;
    let mut active: user::ActiveModel = account.into();
    if !update.display_name.trim().is_empty() {
        active.display_name = Set(update.display_name.trim().to_owned());
    }
    active.role = Set(update.role);
    active.active = Set(update.active);
    active.can_triage = Set(update.can_triage);
    let updated = active.update(&txn).await?;
    set_departments(&txn, id, &department_ids).await?;
    if !update.active {
        sessions::end_all(&txn, id).await?;
    }
    let after = user_row(&txn, &updated).await?;
    audit::record(
        &txn,
        actor,
        "user.update",
        "user",
        Some(id.to_string()),
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The address the work alerts of account `user_id` go to.
pub async fn alert_email(
    db: &DatabaseConnection,
    user_id: i32,
) -> Result<Option<String>, AppError> {
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|u| u.alert_email))
}

/// Sets (or, empty, removes) the address the caller's work alerts go to.
/// The audit log says that it changed, not the address.
#[tracing::instrument(skip_all)]
pub async fn set_alert_email(
    db: &DatabaseConnection,
    actor: &Actor,
    email: &str,
) -> Result<(), AppError> {
    let user_id = actor.user_id.ok_or(AppError::Forbidden)?;
    let email = email.trim();
    if email.chars().count() > 254 {
        return Err(AppError::invalid(
            "alert_email",
            Problem::TooLong { max: 254 },
        ));
    }
    if !email.is_empty() && !crate::services::invitations::email_is_valid(email) {
        return Err(AppError::invalid("alert_email", Problem::InvalidEmail));
    }
    user::ActiveModel {
        id: Set(user_id),
        alert_email: Set((!email.is_empty()).then(|| email.to_owned())),
        ..Default::default()
    }
    .update(db)
    .await?;
    audit::record(
        db,
        actor,
        "user.alert_email",
        "user",
        Some(user_id.to_string()),
        None::<&()>,
        Some(&serde_json::json!({ "alerts": !email.is_empty() })),
    )
    .await
}

/// Sets a new password chosen by an admin and ends the user's sessions.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    password: &str,
) -> Result<(), AppError> {
    let mut violations = Vec::new();
    check_password(password, "password", &mut violations);
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let account = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let txn = db.begin().await?;
    let mut active: user::ActiveModel = account.into();
    active.password_hash = Set(hash_password_apart(password).await?);
    active.password_changed_at = Set(Utc::now());
    active.update(&txn).await?;
    sessions::end_all(&txn, id).await?;
    audit::record(
        &txn,
        actor,
        "user.reset_password",
        "user",
        Some(id.to_string()),
        None::<&()>,
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A user changes their own password; every session of theirs ends (the
/// caller opens a fresh one for the current browser).
#[tracing::instrument(skip_all)]
pub async fn change_own_password(
    db: &DatabaseConnection,
    actor: &Actor,
    current: &str,
    new_password: &str,
) -> Result<(), AppError> {
    let id = actor.user_id.ok_or(AppError::Forbidden)?;
    let account = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let mut violations = Vec::new();
    if !verify_password_apart(current, &account.password_hash).await? {
        violations.push(Violation::new("current_password", Problem::InvalidValue));
    }
    check_password(new_password, "new_password", &mut violations);
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let txn = db.begin().await?;
    let mut active: user::ActiveModel = account.into();
    active.password_hash = Set(hash_password_apart(new_password).await?);
    active.password_changed_at = Set(Utc::now());
    active.update(&txn).await?;
    sessions::end_all(&txn, id).await?;
    audit::record(
        &txn,
        actor,
        "account.change_password",
        "user",
        Some(id.to_string()),
        None::<&()>,
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends every session of a user.
#[tracing::instrument(skip_all)]
pub async fn log_out_everywhere(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
) -> Result<u64, AppError> {
    let ended = sessions::end_all(db, id).await?;
    audit::record(
        db,
        actor,
        "user.logout_everywhere",
        "user",
        Some(id.to_string()),
        None::<&()>,
        None::<&()>,
    )
    .await?;
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_argon2id_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
    }

    #[test]
    fn usernames_are_plain_lowercase_words() {
        assert!(username_is_valid("nguyen.van-a_1"));
        assert!(!username_is_valid("ab"));
        assert!(!username_is_valid("Nguyễn"));
        assert!(!username_is_valid("a b c"));
    }
}

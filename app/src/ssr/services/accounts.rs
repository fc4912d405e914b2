//! Staff accounts: admin, staff and leader, with argon2id password hashes.

use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use argon2::{Argon2, PasswordHash, PasswordVerifier};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use crate::model::{Problem, Role, Violation};
use crate::ssr::AppError;
use crate::ssr::entities::{user, user_department};
use crate::ssr::services::catalogue;

pub const PASSWORD_MIN_CHARS: usize = 10;

#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    /// Department codes; staff handle the work of these departments.
    pub departments: Vec<String>,
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

pub async fn create_user(db: &DatabaseConnection, new: NewUser) -> Result<user::Model, AppError> {
    let mut violations = Vec::new();
    let username = new.username.trim().to_lowercase();
    if !username_is_valid(&username) {
        violations.push(Violation::new("username", Problem::InvalidValue));
    }
    if new.password.chars().count() < PASSWORD_MIN_CHARS {
        violations.push(Violation::new(
            "password",
            Problem::TooShort {
                min: PASSWORD_MIN_CHARS,
            },
        ));
    }
    let mut department_ids = Vec::new();
    for code in &new.departments {
        match catalogue::department_by_code(db, code).await? {
            Some(d) => department_ids.push(d.id),
            None => violations.push(Violation::new("departments", Problem::UnknownDepartment)),
        }
    }
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
            code: "username_taken",
            message: format!("The username {username} is already taken."),
        });
    }
    let password_hash = hash_password(&new.password)?;
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
        role: Set(new.role.code().to_owned()),
        active: Set(true),
        created_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for department_id in department_ids {
        user_department::ActiveModel {
            user_id: Set(stored.id),
            department_id: Set(department_id),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(stored)
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

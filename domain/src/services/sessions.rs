//! Signing in and out. Sessions live in the database so that every app
//! instance shares them; the cookie carries a random token whose SHA-256 is
//! stored. Failed sign-ins are throttled per account and per address, also
//! in the database, so that spreading attempts over instances gains nothing.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{login_throttle, session, user, user_department};
use crate::secrets::{random_token, sha256_hex};
use crate::services::accounts::verify_password;
use crate::services::audit::{self, Actor};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often.
const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// Failed sign-ins allowed per account within the window before it is locked.
pub const ACCOUNT_FAILURES: i32 = 5;
/// Failed sign-ins allowed per address within the window before it is locked.
pub const ADDRESS_FAILURES: i32 = 20;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
pub const LOCK_DURATION: Duration = Duration::minutes(15);

/// A hash checked when the username is unknown, so that both cases take the same time.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::services::accounts::hash_password(&random_token()).unwrap_or_default()
});

pub enum LoginError {
    /// Wrong username or password (the message never says which).
    InvalidCredentials,
    /// Too many failures; retry after this long.
    Throttled(Duration),
    Other(AppError),
}

impl From<AppError> for LoginError {
    fn from(err: AppError) -> Self {
        Self::Other(err)
    }
}

impl From<sea_orm::DbErr> for LoginError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Other(err.into())
    }
}

/// A new session: the token goes into the cookie, once.
pub struct OpenedSession {
    pub token: String,
    pub principal: Principal,
}

/// Checks the password and opens a new session. A new token is made on
/// every sign-in, so a token planted before sign-in is worthless.
#[tracing::instrument(skip_all)]
pub async fn login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    ip: &str,
    user_agent: Option<&str>,
    now: DateTime<Utc>,
) -> Result<OpenedSession, LoginError> {
    let username = username.trim().to_lowercase();
    let account_key = format!("user:{username}");
    let address_key = format!("ip:{ip}");
    for key in [&account_key, &address_key] {
        if let Some(wait) = locked_for(db, key, now).await? {
            return Err(LoginError::Throttled(wait));
        }
    }

    let found = user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(db)
        .await?;
    let verified = match &found {
        Some(u) => verify_password(password, &u.password_hash) && u.active,
        None => {
            let _ = verify_password(password, &DUMMY_HASH);
            false
        }
    };
    let actor = Actor {
        user_id: found.as_ref().map(|u| u.id),
        name: username.clone(),
        ip: Some(ip.to_owned()),
    };
    let Some(account) = found.filter(|_| verified) else {
        record_failure(db, &account_key, ACCOUNT_FAILURES, now).await?;
        record_failure(db, &address_key, ADDRESS_FAILURES, now).await?;
        audit::record(
            db,
            &actor,
            "auth.login_failed",
            "user",
            None,
            None::<&()>,
            None::<&()>,
        )
        .await?;
        return Err(LoginError::InvalidCredentials);
    };

    login_throttle::Entity::delete_by_id(account_key)
        .exec(db)
        .await?;
    let token = random_token();
    session::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        user_id: Set(account.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + ABSOLUTE_TIMEOUT),
        ip: Set(Some(ip.to_owned())),
        user_agent: Set(user_agent.map(|a| a.chars().take(300).collect())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        &actor,
        "auth.login",
        "user",
        Some(account.id.to_string()),
        None::<&()>,
        None::<&()>,
    )
    .await?;
    let principal = principal_of(db, account).await?;
    Ok(OpenedSession { token, principal })
}

/// How long `key` stays locked, if it is.
async fn locked_for(
    db: &DatabaseConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<Duration>, AppError> {
    let found = login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    Ok(found
        .and_then(|t| t.locked_until)
        .filter(|until| *until > now)
        .map(|until| until - now))
}

/// Counts a failure against `key`; at `limit` failures within the window, locks it.
async fn record_failure(
    db: &DatabaseConnection,
    key: &str,
    limit: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let existing = login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    let (failures, window_started_at) = match existing {
        Some(t) if now - t.window_started_at < THROTTLE_WINDOW => {
            (t.failures + 1, t.window_started_at)
        }
        _ => (1, now),
    };
    let locked_until = (failures >= limit).then_some(now + LOCK_DURATION);
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(failures),
        window_started_at: Set(window_started_at),
        locked_until: Set(locked_until),
    })
    .on_conflict(
        OnConflict::column(login_throttle::Column::Key)
            .update_columns([
                login_throttle::Column::Failures,
                login_throttle::Column::WindowStartedAt,
                login_throttle::Column::LockedUntil,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The user of the session with this cookie token, if it is still valid.
/// Expired sessions are deleted; a live one is touched now and then.
#[tracing::instrument(skip_all)]
pub async fn resolve(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Principal>, AppError> {
    let Some(found) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if now >= found.expires_at || now - found.last_seen_at >= IDLE_TIMEOUT {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok(None);
    }
    let Some(account) = user::Entity::find_by_id(found.user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
    else {
        return Ok(None);
    };
    if now - found.last_seen_at >= TOUCH_INTERVAL {
        let mut active: session::ActiveModel = found.into();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some(principal_of(db, account).await?))
}

#[tracing::instrument(skip_all)]
pub async fn principal_of(
    db: &impl ConnectionTrait,
    account: user::Model,
) -> Result<Principal, AppError> {
    let department_ids = user_department::Entity::find()
        .filter(user_department::Column::UserId.eq(account.id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.department_id)
        .collect();
    Ok(Principal {
        user_id: Some(account.id),
        token_id: None,
        role: account.role,
        name: account.username,
        display_name: account.display_name,
        department_ids,
        can_triage: account.can_triage,
        scopes: None,
    })
}

/// Ends the session of this cookie token.
#[tracing::instrument(skip_all)]
pub async fn logout(db: &DatabaseConnection, token: &str) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(sha256_hex(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user (log out everywhere, password changes, deactivation).
#[tracing::instrument(skip_all)]
pub async fn end_all(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, AppError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// Opens a session without a password: for tests and tools that already
/// hold the user's identity.
#[tracing::instrument(skip_all)]
pub async fn open_for(
    db: &DatabaseConnection,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = random_token();
    session::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + ABSOLUTE_TIMEOUT),
        ip: Set(None),
        user_agent: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

//! Signing in and out. Sessions live in the database so that every app
//! instance shares them; the cookie carries a random token whose SHA-256 is
//! stored. Failed sign-ins are throttled per account and per address, also
//! in the database, so that spreading attempts over instances gains nothing.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{login_throttle, session, user, user_department};
use crate::secrets::{random_token, sha256_hex};
use crate::services::accounts::verify_password_apart;
use crate::services::audit::{self, Actor};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often.
const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// Sign-ins allowed per account from one address within the window; then
/// that account is locked for that address (only), for a time that doubles
/// with every further attempt. An attacker elsewhere cannot lock a person
/// out, and an admin can lift any lock ([`unlock`]).
pub const ACCOUNT_FAILURES: i32 = 5;
/// Failed sign-ins allowed per address within the window, any account.
pub const ADDRESS_FAILURES: i32 = 20;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// The first lock; each attempt beyond the limit doubles it, up to [`MAX_LOCK`].
pub const LOCK_DURATION: Duration = Duration::minutes(1);
pub const MAX_LOCK: Duration = Duration::hours(1);

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
    let username: String = username.trim().to_lowercase().chars().take(64).collect();
    let account_key = account_key(&username, ip);
    let address_key = format!("ip:{}", crate::auth::network_key(ip));
    // The attempt is counted before the password is checked, in one
    // statement per key: concurrent attempts cannot slip past the limit.
    for (key, limit) in [
        (&account_key, ACCOUNT_FAILURES),
        (&address_key, ADDRESS_FAILURES),
    ] {
        if let Some(wait) = count_attempt(db, key, limit, now).await? {
            return Err(LoginError::Throttled(wait));
        }
    }

    let found = user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(db)
        .await?;
    let hash = found
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    // An unknown username takes as long as a known one.
    let verified =
        verify_password_apart(password, &hash).await? && found.as_ref().is_some_and(|u| u.active);
    let actor = Actor {
        user_id: found.as_ref().map(|u| u.id),
        name: username.clone(),
        ip: Some(ip.to_owned()),
    };
    let Some(account) = found.filter(|_| verified) else {
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

    // A success forgives this address's failures on this account, and is
    // not counted against the address (an office signs in from one address).
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            sea_orm::sea_query::Expr::cust("failures - 1"),
        )
        .filter(login_throttle::Column::Key.eq(&address_key))
        .exec(db)
        .await?;
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

/// The throttle key of an account signed in to from one address.
fn account_key(username: &str, ip: &str) -> String {
    format!("user:{username}@{ip}")
}

/// Counts one attempt against `key` and says how long to wait if it is over
/// `limit` within the window. Beyond the limit the lock doubles with every
/// attempt, from [`LOCK_DURATION`] up to [`MAX_LOCK`]; it never becomes
/// permanent.
async fn count_attempt(
    db: &DatabaseConnection,
    key: &str,
    limit: i32,
    now: DateTime<Utc>,
) -> Result<Option<Duration>, AppError> {
    let window_start = now - THROTTLE_WINDOW;
    let backend = db.get_database_backend();
    // One upsert: a new window starts after the old one ends (and after a
    // lock ends), else the count goes up by one.
    let sql = "INSERT INTO login_throttles (key, failures, window_started_at, locked_until) \
               VALUES ($1, 1, $2, NULL) \
               ON CONFLICT (key) DO UPDATE SET \
                 failures = CASE WHEN login_throttles.window_started_at < $3 \
                   AND (login_throttles.locked_until IS NULL OR login_throttles.locked_until < $2) \
                   THEN 1 ELSE login_throttles.failures + 1 END, \
                 window_started_at = CASE WHEN login_throttles.window_started_at < $3 \
                   AND (login_throttles.locked_until IS NULL OR login_throttles.locked_until < $2) \
                   THEN $2 ELSE login_throttles.window_started_at END \
               RETURNING failures, locked_until";
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [key.into(), now.into(), window_start.into()],
        ))
        .await?
        .ok_or_else(|| AppError::Internal("the throttle count returned nothing".to_owned()))?;
    let failures: i32 = row.try_get_by_index(0)?;
    let locked_until: Option<DateTime<Utc>> = row.try_get_by_index(1)?;
    if failures <= limit {
        return Ok(locked_until
            .filter(|until| *until > now)
            .map(|until| until - now));
    }
    let doublings = (failures - limit - 1).min(12) as u32;
    let lock = (LOCK_DURATION * 2i32.pow(doublings)).min(MAX_LOCK);
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::LockedUntil,
            sea_orm::sea_query::Expr::value(now + lock),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(Some(lock))
}

/// Lifts every sign-in lock of `username` (an admin's decision, logged).
#[tracing::instrument(skip_all)]
pub async fn unlock(
    db: &DatabaseConnection,
    actor: &Actor,
    username: &str,
) -> Result<u64, AppError> {
    let username = username.trim().to_lowercase();
    let lifted = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.starts_with(format!("user:{username}@")))
        .exec(db)
        .await?
        .rows_affected;
    audit::record(
        db,
        actor,
        "auth.unlock",
        "user",
        Some(username),
        None::<&()>,
        Some(&serde_json::json!({ "locks": lifted })),
    )
    .await?;
    Ok(lifted)
}

/// Usernames locked now, with when their last lock ends (for the admin page).
#[tracing::instrument(skip_all)]
pub async fn locked_usernames(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<std::collections::BTreeMap<String, DateTime<Utc>>, AppError> {
    let mut locked = std::collections::BTreeMap::new();
    for throttle in login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.starts_with("user:"))
        .filter(login_throttle::Column::LockedUntil.gt(now))
        .all(db)
        .await?
    {
        let Some(until) = throttle.locked_until else {
            continue;
        };
        let name = throttle.key["user:".len()..]
            .rsplit_once('@')
            .map_or("", |(name, _)| name)
            .to_owned();
        let entry = locked.entry(name).or_insert(until);
        *entry = (*entry).max(until);
    }
    Ok(locked)
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

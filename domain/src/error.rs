//! One error type for services, server functions and the JSON API. It is
//! also the HTTP response: internal details are logged, never shown.

use http::StatusCode;
use sea_orm::{DbErr, RuntimeErr};
use serde::Serialize;

use crate::i18n::Lang;
use crate::model::{FieldError, Violation};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing named does not exist (or is not visible to the caller).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The input broke one or more rules; each violation names its field.
    #[error("invalid input")]
    Invalid(Vec<Violation>),
    /// The body cannot be read as the expected document; `field` is the
    /// path where reading stopped (empty for the whole body).
    #[error("malformed request at `{field}`: {message}")]
    Malformed { field: String, message: String },
    /// Nobody is signed in (or the token is not valid).
    #[error("sign-in required")]
    Unauthorized,
    /// Signed in, but the role does not allow this.
    #[error("not allowed")]
    Forbidden,
    /// Too many attempts; retry after this many seconds.
    #[error("too many attempts; retry in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// The body is larger than the server accepts.
    #[error("request body too large")]
    TooLarge,
    /// The request is well formed but the state of things refuses it
    /// (a closed round, an invitation already used …).
    #[error("{message}")]
    Conflict { code: Conflict, message: String },
    /// The database cannot be reached; the client should retry.
    #[error("database unavailable")]
    Unavailable,
    /// The database refuses to write: its disk is full, or it is read-only.
    /// The transaction was rolled back, so nothing of the request was stored.
    #[error("the database cannot store anything: {0:?}")]
    StorageRefused(Storage),
    /// Another transaction held what this one needed (a lock it waited for
    /// too long, a deadlock, a serialization conflict): this one was rolled
    /// back, so nothing of the request was stored, and the same request
    /// sent again is expected to succeed.
    #[error("the database was busy with another change")]
    Busy,
    #[error("database error: {0}")]
    Database(DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

pub use crate::model::Conflict;

/// Why the database refuses to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    Full,
    ReadOnly,
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        if is_connection_error(&err) {
            Self::Unavailable
        } else if database_code(&err).as_deref().is_some_and(is_busy_code) {
            Self::Busy
        } else if let Some(storage) = storage_refusal(&err) {
            Self::StorageRefused(storage)
        } else {
            Self::Database(err)
        }
    }
}

/// A full disk or a read-only database, from the error's code: SQLite's
/// primary codes 13 (SQLITE_FULL) and 8 (SQLITE_READONLY), PostgreSQL's
/// 53100 (disk_full) and 25006 (read_only_sql_transaction).
fn storage_refusal(err: &DbErr) -> Option<Storage> {
    let code = database_code(err)?;
    match code.as_str() {
        "53100" => Some(Storage::Full),
        "25006" => Some(Storage::ReadOnly),
        sqlite => match sqlite.parse::<i64>().ok().map(|c| c & 0xff) {
            Some(13) => Some(Storage::Full),
            Some(8) => Some(Storage::ReadOnly),
            _ => None,
        },
    }
}

/// The code the database gave the error: PostgreSQL's SQLSTATE, SQLite's
/// extended result code as a number.
fn database_code(err: &DbErr) -> Option<String> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    let sea_orm::sqlx::Error::Database(database) = e.as_ref() else {
        return None;
    };
    database.code().map(|code| code.into_owned())
}

/// Codes of a transaction that lost to another one and was rolled back:
/// PostgreSQL's 40001 (serialization_failure), 40P01 (deadlock_detected)
/// and 55P03 (lock_not_available); SQLite's primary codes 5 (SQLITE_BUSY,
/// after the busy timeout) and 6 (SQLITE_LOCKED).
fn is_busy_code(code: &str) -> bool {
    match code {
        "40001" | "40P01" | "55P03" => true,
        sqlite => matches!(sqlite.parse::<i64>().map(|c| c & 0xff), Ok(5 | 6)),
    }
}

/// Errors that mean "the database is away", not "the query is wrong".
fn is_connection_error(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => matches!(
            e.as_ref(),
            sea_orm::sqlx::Error::Io(_)
                | sea_orm::sqlx::Error::PoolTimedOut
                | sea_orm::sqlx::Error::PoolClosed
                | sea_orm::sqlx::Error::WorkerCrashed
        ),
        _ => false,
    }
}

impl AppError {
    pub fn invalid(field: impl Into<String>, problem: crate::model::Problem) -> Self {
        Self::Invalid(vec![Violation::new(field, problem)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Malformed { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Unavailable | Self::StorageRefused(_) | Self::Busy => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The body the JSON API sends, worded in `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let (code, message, fields) = match self {
            Self::NotFound(what) => ("not_found", format!("{what} not found"), Vec::new()),
            Self::Invalid(violations) => (
                "invalid",
                "The request has invalid fields; see `fields`.".to_owned(),
                violations.iter().map(|v| v.to_field_error(lang)).collect(),
            ),
            Self::Malformed { field, message } => (
                "malformed",
                if field.is_empty() {
                    message.clone()
                } else {
                    format!("{field}: {message}")
                },
                if field.is_empty() {
                    Vec::new()
                } else {
                    vec![FieldError {
                        field: field.clone(),
                        message: message.clone(),
                    }]
                },
            ),
            Self::Unauthorized => (
                "unauthorized",
                "Sign in, or send a valid API token as `Authorization: Bearer …`.".to_owned(),
                Vec::new(),
            ),
            Self::Forbidden => (
                "forbidden",
                "Your role does not allow this.".to_owned(),
                Vec::new(),
            ),
            Self::Throttled { retry_after_secs } => (
                "throttled",
                format!("Too many attempts; retry in {retry_after_secs} seconds."),
                Vec::new(),
            ),
            Self::TooLarge => (
                "too_large",
                "The request body is larger than the server accepts.".to_owned(),
                Vec::new(),
            ),
            Self::Conflict { code, message } => (code.code(), message.clone(), Vec::new()),
            Self::Unavailable => (
                "unavailable",
                "The database is unavailable; retry shortly.".to_owned(),
                Vec::new(),
            ),
            Self::Busy => (
                "busy",
                "The database was busy with another change: nothing was stored. Send the same request again.".to_owned(),
                Vec::new(),
            ),
            Self::StorageRefused(Storage::Full) => (
                "storage_full",
                "The database's disk is full: nothing was stored. An administrator must free space; then retry.".to_owned(),
                Vec::new(),
            ),
            Self::StorageRefused(Storage::ReadOnly) => (
                "storage_read_only",
                "The database is read-only: nothing was stored. An administrator must make it writable; then retry.".to_owned(),
                Vec::new(),
            ),
            Self::Database(_) | Self::Internal(_) => (
                "internal",
                "Something went wrong on our side; it has been logged.".to_owned(),
                Vec::new(),
            ),
        };
        ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
                fields,
            },
        }
    }

    /// Seconds a client should wait before trying again, when that helps.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::Unavailable => Some(5),
            Self::Busy => Some(1),
            Self::StorageRefused(_) => Some(60),
            Self::Throttled { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// Logs what the client must not see.
    pub fn log(&self) {
        match self {
            Self::Database(e) => tracing::error!(error = %e, "database error"),
            Self::Internal(e) => tracing::error!(error = %e, "internal error"),
            Self::Unavailable => tracing::warn!("database unavailable"),
            Self::Busy => tracing::warn!("database busy; the request was rolled back"),
            Self::StorageRefused(why) => tracing::error!(?why, "the database refuses to write"),
            _ => {}
        }
    }
}

/// `{"error": {"code": …, "message": …, "fields": [{"field": …, "message": …}]}}`
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: not_found, invalid, malformed, round_not_open, …
    pub code: String,
    pub message: String,
    /// One entry per invalid field, named as in the request (e.g. `answers.A1`).
    pub fields: Vec<FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transaction_that_lost_to_another_is_busy_and_nothing_else_is() {
        for busy in ["40001", "40P01", "55P03", "5", "261", "517", "6", "262"] {
            assert!(is_busy_code(busy), "{busy}");
        }
        // A unique violation, a full disk, a read-only database, a syntax error.
        for other in ["23505", "53100", "25006", "42601", "2067", "13", "8", "1"] {
            assert!(!is_busy_code(other), "{other}");
        }
        assert_eq!(AppError::Busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(AppError::Busy.retry_after_secs(), Some(1));
        assert_eq!(AppError::Busy.body(Lang::En).error.code, "busy");
    }
}

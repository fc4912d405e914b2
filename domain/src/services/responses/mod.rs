//! Storing a response: checked against the round's instrument and the
//! catalogue ([`validate`]), then written in one transaction together with
//! its answers and the tallies that dashboards read ([`store`]). A repeated
//! idempotency key returns the first receipt and stores nothing. Staff may
//! exclude a response from every figure ([`exclusion`]).

mod exclusion;
mod store;
mod validate;

pub use exclusion::{
    ExclusionStep, decide_exclusion, excluded_count, pending_exclusions, recent_comments,
};
pub(crate) use exclusion::{count_in_figures, may_propose};
pub use store::{store_batch, undo_import};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, SqlErr};

use crate::AppError;
use crate::entities::{response, round};
use crate::model::{Problem, SurveyField, Violation};
use crate::public_codes::{SECRET_GROUPS, random_code};
use crate::services::instruments::LoadedInstrument;
use crate::services::{instruments, rounds};
use store::insert;
use validate::{clean, validate};

/// Longest comment accepted, in characters.
pub const COMMENT_MAX_CHARS: usize = 4000;
/// Longest idempotency key accepted, in characters.
pub const IDEMPOTENCY_KEY_MAX_CHARS: usize = 100;

/// One answer as the client sent it, before it is checked against the scale.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerValue {
    Level(i64),
    NotApplicable,
    /// Present but not a number or "not applicable".
    Unreadable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnswerInput {
    pub code: String,
    pub value: AnswerValue,
}

/// A response as received from the web form, the JSON API or staff entry.
/// Codes are raw text; [`submit`] checks them.
#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub answers: Vec<AnswerInput>,
    pub respondent_type: Option<String>,
    pub department: Option<String>,
    pub procedure: Option<String>,
    pub submission_method: Option<String>,
    /// web when not given.
    pub channel: Option<String>,
    pub comment: Option<String>,
    pub idempotency_key: Option<String>,
    /// Now when not given (staff give the date on a paper form).
    pub submitted_at: Option<DateTime<Utc>>,
    /// The one-use code of an invitation; it answers once.
    pub invitation_code: Option<String>,
    /// The saved draft this submission completes; it is deleted once stored.
    pub draft_code: Option<String>,
    /// When the web form was drawn, from the stamp the server signed into
    /// it (`quality::verify_render`); never from the client's word alone.
    pub started_at: Option<DateTime<Utc>>,
    /// The keyed hash of the sender's network prefix (`quality::network_hash`).
    pub network_hash: Option<String>,
}

/// How complete a submission must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completeness {
    /// Any subset of criteria (paper forms have blanks; API clients decide).
    Partial,
    /// Every criterion of the index and overall sections has a level or "not applicable".
    AllRequired,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub response_id: i32,
    pub code: String,
    pub submitted_at: DateTime<Utc>,
    /// True when an earlier submission with the same idempotency key is returned.
    pub replayed: bool,
}

/// Stores `submission` in `round`, or says precisely what is wrong with it.
#[tracing::instrument(skip_all, fields(round = %round.slug))]
pub async fn submit(
    db: &DatabaseConnection,
    round: &round::Model,
    submission: Submission,
    completeness: Completeness,
) -> Result<Receipt, AppError> {
    let idempotency_key = clean(submission.idempotency_key.as_deref());
    if let Some(key) = &idempotency_key
        && let Some(earlier) = find_by_idempotency_key(db, round.id, key).await?
    {
        return Ok(replay(earlier));
    }
    let now = Utc::now();
    rounds::accepts_responses(round, now)?;
    let instrument = instruments::load(db, round.instrument_id).await?;
    let draft_code = submission.draft_code.clone();
    let valid = validate(db, round, &instrument, submission, completeness, now).await?;
    let drivers = crate::services::pair_sums::DriverCriteria::of(&instrument);

    let mut attempts_left = 3;
    loop {
        let receipt_code = random_code("HL", SECRET_GROUPS);
        match insert(db, round, &drivers, &valid, &receipt_code).await {
            Ok(stored) => {
                if let Some(code) = &draft_code {
                    crate::services::drafts::delete(db, round.id, code).await?;
                }
                return Ok(Receipt {
                    response_id: stored.id,
                    code: stored.receipt_code,
                    submitted_at: stored.submitted_at,
                    replayed: false,
                });
            }
            Err(err) => match unique_violation(&err) {
                Some(constraint) if constraint.contains("idempotency_key") => {
                    // A concurrent submission with the same key won the race.
                    let key = valid.idempotency_key.as_deref().unwrap_or_default();
                    if let Some(earlier) = find_by_idempotency_key(db, round.id, key).await? {
                        return Ok(replay(earlier));
                    }
                    return Err(err);
                }
                Some(constraint) if constraint.contains("invitation_id") => {
                    return Err(AppError::invalid(
                        SurveyField::InvitationCode,
                        Problem::InvitationUnusable,
                    ));
                }
                Some(constraint) if constraint.contains("receipt_code") && attempts_left > 1 => {
                    attempts_left -= 1;
                }
                _ => return Err(err),
            },
        }
    }
}

fn replay(earlier: response::Model) -> Receipt {
    Receipt {
        response_id: earlier.id,
        code: earlier.receipt_code,
        submitted_at: earlier.submitted_at,
        replayed: true,
    }
}

/// The message of a unique-constraint violation (it names the column or constraint).
fn unique_violation(err: &AppError) -> Option<String> {
    match err {
        AppError::Database(db_err) => match db_err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(message)) => Some(message),
            _ => None,
        },
        _ => None,
    }
}

async fn find_by_idempotency_key(
    db: &DatabaseConnection,
    round_id: i32,
    key: &str,
) -> Result<Option<response::Model>, AppError> {
    Ok(response::Entity::find()
        .filter(response::Column::RoundId.eq(round_id))
        .filter(response::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

/// Whether a response with this idempotency key is stored in `round` already.
pub async fn is_stored(
    db: &DatabaseConnection,
    round: &round::Model,
    idempotency_key: &str,
) -> Result<bool, AppError> {
    Ok(
        find_by_idempotency_key(db, round.id, idempotency_key.trim())
            .await?
            .is_some(),
    )
}

/// A response's receipt, for the receipt page.
#[tracing::instrument(skip_all)]
pub async fn find_receipt(
    db: &DatabaseConnection,
    round_id: i32,
    receipt_code: &str,
) -> Result<Option<Receipt>, AppError> {
    Ok(response::Entity::find()
        .filter(response::Column::RoundId.eq(round_id))
        .filter(response::Column::ReceiptCode.eq(receipt_code))
        .one(db)
        .await?
        .map(|r| Receipt {
            response_id: r.id,
            code: r.receipt_code,
            submitted_at: r.submitted_at,
            replayed: false,
        }))
}

/// The violations `submission` would meet, without storing anything
/// (a saved draft shows its errors again).
#[tracing::instrument(skip_all)]
pub async fn check(
    db: &DatabaseConnection,
    round: &round::Model,
    instrument: &LoadedInstrument,
    submission: Submission,
    completeness: Completeness,
) -> Result<Vec<Violation>, AppError> {
    match validate(db, round, instrument, submission, completeness, Utc::now()).await {
        Ok(_) => Ok(Vec::new()),
        Err(AppError::Invalid(violations)) => Ok(violations),
        Err(other) => Err(other),
    }
}

//! Drafts of the survey form: what a respondent entered, kept server-side
//! under a resume code so that nothing typed is lost (a form posted without
//! JavaScript that needs correcting comes back filled in). Anyone may save a
//! draft, so a draft holds only what the round's form can hold (its
//! criteria, short codes, a comment of bounded length) and is forgotten
//! after [`LIFETIME_DAYS`].

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::AppError;
use crate::entities::{response_draft, round};
use crate::model::{Problem, SurveyValues};
use crate::public_codes::{SECRET_GROUPS, normalise, random_code};
use crate::services::responses::COMMENT_MAX_CHARS;

/// Days a draft is kept after it was last saved.
pub const LIFETIME_DAYS: i64 = 30;
/// Longest code-like field of a draft (respondent type, department, …).
const SHORT_FIELD_MAX_CHARS: usize = 64;

/// Whether `values` is something the round's form can hold: answers only to
/// `criteria`, each 1–5, "na" or empty; short fields short; the comment at
/// most twice the longest a response takes (so that a slightly long one
/// comes back whole, with its message, to be shortened).
pub fn check(values: &SurveyValues, criteria: &[String]) -> Result<(), AppError> {
    let answers_fit = values.answers.iter().all(|(code, value)| {
        criteria.contains(code) && matches!(value.as_str(), "" | "1" | "2" | "3" | "4" | "5" | "na")
    });
    if !answers_fit {
        return Err(AppError::invalid("answers", Problem::InvalidValue));
    }
    let short_fields = [
        ("respondent_type", &values.respondent_type),
        ("department", &values.department),
        ("procedure", &values.procedure),
        ("submission_method", &values.submission_method),
        ("invitation_code", &values.invitation_code),
        ("channel", &values.channel),
        ("submitted_on", &values.submitted_on),
    ];
    for (field, value) in short_fields {
        if value.chars().count() > SHORT_FIELD_MAX_CHARS {
            return Err(AppError::invalid(field, Problem::InvalidValue));
        }
    }
    if values.comment.chars().count() > 2 * COMMENT_MAX_CHARS {
        return Err(AppError::invalid(
            "comment",
            Problem::TooLong {
                max: COMMENT_MAX_CHARS,
            },
        ));
    }
    Ok(())
}

/// Stores `values` under a new resume code, or under `existing` when that
/// draft of this round exists (saving again keeps the same code).
#[tracing::instrument(skip_all)]
pub async fn save(
    db: &DatabaseConnection,
    round_id: i32,
    values: &SurveyValues,
    existing: Option<&str>,
) -> Result<String, AppError> {
    let round = round::Entity::find_by_id(round_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("round"))?;
    let instrument = crate::services::instruments::load(db, round.instrument_id).await?;
    let criteria: Vec<String> = instrument
        .elements
        .iter()
        .flat_map(|e| e.criteria.iter().map(|c| c.code.clone()))
        .collect();
    check(values, &criteria)?;
    forget_expired(db).await?;
    let data = serde_json::to_string(values).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = Utc::now();
    if let Some(code) = existing
        && let Some(found) = response_draft::Entity::find()
            .filter(response_draft::Column::RoundId.eq(round_id))
            .filter(response_draft::Column::ResumeCode.eq(normalise(code)))
            .one(db)
            .await?
    {
        let resume_code = found.resume_code.clone();
        let mut active: response_draft::ActiveModel = found.into();
        active.data = Set(data);
        active.updated_at = Set(now);
        active.update(db).await?;
        return Ok(resume_code);
    }
    let resume_code = random_code("NH", SECRET_GROUPS);
    response_draft::ActiveModel {
        resume_code: Set(resume_code.clone()),
        round_id: Set(round_id),
        data: Set(data),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(resume_code)
}

/// The values saved under `resume_code` for this round, if any.
#[tracing::instrument(skip_all)]
pub async fn load(
    db: &DatabaseConnection,
    round_id: i32,
    resume_code: &str,
) -> Result<Option<SurveyValues>, AppError> {
    let found = response_draft::Entity::find()
        .filter(response_draft::Column::RoundId.eq(round_id))
        .filter(response_draft::Column::ResumeCode.eq(normalise(resume_code)))
        .filter(response_draft::Column::UpdatedAt.gt(expiry()))
        .one(db)
        .await?;
    Ok(found.and_then(|d| serde_json::from_str(&d.data).ok()))
}

fn expiry() -> chrono::DateTime<Utc> {
    Utc::now() - Duration::days(LIFETIME_DAYS)
}

/// Deletes drafts not saved for [`LIFETIME_DAYS`]; returns how many.
pub async fn forget_expired(db: &DatabaseConnection) -> Result<u64, AppError> {
    let deleted = response_draft::Entity::delete_many()
        .filter(response_draft::Column::UpdatedAt.lte(expiry()))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// Removes a draft once its response is stored, so its code cannot be reused.
#[tracing::instrument(skip_all)]
pub async fn delete(
    db: &DatabaseConnection,
    round_id: i32,
    resume_code: &str,
) -> Result<(), AppError> {
    response_draft::Entity::delete_many()
        .filter(response_draft::Column::RoundId.eq(round_id))
        .filter(response_draft::Column::ResumeCode.eq(normalise(resume_code)))
        .exec(db)
        .await?;
    Ok(())
}

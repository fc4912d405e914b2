//! Drafts of the survey form: what a respondent entered, kept server-side
//! under a resume code so that nothing typed is lost (a form posted without
//! JavaScript that needs correcting comes back filled in).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::AppError;
use crate::entities::response_draft;
use crate::model::SurveyValues;
use crate::public_codes::{SECRET_GROUPS, normalise, random_code};

/// Stores `values` under a new resume code, or under `existing` when that
/// draft of this round exists (saving again keeps the same code).
#[tracing::instrument(skip_all)]
pub async fn save(
    db: &DatabaseConnection,
    round_id: i32,
    values: &SurveyValues,
    existing: Option<&str>,
) -> Result<String, AppError> {
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
        .one(db)
        .await?;
    Ok(found.and_then(|d| serde_json::from_str(&d.data).ok()))
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

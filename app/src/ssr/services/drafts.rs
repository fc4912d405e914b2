//! Drafts of the survey form: what a respondent entered, kept server-side
//! under a resume code so that nothing typed is lost (a form posted without
//! JavaScript that needs correcting comes back filled in).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::model::SurveyValues;
use crate::ssr::AppError;
use crate::ssr::codes::{normalise, random_code};
use crate::ssr::entities::response_draft;

/// Stores `values` and returns the resume code.
pub async fn save(
    db: &DatabaseConnection,
    round_id: i32,
    values: &SurveyValues,
) -> Result<String, AppError> {
    let data = serde_json::to_string(values).map_err(|e| AppError::Internal(e.to_string()))?;
    let resume_code = random_code("NH", 3);
    let now = Utc::now();
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

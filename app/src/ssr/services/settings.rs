//! Settings that staff can change, with defaults that work out of the box.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::ssr::AppError;
use crate::ssr::entities::setting;

pub const AGENCY_NAME: &str = "agency_name";
pub const TARGET_INDEX: &str = "target_index";
pub const SUPPRESSION_THRESHOLD: &str = "suppression_threshold";

pub const DEFAULT_AGENCY_NAME: &str = "Ban Quản lý Khu kinh tế";
/// Target line of the element chart, in percent (methodology.md §6).
pub const DEFAULT_TARGET_INDEX: f64 = 80.0;
/// Figures over fewer valid answers are suppressed in breakdowns (methodology.md §4).
pub const DEFAULT_SUPPRESSION_THRESHOLD: u64 = 10;

pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, AppError> {
    Ok(setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|s| s.value))
}

pub async fn set(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), AppError> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn agency_name(db: &impl ConnectionTrait) -> Result<String, AppError> {
    Ok(get(db, AGENCY_NAME)
        .await?
        .unwrap_or_else(|| DEFAULT_AGENCY_NAME.to_owned()))
}

pub async fn target_index(db: &impl ConnectionTrait) -> Result<f64, AppError> {
    Ok(get(db, TARGET_INDEX)
        .await?
        .and_then(|v| v.parse().ok())
        .filter(|v: &f64| (0.0..=100.0).contains(v))
        .unwrap_or(DEFAULT_TARGET_INDEX))
}

pub async fn suppression_threshold(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(get(db, SUPPRESSION_THRESHOLD)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SUPPRESSION_THRESHOLD))
}

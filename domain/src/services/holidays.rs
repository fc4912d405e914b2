//! The holiday calendar that feedback deadlines skip, maintained by admins.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::AppError;
use crate::entities::holiday;
use crate::model::Problem;
use crate::services::audit::{self, Actor};

/// Longest holiday name, in characters.
pub const NAME_MAX: usize = 120;

#[tracing::instrument(skip_all)]
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<holiday::Model>, AppError> {
    Ok(holiday::Entity::find()
        .order_by_asc(holiday::Column::Day)
        .all(db)
        .await?)
}

/// The holidays from `from` for a year and a half: enough for any deadline.
#[tracing::instrument(skip_all)]
pub async fn from(
    db: &impl ConnectionTrait,
    from: NaiveDate,
) -> Result<BTreeSet<NaiveDate>, AppError> {
    let until = from + chrono::Duration::days(550);
    Ok(holiday::Entity::find()
        .filter(holiday::Column::Day.between(from, until))
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.day)
        .collect())
}

/// Adds a holiday, or renames it when the day is in the calendar already.
#[tracing::instrument(skip_all)]
pub async fn add(
    db: &impl ConnectionTrait,
    actor: &Actor,
    day: &str,
    name: &str,
) -> Result<NaiveDate, AppError> {
    let mut violations = Vec::new();
    let parsed = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        violations.push(crate::model::Violation::new("day", Problem::InvalidValue));
    }
    let name = name.trim();
    if name.is_empty() {
        violations.push(crate::model::Violation::new("name", Problem::Required));
    } else if name.chars().count() > NAME_MAX {
        violations.push(crate::model::Violation::new(
            "name",
            Problem::TooLong { max: NAME_MAX },
        ));
    }
    let Some(day) = parsed.filter(|_| violations.is_empty()) else {
        return Err(AppError::Invalid(violations));
    };
    upsert(db, day, name).await?;
    audit::record(
        db,
        actor,
        "holiday.add",
        "holiday",
        Some(day.to_string()),
        None::<&()>,
        Some(&name),
    )
    .await?;
    Ok(day)
}

#[tracing::instrument(skip_all)]
pub async fn upsert(db: &impl ConnectionTrait, day: NaiveDate, name: &str) -> Result<(), AppError> {
    holiday::Entity::insert(holiday::ActiveModel {
        day: Set(day),
        name: Set(name.to_owned()),
        kind: Set("day-off".to_owned()),
    })
    .on_conflict(
        OnConflict::column(holiday::Column::Day)
            .update_column(holiday::Column::Name)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn remove(db: &impl ConnectionTrait, actor: &Actor, day: &str) -> Result<(), AppError> {
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("day", Problem::InvalidValue))?;
    let found = holiday::Entity::find_by_id(day)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("holiday"))?;
    holiday::Entity::delete_by_id(day).exec(db).await?;
    audit::record(
        db,
        actor,
        "holiday.remove",
        "holiday",
        Some(day.to_string()),
        Some(&found.name),
        None::<&()>,
    )
    .await?;
    Ok(())
}

/// Puts the public holidays of `year` (see [`crate::public_holidays`]) in
/// the calendar; days already there keep their name (an admin may have
/// entered them). Returns how many days were added.
#[tracing::instrument(skip_all)]
pub async fn add_public(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
) -> Result<u64, AppError> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::invalid(
            "year",
            Problem::NumberOutOfRange {
                min: 2000,
                max: 2100,
            },
        ));
    }
    let mut added = 0;
    for holiday in crate::public_holidays::of_year(year) {
        if holiday::Entity::find_by_id(holiday.day)
            .one(db)
            .await?
            .is_none()
        {
            upsert(db, holiday.day, &holiday.name_vi).await?;
            added += 1;
        }
    }
    audit::record(
        db,
        actor,
        "holiday.add_public",
        "holiday",
        Some(year.to_string()),
        None::<&()>,
        Some(&serde_json::json!({ "added": added })),
    )
    .await?;
    Ok(added)
}

//! Setting up an agency from an empty database: whether a first admin
//! exists, and the checklist whose steps tick themselves as the database
//! fills.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::AppError;
use crate::entities::{department, holiday, procedure, round, user};
use crate::model::{Role, SetupChecklist, SetupItem, SetupStep};
use crate::services::settings;

/// No active admin exists yet: the first one is created on the command
/// line (`hailong create-user --role admin`), which the home page explains.
#[tracing::instrument(skip_all)]
pub async fn needs_first_admin(db: &DatabaseConnection) -> Result<bool, AppError> {
    let admins = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.code()))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await?;
    Ok(admins == 0)
}

/// Each step of setting up, done or not as the database shows it at `now`.
#[tracing::instrument(skip_all)]
pub async fn checklist(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<SetupChecklist, AppError> {
    // The year deadlines are about to fall in: from November, the next one.
    let year = crate::working_days::vietnam_date(now + chrono::Duration::days(60)).year();
    let first_day = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January exists");
    let last_day = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December exists");
    let profile = settings::get(db, settings::AGENCY_NAME).await?.is_some();
    let departments = department::Entity::find()
        .filter(department::Column::Active.eq(true))
        .count(db)
        .await?;
    let procedures = procedure::Entity::find()
        .filter(procedure::Column::Active.eq(true))
        .count(db)
        .await?;
    let holidays = holiday::Entity::find()
        .filter(holiday::Column::Day.between(first_day, last_day))
        .count(db)
        .await?;
    let users = user::Entity::find()
        .filter(user::Column::Role.ne(Role::Admin.code()))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await?;
    let rounds = round::Entity::find().count(db).await?;
    let item = |step, done, link: &str| SetupItem {
        step,
        done,
        link: link.to_owned(),
    };
    Ok(SetupChecklist {
        items: vec![
            item(SetupStep::Profile, profile, "/admin/profile"),
            item(
                SetupStep::Departments,
                departments > 0,
                "/admin/catalogue#catalogue-department",
            ),
            item(
                SetupStep::Procedures,
                procedures > 0,
                "/admin/catalogue#catalogue-procedure",
            ),
            item(
                SetupStep::Holidays,
                holidays > 0,
                "/admin/feedback-settings#holidays",
            ),
            item(SetupStep::Users, users > 0, "/admin/users"),
            item(SetupStep::Round, rounds > 0, "/rounds"),
        ],
        year,
    })
}

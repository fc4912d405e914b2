//! Survey rounds: the period, the instrument version and the lifecycle
//! draft → open → closed → published, with scheduled opening and closing.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::i18n::Lang;
use crate::model::{RoundStatus, RoundSummary};
use crate::ssr::AppError;
use crate::ssr::entities::round;
use crate::ssr::services::instruments;

pub async fn by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<round::Model>, AppError> {
    Ok(round::Entity::find()
        .filter(round::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// The round named by `slug`, or `NotFound`.
pub async fn require(db: &impl ConnectionTrait, slug: &str) -> Result<round::Model, AppError> {
    by_slug(db, slug).await?.ok_or(AppError::NotFound("round"))
}

/// Rounds that take responses now, newest first.
pub async fn list_open(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<round::Model>, AppError> {
    let rounds = round::Entity::find()
        .filter(round::Column::Status.eq(RoundStatus::Open.code()))
        .order_by_desc(round::Column::Year)
        .order_by_desc(round::Column::Half)
        .all(db)
        .await?;
    Ok(rounds
        .into_iter()
        .filter(|r| accepts_responses(r, now).is_ok())
        .collect())
}

pub fn status(round: &round::Model) -> RoundStatus {
    RoundStatus::parse(&round.status).unwrap_or(RoundStatus::Draft)
}

/// Whether the round takes a response at `now`: it is open and inside its schedule.
pub fn accepts_responses(round: &round::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    let not_open = || AppError::Conflict {
        code: "round_not_open",
        message: format!("Round {} is not open for responses.", round.slug),
    };
    let closed = || AppError::Conflict {
        code: "round_closed",
        message: format!(
            "Round {} is closed and takes no more responses.",
            round.slug
        ),
    };
    match status(round) {
        RoundStatus::Draft => return Err(not_open()),
        RoundStatus::Closed | RoundStatus::Published => return Err(closed()),
        RoundStatus::Open => {}
    }
    if round.opens_at.is_some_and(|opens| now < opens) {
        return Err(not_open());
    }
    if round.closes_at.is_some_and(|closes| now >= closes) {
        return Err(closed());
    }
    Ok(())
}

pub fn summary(round: &round::Model, lang: Lang) -> RoundSummary {
    RoundSummary {
        slug: round.slug.clone(),
        title: lang.pick(&round.title_vi, &round.title_en).to_owned(),
        period: lang.period(round.year, round.half),
        status: status(round),
    }
}

/// What it takes to create a round.
#[derive(Clone, Debug)]
pub struct NewRound {
    pub slug: String,
    pub title_vi: String,
    pub title_en: String,
    pub year: i32,
    pub half: i16,
    pub instrument_id: i32,
    pub audience: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub dossiers_handled: Option<i32>,
}

pub async fn create(db: &DatabaseConnection, new: NewRound) -> Result<round::Model, AppError> {
    Ok(round::ActiveModel {
        slug: Set(new.slug),
        title_vi: Set(new.title_vi),
        title_en: Set(new.title_en),
        year: Set(new.year),
        half: Set(new.half),
        instrument_id: Set(new.instrument_id),
        audience: Set(new.audience),
        status: Set(RoundStatus::Draft.code().to_owned()),
        opens_at: Set(new.opens_at),
        closes_at: Set(new.closes_at),
        dossiers_handled: Set(new.dossiers_handled),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Moves a round to `to`; opening freezes its instrument version.
pub async fn set_status(
    db: &DatabaseConnection,
    round: round::Model,
    to: RoundStatus,
) -> Result<round::Model, AppError> {
    let from = status(&round);
    let allowed = matches!(
        (from, to),
        (RoundStatus::Draft, RoundStatus::Open)
            | (RoundStatus::Open, RoundStatus::Closed)
            | (RoundStatus::Closed, RoundStatus::Open)
            | (RoundStatus::Closed, RoundStatus::Published)
    );
    if !allowed {
        return Err(AppError::Conflict {
            code: "illegal_transition",
            message: format!("A round cannot go from {} to {}.", from.code(), to.code()),
        });
    }
    if to == RoundStatus::Open {
        instruments::freeze(db, round.instrument_id).await?;
    }
    let mut active: round::ActiveModel = round.into();
    active.status = Set(to.code().to_owned());
    if to == RoundStatus::Published {
        active.published_at = Set(Some(Utc::now()));
    }
    Ok(active.update(db).await?)
}

/// Every round, newest period first.
pub async fn list_all(db: &DatabaseConnection) -> Result<Vec<round::Model>, AppError> {
    Ok(round::Entity::find()
        .order_by_desc(round::Column::Year)
        .order_by_desc(round::Column::Half)
        .order_by_asc(round::Column::Slug)
        .all(db)
        .await?)
}

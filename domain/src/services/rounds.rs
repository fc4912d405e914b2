//! Survey rounds: the period, the instrument version and the lifecycle
//! draft → open → closed → published, with scheduled opening and closing.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::AppError;
use crate::entities::round;
use crate::i18n::Lang;
use crate::model::{RespondentType, RoundStatus, RoundSummary};
use crate::services::instruments;

#[tracing::instrument(skip_all)]
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
#[tracing::instrument(skip_all)]
pub async fn require(db: &impl ConnectionTrait, slug: &str) -> Result<round::Model, AppError> {
    by_slug(db, slug).await?.ok_or(AppError::NotFound("round"))
}

/// Rounds that take responses now, newest first.
#[tracing::instrument(skip_all)]
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

/// The round's status now: its schedule applied to what is stored.
pub fn status(round: &round::Model) -> RoundStatus {
    status_at(round, Utc::now())
}

/// The round's status at `now`. An open round is scheduled before its
/// `opens_at` and closed from its `closes_at` on, whether or not the
/// closing has been written yet ([`close_due`] writes it).
pub fn status_at(round: &round::Model, now: DateTime<Utc>) -> RoundStatus {
    match round.status {
        RoundStatus::Open if round.closes_at.is_some_and(|closes| now >= closes) => {
            RoundStatus::Closed
        }
        RoundStatus::Open if round.opens_at.is_some_and(|opens| now < opens) => {
            RoundStatus::Scheduled
        }
        stored => stored,
    }
}

/// Writes the closing of every open round whose `closes_at` has passed,
/// each with an audit entry. The update is conditional on the stored
/// status, so of several instances sharing one database exactly one
/// closes a round and records it. Returns the slugs this call closed.
#[tracing::instrument(skip_all)]
pub async fn close_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let due = round::Entity::find()
        .filter(round::Column::Status.eq(RoundStatus::Open.code()))
        .filter(round::Column::ClosesAt.lte(now))
        .all(db)
        .await?;
    let mut closed = Vec::new();
    for found in due {
        let txn = db.begin().await?;
        let result = round::Entity::update_many()
            .col_expr(
                round::Column::Status,
                sea_orm::sea_query::Expr::value(RoundStatus::Closed.code()),
            )
            .filter(round::Column::Id.eq(found.id))
            .filter(round::Column::Status.eq(RoundStatus::Open.code()))
            .exec(&txn)
            .await?;
        if result.rows_affected == 1 {
            audit::record(
                &txn,
                &Actor::system(),
                "round.status",
                "round",
                Some(found.slug.clone()),
                Some(&serde_json::json!({"status": RoundStatus::Open})),
                Some(&serde_json::json!({"status": RoundStatus::Closed, "closes_at": found.closes_at})),
            )
            .await?;
            closed.push(found.slug);
        }
        txn.commit().await?;
    }
    Ok(closed)
}

/// Whether the round takes a response at `now`: it is open and inside its schedule.
pub fn accepts_responses(round: &round::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    let not_open = || AppError::Conflict {
        code: crate::error::Conflict::RoundNotOpen,
        message: format!("Round {} is not open for responses.", round.slug),
    };
    let closed = || AppError::Conflict {
        code: crate::error::Conflict::RoundClosed,
        message: format!(
            "Round {} is closed and takes no more responses.",
            round.slug
        ),
    };
    match status_at(round, now) {
        RoundStatus::Draft | RoundStatus::Scheduled => Err(not_open()),
        RoundStatus::Closed | RoundStatus::Published => Err(closed()),
        RoundStatus::Open => Ok(()),
    }
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

#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, new: NewRound) -> Result<round::Model, AppError> {
    Ok(round::ActiveModel {
        slug: Set(new.slug),
        title_vi: Set(new.title_vi),
        title_en: Set(new.title_en),
        year: Set(new.year),
        half: Set(new.half),
        instrument_id: Set(new.instrument_id),
        audience: Set(new.audience),
        status: Set(RoundStatus::Draft),
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
#[tracing::instrument(skip_all)]
pub async fn set_status(
    db: &impl ConnectionTrait,
    round: round::Model,
    to: RoundStatus,
) -> Result<round::Model, AppError> {
    let now = Utc::now();
    let from = status_at(&round, now);
    // Opening (or reopening) a round past its closing time would close it
    // again at once.
    if matches!(from, RoundStatus::Draft | RoundStatus::Closed)
        && to == RoundStatus::Open
        && round.closes_at.is_some_and(|closes| now >= closes)
    {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::ClosingTimePassed,
            message: "The round's closing time has passed: move it later before reopening."
                .to_owned(),
        });
    }
    let allowed = matches!(
        (from, to),
        (RoundStatus::Draft, RoundStatus::Open)
            | (
                RoundStatus::Open | RoundStatus::Scheduled,
                RoundStatus::Closed
            )
            | (RoundStatus::Closed, RoundStatus::Open)
            | (RoundStatus::Scheduled, RoundStatus::Draft)
            | (RoundStatus::Closed, RoundStatus::Published)
    );
    if !allowed {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::IllegalTransition,
            message: format!("A round cannot go from {} to {}.", from.code(), to.code()),
        });
    }
    if to == RoundStatus::Open {
        instruments::freeze(db, round.instrument_id).await?;
    }
    let mut active: round::ActiveModel = round.into();
    active.status = Set(to);
    if to == RoundStatus::Published {
        active.published_at = Set(Some(Utc::now()));
    }
    Ok(active.update(db).await?)
}

/// Every round, newest period first.
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &DatabaseConnection) -> Result<Vec<round::Model>, AppError> {
    Ok(round::Entity::find()
        .order_by_desc(round::Column::Year)
        .order_by_desc(round::Column::Half)
        .order_by_asc(round::Column::Slug)
        .all(db)
        .await?)
}

// ---- Staff management of rounds --------------------------------------------

use crate::entities::{invitation, response, round_department};
use crate::index_engine::yamane_sample;
use crate::model::{Problem, RoundStats, Violation};
use crate::services::audit::{self, Actor};
use sea_orm::{PaginatorTrait, TransactionTrait};

/// Margin of error of the target sample (docs/methodology.md, “Formulas”: 5%).
pub const SAMPLE_MARGIN: f64 = 0.05;

/// Slugs appear in links and on posters: lowercase words and hyphens.
pub fn slug_is_valid(slug: &str) -> bool {
    (3..=60).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// A round as staff enter it.
#[derive(Clone, Debug)]
pub struct RoundForm {
    pub slug: String,
    pub title_vi: String,
    pub title_en: String,
    pub year: i32,
    pub half: i16,
    pub instrument_id: i32,
    pub audience: String,
    pub department_codes: Vec<String>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub dossiers_handled: Option<i32>,
}

async fn check_form(db: &DatabaseConnection, form: &RoundForm) -> Result<Vec<i32>, AppError> {
    let mut violations = Vec::new();
    if !slug_is_valid(&form.slug) {
        violations.push(Violation::new("slug", Problem::InvalidValue));
    }
    if form.title_vi.trim().is_empty() {
        violations.push(Violation::new("title_vi", Problem::Required));
    }
    if !(2000..=2100).contains(&form.year) {
        violations.push(Violation::new("year", Problem::InvalidValue));
    }
    if !matches!(form.half, 1 | 2) {
        violations.push(Violation::new("half", Problem::InvalidValue));
    }
    if crate::entities::instrument::Entity::find_by_id(form.instrument_id)
        .one(db)
        .await?
        .is_none()
    {
        violations.push(Violation::new("instrument", Problem::InvalidValue));
    }
    if let (Some(opens), Some(closes)) = (form.opens_at, form.closes_at)
        && closes <= opens
    {
        violations.push(Violation::new("closes_at", Problem::InvalidValue));
    }
    if form.dossiers_handled.is_some_and(|n| n < 0) {
        violations.push(Violation::new("dossiers_handled", Problem::InvalidValue));
    }
    let mut department_ids = Vec::new();
    for code in &form.department_codes {
        match crate::services::catalogue::department_by_code(db, code).await? {
            Some(d) => department_ids.push(d.id),
            None => violations.push(Violation::new("departments", Problem::UnknownDepartment)),
        }
    }
    if violations.is_empty() {
        Ok(department_ids)
    } else {
        Err(AppError::Invalid(violations))
    }
}

async fn set_departments(
    db: &impl ConnectionTrait,
    round_id: i32,
    department_ids: &[i32],
) -> Result<(), AppError> {
    round_department::Entity::delete_many()
        .filter(round_department::Column::RoundId.eq(round_id))
        .exec(db)
        .await?;
    for id in department_ids {
        round_department::ActiveModel {
            round_id: Set(round_id),
            department_id: Set(*id),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn slug_taken(err: sea_orm::DbErr) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::invalid("slug", Problem::Duplicate)
        }
        _ => err.into(),
    }
}

/// Creates a draft round.
#[tracing::instrument(skip_all)]
pub async fn create_from_form(
    db: &DatabaseConnection,
    actor: &Actor,
    form: RoundForm,
) -> Result<round::Model, AppError> {
    let department_ids = check_form(db, &form).await?;
    let txn = db.begin().await?;
    let stored = round::ActiveModel {
        slug: Set(form.slug.clone()),
        title_vi: Set(form.title_vi.trim().to_owned()),
        title_en: Set(form.title_en.trim().to_owned()),
        year: Set(form.year),
        half: Set(form.half),
        instrument_id: Set(form.instrument_id),
        audience: Set(form.audience.clone()),
        status: Set(RoundStatus::Draft),
        opens_at: Set(form.opens_at),
        closes_at: Set(form.closes_at),
        dossiers_handled: Set(form.dossiers_handled),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(slug_taken)?;
    set_departments(&txn, stored.id, &department_ids).await?;
    audit::record(
        &txn,
        actor,
        "round.create",
        "round",
        Some(stored.slug.clone()),
        None::<&()>,
        Some(&snapshot(&stored)),
    )
    .await?;
    txn.commit().await?;
    Ok(stored)
}

fn snapshot(round: &round::Model) -> serde_json::Value {
    serde_json::json!({
        "slug": round.slug, "title_vi": round.title_vi, "title_en": round.title_en,
        "year": round.year, "half": round.half, "instrument_id": round.instrument_id,
        "audience": round.audience, "status": round.status, "opens_at": round.opens_at,
        "closes_at": round.closes_at, "dossiers_handled": round.dossiers_handled,
    })
}

/// Changes a round. Its slug and instrument change only while it is a draft.
#[tracing::instrument(skip_all)]
pub async fn update_from_form(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    form: RoundForm,
) -> Result<round::Model, AppError> {
    let found = require(db, slug).await?;
    if status(&found) == RoundStatus::Published {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::RoundPublished,
            message: "A published round is frozen: its results are cited as they were approved."
                .to_owned(),
        });
    }
    let department_ids = check_form(db, &form).await?;
    let is_draft = status(&found) == RoundStatus::Draft;
    if !is_draft && (form.slug != found.slug || form.instrument_id != found.instrument_id) {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::RoundNotDraft,
            message: "The link and the instrument of a round change only while it is a draft."
                .to_owned(),
        });
    }
    let before = snapshot(&found);
    let txn = db.begin().await?;
    let mut active: round::ActiveModel = found.into();
    active.slug = Set(form.slug.clone());
    active.title_vi = Set(form.title_vi.trim().to_owned());
    active.title_en = Set(form.title_en.trim().to_owned());
    active.year = Set(form.year);
    active.half = Set(form.half);
    active.instrument_id = Set(form.instrument_id);
    active.audience = Set(form.audience.clone());
    active.opens_at = Set(form.opens_at);
    active.closes_at = Set(form.closes_at);
    active.dossiers_handled = Set(form.dossiers_handled);
    let updated = active.update(&txn).await.map_err(slug_taken)?;
    set_departments(&txn, updated.id, &department_ids).await?;
    audit::record(
        &txn,
        actor,
        "round.update",
        "round",
        Some(updated.slug.clone()),
        Some(&before),
        Some(&snapshot(&updated)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Moves a round along its lifecycle, with an audit entry. Publishing goes
/// through `results::publish`, which freezes the results first.
#[tracing::instrument(skip_all)]
pub async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    to: RoundStatus,
) -> Result<round::Model, AppError> {
    if to == RoundStatus::Published {
        crate::services::results::publish(db, actor, slug).await?;
        return require(db, slug).await;
    }
    let found = require(db, slug).await?;
    let before = serde_json::json!({"status": found.status});
    let updated = set_status(db, found, to).await?;
    let after = serde_json::json!({"status": updated.status});
    audit::record(
        db,
        actor,
        "round.status",
        "round",
        Some(updated.slug.clone()),
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(updated)
}

/// A new draft round with the settings of `slug` for another period.
#[tracing::instrument(skip_all)]
pub async fn clone_round(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
    new_slug: &str,
    year: i32,
    half: i16,
) -> Result<round::Model, AppError> {
    let source = require(db, slug).await?;
    let departments = department_codes(db, source.id).await?;
    create_from_form(
        db,
        actor,
        RoundForm {
            slug: new_slug.trim().to_owned(),
            title_vi: source.title_vi,
            title_en: source.title_en,
            year,
            half,
            instrument_id: source.instrument_id,
            audience: source.audience,
            department_codes: departments,
            opens_at: None,
            closes_at: None,
            dossiers_handled: source.dossiers_handled,
        },
    )
    .await
}

/// Whom and what a round surveys: its departments and the respondent types
/// of its audience. An empty list admits every one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoundScope {
    pub department_ids: Vec<i32>,
    pub respondent_types: Vec<RespondentType>,
}

impl RoundScope {
    pub fn admits_department(&self, department_id: i32) -> bool {
        self.department_ids.is_empty() || self.department_ids.contains(&department_id)
    }

    pub fn admits_respondent(&self, kind: RespondentType) -> bool {
        self.respondent_types.is_empty() || self.respondent_types.contains(&kind)
    }
}

/// The respondent type each audience code of a round admits.
pub fn audience_respondent_type(code: &str) -> Option<RespondentType> {
    match code.trim() {
        "businesses" => Some(RespondentType::Business),
        "citizens" => Some(RespondentType::Individual),
        "partner-agencies" => Some(RespondentType::PartnerAgency),
        _ => None,
    }
}

/// The scope the round stores, as every input path applies it.
#[tracing::instrument(skip_all)]
pub async fn scope(
    db: &impl ConnectionTrait,
    round: &round::Model,
) -> Result<RoundScope, AppError> {
    let department_ids = round_department::Entity::find()
        .filter(round_department::Column::RoundId.eq(round.id))
        .all(db)
        .await?
        .into_iter()
        .map(|link| link.department_id)
        .collect();
    let respondent_types = round
        .audience
        .split(',')
        .filter_map(audience_respondent_type)
        .collect();
    Ok(RoundScope {
        department_ids,
        respondent_types,
    })
}

#[tracing::instrument(skip_all)]
pub async fn department_codes(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<String>, AppError> {
    let links = round_department::Entity::find()
        .filter(round_department::Column::RoundId.eq(round_id))
        .all(db)
        .await?;
    let mut codes = Vec::new();
    for link in links {
        if let Some(d) = crate::entities::department::Entity::find_by_id(link.department_id)
            .one(db)
            .await?
        {
            codes.push(d.code);
        }
    }
    codes.sort();
    Ok(codes)
}

/// Responses, invitations, the target sample and the response rate.
#[tracing::instrument(skip_all)]
pub async fn stats(db: &DatabaseConnection, round: &round::Model) -> Result<RoundStats, AppError> {
    let responses =
        crate::services::indices::response_count(db, round.id, &Default::default()).await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(round.id))
        .count(db)
        .await?;
    // Driven by the round's invitations (one index probe each), never by
    // scanning its responses.
    let used_invitations = response::Entity::find()
        .filter(
            response::Column::InvitationId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(invitation::Column::Id)
                    .from(invitation::Entity)
                    .and_where(invitation::Column::RoundId.eq(round.id))
                    .to_owned(),
            ),
        )
        .count(db)
        .await?;
    let target = round
        .dossiers_handled
        .and_then(|n| u64::try_from(n).ok())
        .map(|n| yamane_sample(n, SAMPLE_MARGIN));
    Ok(RoundStats {
        responses,
        invitations,
        used_invitations,
        target,
        response_rate: (invitations > 0).then(|| 100.0 * responses as f64 / invitations as f64),
        target_reached: target
            .filter(|t| *t > 0)
            .map(|t| 100.0 * responses as f64 / t as f64),
    })
}

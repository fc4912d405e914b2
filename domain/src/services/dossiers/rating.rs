//! The rating of one completed dossier: by its link (printed as a QR code
//! on the result slip, or sent) or at the counter kiosk. One rating per
//! dossier, whatever races: the rating's key is the dossier, so a second
//! insert stores nothing. The rating moves the dossier in the tallies and
//! its comment becomes a feedback item, in the same transaction.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};
use std::collections::BTreeMap;

use super::tallies::{self, Key, ReasonKey};
use super::{rating_days, rating_key};
use crate::AppError;
use crate::entities::{department, dossier, dossier_rating, procedure};
use crate::i18n::{Lang, day_text};
use crate::model::{
    DossierRatingView, NewDossierRating, Problem, RatingLevel, RatingLinkState, RatingSource,
    Violation, WebhookEvent,
};
use crate::public_codes::normalise;
use crate::secrets::sha256_hex;
use crate::services::webhooks;
use crate::working_days::vietnam_date;

/// The longest comment taken.
pub const COMMENT_MAX: usize = 2_000;

/// What became of a rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateOutcome {
    Stored,
    AlreadyRated,
    Expired,
    /// No completed dossier has this key.
    Unknown,
}

/// The completed dossier whose rating key is `key`.
pub async fn by_key(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<dossier::Model>, AppError> {
    let key = normalise(key);
    if key.is_empty() || key.len() > 40 {
        return Ok(None);
    }
    Ok(dossier::Entity::find()
        .filter(dossier::Column::RatingKeyHash.eq(sha256_hex(&key)))
        .filter(dossier::Column::CompletedAt.is_not_null())
        .one(db)
        .await?)
}

/// The rating key of the completed dossier `code`, for the counter kiosk
/// (the officer's screen hands the code over) and for printing the link
/// again; `None` when no completed dossier has this code.
pub async fn key_of_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<String>, AppError> {
    let found = dossier::Entity::find()
        .filter(dossier::Column::Code.eq(code.trim()))
        .filter(dossier::Column::CompletedAt.is_not_null())
        .one(db)
        .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    let signing_key = crate::services::quality::signing_key(db).await?;
    Ok(Some(rating_key(&signing_key, &found.code)))
}

/// The last day the link of a dossier completed at `completed_at` takes a rating.
pub fn open_until(completed_at: DateTime<Utc>, days: u32) -> NaiveDate {
    vietnam_date(completed_at) + Duration::days(i64::from(days))
}

/// Where the rating of `found` stands at `now`.
pub(super) async fn state_of(
    db: &impl ConnectionTrait,
    found: &dossier::Model,
    now: DateTime<Utc>,
) -> Result<(RatingLinkState, NaiveDate), AppError> {
    let Some(completed_at) = found.completed_at else {
        return Ok((RatingLinkState::Unknown, vietnam_date(now)));
    };
    let until = open_until(completed_at, rating_days(db).await?);
    let rated = dossier_rating::Entity::find_by_id(found.id)
        .one(db)
        .await?
        .is_some();
    let state = if rated {
        RatingLinkState::Rated
    } else if vietnam_date(now) > until {
        RatingLinkState::Expired
    } else {
        RatingLinkState::Open
    };
    Ok((state, until))
}

/// The public page of the rating link `key`: only what the person needs
/// to recognise the dossier (procedure, department, day of completion).
#[tracing::instrument(skip_all)]
pub async fn view(
    db: &DatabaseConnection,
    key: &str,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<DossierRatingView, AppError> {
    let agency = crate::services::settings::agency_name_in(db, lang).await?;
    let Some(found) = by_key(db, key).await? else {
        return Ok(DossierRatingView {
            state: RatingLinkState::Unknown,
            agency,
            procedure: String::new(),
            department: String::new(),
            completed_on: String::new(),
            open_until: String::new(),
        });
    };
    let (state, until) = state_of(db, &found, now).await?;
    let (procedure, department) = names_of(db, &found, lang).await?;
    Ok(DossierRatingView {
        state,
        agency,
        procedure,
        department,
        completed_on: found
            .completed_at
            .map(|at| day_text(vietnam_date(at)))
            .unwrap_or_default(),
        open_until: day_text(until),
    })
}

/// The names of the procedure and the department of `found` in `lang`:
/// all a rating page shows of the dossier.
pub(super) async fn names_of(
    db: &impl ConnectionTrait,
    found: &dossier::Model,
    lang: Lang,
) -> Result<(String, String), AppError> {
    let procedure = procedure::Entity::find_by_id(found.procedure_id)
        .one(db)
        .await?;
    let department = department::Entity::find_by_id(found.department_id)
        .one(db)
        .await?;
    let name = |vi: &str, en: &str| match lang {
        Lang::En if !en.is_empty() => en.to_owned(),
        _ => vi.to_owned(),
    };
    Ok((
        procedure.map_or_else(String::new, |p| name(&p.name_vi, &p.name_en)),
        department.map_or_else(String::new, |d| name(&d.name_vi, &d.name_en)),
    ))
}

/// Checks a rating as the form sent it; the problems name the fields.
pub fn check(new: &NewDossierRating) -> Result<(), AppError> {
    let mut violations = Vec::new();
    if new.level.is_none() {
        violations.push(Violation::new("level", Problem::ChoiceRequired));
    }
    if new
        .trips
        .is_some_and(|t| !(1..=tallies::TRIPS_MAX).contains(&t))
    {
        violations.push(Violation::new(
            "trips",
            Problem::NumberOutOfRange {
                min: 1,
                max: tallies::TRIPS_MAX as u32,
            },
        ));
    }
    if new.comment.chars().count() > COMMENT_MAX {
        violations.push(Violation::new(
            "comment",
            Problem::TooLong { max: COMMENT_MAX },
        ));
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(violations))
    }
}

/// Stores the rating of the dossier whose key is `key`, once.
#[tracing::instrument(skip_all)]
pub async fn rate(
    db: &DatabaseConnection,
    key: &str,
    new: &NewDossierRating,
    source: RatingSource,
    now: DateTime<Utc>,
) -> Result<RateOutcome, AppError> {
    check(new)?;
    let Some(level) = new.level else {
        return Err(AppError::Invalid(vec![Violation::new(
            "level",
            Problem::ChoiceRequired,
        )]));
    };
    let txn = db.begin().await?;
    crate::db::write_first(&txn).await?;
    let Some(found) = by_key(&txn, key).await? else {
        return Ok(RateOutcome::Unknown);
    };
    let outcome = rate_found(&txn, &found, level, new, source, now).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Stores the rating of `found` in `txn` (which has written first), once;
/// the caller commits.
pub(super) async fn rate_found(
    txn: &DatabaseTransaction,
    found: &dossier::Model,
    level: RatingLevel,
    new: &NewDossierRating,
    source: RatingSource,
    now: DateTime<Utc>,
) -> Result<RateOutcome, AppError> {
    match state_of(txn, found, now).await?.0 {
        RatingLinkState::Open => {}
        RatingLinkState::Rated => return Ok(RateOutcome::AlreadyRated),
        RatingLinkState::Expired => return Ok(RateOutcome::Expired),
        RatingLinkState::Unknown => return Ok(RateOutcome::Unknown),
    }
    let mut reasons = new.reasons.clone();
    reasons.sort();
    reasons.dedup();
    let rating = dossier_rating::Model {
        dossier_id: found.id,
        level: level.value(),
        reasons: reasons
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(","),
        trips: new.trips,
        feedback_item_id: None,
        source,
        rated_at: now,
    };
    let inserted = dossier_rating::Entity::insert(dossier_rating::ActiveModel {
        dossier_id: Set(rating.dossier_id),
        level: Set(rating.level),
        reasons: Set(rating.reasons.clone()),
        trips: Set(rating.trips),
        feedback_item_id: Set(None),
        source: Set(rating.source),
        rated_at: Set(rating.rated_at),
    })
    .on_conflict(
        OnConflict::column(dossier_rating::Column::DossierId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if inserted == 0 {
        // Another rating of this dossier committed first.
        return Ok(RateOutcome::AlreadyRated);
    }
    let mut changes = BTreeMap::new();
    if let Some(before) = Key::of(found, None) {
        *changes.entry(before).or_insert(0) -= 1;
    }
    if let Some(after) = Key::of(found, Some(&rating)) {
        *changes.entry(after).or_insert(0) += 1;
    }
    tallies::add(txn, &changes).await?;
    tallies::add_reasons(txn, &ReasonKey::of(found, &rating), rating.level).await?;
    if let Some(item) = crate::services::feedback::record_dossier_comment(
        txn,
        found.department_id,
        found.procedure_id,
        &new.comment,
        now,
    )
    .await?
    {
        dossier_rating::Entity::update_many()
            .col_expr(
                dossier_rating::Column::FeedbackItemId,
                sea_orm::sea_query::Expr::value(item.id),
            )
            .filter(dossier_rating::Column::DossierId.eq(found.id))
            .exec(txn)
            .await?;
    }
    announce_rating(txn, found, now).await?;
    Ok(RateOutcome::Stored)
}

/// Tells the webhooks that want it that `found` was rated on the day of
/// `now`: the dossier's code, procedure and department, never the rating.
async fn announce_rating(
    txn: &DatabaseTransaction,
    found: &dossier::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let event = WebhookEvent::DossierRated;
    let subscribers = webhooks::subscribers(txn, event).await?;
    if subscribers.is_empty() {
        return Ok(());
    }
    let procedure = procedure::Entity::find_by_id(found.procedure_id)
        .one(txn)
        .await?
        .map(|p| p.code)
        .unwrap_or_default();
    let department = department::Entity::find_by_id(found.department_id)
        .one(txn)
        .await?
        .map(|d| d.code)
        .unwrap_or_default();
    let data = webhooks::DossierData {
        dossier_code: found.code.clone(),
        procedure,
        department,
        rated_on: vietnam_date(now),
    };
    webhooks::enqueue(txn, &subscribers, event, &data, now).await
}

//! Dossier tallies: how many completed dossiers fall in each combination
//! of month of completion (Vietnam time), department, procedure, channel,
//! timeliness, rating level and trips reported, and how often each reason
//! was ticked at each level. A dossier enters them when it is stored
//! completed (or completes) and moves when it is rated, in the same
//! transaction, so the figures read a bounded number of rows. `hailong
//! verify-tallies` recounts them from the dossiers and ratings.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    Statement,
};

use crate::AppError;
use crate::entities::{dossier, dossier_rating, dossier_reason_tally, dossier_tally};
use crate::model::RatingReason;
use crate::working_days::vietnam_date;

/// 0: late, 1: on time, 2: no due date.
pub const LATE: i16 = 0;
pub const ON_TIME: i16 = 1;
pub const NO_DUE_DATE: i16 = 2;
/// Trips are tallied up to this (meaning "this many or more").
pub const TRIPS_MAX: i16 = 5;

/// Where a completed dossier counts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub year: i32,
    pub month: i16,
    pub department_id: i32,
    pub procedure_id: i32,
    pub channel: String,
    pub on_time: i16,
    /// 0: not rated.
    pub level: i16,
    /// 0: not reported.
    pub trips: i16,
}

impl Key {
    /// The key of `dossier` as rated by `rating`; `None` while it is not completed.
    pub fn of(dossier: &dossier::Model, rating: Option<&dossier_rating::Model>) -> Option<Self> {
        let completed_at = dossier.completed_at?;
        let completed = vietnam_date(completed_at);
        Some(Self {
            year: completed.year(),
            month: completed.month() as i16,
            department_id: dossier.department_id,
            procedure_id: dossier.procedure_id,
            channel: dossier.channel.code().to_owned(),
            on_time: match dossier.due_at {
                None => NO_DUE_DATE,
                Some(due) if completed_at <= due => ON_TIME,
                Some(_) => LATE,
            },
            level: rating.map_or(0, |r| r.level),
            trips: rating.and_then(|r| r.trips).unwrap_or(0).min(TRIPS_MAX),
        })
    }

    fn of_row(row: &dossier_tally::Model) -> Self {
        Self {
            year: row.year,
            month: row.month,
            department_id: row.department_id,
            procedure_id: row.procedure_id,
            channel: row.channel.clone(),
            on_time: row.on_time,
            level: row.level,
            trips: row.trips,
        }
    }

    fn row(&self, count: i64) -> dossier_tally::ActiveModel {
        dossier_tally::ActiveModel {
            year: Set(self.year),
            month: Set(self.month),
            department_id: Set(self.department_id),
            procedure_id: Set(self.procedure_id),
            channel: Set(self.channel.clone()),
            on_time: Set(self.on_time),
            level: Set(self.level),
            trips: Set(self.trips),
            count: Set(count),
        }
    }
}

/// Where a reason ticked in a rating counts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReasonKey {
    pub year: i32,
    pub month: i16,
    pub department_id: i32,
    pub procedure_id: i32,
    pub reason: String,
    pub level: i16,
}

impl ReasonKey {
    /// One key per reason of `rating` of `dossier` (completed).
    pub fn of(dossier: &dossier::Model, rating: &dossier_rating::Model) -> Vec<Self> {
        let Some(key) = Key::of(dossier, Some(rating)) else {
            return Vec::new();
        };
        RatingReason::ALL
            .iter()
            .filter(|r| rating.reasons.split(',').any(|c| c == r.code()))
            .map(|reason| Self {
                year: key.year,
                month: key.month,
                department_id: key.department_id,
                procedure_id: key.procedure_id,
                reason: reason.code().to_owned(),
                level: rating.level,
            })
            .collect()
    }

    fn of_row(row: &dossier_reason_tally::Model) -> Self {
        Self {
            year: row.year,
            month: row.month,
            department_id: row.department_id,
            procedure_id: row.procedure_id,
            reason: row.reason.clone(),
            level: row.level,
        }
    }

    fn row(&self, count: i64) -> dossier_reason_tally::ActiveModel {
        dossier_reason_tally::ActiveModel {
            year: Set(self.year),
            month: Set(self.month),
            department_id: Set(self.department_id),
            procedure_id: Set(self.procedure_id),
            reason: Set(self.reason.clone()),
            level: Set(self.level),
            count: Set(count),
        }
    }
}

/// Keys upserted per statement (nine parameters each, well under the
/// bound SQLite puts on one statement).
const UPSERT_CHUNK: usize = 500;

/// Adds `changes` to the tallies in the caller's transaction, a chunk of
/// keys per statement, in key order so that concurrent PostgreSQL
/// transactions lock rows in the same order. The keys of a map are
/// distinct, so no statement touches one row twice.
pub async fn add(txn: &impl ConnectionTrait, changes: &BTreeMap<Key, i64>) -> Result<(), DbErr> {
    use dossier_tally::Column;
    let rows: Vec<_> = changes
        .iter()
        .filter(|(_, delta)| **delta != 0)
        .map(|(key, delta)| key.row(*delta))
        .collect();
    for chunk in rows.chunks(UPSERT_CHUNK) {
        dossier_tally::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    Column::Year,
                    Column::Month,
                    Column::DepartmentId,
                    Column::ProcedureId,
                    Column::Channel,
                    Column::OnTime,
                    Column::Level,
                    Column::Trips,
                ])
                .value(
                    Column::Count,
                    Expr::cust("dossier_tallies.count + excluded.count"),
                )
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Adds one to each reason of a new rating, in the caller's transaction,
/// in one statement. Equal keys are merged first, since one statement may
/// not touch a row twice.
pub async fn add_reasons(txn: &impl ConnectionTrait, keys: &[ReasonKey]) -> Result<(), DbErr> {
    use dossier_reason_tally::Column;
    let mut counts: BTreeMap<&ReasonKey, i64> = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    if counts.is_empty() {
        return Ok(());
    }
    let rows = counts.into_iter().map(|(key, n)| key.row(n));
    dossier_reason_tally::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                Column::Year,
                Column::Month,
                Column::DepartmentId,
                Column::ProcedureId,
                Column::Reason,
                Column::Level,
            ])
            .value(
                Column::Count,
                Expr::cust("dossier_reason_tallies.count + excluded.count"),
            )
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// The stored tallies of `year` (and `month`).
pub async fn of_period(
    db: &impl ConnectionTrait,
    year: i32,
    month: Option<u32>,
) -> Result<(Vec<(Key, u64)>, Vec<(ReasonKey, u64)>), DbErr> {
    let mut tallies = dossier_tally::Entity::find()
        .filter(dossier_tally::Column::Year.eq(year))
        .filter(dossier_tally::Column::Count.gt(0));
    let mut reasons = dossier_reason_tally::Entity::find()
        .filter(dossier_reason_tally::Column::Year.eq(year))
        .filter(dossier_reason_tally::Column::Count.gt(0));
    if let Some(month) = month {
        tallies = tallies.filter(dossier_tally::Column::Month.eq(month as i16));
        reasons = reasons.filter(dossier_reason_tally::Column::Month.eq(month as i16));
    }
    let tallies = tallies
        .all(db)
        .await?
        .iter()
        .map(|row| (Key::of_row(row), row.count.max(0) as u64))
        .collect();
    let reasons = reasons
        .all(db)
        .await?
        .iter()
        .map(|row| (ReasonKey::of_row(row), row.count.max(0) as u64))
        .collect();
    Ok((tallies, reasons))
}

/// Dossiers read per step of the recount, so that memory stays bounded.
const RECOUNT_PAGE: u64 = 10_000;

/// The tallies counted again from the dossiers and ratings, by the same
/// rule as every change adds to them.
async fn recount(
    db: &impl ConnectionTrait,
) -> Result<(BTreeMap<Key, i64>, BTreeMap<ReasonKey, i64>), DbErr> {
    let mut counted = BTreeMap::new();
    let mut reasons = BTreeMap::new();
    let mut after = 0;
    loop {
        let dossiers = dossier::Entity::find()
            .filter(dossier::Column::Id.gt(after))
            .filter(dossier::Column::CompletedAt.is_not_null())
            .order_by_asc(dossier::Column::Id)
            .limit(RECOUNT_PAGE)
            .all(db)
            .await?;
        let Some(last) = dossiers.last() else {
            break;
        };
        after = last.id;
        let ids: Vec<i32> = dossiers.iter().map(|d| d.id).collect();
        let ratings: BTreeMap<i32, dossier_rating::Model> = dossier_rating::Entity::find()
            .filter(dossier_rating::Column::DossierId.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.dossier_id, r))
            .collect();
        for dossier in &dossiers {
            let rating = ratings.get(&dossier.id);
            if let Some(key) = Key::of(dossier, rating) {
                *counted.entry(key).or_insert(0) += 1;
            }
            for key in rating
                .map(|r| ReasonKey::of(dossier, r))
                .unwrap_or_default()
            {
                *reasons.entry(key).or_insert(0) += 1;
            }
        }
    }
    Ok((counted, reasons))
}

async fn stored(
    db: &impl ConnectionTrait,
) -> Result<(BTreeMap<Key, i64>, BTreeMap<ReasonKey, i64>), DbErr> {
    let tallies = dossier_tally::Entity::find()
        .filter(dossier_tally::Column::Count.ne(0))
        .all(db)
        .await?
        .iter()
        .map(|row| (Key::of_row(row), row.count))
        .collect();
    let reasons = dossier_reason_tally::Entity::find()
        .filter(dossier_reason_tally::Column::Count.ne(0))
        .all(db)
        .await?
        .iter()
        .map(|row| (ReasonKey::of_row(row), row.count))
        .collect();
    Ok((tallies, reasons))
}

fn differences<K: Ord + std::fmt::Debug>(
    stored: &BTreeMap<K, i64>,
    counted: &BTreeMap<K, i64>,
    what: &str,
) -> Vec<String> {
    let keys: BTreeSet<&K> = counted.keys().chain(stored.keys()).collect();
    keys.into_iter()
        .filter_map(|key| {
            let c = counted.get(key).copied().unwrap_or(0);
            let s = stored.get(key).copied().unwrap_or(0);
            (c != s).then(|| format!("{what} {key:?}: stored {s}, counted {c}"))
        })
        .collect()
}

/// The number of tallies counted from the dossiers, and one line per
/// difference from the stored ones.
pub async fn verify(db: &impl ConnectionTrait) -> Result<(usize, Vec<String>), AppError> {
    let (counted, counted_reasons) = recount(db).await?;
    let (stored, stored_reasons) = stored(db).await?;
    let mut found = differences(&stored, &counted, "dossiers");
    found.extend(differences(
        &stored_reasons,
        &counted_reasons,
        "dossier reasons",
    ));
    Ok((counted.len() + counted_reasons.len(), found))
}

/// Replaces the stored tallies by the recount, inside the caller's transaction.
pub async fn rebuild(txn: &impl ConnectionTrait) -> Result<(), AppError> {
    let (counted, reasons) = recount(txn).await?;
    let backend = txn.get_database_backend();
    for table in ["dossier_tallies", "dossier_reason_tallies"] {
        txn.execute_raw(Statement::from_string(
            backend,
            format!("DELETE FROM {table}"),
        ))
        .await?;
    }
    let rows: Vec<_> = counted.iter().map(|(key, n)| key.row(*n)).collect();
    for chunk in rows.chunks(1000) {
        dossier_tally::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    let rows: Vec<_> = reasons.iter().map(|(key, n)| key.row(*n)).collect();
    for chunk in rows.chunks(1000) {
        dossier_reason_tally::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

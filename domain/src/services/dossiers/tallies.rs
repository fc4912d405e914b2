//! Dossier tallies: what the completed dossiers of each month of
//! completion (Vietnam time), department, procedure and channel add up to
//! (completed, rated, each level, with a due date, on time, trips), and
//! how often each reason was ticked each month. A dossier enters them when
//! it is stored completed (or completes) and moves when it is rated, in the
//! same transaction, so the figures of a year read a few hundred rows
//! however many dossiers there are. `hailong verify-tallies` recounts them
//! from the dossiers and ratings.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use chrono::Datelike;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    Statement,
};

use crate::AppError;
use crate::entities::{dossier, dossier_count, dossier_rating, dossier_reason_count};
use crate::model::{RatingLevel, RatingReason};
use crate::working_days::vietnam_date;

/// 0: late, 1: on time, 2: no due date.
pub const LATE: i16 = 0;
pub const ON_TIME: i16 = 1;
pub const NO_DUE_DATE: i16 = 2;
/// Trips are tallied up to this (meaning "this many or more").
pub const TRIPS_MAX: i16 = 5;

/// Where a completed dossier counts, and how.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub slice: Slice,
    pub on_time: i16,
    /// 0: not rated.
    pub level: i16,
    /// 0: not reported.
    pub trips: i16,
}

/// The month of completion (Vietnam time), department, procedure and
/// channel: one row of the tallies.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slice {
    pub year: i32,
    pub month: i16,
    pub department_id: i32,
    pub procedure_id: i32,
    pub channel: String,
}

impl Key {
    /// The key of `dossier` as rated by `rating`; `None` while it is not completed.
    pub fn of(dossier: &dossier::Model, rating: Option<&dossier_rating::Model>) -> Option<Self> {
        let completed_at = dossier.completed_at?;
        let completed = vietnam_date(completed_at);
        Some(Self {
            slice: Slice {
                year: completed.year(),
                month: completed.month() as i16,
                department_id: dossier.department_id,
                procedure_id: dossier.procedure_id,
                channel: dossier.channel.code().to_owned(),
            },
            on_time: match dossier.due_at {
                None => NO_DUE_DATE,
                Some(due) if completed_at <= due => ON_TIME,
                Some(_) => LATE,
            },
            level: rating.map_or(0, |r| r.level),
            trips: rating.and_then(|r| r.trips).unwrap_or(0).min(TRIPS_MAX),
        })
    }
}

/// What the dossiers of a slice add up to. Signed, as a change adds to
/// one slice and takes from another.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub completed: i64,
    pub rated: i64,
    /// Ratings at levels 1, 2 and 3.
    pub levels: [i64; 3],
    pub with_due_date: i64,
    pub on_time: i64,
    pub trips_sum: i64,
    pub trips_reported: i64,
}

impl Counts {
    /// Adds `n` dossiers counted at `key`.
    pub fn add(&mut self, key: &Key, n: i64) {
        self.completed += n;
        if (1..=3).contains(&key.level) {
            self.rated += n;
            self.levels[(key.level - 1) as usize] += n;
        }
        match key.on_time {
            ON_TIME => {
                self.with_due_date += n;
                self.on_time += n;
            }
            LATE => self.with_due_date += n,
            _ => {}
        }
        if key.trips > 0 {
            self.trips_reported += n;
            self.trips_sum += n * i64::from(key.trips);
        }
    }

    /// Adds the counts of another slice.
    pub fn merge(&mut self, other: &Counts) {
        self.completed += other.completed;
        self.rated += other.rated;
        for (mine, theirs) in self.levels.iter_mut().zip(other.levels) {
            *mine += theirs;
        }
        self.with_due_date += other.with_due_date;
        self.on_time += other.on_time;
        self.trips_sum += other.trips_sum;
        self.trips_reported += other.trips_reported;
    }

    fn of_row(row: &dossier_count::Model) -> Self {
        Self {
            completed: row.completed,
            rated: row.rated,
            levels: [row.level_1, row.level_2, row.level_3],
            with_due_date: row.with_due_date,
            on_time: row.on_time,
            trips_sum: row.trips_sum,
            trips_reported: row.trips_reported,
        }
    }
}

impl Slice {
    fn of_row(row: &dossier_count::Model) -> Self {
        Self {
            year: row.year,
            month: row.month,
            department_id: row.department_id,
            procedure_id: row.procedure_id,
            channel: row.channel.clone(),
        }
    }

    fn row(&self, counts: &Counts) -> dossier_count::ActiveModel {
        dossier_count::ActiveModel {
            year: Set(self.year),
            month: Set(self.month),
            department_id: Set(self.department_id),
            procedure_id: Set(self.procedure_id),
            channel: Set(self.channel.clone()),
            completed: Set(counts.completed),
            rated: Set(counts.rated),
            level_1: Set(counts.levels[0]),
            level_2: Set(counts.levels[1]),
            level_3: Set(counts.levels[2]),
            with_due_date: Set(counts.with_due_date),
            on_time: Set(counts.on_time),
            trips_reported: Set(counts.trips_reported),
            trips_sum: Set(counts.trips_sum),
        }
    }
}

/// Where a reason ticked in a rating counts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReasonKey {
    pub year: i32,
    pub month: i16,
    pub reason: String,
}

/// How often a reason was ticked, and how often with "not satisfied".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReasonCounts {
    pub ticked: i64,
    pub unsatisfied: i64,
}

impl ReasonCounts {
    /// One reason ticked in a rating at `level`.
    fn of_rating(level: i16) -> Self {
        Self {
            ticked: 1,
            unsatisfied: i64::from(level == RatingLevel::Unsatisfied.value()),
        }
    }

    fn of_row(row: &dossier_reason_count::Model) -> Self {
        Self {
            ticked: row.count,
            unsatisfied: row.unsatisfied,
        }
    }
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
                year: key.slice.year,
                month: key.slice.month,
                reason: reason.code().to_owned(),
            })
            .collect()
    }

    fn of_row(row: &dossier_reason_count::Model) -> Self {
        Self {
            year: row.year,
            month: row.month,
            reason: row.reason.clone(),
        }
    }

    fn row(&self, counts: &ReasonCounts) -> dossier_reason_count::ActiveModel {
        dossier_reason_count::ActiveModel {
            year: Set(self.year),
            month: Set(self.month),
            reason: Set(self.reason.clone()),
            count: Set(counts.ticked),
            unsatisfied: Set(counts.unsatisfied),
        }
    }
}

/// Slices upserted per statement (fourteen parameters each, well under the
/// bound SQLite puts on one statement).
const UPSERT_CHUNK: usize = 500;

/// Adds `changes` (dossiers entering or leaving a key) to the tallies in
/// the caller's transaction, a chunk of slices per statement, in slice
/// order so that concurrent PostgreSQL transactions lock rows in the same
/// order. The slices of a map are distinct, so no statement touches one
/// row twice.
pub async fn add(txn: &impl ConnectionTrait, changes: &BTreeMap<Key, i64>) -> Result<(), DbErr> {
    use dossier_count::Column;
    let mut by_slice: BTreeMap<&Slice, Counts> = BTreeMap::new();
    for (key, delta) in changes {
        by_slice.entry(&key.slice).or_default().add(key, *delta);
    }
    let rows: Vec<_> = by_slice
        .into_iter()
        .filter(|(_, counts)| *counts != Counts::default())
        .map(|(slice, counts)| slice.row(&counts))
        .collect();
    let summed = [
        Column::Completed,
        Column::Rated,
        Column::Level1,
        Column::Level2,
        Column::Level3,
        Column::WithDueDate,
        Column::OnTime,
        Column::TripsReported,
        Column::TripsSum,
    ];
    for chunk in rows.chunks(UPSERT_CHUNK) {
        let mut on_conflict = OnConflict::columns([
            Column::Year,
            Column::Month,
            Column::DepartmentId,
            Column::ProcedureId,
            Column::Channel,
        ]);
        for column in summed {
            let name = sea_orm::IdenStatic::as_str(&column);
            on_conflict.value(
                column,
                Expr::cust(format!("dossier_counts.{name} + excluded.{name}")),
            );
        }
        dossier_count::Entity::insert_many(chunk.to_vec())
            .on_conflict(on_conflict.to_owned())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Adds the reasons of a new rating at `level`, in the caller's
/// transaction, in one statement.
pub async fn add_reasons(
    txn: &impl ConnectionTrait,
    keys: &[ReasonKey],
    level: i16,
) -> Result<(), DbErr> {
    use dossier_reason_count::Column;
    let distinct: BTreeSet<&ReasonKey> = keys.iter().collect();
    if distinct.is_empty() {
        return Ok(());
    }
    let counts = ReasonCounts::of_rating(level);
    let rows = distinct.into_iter().map(|key| key.row(&counts));
    dossier_reason_count::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([Column::Year, Column::Month, Column::Reason])
                .value(
                    Column::Count,
                    Expr::cust("dossier_reason_counts.count + excluded.count"),
                )
                .value(
                    Column::Unsatisfied,
                    Expr::cust("dossier_reason_counts.unsatisfied + excluded.unsatisfied"),
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
) -> Result<(Vec<(Slice, Counts)>, Vec<(ReasonKey, ReasonCounts)>), DbErr> {
    let mut slices = dossier_count::Entity::find()
        .filter(dossier_count::Column::Year.eq(year))
        .filter(dossier_count::Column::Completed.gt(0));
    let mut reasons = dossier_reason_count::Entity::find()
        .filter(dossier_reason_count::Column::Year.eq(year))
        .filter(dossier_reason_count::Column::Count.gt(0));
    if let Some(month) = month {
        slices = slices.filter(dossier_count::Column::Month.eq(month as i16));
        reasons = reasons.filter(dossier_reason_count::Column::Month.eq(month as i16));
    }
    let slices = slices
        .all(db)
        .await?
        .iter()
        .map(|row| (Slice::of_row(row), Counts::of_row(row)))
        .collect();
    let reasons = reasons
        .all(db)
        .await?
        .iter()
        .map(|row| (ReasonKey::of_row(row), ReasonCounts::of_row(row)))
        .collect();
    Ok((slices, reasons))
}

/// The months of half-year `half` (1: January–June, 2: July–December).
pub fn months_of_half(half: i16) -> RangeInclusive<i16> {
    if half == 1 { 1..=6 } else { 7..=12 }
}

/// The dossiers completed in half-year `half` of `year` (Vietnam time), by
/// department: a few rows of the tallies, however many dossiers.
pub async fn completed_by_department(
    db: &impl ConnectionTrait,
    year: i32,
    half: i16,
) -> Result<BTreeMap<i32, u64>, DbErr> {
    let months = months_of_half(half);
    let rows: Vec<(i32, i64)> = dossier_count::Entity::find()
        .select_only()
        .column(dossier_count::Column::DepartmentId)
        .column_as(Expr::cust("CAST(SUM(completed) AS BIGINT)"), "n")
        .filter(dossier_count::Column::Year.eq(year))
        .filter(dossier_count::Column::Month.between(*months.start(), *months.end()))
        .group_by(dossier_count::Column::DepartmentId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(department_id, n)| (department_id, n as u64))
        .collect())
}

/// The years with completed dossiers, newest first.
pub async fn years(db: &impl ConnectionTrait) -> Result<Vec<i32>, DbErr> {
    dossier_count::Entity::find()
        .select_only()
        .column(dossier_count::Column::Year)
        .filter(dossier_count::Column::Completed.gt(0))
        .distinct()
        .order_by_desc(dossier_count::Column::Year)
        .into_tuple()
        .all(db)
        .await
}

/// Dossiers read per step of the recount, so that memory stays bounded.
const RECOUNT_PAGE: u64 = 10_000;

/// The tallies counted again from the dossiers and ratings, by the same
/// rule as every change adds to them.
async fn recount(
    db: &impl ConnectionTrait,
) -> Result<(BTreeMap<Slice, Counts>, BTreeMap<ReasonKey, ReasonCounts>), DbErr> {
    let mut counted: BTreeMap<Slice, Counts> = BTreeMap::new();
    let mut reasons: BTreeMap<ReasonKey, ReasonCounts> = BTreeMap::new();
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
                counted.entry(key.slice.clone()).or_default().add(&key, 1);
            }
            let Some(rating) = rating else {
                continue;
            };
            let one = ReasonCounts::of_rating(rating.level);
            for key in ReasonKey::of(dossier, rating) {
                let counts = reasons.entry(key).or_default();
                counts.ticked += one.ticked;
                counts.unsatisfied += one.unsatisfied;
            }
        }
    }
    Ok((counted, reasons))
}

async fn stored(
    db: &impl ConnectionTrait,
) -> Result<(BTreeMap<Slice, Counts>, BTreeMap<ReasonKey, ReasonCounts>), DbErr> {
    let slices = dossier_count::Entity::find()
        .all(db)
        .await?
        .iter()
        .map(|row| (Slice::of_row(row), Counts::of_row(row)))
        .filter(|(_, counts)| *counts != Counts::default())
        .collect();
    let reasons = dossier_reason_count::Entity::find()
        .all(db)
        .await?
        .iter()
        .map(|row| (ReasonKey::of_row(row), ReasonCounts::of_row(row)))
        .filter(|(_, counts)| *counts != ReasonCounts::default())
        .collect();
    Ok((slices, reasons))
}

fn differences<K: Ord + std::fmt::Debug, V: Default + PartialEq + std::fmt::Debug>(
    stored: &BTreeMap<K, V>,
    counted: &BTreeMap<K, V>,
    what: &str,
) -> Vec<String> {
    let keys: BTreeSet<&K> = counted.keys().chain(stored.keys()).collect();
    keys.into_iter()
        .filter_map(|key| {
            let none = V::default();
            let c = counted.get(key).unwrap_or(&none);
            let s = stored.get(key).unwrap_or(&none);
            (c != s).then(|| format!("{what} {key:?}: stored {s:?}, counted {c:?}"))
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
    for table in ["dossier_counts", "dossier_reason_counts"] {
        txn.execute_raw(Statement::from_string(
            backend,
            format!("DELETE FROM {table}"),
        ))
        .await?;
    }
    let rows: Vec<_> = counted
        .iter()
        .map(|(slice, counts)| slice.row(counts))
        .collect();
    for chunk in rows.chunks(UPSERT_CHUNK) {
        dossier_count::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    let rows: Vec<_> = reasons.iter().map(|(key, n)| key.row(n)).collect();
    for chunk in rows.chunks(1000) {
        dossier_reason_count::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

//! Feedback tallies: how many items fall in each combination of half-year
//! received (Vietnam time), department, category, classification,
//! answered, answered on time and the sender's rating. Every change to an
//! item moves it from its old combination to its new one in the change's
//! own transaction ([`shift`]), so the dashboard's feedback panel reads a
//! bounded number of rows however many items there are; beside them, the
//! count of each department's items whatever their age, for the queue's
//! number of pages (one row per department). `hailong
//! verify-tallies` recounts them from the items ([`verify`]) and
//! `--rebuild` rewrites them ([`rebuild`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set, Statement,
};

use crate::AppError;
use crate::entities::{feedback_count, feedback_item, feedback_tally};
use crate::working_days::vietnam_date;

/// Where an item counts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    pub year: i32,
    pub half: i16,
    /// 0: not assigned.
    pub department_id: i32,
    /// "": not set.
    pub category: String,
    /// "": not classified.
    pub classification: String,
    pub answered: bool,
    pub on_time: bool,
    /// 0: not rated.
    pub rating: i16,
}

impl Key {
    pub(crate) fn of(item: &feedback_item::Model) -> Self {
        Self::of_columns(&KeyColumns {
            received_at: item.received_at,
            department_id: item.department_id,
            category: item.category,
            classification: item.classification,
            answered_at: item.answered_at,
            answer_due_on: item.answer_due_on,
            handling_rating: item.handling_rating,
        })
    }

    fn of_columns(item: &KeyColumns) -> Self {
        let received = vietnam_date(item.received_at);
        Self {
            year: received.year(),
            half: if received.month() <= 6 { 1 } else { 2 },
            department_id: item.department_id.unwrap_or(0),
            category: item
                .category
                .map_or_else(String::new, |c| c.code().to_owned()),
            classification: item
                .classification
                .map_or_else(String::new, |c| c.code().to_owned()),
            answered: item.answered_at.is_some(),
            on_time: item
                .answered_at
                .zip(item.answer_due_on)
                .is_some_and(|(at, due)| vietnam_date(at) <= due),
            rating: item.handling_rating.unwrap_or(0),
        }
    }

    fn of_row(row: &feedback_tally::Model) -> Self {
        Self {
            year: row.year,
            half: row.half,
            department_id: row.department_id,
            category: row.category.clone(),
            classification: row.classification.clone(),
            answered: row.answered != 0,
            on_time: row.on_time != 0,
            rating: row.rating,
        }
    }

    fn row(&self, count: i64) -> feedback_tally::ActiveModel {
        feedback_tally::ActiveModel {
            year: Set(self.year),
            half: Set(self.half),
            department_id: Set(self.department_id),
            category: Set(self.category.clone()),
            classification: Set(self.classification.clone()),
            answered: Set(i16::from(self.answered)),
            on_time: Set(i16::from(self.on_time)),
            rating: Set(self.rating),
            count: Set(count),
        }
    }
}

/// Moves one item in the tallies from where `before` counted it to where
/// `after` counts it (`None`: not stored), in the caller's transaction.
/// Rows are written in key order, so that concurrent PostgreSQL
/// transactions lock them in the same order.
pub(crate) async fn shift(
    txn: &impl ConnectionTrait,
    before: Option<&feedback_item::Model>,
    after: Option<&feedback_item::Model>,
) -> Result<(), DbErr> {
    let from = before.map(Key::of);
    let to = after.map(Key::of);
    if from == to {
        return Ok(());
    }
    let from_department = from.as_ref().map(|key| key.department_id);
    let to_department = to.as_ref().map(|key| key.department_id);
    for (key, delta) in moves(from, to) {
        add(txn, &key, delta).await?;
    }
    // Then the count of each department (after the tallies: the same lock
    // order in every transaction).
    if from_department != to_department {
        for (department_id, delta) in moves(from_department, to_department) {
            add_to_department(txn, department_id, delta).await?;
        }
    }
    Ok(())
}

/// −1 where an item counted (`from`), +1 where it counts (`to`), in key order.
fn moves<K: Ord>(from: Option<K>, to: Option<K>) -> Vec<(K, i64)> {
    let mut moves: Vec<(K, i64)> = from
        .map(|key| (key, -1))
        .into_iter()
        .chain(to.map(|key| (key, 1)))
        .collect();
    moves.sort();
    moves
}

async fn add_to_department(
    txn: &impl ConnectionTrait,
    department_id: i32,
    delta: i64,
) -> Result<(), DbErr> {
    feedback_count::Entity::insert(feedback_count::ActiveModel {
        department_id: Set(department_id),
        count: Set(delta),
    })
    .on_conflict(
        OnConflict::column(feedback_count::Column::DepartmentId)
            .value(
                feedback_count::Column::Count,
                Expr::cust("feedback_counts.count + excluded.count"),
            )
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

async fn add(txn: &impl ConnectionTrait, key: &Key, delta: i64) -> Result<(), DbErr> {
    use feedback_tally::Column;
    feedback_tally::Entity::insert(key.row(delta))
        .on_conflict(
            OnConflict::columns([
                Column::Year,
                Column::Half,
                Column::DepartmentId,
                Column::Category,
                Column::Classification,
                Column::Answered,
                Column::OnTime,
                Column::Rating,
            ])
            .value(
                Column::Count,
                Expr::cust("feedback_tallies.count + excluded.count"),
            )
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// The stored tallies of one half-year, of one department or all.
pub(crate) async fn of_half_year(
    db: &impl ConnectionTrait,
    year: i32,
    half: i16,
    department_id: Option<i32>,
) -> Result<Vec<(Key, u64)>, DbErr> {
    let mut query = feedback_tally::Entity::find()
        .filter(feedback_tally::Column::Year.eq(year))
        .filter(feedback_tally::Column::Half.eq(half))
        .filter(feedback_tally::Column::Count.gt(0));
    if let Some(id) = department_id {
        query = query.filter(feedback_tally::Column::DepartmentId.eq(id));
    }
    Ok(query
        .all(db)
        .await?
        .iter()
        .map(|row| (Key::of_row(row), u64::try_from(row.count).unwrap_or(0)))
        .collect())
}

/// How many items the departments `departments` hold (0: not assigned),
/// or all, from the count of each department.
pub(crate) async fn count(
    db: &impl ConnectionTrait,
    departments: Option<Vec<i32>>,
) -> Result<u64, DbErr> {
    let mut query = feedback_count::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(count), 0) AS BIGINT)"), "n");
    if let Some(ids) = departments {
        query = query.filter(feedback_count::Column::DepartmentId.is_in(ids));
    }
    let n: Option<i64> = query.into_tuple().one(db).await?;
    Ok(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

/// The count of each department, summed from the tallies recounted from the items.
fn per_department(tallies: &BTreeMap<Key, i64>) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for (key, count) in tallies {
        *out.entry(key.department_id).or_insert(0) += count;
    }
    out.retain(|_, count| *count != 0);
    out
}

async fn stored_per_department(db: &impl ConnectionTrait) -> Result<BTreeMap<i32, i64>, DbErr> {
    Ok(feedback_count::Entity::find()
        .filter(feedback_count::Column::Count.ne(0))
        .all(db)
        .await?
        .iter()
        .map(|row| (row.department_id, row.count))
        .collect())
}

/// The columns of an item the key needs, for the recount.
#[derive(Debug, sea_orm::FromQueryResult)]
struct KeyColumns {
    received_at: chrono::DateTime<chrono::Utc>,
    department_id: Option<i32>,
    category: Option<crate::model::FeedbackCategory>,
    classification: Option<crate::model::Classification>,
    answered_at: Option<chrono::DateTime<chrono::Utc>>,
    answer_due_on: Option<chrono::NaiveDate>,
    handling_rating: Option<i16>,
}

/// The tallies counted again from the items, by the same rule as [`shift`].
async fn recount(db: &impl ConnectionTrait) -> Result<BTreeMap<Key, i64>, DbErr> {
    use feedback_item::Column;
    let rows = feedback_item::Entity::find()
        .select_only()
        .columns([
            Column::ReceivedAt,
            Column::DepartmentId,
            Column::Category,
            Column::Classification,
            Column::AnsweredAt,
            Column::AnswerDueOn,
            Column::HandlingRating,
        ])
        .into_model::<KeyColumns>()
        .all(db)
        .await?;
    let mut counted = BTreeMap::new();
    for row in &rows {
        *counted.entry(Key::of_columns(row)).or_insert(0) += 1;
    }
    Ok(counted)
}

async fn stored(db: &impl ConnectionTrait) -> Result<BTreeMap<Key, i64>, DbErr> {
    Ok(feedback_tally::Entity::find()
        .filter(feedback_tally::Column::Count.ne(0))
        .all(db)
        .await?
        .iter()
        .map(|row| (Key::of_row(row), row.count))
        .collect())
}

/// The number of tallies counted from the items, and one line per
/// difference from the stored ones.
pub async fn verify(db: &impl ConnectionTrait) -> Result<(usize, Vec<String>), AppError> {
    let counted = recount(db).await?;
    let stored = stored(db).await?;
    let keys: BTreeSet<&Key> = counted.keys().chain(stored.keys()).collect();
    let mut found = keys
        .into_iter()
        .filter_map(|key| {
            let c = counted.get(key).copied().unwrap_or(0);
            let s = stored.get(key).copied().unwrap_or(0);
            (c != s).then(|| {
                format!(
                    "feedback {}/{} department {} category {:?} classification {:?} answered {} on time {} rating {}: stored {s}, counted {c}",
                    key.year,
                    key.half,
                    key.department_id,
                    key.category,
                    key.classification,
                    key.answered,
                    key.on_time,
                    key.rating
                )
            })
        })
        .collect::<Vec<_>>();
    let counted_departments = per_department(&counted);
    found.extend(crate::services::tallies::differences(
        &stored_per_department(db).await?,
        &counted_departments,
        "feedback items of department",
    ));
    Ok((counted.len() + counted_departments.len(), found))
}

/// Replaces the stored tallies by the recount, inside the caller's transaction.
pub async fn rebuild(txn: &impl ConnectionTrait) -> Result<(), AppError> {
    let counted = recount(txn).await?;
    let backend = txn.get_database_backend();
    for table in ["feedback_tallies", "feedback_counts"] {
        txn.execute_raw(Statement::from_string(
            backend,
            format!("DELETE FROM {table}"),
        ))
        .await?;
    }
    let rows: Vec<feedback_tally::ActiveModel> =
        counted.iter().map(|(key, count)| key.row(*count)).collect();
    for chunk in rows.chunks(1000) {
        feedback_tally::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    let departments: Vec<feedback_count::ActiveModel> = per_department(&counted)
        .into_iter()
        .map(|(department_id, count)| feedback_count::ActiveModel {
            department_id: Set(department_id),
            count: Set(count),
        })
        .collect();
    if !departments.is_empty() {
        feedback_count::Entity::insert_many(departments)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

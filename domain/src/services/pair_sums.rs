//! The sums behind the driver analysis (docs/methodology.md, "Drivers of
//! overall satisfaction"), kept like the tallies: added in each response's
//! transaction ([`PairDeltas`]), checked against a recount from the raw answers
//! ([`verify`]) and rebuilt from them ([`rebuild`]).
//!
//! For every pair of a round's index criteria (lower criterion id first)
//! and for each index criterion with the overall question, one row holds
//! n, Σx, Σy, Σx², Σy², Σxy over the responses that answer both validly
//! (1–5); a second table counts the responses that answer the overall
//! question and every index criterion validly. A fixed number of rows per
//! round, so reading the drivers costs the same at 1k and at 1M responses.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryResult, Set, Statement};

use crate::AppError;
use crate::analysis::PairSums;
use crate::entities::{complete_response, pair_sum};
use crate::model::ElementKind;
use crate::services::instruments::LoadedInstrument;

/// The criteria an instrument's driver analysis reads: the index criteria
/// (predictors, by ascending id) and the outcome, the first criterion of
/// the first overall element. Without an overall question there are no
/// drivers, and nothing is summed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DriverCriteria {
    pub predictors: Vec<i32>,
    pub outcome: Option<i32>,
}

impl DriverCriteria {
    pub fn of(instrument: &LoadedInstrument) -> Self {
        let outcome = instrument
            .elements
            .iter()
            .find(|e| e.kind == ElementKind::Overall)
            .and_then(|e| e.criteria.first())
            .map(|c| c.id);
        let mut predictors: Vec<i32> = match outcome {
            Some(_) => instrument
                .elements
                .iter()
                .filter(|e| e.kind == ElementKind::Index)
                .flat_map(|e| e.criteria.iter().map(|c| c.id))
                .collect(),
            None => Vec::new(),
        };
        predictors.sort_unstable();
        Self {
            predictors,
            outcome,
        }
    }

    /// The rows one response adds to, in key order (x, y), with its two
    /// answers; and whether it answers every driver criterion validly.
    pub fn pairs_of(&self, answers: &[(i32, Option<i16>)]) -> (Vec<(i32, i32, u8, u8)>, bool) {
        let Some(outcome) = self.outcome else {
            return (Vec::new(), false);
        };
        let valid: HashMap<i32, u8> = answers
            .iter()
            .filter_map(|(criterion, value)| match value {
                Some(v @ 1..=5) => Some((*criterion, *v as u8)),
                _ => None,
            })
            .collect();
        let mut pairs = Vec::new();
        for (i, x) in self.predictors.iter().enumerate() {
            let Some(&vx) = valid.get(x) else { continue };
            for y in &self.predictors[i + 1..] {
                if let Some(&vy) = valid.get(y) {
                    pairs.push((*x, *y, vx, vy));
                }
            }
            if let Some(&vo) = valid.get(&outcome) {
                pairs.push((*x, outcome, vx, vo));
            }
        }
        pairs.sort_unstable();
        let complete = !self.predictors.is_empty()
            && valid.contains_key(&outcome)
            && self.predictors.iter().all(|p| valid.contains_key(p));
        (pairs, complete)
    }
}

/// What one or more responses change in a round's pair sums, summed in
/// memory and written once ([`PairDeltas::write`]): a batch of responses
/// stored in one transaction then updates each row once. (PostgreSQL
/// keeps every version of a row updated again in the same transaction, so
/// updating the same 153 rows once per response made a 200-response chunk
/// slower with each response.)
#[derive(Clone, Debug)]
pub struct PairDeltas {
    round_id: i32,
    drivers: DriverCriteria,
    /// (x, y) → [n, Σx, Σy, Σx², Σy², Σxy]
    sums: BTreeMap<(i32, i32), [i64; 6]>,
    complete: i64,
}

impl PairDeltas {
    pub fn new(round_id: i32, drivers: DriverCriteria) -> Self {
        Self {
            round_id,
            drivers,
            sums: BTreeMap::new(),
            complete: 0,
        }
    }

    /// Adds `delta` (1 for a new response, −1 for one taken out) of one
    /// response's answers.
    pub fn add(&mut self, answers: &[(i32, Option<i16>)], delta: i64) {
        let (pairs, complete) = self.drivers.pairs_of(answers);
        for (x, y, vx, vy) in pairs {
            let (vx, vy) = (i64::from(vx), i64::from(vy));
            let sums = self.sums.entry((x, y)).or_default();
            for (sum, value) in sums.iter_mut().zip([1, vx, vy, vx * vx, vy * vy, vx * vy]) {
                *sum += delta * value;
            }
        }
        if complete {
            self.complete += delta;
        }
    }

    /// Writes what was added since the last write, in key order so that
    /// concurrent PostgreSQL transactions lock the rows in the same order.
    pub async fn write(&mut self, txn: &impl ConnectionTrait) -> Result<(), DbErr> {
        let sums = std::mem::take(&mut self.sums);
        let complete = std::mem::take(&mut self.complete);
        let round_id = self.round_id;
        let rows: Vec<pair_sum::ActiveModel> = sums
            .into_iter()
            .filter(|(_, sums)| sums.iter().any(|s| *s != 0))
            .map(
                |((x, y), [n, sx, sy, sxx, syy, sxy])| pair_sum::ActiveModel {
                    round_id: Set(round_id),
                    x_criterion_id: Set(x),
                    y_criterion_id: Set(y),
                    n: Set(n),
                    sum_x: Set(sx),
                    sum_y: Set(sy),
                    sum_xx: Set(sxx),
                    sum_yy: Set(syy),
                    sum_xy: Set(sxy),
                },
            )
            .collect();
        if !rows.is_empty() {
            let mut on_conflict = OnConflict::columns([
                pair_sum::Column::RoundId,
                pair_sum::Column::XCriterionId,
                pair_sum::Column::YCriterionId,
            ]);
            for (column, name) in [
                (pair_sum::Column::N, "n"),
                (pair_sum::Column::SumX, "sum_x"),
                (pair_sum::Column::SumY, "sum_y"),
                (pair_sum::Column::SumXx, "sum_xx"),
                (pair_sum::Column::SumYy, "sum_yy"),
                (pair_sum::Column::SumXy, "sum_xy"),
            ] {
                on_conflict.value(
                    column,
                    Expr::cust(format!("pair_sums.{name} + excluded.{name}")),
                );
            }
            pair_sum::Entity::insert_many(rows)
                .on_conflict(on_conflict.to_owned())
                .exec_without_returning(txn)
                .await?;
        }
        if complete != 0 {
            complete_response::Entity::insert(complete_response::ActiveModel {
                round_id: Set(round_id),
                count: Set(complete),
            })
            .on_conflict(
                OnConflict::column(complete_response::Column::RoundId)
                    .value(
                        complete_response::Column::Count,
                        Expr::cust("complete_responses.count + excluded.count"),
                    )
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        }
        Ok(())
    }
}

/// A round's stored sums by (x, y), and its count of complete responses.
pub async fn of_round(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<(HashMap<(i32, i32), PairSums>, u64), AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let rows = pair_sum::Entity::find()
        .filter(pair_sum::Column::RoundId.eq(round_id))
        .all(db)
        .await?;
    let sums = rows
        .into_iter()
        .map(|r| {
            let whole = |v: i64| u64::try_from(v).unwrap_or(0);
            (
                (r.x_criterion_id, r.y_criterion_id),
                PairSums {
                    n: whole(r.n),
                    sum_x: whole(r.sum_x),
                    sum_y: whole(r.sum_y),
                    sum_xx: whole(r.sum_xx),
                    sum_yy: whole(r.sum_yy),
                    sum_xy: whole(r.sum_xy),
                },
            )
        })
        .collect();
    let complete = complete_response::Entity::find_by_id(round_id)
        .one(db)
        .await?
        .map_or(0, |c| u64::try_from(c.count).unwrap_or(0));
    Ok((sums, complete))
}

/// (round, x criterion, y criterion) → [n, Σx, Σy, Σx², Σy², Σxy]
type PairRows = BTreeMap<(i64, i64, i64), [i64; 6]>;

/// Responses recounted per query: bounds the memory of a recount of a
/// round of any size.
const RECOUNT_CHUNK: i64 = 5_000;

/// Every round's pair sums and count of complete responses recounted from
/// the raw answers, response by response, with the same rule as
/// [`PairDeltas::add`].
async fn recount(db: &impl ConnectionTrait) -> Result<(PairRows, BTreeMap<i64, i64>), AppError> {
    use sea_orm::EntityTrait;
    let mut drivers_of_round: HashMap<i64, DriverCriteria> = HashMap::new();
    for r in crate::entities::round::Entity::find().all(db).await? {
        let instrument = crate::services::instruments::load(db, r.instrument_id).await?;
        drivers_of_round.insert(r.id.into(), DriverCriteria::of(&instrument));
    }
    let bounds = query(
        db,
        "SELECT CAST(COALESCE(MIN(id), 0) AS BIGINT), CAST(COALESCE(MAX(id), -1) AS BIGINT) FROM responses",
    )
    .await?;
    let (low, high): (i64, i64) = match bounds.first() {
        Some(row) => (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
        None => (0, -1),
    };
    let mut pairs = PairRows::new();
    let mut complete = BTreeMap::new();
    let mut start = low;
    while start <= high {
        let end = start + RECOUNT_CHUNK - 1;
        let rows = query(
            db,
            &format!(
                "SELECT CAST(a.response_id AS BIGINT), CAST(r.round_id AS BIGINT), \
                    CAST(a.criterion_id AS BIGINT), CAST(a.value AS BIGINT) \
                 FROM answers a JOIN responses r ON r.id = a.response_id \
                 WHERE r.excluded = false AND a.response_id BETWEEN {start} AND {end} \
                 ORDER BY a.response_id"
            ),
        )
        .await?;
        let mut current: Option<(i64, i64)> = None;
        let mut answers: Vec<(i32, Option<i16>)> = Vec::new();
        let mut flush = |response: Option<(i64, i64)>, answers: &mut Vec<(i32, Option<i16>)>| {
            if let Some((_, round)) = response
                && let Some(drivers) = drivers_of_round.get(&round)
            {
                let (found, is_complete) = drivers.pairs_of(answers);
                for (x, y, vx, vy) in found {
                    let (vx, vy) = (i64::from(vx), i64::from(vy));
                    let sums = pairs.entry((round, x.into(), y.into())).or_default();
                    for (sum, add) in sums.iter_mut().zip([1, vx, vy, vx * vx, vy * vy, vx * vy]) {
                        *sum += add;
                    }
                }
                if is_complete {
                    *complete.entry(round).or_default() += 1;
                }
            }
            answers.clear();
        };
        for row in &rows {
            let response: i64 = row.try_get_by_index(0)?;
            let round: i64 = row.try_get_by_index(1)?;
            if current.map(|(id, _)| id) != Some(response) {
                flush(current, &mut answers);
                current = Some((response, round));
            }
            let criterion: i64 = row.try_get_by_index(2)?;
            let value: Option<i64> = row.try_get_by_index(3)?;
            answers.push((criterion as i32, value.map(|v| v as i16)));
        }
        flush(current, &mut answers);
        start = end + 1;
    }
    Ok((pairs, complete))
}

const STORED_PAIRS: &str = "SELECT CAST(round_id AS BIGINT), CAST(x_criterion_id AS BIGINT), \
        CAST(y_criterion_id AS BIGINT), n, sum_x, sum_y, sum_xx, sum_yy, sum_xy \
     FROM pair_sums WHERE n <> 0";

const STORED_COMPLETE: &str =
    "SELECT CAST(round_id AS BIGINT), count FROM complete_responses WHERE count <> 0";

async fn stored(db: &impl ConnectionTrait) -> Result<(PairRows, BTreeMap<i64, i64>), AppError> {
    let mut pairs = PairRows::new();
    for r in query(db, STORED_PAIRS).await? {
        let mut sums = [0; 6];
        for (i, sum) in sums.iter_mut().enumerate() {
            *sum = r.try_get_by_index(3 + i)?;
        }
        pairs.insert(
            (
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                r.try_get_by_index(2)?,
            ),
            sums,
        );
    }
    let mut complete = BTreeMap::new();
    for r in query(db, STORED_COMPLETE).await? {
        complete.insert(r.try_get_by_index(0)?, r.try_get_by_index(1)?);
    }
    Ok((pairs, complete))
}

async fn query(db: &impl ConnectionTrait, sql: &str) -> Result<Vec<QueryResult>, DbErr> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
}

/// What the recount found: the number of rows, and one line per difference.
pub async fn verify(db: &impl ConnectionTrait) -> Result<(usize, Vec<String>), AppError> {
    let (counted, counted_complete) = recount(db).await?;
    let (stored, stored_complete) = stored(db).await?;
    let mut found = Vec::new();
    for (key, sums) in &counted {
        let have = stored.get(key).copied().unwrap_or_default();
        if have != *sums {
            found.push(format!(
                "pair sums {key:?}: stored {have:?}, counted {sums:?}"
            ));
        }
    }
    for (key, have) in &stored {
        if !counted.contains_key(key) {
            found.push(format!("pair sums {key:?}: stored {have:?}, counted none"));
        }
    }
    for (round, count) in &counted_complete {
        let have = stored_complete.get(round).copied().unwrap_or(0);
        if have != *count {
            found.push(format!(
                "complete responses of round {round}: stored {have}, counted {count}"
            ));
        }
    }
    for (round, have) in &stored_complete {
        if !counted_complete.contains_key(round) {
            found.push(format!(
                "complete responses of round {round}: stored {have}, counted 0"
            ));
        }
    }
    Ok((counted.len(), found))
}

/// Replaces the stored sums by the recount, inside the caller's transaction.
pub async fn rebuild(txn: &impl ConnectionTrait) -> Result<(), AppError> {
    let (pairs, complete) = recount(txn).await?;
    let backend = txn.get_database_backend();
    for sql in ["DELETE FROM pair_sums", "DELETE FROM complete_responses"] {
        txn.execute_raw(Statement::from_string(backend, sql.to_owned()))
            .await?;
    }
    let rows: Vec<pair_sum::ActiveModel> = pairs
        .into_iter()
        .map(
            |((round, x, y), [n, sx, sy, sxx, syy, sxy])| pair_sum::ActiveModel {
                round_id: Set(round as i32),
                x_criterion_id: Set(x as i32),
                y_criterion_id: Set(y as i32),
                n: Set(n),
                sum_x: Set(sx),
                sum_y: Set(sy),
                sum_xx: Set(sxx),
                sum_yy: Set(syy),
                sum_xy: Set(sxy),
            },
        )
        .collect();
    for chunk in rows.chunks(1000) {
        pair_sum::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    for (round, count) in complete {
        complete_response::Entity::insert(complete_response::ActiveModel {
            round_id: Set(round as i32),
            count: Set(count),
        })
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drivers() -> DriverCriteria {
        DriverCriteria {
            predictors: vec![1, 2, 3],
            outcome: Some(9),
        }
    }

    #[test]
    fn a_response_adds_to_the_pairs_it_answers_validly() {
        // 2 is "not applicable": no pair with it.
        let (pairs, complete) =
            drivers().pairs_of(&[(3, Some(4)), (1, Some(5)), (2, None), (9, Some(4))]);
        assert_eq!(pairs, vec![(1, 3, 5, 4), (1, 9, 5, 4), (3, 9, 4, 4)]);
        assert!(!complete);
        let (pairs, complete) =
            drivers().pairs_of(&[(1, Some(5)), (2, Some(3)), (3, Some(4)), (9, Some(4))]);
        assert_eq!(pairs.len(), 3 + 3);
        assert!(complete);
    }

    #[test]
    fn without_an_overall_question_nothing_is_summed() {
        let none = DriverCriteria {
            predictors: vec![],
            outcome: None,
        };
        assert_eq!(none.pairs_of(&[(1, Some(5))]), (Vec::new(), false));
    }
}

//! Checking the tallies against the raw answers: one GROUP BY over answers
//! and responses must give exactly the stored tallies.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::ssr::AppError;

/// (round, criterion, department, procedure, respondent type, channel, submission method, level)
type TallyKey = (i64, i64, i64, i64, String, String, String, i64);

/// What the check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TallyCheck {
    pub answer_tallies: usize,
    pub response_tallies: usize,
    /// One line per difference, e.g. "round 3 criterion 12 … level 4: stored 10, counted 11".
    pub differences: Vec<String>,
}

impl TallyCheck {
    pub fn matches(&self) -> bool {
        self.differences.is_empty()
    }
}

pub const RECOUNT_ANSWERS: &str = "SELECT CAST(r.round_id AS BIGINT), CAST(a.criterion_id AS BIGINT), \
        CAST(COALESCE(r.department_id, 0) AS BIGINT), CAST(COALESCE(r.procedure_id, 0) AS BIGINT), \
        r.respondent_type, r.channel, COALESCE(r.submission_method, ''), \
        CAST(COALESCE(a.value, 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
     FROM answers a JOIN responses r ON r.id = a.response_id \
     WHERE r.excluded = false \
     GROUP BY r.round_id, a.criterion_id, COALESCE(r.department_id, 0), COALESCE(r.procedure_id, 0), \
              r.respondent_type, r.channel, COALESCE(r.submission_method, ''), COALESCE(a.value, 0)";

const STORED_ANSWERS: &str = "SELECT CAST(round_id AS BIGINT), CAST(criterion_id AS BIGINT), CAST(department_id AS BIGINT), \
        CAST(procedure_id AS BIGINT), respondent_type, channel, submission_method, CAST(level AS BIGINT), CAST(count AS BIGINT) \
     FROM tallies WHERE count <> 0";

pub const RECOUNT_RESPONSES: &str = "SELECT CAST(round_id AS BIGINT), CAST(COALESCE(department_id, 0) AS BIGINT), \
        CAST(COALESCE(procedure_id, 0) AS BIGINT), respondent_type, channel, COALESCE(submission_method, ''), CAST(COUNT(*) AS BIGINT) \
     FROM responses WHERE excluded = false \
     GROUP BY round_id, COALESCE(department_id, 0), COALESCE(procedure_id, 0), respondent_type, channel, COALESCE(submission_method, '')";

const STORED_RESPONSES: &str = "SELECT CAST(round_id AS BIGINT), CAST(department_id AS BIGINT), CAST(procedure_id AS BIGINT), \
        respondent_type, channel, submission_method, CAST(count AS BIGINT) \
     FROM response_tallies WHERE count <> 0";

async fn answer_rows(
    db: &DatabaseConnection,
    sql: &str,
) -> Result<BTreeMap<TallyKey, i64>, AppError> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                (
                    r.try_get_by_index(0)?,
                    r.try_get_by_index(1)?,
                    r.try_get_by_index(2)?,
                    r.try_get_by_index(3)?,
                    r.try_get_by_index(4)?,
                    r.try_get_by_index(5)?,
                    r.try_get_by_index(6)?,
                    r.try_get_by_index(7)?,
                ),
                r.try_get_by_index(8)?,
            ))
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

type ResponseKey = (i64, i64, i64, String, String, String);

async fn response_rows(
    db: &DatabaseConnection,
    sql: &str,
) -> Result<BTreeMap<ResponseKey, i64>, AppError> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                (
                    r.try_get_by_index(0)?,
                    r.try_get_by_index(1)?,
                    r.try_get_by_index(2)?,
                    r.try_get_by_index(3)?,
                    r.try_get_by_index(4)?,
                    r.try_get_by_index(5)?,
                ),
                r.try_get_by_index(6)?,
            ))
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

fn differences<K: Ord + std::fmt::Debug>(
    stored: &BTreeMap<K, i64>,
    counted: &BTreeMap<K, i64>,
    what: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for (key, count) in counted {
        let have = stored.get(key).copied().unwrap_or(0);
        if have != *count {
            out.push(format!("{what} {key:?}: stored {have}, counted {count}"));
        }
    }
    for (key, have) in stored {
        if !counted.contains_key(key) {
            out.push(format!("{what} {key:?}: stored {have}, counted 0"));
        }
    }
    out
}

/// Recounts every tally from the raw rows and lists each difference.
pub async fn verify(db: &DatabaseConnection) -> Result<TallyCheck, AppError> {
    // Four reads on as many pooled connections: the long recount of the
    // answers runs beside the others.
    let (counted_answers, stored_answers, counted_responses, stored_responses) = futures::try_join!(
        answer_rows(db, RECOUNT_ANSWERS),
        answer_rows(db, STORED_ANSWERS),
        response_rows(db, RECOUNT_RESPONSES),
        response_rows(db, STORED_RESPONSES),
    )?;
    let mut differences = differences(&stored_answers, &counted_answers, "answers");
    differences.extend(super::tallies::differences(
        &stored_responses,
        &counted_responses,
        "responses",
    ));
    Ok(TallyCheck {
        answer_tallies: counted_answers.len(),
        response_tallies: counted_responses.len(),
        differences,
    })
}

/// Recomputes every tally from the raw answers in one transaction: for bulk
/// loads that bypass the per-response path, and to repair tallies that
/// `verify` found wrong.
pub async fn rebuild(db: &DatabaseConnection) -> Result<(), AppError> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    let backend = db.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Postgres {
        // Submissions that arrive meanwhile wait for the rebuild, then add
        // themselves to the rebuilt counts. (On SQLite the first DELETE
        // takes the one write lock.)
        txn.execute_unprepared("LOCK TABLE tallies, response_tallies IN EXCLUSIVE MODE")
            .await?;
    }
    // The same grouping `verify` recounts with, so the two cannot drift apart.
    for sql in [
        "DELETE FROM tallies".to_owned(),
        "DELETE FROM response_tallies".to_owned(),
        format!(
            "INSERT INTO tallies (round_id, criterion_id, department_id, procedure_id, \
             respondent_type, channel, submission_method, level, count) {RECOUNT_ANSWERS}"
        ),
        format!(
            "INSERT INTO response_tallies (round_id, department_id, procedure_id, respondent_type, \
             channel, submission_method, count) {RECOUNT_RESPONSES}"
        ),
    ] {
        txn.execute_raw(Statement::from_string(backend, sql))
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

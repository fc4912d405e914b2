//! The counts dashboards read, kept in step with the raw answers: adding a
//! response's answers in its own transaction ([`add`]), and checking them
//! against a recount (one GROUP BY over answers and responses must give
//! exactly the stored tallies, and summing that recount along each
//! dimension must give the stored breakdown tallies; the pair sums of the
//! driver analysis are recounted too) or rebuilding them.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryResult,
    Set, Statement,
};

use crate::AppError;
use crate::entities::{breakdown_tally, response, response_tally, tally};
use crate::model::SubmissionMethod;
use crate::services::pair_sums::{self, PairDeltas};

/// The dimensions of the breakdown tallies and a response's value in each:
/// the whole round (value ''), department and procedure ids as text ('0' =
/// not given), respondent type, channel; then procedure, respondent type
/// and channel again within the response's department
/// ([`within_department`]), which the dashboard filtered by one department
/// reads. The one definition used to add, recount and rebuild them.
pub fn breakdown_values(
    department_id: i64,
    procedure_id: i64,
    respondent_type: &str,
    channel: &str,
) -> [(String, String); 8] {
    let procedure = procedure_id.to_string();
    [
        ("round".to_owned(), String::new()),
        ("department".to_owned(), department_id.to_string()),
        ("procedure".to_owned(), procedure.clone()),
        ("respondent_type".to_owned(), respondent_type.to_owned()),
        ("channel".to_owned(), channel.to_owned()),
        (within_department(department_id, "procedure"), procedure),
        (
            within_department(department_id, "respondent_type"),
            respondent_type.to_owned(),
        ),
        (
            within_department(department_id, "channel"),
            channel.to_owned(),
        ),
    ]
}

/// The breakdown dimension of `dimension` within one department, e.g.
/// `department:3/channel` ('0' = the responses without a department).
pub fn within_department(department_id: i64, dimension: &str) -> String {
    format!("department:{department_id}/{dimension}")
}

/// Adds `delta` (1 for a new response, −1 for an excluded one) to the tallies
/// of `response`'s answers and to the response count of its dimensions, and
/// to `pairs`, the pair sums of the driver analysis, which the caller writes
/// ([`PairDeltas::write`]) in the same transaction: once per batch. Rows are
/// written in key order so that concurrent PostgreSQL transactions lock
/// them in the same order and never deadlock.
#[tracing::instrument(skip_all)]
pub async fn add(
    txn: &impl ConnectionTrait,
    response: &response::Model,
    pairs: &mut PairDeltas,
    answers: &[(i32, Option<i16>)],
    delta: i64,
) -> Result<(), DbErr> {
    let key = TallyDimensions::of(response);
    let mut sorted: Vec<_> = answers.to_vec();
    sorted.sort_unstable();
    if !sorted.is_empty() {
        add_answers(txn, &key, &sorted, delta).await?;
        add_breakdowns(txn, &key, &sorted, delta).await?;
    }
    pairs.add(&sorted, delta);
    add_response(txn, &key, delta, 0).await?;
    // A response entering or leaving the figures with a flag waiting
    // moves the flagged count of its slice too.
    let open_flag = crate::entities::response_flag::Entity::find()
        .filter(crate::entities::response_flag::Column::ResponseId.eq(response.id))
        .filter(crate::entities::response_flag::Column::Status.eq(crate::model::FlagStatus::Open))
        .one(txn)
        .await?;
    if open_flag.is_some() {
        add_flagged(txn, response, delta).await?;
    }
    Ok(())
}

/// Adds `delta` to the flagged count of `response`'s slice (whose response
/// tally exists: the response is counted in it).
pub(crate) async fn add_flagged(
    txn: &impl ConnectionTrait,
    response: &response::Model,
    delta: i64,
) -> Result<(), DbErr> {
    add_response(txn, &TallyDimensions::of(response), 0, delta).await
}

/// A response's place in the tallies: its round and the codes of its
/// dimensions ("" or 0 for "not given").
struct TallyDimensions {
    round_id: i32,
    department_id: i32,
    procedure_id: i32,
    respondent_type: &'static str,
    channel: &'static str,
    submission_method: &'static str,
}

impl TallyDimensions {
    fn of(response: &response::Model) -> Self {
        Self {
            round_id: response.round_id,
            department_id: response.department_id.unwrap_or(0),
            procedure_id: response.procedure_id.unwrap_or(0),
            respondent_type: response.respondent_type.code(),
            channel: response.channel.code(),
            submission_method: response
                .submission_method
                .map_or("", SubmissionMethod::code),
        }
    }
}

/// The answer tallies: one row per criterion and level within the full
/// combination of dimensions.
async fn add_answers(
    txn: &impl ConnectionTrait,
    key: &TallyDimensions,
    sorted: &[(i32, Option<i16>)],
    delta: i64,
) -> Result<(), DbErr> {
    tally::Entity::insert_many(
        sorted
            .iter()
            .map(|(criterion_id, value)| tally::ActiveModel {
                round_id: Set(key.round_id),
                criterion_id: Set(*criterion_id),
                department_id: Set(key.department_id),
                procedure_id: Set(key.procedure_id),
                respondent_type: Set(key.respondent_type.to_owned()),
                channel: Set(key.channel.to_owned()),
                submission_method: Set(key.submission_method.to_owned()),
                level: Set(value.unwrap_or(0)),
                count: Set(delta),
            }),
    )
    .on_conflict(
        OnConflict::columns([
            tally::Column::RoundId,
            tally::Column::CriterionId,
            tally::Column::DepartmentId,
            tally::Column::ProcedureId,
            tally::Column::RespondentType,
            tally::Column::Channel,
            tally::Column::SubmissionMethod,
            tally::Column::Level,
        ])
        .value(
            tally::Column::Count,
            Expr::cust("tallies.count + excluded.count"),
        )
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// The same answers summed along each dimension, in key order (for the
/// same lock order as the answer tallies).
async fn add_breakdowns(
    txn: &impl ConnectionTrait,
    key: &TallyDimensions,
    sorted: &[(i32, Option<i16>)],
    delta: i64,
) -> Result<(), DbErr> {
    let mut breakdowns = Vec::new();
    for (dimension, value) in breakdown_values(
        key.department_id.into(),
        key.procedure_id.into(),
        key.respondent_type,
        key.channel,
    ) {
        for (criterion_id, level) in sorted {
            breakdowns.push((
                dimension.clone(),
                value.clone(),
                *criterion_id,
                level.unwrap_or(0),
            ));
        }
    }
    breakdowns.sort_unstable();
    breakdown_tally::Entity::insert_many(breakdowns.into_iter().map(
        |(dimension, value, criterion_id, level)| breakdown_tally::ActiveModel {
            round_id: Set(key.round_id),
            dimension: Set(dimension),
            value: Set(value),
            criterion_id: Set(criterion_id),
            level: Set(level),
            count: Set(delta),
        },
    ))
    .on_conflict(
        OnConflict::columns([
            breakdown_tally::Column::RoundId,
            breakdown_tally::Column::Dimension,
            breakdown_tally::Column::Value,
            breakdown_tally::Column::CriterionId,
            breakdown_tally::Column::Level,
        ])
        .value(
            breakdown_tally::Column::Count,
            Expr::cust("breakdown_tallies.count + excluded.count"),
        )
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Adds `delta` to the response count and `flagged` to the flagged count of
/// the combination of dimensions `key`.
async fn add_response(
    txn: &impl ConnectionTrait,
    key: &TallyDimensions,
    delta: i64,
    flagged: i64,
) -> Result<(), DbErr> {
    response_tally::Entity::insert(response_tally::ActiveModel {
        round_id: Set(key.round_id),
        department_id: Set(key.department_id),
        procedure_id: Set(key.procedure_id),
        respondent_type: Set(key.respondent_type.to_owned()),
        channel: Set(key.channel.to_owned()),
        submission_method: Set(key.submission_method.to_owned()),
        count: Set(delta),
        flagged: Set(flagged),
    })
    .on_conflict(
        OnConflict::columns([
            response_tally::Column::RoundId,
            response_tally::Column::DepartmentId,
            response_tally::Column::ProcedureId,
            response_tally::Column::RespondentType,
            response_tally::Column::Channel,
            response_tally::Column::SubmissionMethod,
        ])
        .value(
            response_tally::Column::Count,
            Expr::cust("response_tallies.count + excluded.count"),
        )
        .value(
            response_tally::Column::Flagged,
            Expr::cust("response_tallies.flagged + excluded.flagged"),
        )
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// (round, dimension, value, criterion, level)
type BreakdownKey = (i64, String, String, i64, i64);

/// The answer tallies summed along each dimension; zero sums left out.
fn breakdowns_of(answers: &BTreeMap<TallyKey, i64>) -> BTreeMap<BreakdownKey, i64> {
    let mut out: BTreeMap<BreakdownKey, i64> = BTreeMap::new();
    for ((round, criterion, department, procedure, respondent_type, channel, _, level), count) in
        answers
    {
        for (dimension, value) in
            breakdown_values(*department, *procedure, respondent_type, channel)
        {
            *out.entry((*round, dimension, value, *criterion, *level))
                .or_default() += count;
        }
    }
    out.retain(|_, count| *count != 0);
    out
}

const STORED_BREAKDOWNS: &str = "SELECT CAST(round_id AS BIGINT), dimension, value, CAST(criterion_id AS BIGINT), \
        CAST(level AS BIGINT), CAST(count AS BIGINT) \
     FROM breakdown_tallies WHERE count <> 0";

async fn breakdown_rows(db: &DatabaseConnection) -> Result<BTreeMap<BreakdownKey, i64>, AppError> {
    keyed_counts(db, STORED_BREAKDOWNS, 5, |r| {
        Ok((
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
            r.try_get_by_index(3)?,
            r.try_get_by_index(4)?,
        ))
    })
    .await
}

/// Runs `sql` and keeps each row's count (column `count_column`) under the
/// key that `key` reads from the other columns.
async fn keyed_counts<K: Ord>(
    db: &impl ConnectionTrait,
    sql: &str,
    count_column: usize,
    key: impl Fn(&QueryResult) -> Result<K, sea_orm::DbErr>,
) -> Result<BTreeMap<K, i64>, AppError> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((key(r)?, r.try_get_by_index(count_column)?)))
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// (round, criterion, department, procedure, respondent type, channel, submission method, level)
type TallyKey = (i64, i64, i64, i64, String, String, String, i64);

/// What the check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TallyCheck {
    pub answer_tallies: usize,
    pub response_tallies: usize,
    pub breakdown_tallies: usize,
    /// Rows of sums of the driver analysis.
    pub pair_sums: usize,
    /// Rows of the feedback tallies.
    pub feedback_tallies: usize,
    /// Rows of the dossier and reason tallies.
    pub dossier_tallies: usize,
    /// Rows of the flag tallies.
    pub flag_tallies: usize,
    /// One line per difference, e.g. "round 3 criterion 12 … level 4: stored 10, counted 11".
    pub differences: Vec<String>,
}

impl TallyCheck {
    pub fn matches(&self) -> bool {
        self.differences.is_empty()
    }
}

/// The answer tallies recounted from the raw answers, of every response or
/// of those whose id lies in `ids` (for splitting the recount).
pub fn recount_answers(ids: Option<(i64, i64)>) -> String {
    let range = ids.map_or(String::new(), |(low, high)| {
        format!(" AND a.response_id BETWEEN {low} AND {high}")
    });
    format!(
        "SELECT CAST(r.round_id AS BIGINT), CAST(a.criterion_id AS BIGINT), \
            CAST(COALESCE(r.department_id, 0) AS BIGINT), CAST(COALESCE(r.procedure_id, 0) AS BIGINT), \
            r.respondent_type, r.channel, COALESCE(r.submission_method, ''), \
            CAST(COALESCE(a.value, 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM answers a JOIN responses r ON r.id = a.response_id \
         WHERE r.excluded = false{range} \
         GROUP BY r.round_id, a.criterion_id, COALESCE(r.department_id, 0), COALESCE(r.procedure_id, 0), \
                  r.respondent_type, r.channel, COALESCE(r.submission_method, ''), COALESCE(a.value, 0)"
    )
}

const STORED_ANSWERS: &str = "SELECT CAST(round_id AS BIGINT), CAST(criterion_id AS BIGINT), CAST(department_id AS BIGINT), \
        CAST(procedure_id AS BIGINT), respondent_type, channel, submission_method, CAST(level AS BIGINT), CAST(count AS BIGINT) \
     FROM tallies WHERE count <> 0";

pub const RECOUNT_RESPONSES: &str = "SELECT CAST(round_id AS BIGINT), CAST(COALESCE(department_id, 0) AS BIGINT), \
        CAST(COALESCE(procedure_id, 0) AS BIGINT), respondent_type, channel, COALESCE(submission_method, ''), CAST(COUNT(*) AS BIGINT) \
     FROM responses WHERE excluded = false \
     GROUP BY round_id, COALESCE(department_id, 0), COALESCE(procedure_id, 0), respondent_type, channel, COALESCE(submission_method, '')";

/// The responses counted in the figures with a flag waiting, grouped as
/// the response tallies are (read from the open flags: the cost follows
/// the flags, not the responses).
const RECOUNT_FLAGGED: &str = "SELECT CAST(r.round_id AS BIGINT), CAST(COALESCE(r.department_id, 0) AS BIGINT), \
        CAST(COALESCE(r.procedure_id, 0) AS BIGINT), r.respondent_type, r.channel, COALESCE(r.submission_method, ''), \
        CAST(COUNT(DISTINCT r.id) AS BIGINT) \
     FROM response_flags f JOIN responses r ON r.id = f.response_id \
     WHERE f.status = 'open' AND r.excluded = false \
     GROUP BY r.round_id, COALESCE(r.department_id, 0), COALESCE(r.procedure_id, 0), r.respondent_type, r.channel, \
       COALESCE(r.submission_method, '')";

const STORED_FLAGGED: &str = "SELECT CAST(round_id AS BIGINT), CAST(department_id AS BIGINT), CAST(procedure_id AS BIGINT), \
        respondent_type, channel, submission_method, CAST(flagged AS BIGINT) \
     FROM response_tallies WHERE flagged <> 0";

const STORED_RESPONSES: &str = "SELECT CAST(round_id AS BIGINT), CAST(department_id AS BIGINT), CAST(procedure_id AS BIGINT), \
        respondent_type, channel, submission_method, CAST(count AS BIGINT) \
     FROM response_tallies WHERE count <> 0";

/// The answer recount split by response id into one part per core, run
/// side by side on pooled connections and summed: SQLite answers one query
/// on one core.
async fn recount_answers_in_parts(
    db: &DatabaseConnection,
) -> Result<BTreeMap<TallyKey, i64>, AppError> {
    let bounds = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT CAST(COALESCE(MIN(id), 0) AS BIGINT), CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM responses"
                .to_owned(),
        ))
        .await?;
    let (low, high): (i64, i64) = match bounds {
        Some(row) => (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
        None => (0, 0),
    };
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get()) as i64;
    let width = (high - low) / parts + 1;
    let queries: Vec<String> = (0..parts)
        .map(|i| {
            let start = low + i * width;
            recount_answers(Some((start, start + width - 1)))
        })
        .collect();
    let counted =
        futures::future::try_join_all(queries.iter().map(|sql| answer_rows(db, sql))).await?;
    let mut total = BTreeMap::new();
    for part in counted {
        for (key, count) in part {
            *total.entry(key).or_insert(0) += count;
        }
    }
    Ok(total)
}

async fn answer_rows(
    db: &impl ConnectionTrait,
    sql: &str,
) -> Result<BTreeMap<TallyKey, i64>, AppError> {
    keyed_counts(db, sql, 8, |r| {
        Ok((
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
            r.try_get_by_index(3)?,
            r.try_get_by_index(4)?,
            r.try_get_by_index(5)?,
            r.try_get_by_index(6)?,
            r.try_get_by_index(7)?,
        ))
    })
    .await
}

type ResponseKey = (i64, i64, i64, String, String, String);

async fn response_rows(
    db: &impl ConnectionTrait,
    sql: &str,
) -> Result<BTreeMap<ResponseKey, i64>, AppError> {
    keyed_counts(db, sql, 6, |r| {
        Ok((
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
            r.try_get_by_index(3)?,
            r.try_get_by_index(4)?,
            r.try_get_by_index(5)?,
        ))
    })
    .await
}

/// One line per key whose stored count differs from the recount.
pub(crate) fn differences<K: Ord + std::fmt::Debug>(
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
#[tracing::instrument(skip_all)]
pub async fn verify(db: &DatabaseConnection) -> Result<TallyCheck, AppError> {
    // Every read on its own pooled connection: the long recount of the
    // answers (itself in parts) runs beside the others.
    let (
        counted_answers,
        stored_answers,
        counted_responses,
        stored_responses,
        stored_breakdowns,
        counted_flagged,
        stored_flagged,
    ) = futures::try_join!(
        recount_answers_in_parts(db),
        answer_rows(db, STORED_ANSWERS),
        response_rows(db, RECOUNT_RESPONSES),
        response_rows(db, STORED_RESPONSES),
        breakdown_rows(db),
        response_rows(db, RECOUNT_FLAGGED),
        response_rows(db, STORED_FLAGGED),
    )?;
    let counted_breakdowns = breakdowns_of(&counted_answers);
    let mut found = differences(&stored_answers, &counted_answers, "answers");
    found.extend(differences(
        &stored_flagged,
        &counted_flagged,
        "flagged responses",
    ));
    found.extend(differences(
        &stored_responses,
        &counted_responses,
        "responses",
    ));
    found.extend(differences(
        &stored_breakdowns,
        &counted_breakdowns,
        "breakdowns",
    ));
    let (pair_sums, pair_differences) = pair_sums::verify(db).await?;
    found.extend(pair_differences);
    let (feedback_tallies, feedback_differences) =
        crate::services::feedback::tallies::verify(db).await?;
    found.extend(feedback_differences);
    let (dossier_tallies, dossier_differences) =
        crate::services::dossiers::tallies::verify(db).await?;
    found.extend(dossier_differences);
    let (flag_tallies, flag_differences) =
        crate::services::quality::flag_tallies::verify(db).await?;
    found.extend(flag_differences);
    Ok(TallyCheck {
        answer_tallies: counted_answers.len(),
        response_tallies: counted_responses.len(),
        breakdown_tallies: counted_breakdowns.len(),
        pair_sums,
        feedback_tallies,
        dossier_tallies,
        flag_tallies,
        differences: found,
    })
}

/// Recomputes every tally from the raw answers in one transaction: for bulk
/// loads that bypass the per-response path, and to repair tallies that
/// `verify` found wrong.
#[tracing::instrument(skip_all)]
pub async fn rebuild(db: &DatabaseConnection) -> Result<(), AppError> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    let backend = db.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Postgres {
        // Submissions that arrive meanwhile wait for the rebuild, then add
        // themselves to the rebuilt counts. (On SQLite the first DELETE
        // takes the one write lock.)
        txn.execute_unprepared(
            "LOCK TABLE tallies, response_tallies, breakdown_tallies, pair_sums, complete_responses, \
             feedback_tallies, feedback_counts, dossier_counts, dossier_reason_counts, flag_tallies \
             IN EXCLUSIVE MODE",
        )
        .await?;
    }
    // The same grouping `verify` recounts with, so the two cannot drift apart.
    for sql in [
        "DELETE FROM tallies".to_owned(),
        "DELETE FROM response_tallies".to_owned(),
        "DELETE FROM breakdown_tallies".to_owned(),
        format!(
            "INSERT INTO tallies (round_id, criterion_id, department_id, procedure_id, \
             respondent_type, channel, submission_method, level, count) {}",
            recount_answers(None)
        ),
        format!(
            "INSERT INTO response_tallies (round_id, department_id, procedure_id, respondent_type, \
             channel, submission_method, count) {RECOUNT_RESPONSES}"
        ),
    ] {
        txn.execute_raw(Statement::from_string(backend, sql))
            .await?;
    }
    // The flagged counts by the rule `verify` recounts with.
    for ((round, department, procedure, respondent_type, channel, method), flagged) in
        response_rows(&txn, RECOUNT_FLAGGED).await?
    {
        response_tally::Entity::update_many()
            .col_expr(response_tally::Column::Flagged, Expr::value(flagged))
            .filter(response_tally::Column::RoundId.eq(round as i32))
            .filter(response_tally::Column::DepartmentId.eq(department as i32))
            .filter(response_tally::Column::ProcedureId.eq(procedure as i32))
            .filter(response_tally::Column::RespondentType.eq(respondent_type))
            .filter(response_tally::Column::Channel.eq(channel))
            .filter(response_tally::Column::SubmissionMethod.eq(method))
            .exec(&txn)
            .await?;
    }
    // The breakdown tallies from the rebuilt tallies, summed by the same
    // rule as every submission adds to them.
    let answers = answer_rows(&txn, STORED_ANSWERS).await?;
    let breakdowns: Vec<_> = breakdowns_of(&answers)
        .into_iter()
        .map(
            |((round, dimension, value, criterion, level), count)| breakdown_tally::ActiveModel {
                round_id: Set(round as i32),
                dimension: Set(dimension),
                value: Set(value),
                criterion_id: Set(criterion as i32),
                level: Set(level as i16),
                count: Set(count),
            },
        )
        .collect();
    for chunk in breakdowns.chunks(1000) {
        breakdown_tally::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    pair_sums::rebuild(&txn).await?;
    crate::services::feedback::tallies::rebuild(&txn).await?;
    crate::services::dossiers::tallies::rebuild(&txn).await?;
    crate::services::quality::flag_tallies::rebuild(&txn).await?;
    txn.commit().await?;
    Ok(())
}

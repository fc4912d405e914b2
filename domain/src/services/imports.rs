//! Importing paper and phone responses from CSV (or XLSX) with the header
//! `respondent_type,channel,department,procedure,submitted_at,<criterion
//! codes…>,comment`. Every row is checked first; a file with any problem
//! stores nothing and reports each one. A valid file is stored in chunks,
//! each in its own transaction, so that progress shows; if storing fails
//! midway, what was stored is undone.

use std::sync::LazyLock;

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::AppError;
use crate::entities::{import_job, round};
use crate::i18n::Lang;
use crate::model::{ImportJobView, RowProblem};
use crate::public_codes::random_code;
use crate::secrets::sha256_hex;
use crate::services::audit::{self, Actor};
use crate::services::instruments::{self, LoadedInstrument};
use crate::services::responses::{self, AnswerInput, AnswerValue, Completeness, Submission};
use crate::tables::{Table, read_table_apart};

/// Columns besides the criterion codes.
pub const FIXED_COLUMNS: [&str; 6] = [
    "respondent_type",
    "channel",
    "department",
    "procedure",
    "submitted_at",
    "comment",
];
/// Responses stored per transaction.
pub const CHUNK: usize = 200;
/// A running import silent for this long was interrupted.
pub const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(5);

/// A checked file: the submissions by line, or the problems found.
pub struct PreparedImport {
    pub rows: Vec<(usize, Submission)>,
    pub problems: Vec<RowProblem>,
}

/// A date format, read once: `parse_from_str` reads its format string
/// again at every call, which was an eighth of the request thread's work on
/// a batch of a thousand dossiers (three dates each).
fn format(text: &'static str) -> Vec<Item<'static>> {
    StrftimeItems::new(text)
        .parse()
        .expect("the formats below are valid")
}

/// The forms of a date and time, in the order tried.
static DATE_TIMES: LazyLock<[Vec<Item<'static>>; 3]> =
    LazyLock::new(|| ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"].map(format));
/// The forms of a date alone.
static DATES: LazyLock<[Vec<Item<'static>>; 2]> =
    LazyLock::new(|| ["%Y-%m-%d", "%d/%m/%Y"].map(format));

fn parse_with(text: &str, items: &[Item<'static>]) -> Option<Parsed> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, items.iter()).ok()?;
    Some(parsed)
}

/// Reads dates as paper forms write them: 2026-11-28, 28/11/2026, with an
/// optional time, or RFC 3339. Times without a zone are Vietnam time.
pub fn parse_submitted_at(text: &str) -> Option<DateTime<Utc>> {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600)?;
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for items in DATE_TIMES.iter() {
        if let Some(at) =
            parse_with(text, items).and_then(|p| p.to_naive_datetime_with_offset(0).ok())
        {
            return vietnam
                .from_local_datetime(&at)
                .single()
                .map(|a| a.with_timezone(&Utc));
        }
    }
    for items in DATES.iter() {
        if let Some(day) = parse_with(text, items).and_then(|p| p.to_naive_date().ok()) {
            let noon = day.and_hms_opt(12, 0, 0)?;
            return vietnam
                .from_local_datetime(&noon)
                .single()
                .map(|a| a.with_timezone(&Utc));
        }
    }
    None
}

/// Reads and checks a file against the round's instrument.
#[tracing::instrument(skip_all)]
pub async fn prepare(
    db: &DatabaseConnection,
    round: &round::Model,
    instrument: &LoadedInstrument,
    file_name: &str,
    bytes: &[u8],
    lang: Lang,
) -> Result<PreparedImport, AppError> {
    let t = lang.texts();
    let table = match read_table_apart(file_name.to_owned(), bytes.to_vec()).await {
        Ok(table) => table,
        Err(refused) => {
            return Ok(PreparedImport {
                rows: Vec::new(),
                problems: vec![RowProblem {
                    line: 1,
                    field: "file".to_owned(),
                    message: refused.message(lang),
                }],
            });
        }
    };
    let header_problems = check_header(&table, instrument, lang);
    if !header_problems.is_empty() {
        return Ok(PreparedImport {
            rows: Vec::new(),
            problems: header_problems,
        });
    }
    let file_key = &sha256_hex(&String::from_utf8_lossy(bytes))[..16];
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in &table.rows {
        let (submission, mut row_problems) = row_submission(&table, cells, *line, file_key, lang);
        let violations = responses::check(
            db,
            round,
            instrument,
            submission.clone(),
            Completeness::Partial,
        )
        .await?;
        row_problems.extend(violations.into_iter().map(|v| {
            RowProblem {
                line: *line,
                field: v
                    .field
                    .trim_start_matches("answers.")
                    .trim_start_matches("respondent.")
                    .to_owned(),
                message: v.message(lang),
            }
        }));
        if row_problems.is_empty() {
            rows.push((*line, submission));
        } else {
            problems.extend(row_problems);
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(RowProblem {
            line: 1,
            field: "file".to_owned(),
            message: t.err_no_rows.to_owned(),
        });
    }
    Ok(PreparedImport { rows, problems })
}

fn check_header(table: &Table, instrument: &LoadedInstrument, lang: Lang) -> Vec<RowProblem> {
    let t = lang.texts();
    let mut problems = Vec::new();
    if table.column("respondent_type").is_none() {
        problems.push(RowProblem {
            line: 1,
            field: "respondent_type".to_owned(),
            message: t.err_missing_column.to_owned(),
        });
    }
    for name in &table.header {
        let known = FIXED_COLUMNS.contains(&name.as_str())
            || instrument.criterion(&name.to_uppercase()).is_some();
        if !known {
            problems.push(RowProblem {
                line: 1,
                field: name.clone(),
                message: t.err_unknown_column.to_owned(),
            });
        }
    }
    if !table
        .header
        .iter()
        .any(|h| instrument.criterion(&h.to_uppercase()).is_some())
    {
        problems.push(RowProblem {
            line: 1,
            field: "file".to_owned(),
            message: t.err_no_criteria_columns.to_owned(),
        });
    }
    problems
}

fn row_submission(
    table: &Table,
    cells: &[String],
    line: usize,
    file_key: &str,
    lang: Lang,
) -> (Submission, Vec<RowProblem>) {
    let t = lang.texts();
    let mut problems = Vec::new();
    let cell = |name: &str| table.cell(cells, table.column(name)).to_owned();
    let optional = |name: &str| Some(cell(name)).filter(|v| !v.is_empty());
    let answers = table
        .header
        .iter()
        .enumerate()
        .filter(|(_, name)| !FIXED_COLUMNS.contains(&name.as_str()))
        .map(|(i, name)| {
            let text = table.cell(cells, Some(i));
            AnswerInput {
                code: name.to_uppercase(),
                value: match text {
                    "" | "0" => AnswerValue::NotApplicable,
                    level => level
                        .parse()
                        .map_or(AnswerValue::Unreadable, AnswerValue::Level),
                },
            }
        })
        .collect();
    let submitted_at = match optional("submitted_at") {
        None => None,
        Some(text) => {
            let parsed = parse_submitted_at(&text);
            if parsed.is_none() {
                problems.push(RowProblem {
                    line,
                    field: "submitted_at".to_owned(),
                    message: t.err_date.to_owned(),
                });
            }
            parsed
        }
    };
    let submission = Submission {
        answers,
        respondent_type: optional("respondent_type"),
        department: optional("department"),
        procedure: optional("procedure"),
        submission_method: None,
        channel: Some(optional("channel").unwrap_or_else(|| "paper".to_owned())),
        comment: optional("comment"),
        idempotency_key: Some(format!("import:{file_key}:{line}")),
        submitted_at,
        ..Submission::default()
    };
    (submission, problems)
}

pub fn view(job: &import_job::Model, round_slug: &str) -> ImportJobView {
    ImportJobView {
        public_id: job.public_id.clone(),
        round_slug: round_slug.to_owned(),
        file_name: job.file_name.clone(),
        status: job.status.clone(),
        total_rows: job.total_rows.max(0) as u32,
        stored_rows: job.stored_rows.max(0) as u32,
        problems: serde_json::from_str(&job.report).unwrap_or_default(),
    }
}

/// Checks the file and records the job: failed with its problems, or
/// pending with the checked rows returned for [`run`].
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    round: &round::Model,
    file_name: &str,
    bytes: &[u8],
    lang: Lang,
) -> Result<(import_job::Model, Vec<(usize, Submission)>), AppError> {
    let instrument = instruments::load(db, round.instrument_id).await?;
    let prepared = prepare(db, round, &instrument, file_name, bytes, lang).await?;
    let failed = !prepared.problems.is_empty();
    let now = Utc::now();
    let job = import_job::ActiveModel {
        public_id: Set(random_code("NK", 3)),
        round_id: Set(round.id),
        created_by_user_id: Set(actor.user_id),
        file_name: Set(file_name.chars().take(200).collect()),
        status: Set(if failed { "failed" } else { "pending" }.to_owned()),
        total_rows: Set(prepared.rows.len() as i32),
        stored_rows: Set(0),
        report: Set(serde_json::to_string(&prepared.problems).unwrap_or_else(|_| "[]".to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(failed.then_some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let summary = serde_json::json!({"file": file_name, "rows": prepared.rows.len(), "problems": prepared.problems.len()});
    audit::record(
        db,
        actor,
        "responses.import",
        "round",
        Some(round.slug.clone()),
        None::<&()>,
        Some(&summary),
    )
    .await?;
    Ok((job, if failed { Vec::new() } else { prepared.rows }))
}

/// Stores the rows chunk by chunk, recording progress; `progress` hears
/// (stored, total) after each chunk. Undoes everything if storing fails.
#[tracing::instrument(skip_all)]
pub async fn run(
    db: &DatabaseConnection,
    job: import_job::Model,
    round: &round::Model,
    rows: Vec<(usize, Submission)>,
    progress: impl Fn(usize, usize),
) -> Result<import_job::Model, AppError> {
    let total = rows.len();
    let job_id = job.id;
    let outcome = async {
        let instrument = instruments::load(db, round.instrument_id).await?;
        set_progress(db, job_id, "running", 0, None).await?;
        let mut stored = 0;
        let mut pending = rows.into_iter().map(|(_, s)| s).peekable();
        while pending.peek().is_some() {
            let chunk: Vec<Submission> = pending.by_ref().take(CHUNK).collect();
            let size = chunk.len();
            responses::store_batch(db, round, &instrument, chunk, Some(job_id)).await?;
            stored += size;
            set_progress(db, job_id, "running", stored, None).await?;
            progress(stored, total);
        }
        Ok::<usize, AppError>(stored)
    }
    .await;
    match outcome {
        Ok(stored) => set_progress(db, job_id, "done", stored, None).await,
        Err(err) => {
            tracing::error!(error = %err, job = job.public_id, "import failed; undoing it");
            responses::undo_import(db, job_id).await?;
            let problem = RowProblem {
                line: 0,
                field: "file".to_owned(),
                message: err.to_string(),
            };
            set_progress(db, job_id, "failed", 0, Some(vec![problem])).await
        }
    }
}

async fn set_progress(
    db: &DatabaseConnection,
    job_id: i32,
    status: &str,
    stored: usize,
    problems: Option<Vec<RowProblem>>,
) -> Result<import_job::Model, AppError> {
    let job = import_job::Entity::find_by_id(job_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("import"))?;
    let mut active: import_job::ActiveModel = job.into();
    let now = Utc::now();
    active.status = Set(status.to_owned());
    active.stored_rows = Set(stored as i32);
    active.updated_at = Set(now);
    if matches!(status, "done" | "failed") {
        active.finished_at = Set(Some(now));
    }
    if let Some(problems) = problems {
        active.report = Set(serde_json::to_string(&problems).unwrap_or_default());
    }
    Ok(active.update(db).await?)
}

/// The job with this public id in this round; a running job whose
/// heartbeat stopped (its instance died) is undone and marked failed.
#[tracing::instrument(skip_all)]
pub async fn find(
    db: &DatabaseConnection,
    round_id: i32,
    public_id: &str,
) -> Result<Option<import_job::Model>, AppError> {
    let Some(job) = import_job::Entity::find()
        .filter(import_job::Column::RoundId.eq(round_id))
        .filter(import_job::Column::PublicId.eq(public_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if matches!(job.status.as_str(), "pending" | "running")
        && Utc::now() - job.updated_at > STALE_AFTER
    {
        responses::undo_import(db, job.id).await?;
        let problem = RowProblem {
            line: 0,
            field: "file".to_owned(),
            message: "interrupted; nothing was kept".to_owned(),
        };
        return Ok(Some(
            set_progress(db, job.id, "failed", 0, Some(vec![problem])).await?,
        ));
    }
    Ok(Some(job))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_dates_are_read_in_vietnam_time() {
        let noon = parse_submitted_at("2026-11-20").unwrap();
        assert_eq!(noon.to_rfc3339(), "2026-11-20T05:00:00+00:00");
        assert_eq!(parse_submitted_at("20/11/2026").unwrap(), noon);
        assert_eq!(
            parse_submitted_at("2026-11-20 08:30").unwrap().to_rfc3339(),
            "2026-11-20T01:30:00+00:00"
        );
        assert_eq!(
            parse_submitted_at("2026-11-20 08:30:15")
                .unwrap()
                .to_rfc3339(),
            "2026-11-20T01:30:15+00:00"
        );
        assert_eq!(
            parse_submitted_at("20/11/2026 08:30").unwrap().to_rfc3339(),
            "2026-11-20T01:30:00+00:00"
        );
        assert!(parse_submitted_at("20.11.2026").is_none());
        assert!(parse_submitted_at("2026-11-20 25:30").is_none());
        assert!(parse_submitted_at("2026-11-20T08:30:00+07:00").is_some());
    }
}

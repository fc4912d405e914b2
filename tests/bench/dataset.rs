//! Reproducible datasets: a round on the default questionnaire with N
//! responses to its 17 index criteria and the overall question (O1),
//! population counts by respondent type, written in bulk from a fixed
//! seed, with tallies and pair sums rebuilt from the raw answers as the
//! server keeps them; and feedback items in bulk for the feedback pages.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{Duration, TimeZone, Utc};
use domain::entities::{answer, response};
use domain::model::{RespondentType, Role, RoundStatus, SubmissionMethod, SurveyChannel};
use domain::services::{accounts, audit, catalogue, instruments, rounds, tallies};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Set, Statement, TransactionTrait};

pub const ROUND: &str = "bench";
const SEED: u64 = 20_261_128;
const DEPARTMENTS: [&str; 7] = ["VP", "KHTH", "QLDN", "QLDT", "QHXD", "TNMT", "BQLDA"];
const PROCEDURES: [(&str, usize); 6] = [
    ("LD-01", 2),
    ("LD-03", 2),
    ("DT-01", 3),
    ("XD-01", 4),
    ("MT-01", 5),
    ("MT-02", 5),
];

/// A leader's credentials, for pages that need a session.
#[derive(Clone, Debug)]
pub struct Login {
    pub username: String,
    pub password: String,
}

#[derive(Clone, Debug)]
pub struct Dataset {
    pub size: u64,
    pub file: PathBuf,
    pub url: String,
    pub round: String,
    pub leader: Login,
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// A new, empty SQLite file named `name` in `dir`.
pub fn fresh_sqlite(dir: &Path, name: &str) -> anyhow::Result<String> {
    let file = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    Ok(sqlite_url(&file))
}

/// A new, empty PostgreSQL database `name` on the server of `admin_url`.
pub async fn fresh_postgres(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let admin = domain::db::connect(admin_url)
        .await
        .context("PostgreSQL for the benchmarks")?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(base, _)| base)
        .context("a PostgreSQL URL ends with /database")?;
    Ok(format!("{base}/{name}"))
}

/// Migrates, adds the catalogue and opens the round; returns its slug.
pub async fn empty_round(url: &str) -> anyhow::Result<String> {
    let db = server::prepare_database(url).await?;
    open_round(&db).await?;
    db.close().await?;
    Ok(ROUND.to_owned())
}

async fn open_round(db: &DatabaseConnection) -> anyhow::Result<domain::entities::round::Model> {
    let mut department_ids = Vec::new();
    for code in DEPARTMENTS {
        department_ids.push(catalogue::upsert_department(db, code, code, code).await?.id);
    }
    for (code, department) in PROCEDURES {
        catalogue::upsert_procedure(db, code, code, code, department_ids[department]).await?;
    }
    let instrument = instruments::find(db, "dvhcc", 1)
        .await?
        .context("the default questionnaire")?;
    let round = rounds::create(
        db,
        rounds::NewRound {
            slug: ROUND.to_owned(),
            title_vi: "Đợt đo hiệu năng".to_owned(),
            title_en: "Benchmark round".to_owned(),
            year: 2026,
            half: 2,
            instrument_id: instrument.id,
            audience: "businesses,citizens".to_owned(),
            opens_at: None,
            closes_at: None,
            dossiers_handled: Some(1_000_000),
        },
    )
    .await?;
    Ok(rounds::set_status(db, round, RoundStatus::Open).await?)
}

/// The public pages of the demo agency that Lighthouse opens (P11).
pub struct DemoPages {
    pub open_round: String,
    pub receipt_code: String,
    pub tracking_code: String,
    pub results_id: String,
}

/// The demo data (`hailong seed-demo`) with the previous half-year's round
/// published, on a new SQLite file `name`; the codes its public pages need.
pub async fn demo(dir: &Path, name: &str) -> anyhow::Result<(String, DemoPages)> {
    use domain::entities::{feedback_item, round};
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

    let url = fresh_sqlite(dir, name)?;
    let db = server::prepare_database(&url).await?;
    let seeded = domain::services::seed::seed_demo(&db).await?;
    let [closed, open] = seeded.rounds_created.as_slice() else {
        anyhow::bail!("the demo has two rounds, got {:?}", seeded.rounds_created);
    };
    let results_id = domain::services::results::publish(&db, &audit::Actor::cli(), closed).await?;
    let open_round = round::Entity::find()
        .filter(round::Column::Slug.eq(open.as_str()))
        .one(&db)
        .await?
        .context("the open demo round")?;
    let receipt_code = response::Entity::find()
        .filter(response::Column::RoundId.eq(open_round.id))
        .order_by_asc(response::Column::Id)
        .one(&db)
        .await?
        .context("a demo response")?
        .receipt_code;
    let tracking_code = feedback_item::Entity::find()
        .order_by_asc(feedback_item::Column::Id)
        .one(&db)
        .await?
        .context("a demo feedback item")?
        .tracking_code;
    db.close().await?;
    Ok((
        url,
        DemoPages {
            open_round: open.clone(),
            receipt_code,
            tracking_code,
            results_id,
        },
    ))
}

/// A leader account on the database at `url`.
pub async fn leader(url: &str) -> anyhow::Result<Login> {
    let db = domain::db::connect(url).await?;
    let login = Login {
        username: "bench-leader".to_owned(),
        password: "benchmark password".to_owned(),
    };
    let created = accounts::create_user(
        &db,
        &audit::Actor::cli(),
        accounts::NewUser {
            username: login.username.clone(),
            display_name: "Benchmark".to_owned(),
            password: login.password.clone(),
            role: Role::Leader,
            departments: Vec::new(),
            can_triage: false,
        },
    )
    .await;
    // A dataset kept from an earlier run has the account already.
    match created {
        Ok(_)
        | Err(domain::AppError::Conflict {
            code: domain::error::Conflict::UsernameTaken,
            ..
        }) => {}
        Err(other) => return Err(other.into()),
    }
    db.close().await?;
    Ok(login)
}

/// The SQLite dataset `{kind}-{size}` in `dir`, written by `generate`
/// (given its URL) the first time and kept for later runs.
async fn kept<F, Fut>(dir: &Path, kind: &str, size: u64, generate: F) -> anyhow::Result<Dataset>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let name = format!("{kind}-{size}");
    let file = dir.join(format!("{name}.db"));
    let done = dir.join(format!("{name}.done"));
    let url = sqlite_url(&file);
    if !done.exists() {
        fresh_sqlite(dir, &name)?;
        generate(url.clone()).await?;
        // On disk before anything is timed on it: no figure is measured
        // while the kernel still writes a freshly generated file back.
        std::fs::File::open(&file)?.sync_all()?;
        std::fs::write(&done, b"complete\n")?;
    }
    Ok(Dataset {
        size,
        file,
        leader: leader(&url).await?,
        url,
        round: ROUND.to_owned(),
    })
}

/// The SQLite dataset of `size` responses, generated once and kept.
pub async fn sqlite(dir: &Path, size: u64) -> anyhow::Result<Dataset> {
    kept(dir, "responses", size, |url| async move {
        generate(&url, size).await
    })
    .await
}

/// Writes `size` responses in bulk, then rebuilds the tallies from them.
async fn generate(url: &str, size: u64) -> anyhow::Result<()> {
    let db = server::prepare_database(url).await?;
    let round = open_round(&db).await?;
    let instrument = instruments::load(&db, round.instrument_id).await?;
    let criteria: Vec<i32> = instrument
        .criteria()
        .filter(|(e, _)| e.kind == domain::model::ElementKind::Index)
        .map(|(_, c)| c.id)
        .collect();
    anyhow::ensure!(criteria.len() == 17, "17 index criteria");
    let overall = instrument
        .criteria()
        .find(|(_, c)| c.code == "O1")
        .map(|(_, c)| c.id)
        .context("the overall question O1")?;
    let populations = [
        ("doanh-nghiep", "6000"),
        ("ca-nhan", "2500"),
        ("co-quan-phoi-hop", "300"),
    ]
    .iter()
    .map(|(code, n)| ((*code).to_owned(), (*n).to_owned()))
    .collect();
    domain::services::weighting::save(
        &db,
        &audit::Actor::cli(),
        &round,
        domain::model::StratumDimension::RespondentType,
        &populations,
    )
    .await?;
    let departments = catalogue::active_departments(&db).await?;
    let procedures = catalogue::active_procedures(&db).await?;
    let mut rng = StdRng::seed_from_u64(SEED);
    let start = Utc
        .with_ymd_and_hms(2026, 7, 1, 1, 0, 0)
        .single()
        .context("a date")?;
    let mut next_id: i32 = 1;
    // 1,000 responses of 21 columns stay under SQLite's 32,766 bound variables.
    let chunk = 1_000u64;
    let mut written = 0u64;
    while written < size {
        let count = chunk.min(size - written);
        let txn = db.begin().await?;
        let mut responses = Vec::with_capacity(count as usize);
        let mut answers = Vec::with_capacity(count as usize * (criteria.len() + 1));
        for i in 0..count {
            let n = written + i;
            let id = next_id + i as i32;
            let with_procedure = rng.random_bool(0.8);
            let (department_id, procedure_id) = if with_procedure {
                let p = &procedures[rng.random_range(0..procedures.len())];
                (p.department_id, Some(p.id))
            } else {
                (departments[rng.random_range(0..departments.len())].id, None)
            };
            let mood: f64 = rng.random_range(-1.0..1.0);
            responses.push(response::ActiveModel {
                id: Set(id),
                round_id: Set(round.id),
                receipt_code: Set(format!("HL-B{n:09}")),
                idempotency_key: Set(None),
                invitation_id: Set(None),
                respondent_type: Set(RespondentType::ALL[(n % 10).min(2) as usize]),
                department_id: Set(Some(department_id)),
                procedure_id: Set(procedure_id),
                submission_method: Set(Some(SubmissionMethod::ALL[(n % 3) as usize])),
                channel: Set([
                    SurveyChannel::Web,
                    SurveyChannel::Web,
                    SurveyChannel::Paper,
                    SurveyChannel::Phone,
                ][(n % 4) as usize]),
                comment: Set(n
                    .is_multiple_of(20)
                    .then(|| format!("Ý kiến số {n}: đề nghị rút ngắn thời gian trả kết quả."))),
                excluded: Set(false),
                submitted_at: Set(start + Duration::seconds((n * 15) as i64 % (180 * 86_400))),
                created_at: Set(start),
                import_job_id: Set(None),
                exclusion_reason: Set(None),
                exclusion_proposed_by: Set(None),
                exclusion_proposed_at: Set(None),
                started_at: Set(None),
                // Timed like web responses, so that the speeder scan has work.
                completion_seconds: Set((n % 4 < 2).then(|| 120 + (n * 13 % 600) as i32)),
                network_hash: Set(None),
            });
            for criterion in criteria.iter().chain([&overall]) {
                let value = if rng.random_bool(0.03) {
                    None
                } else {
                    let score = 3.9 + mood + rng.random_range(-1.2..1.2);
                    Some(score.round().clamp(1.0, 5.0) as i16)
                };
                answers.push(answer::ActiveModel {
                    response_id: Set(id),
                    criterion_id: Set(*criterion),
                    value: Set(value),
                });
            }
        }
        response::Entity::insert_many(responses)
            .exec_without_returning(&txn)
            .await?;
        for part in answers.chunks(10_000) {
            answer::Entity::insert_many(part.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        written += count;
        next_id += count as i32;
        if written.is_multiple_of(100_000) {
            eprintln!("  {written}/{size}");
        }
    }
    tallies::rebuild(&db).await?;
    let check = tallies::verify(&db).await?;
    anyhow::ensure!(check.matches(), "rebuilt tallies match the raw answers");
    db.execute_unprepared("ANALYZE").await?;
    db.close().await?;
    Ok(())
}

pub async fn count_responses(url: &str) -> anyhow::Result<u64> {
    scalar(url, "SELECT CAST(COUNT(*) AS BIGINT) FROM responses").await
}

pub async fn duplicate_keys(url: &str) -> anyhow::Result<u64> {
    scalar(
        url,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT idempotency_key FROM responses \
         WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING COUNT(*) > 1) d",
    )
    .await
}

async fn scalar(url: &str, sql: &str) -> anyhow::Result<u64> {
    let db = domain::db::connect(url).await?;
    let value: i64 = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?
        .context("one row")?
        .try_get_by_index(0)?;
    db.close().await?;
    Ok(u64::try_from(value)?)
}

/// The rows of the CSV export as one SQL query, for `sqlite3 -csv`.
pub async fn export_sql(data: &Dataset) -> anyhow::Result<String> {
    let db = domain::db::connect(&data.url).await?;
    let round = rounds::require(&db, &data.round).await?;
    let instrument = instruments::load(&db, round.instrument_id).await?;
    let columns: Vec<String> = instrument
        .criteria()
        .map(|(_, c)| {
            format!(
                "MAX(CASE WHEN a.criterion_id = {} THEN COALESCE(a.value, 0) END) AS \"{}\"",
                c.id, c.code
            )
        })
        .collect();
    db.close().await?;
    Ok(format!(
        "SELECT r.receipt_code, r.submitted_at, r.respondent_type, d.code AS department, \
         p.code AS procedure, COALESCE(r.submission_method, '') AS submission_method, r.channel, \
         r.excluded, {}, r.comment \
         FROM responses r LEFT JOIN answers a ON a.response_id = r.id \
         LEFT JOIN departments d ON d.id = r.department_id \
         LEFT JOIN procedures p ON p.id = r.procedure_id \
         WHERE r.round_id = {} GROUP BY r.id ORDER BY r.id;",
        columns.join(", "),
        round.id
    ))
}

/// The SQLite dataset of the round (no responses) and `size` feedback
/// items, generated once and kept: an agency receiving 20 items a day, so
/// that 1k items are 50 days of history and 100k items about 14 years,
/// up to the end of November 2026; spread over the departments, channels
/// and categories; 80% answered and published, 10% praise, 10% out of
/// scope, except that 10% of the last 30 days' items are still open (the
/// backlog grows with the daily intake, not with the history).
pub async fn feedback(dir: &Path, size: u64) -> anyhow::Result<Dataset> {
    kept(dir, "feedback", size, |url| async move {
        generate_feedback(&url, size).await
    })
    .await
}

async fn generate_feedback(url: &str, size: u64) -> anyhow::Result<()> {
    use domain::entities::feedback_item;
    use domain::model::{Classification, FeedbackCategory, FeedbackChannel, FeedbackStatus};

    let db = server::prepare_database(url).await?;
    open_round(&db).await?;
    let departments = catalogue::active_departments(&db).await?;
    let mut rng = StdRng::seed_from_u64(SEED + 1);
    let end = Utc
        .with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .single()
        .context("a date")?;
    // 20 a day: one every 72 minutes, the newest last.
    let received = |n: u64| end - Duration::minutes(((size - 1 - n) * 72) as i64);
    let mut written = 0u64;
    while written < size {
        // 500 items of 33 columns stay under SQLite's 32,766 bound variables.
        let count = 500u64.min(size - written);
        let items: Vec<feedback_item::ActiveModel> = (written..written + count)
            .map(|n| {
                let received_at = received(n);
                let due_on = received_at.date_naive() + Duration::days(15);
                let recent = end - received_at < Duration::days(30);
                let roll: f64 = rng.random();
                let (status, classification) = if recent && roll >= 0.90 {
                    (FeedbackStatus::Assigned, Some(Classification::InScope))
                } else if roll < 0.80 {
                    (FeedbackStatus::Published, Some(Classification::InScope))
                } else if roll < 0.90 {
                    (FeedbackStatus::Closed, Some(Classification::Praise))
                } else {
                    (FeedbackStatus::Closed, Some(Classification::OutOfScope))
                };
                let answered = status == FeedbackStatus::Published;
                let answered_at =
                    answered.then(|| received_at + Duration::days(rng.random_range(2..20)));
                let department = &departments[rng.random_range(0..departments.len())];
                let channel = FeedbackChannel::ALL[(n % 5) as usize];
                let category =
                    FeedbackCategory::ALL[rng.random_range(0..FeedbackCategory::ALL.len())];
                let content = format!("Phản ánh số {n}: đề nghị giải quyết hồ sơ đúng hẹn.");
                feedback_item::ActiveModel {
                    tracking_code: Set(format!("PA-B{n:09}")),
                    channel: Set(channel),
                    status: Set(status),
                    classification: Set(classification),
                    duplicate_of_id: Set(None),
                    category: Set(Some(category)),
                    sender_name: Set(None),
                    sender_address: Set(None),
                    sender_phone: Set(None),
                    sender_email: Set(None),
                    eligible_for_reply: Set(false),
                    consent_to_publish: Set(false),
                    subject: Set(None),
                    search_text: Set(content.to_lowercase()),
                    content: Set(content),
                    department_id: Set(Some(department.id)),
                    response_id: Set(None),
                    answer: Set(answered.then(|| "Đã giải quyết.".to_owned())),
                    received_at: Set(received_at),
                    due_on: Set(Some(due_on)),
                    answered_at: Set(answered_at),
                    published_at: Set(answered_at),
                    closed_at: Set(None),
                    handling_rating: Set((answered && n % 4 == 0).then(|| rng.random_range(1..=5))),
                    procedure_id: Set(None),
                    recorded_by_user_id: Set(None),
                    public_summary: Set(None),
                    answer_due_on: Set(answered.then_some(due_on)),
                    contact_text: Set(None),
                    rating_token_hash: Set(None),
                    rated_at: Set(None),
                    contacts_erased_at: Set(None),
                    ..Default::default()
                }
            })
            .collect();
        feedback_item::Entity::insert_many(items)
            .exec_without_returning(&db)
            .await?;
        written += count;
    }
    // Written in bulk, past the per-item path: the tallies from the items.
    tallies::rebuild(&db).await?;
    db.execute_unprepared("ANALYZE").await?;
    db.close().await?;
    Ok(())
}

/// A copy of `data` whose round is closed and its results published (the
/// evidence pack needs them), kept beside the original.
pub async fn published_copy(dir: &Path, data: &Dataset) -> anyhow::Result<Dataset> {
    let name = format!("published-{}", data.size);
    fresh_sqlite(dir, &name)?;
    let file = dir.join(format!("{name}.db"));
    let source = domain::db::connect(&data.url).await?;
    source
        .execute_unprepared(&format!("VACUUM INTO '{}'", file.display()))
        .await?;
    source.close().await?;
    let url = sqlite_url(&file);
    let db = domain::db::connect(&url).await?;
    let round = rounds::require(&db, &data.round).await?;
    rounds::set_status(&db, round, RoundStatus::Closed).await?;
    domain::services::results::publish(&db, &audit::Actor::cli(), &data.round).await?;
    db.close().await?;
    Ok(Dataset {
        size: data.size,
        file,
        url,
        round: data.round.clone(),
        leader: data.leader.clone(),
    })
}

/// One dossier of the benchmarks, the `n`-th of a series: received over
/// 2026 (every 30 seconds from 1 January, within 300 days so that none is
/// completed in the future), due ten days later, completed
/// after one to twelve days (so about one in six is late), by procedure
/// and channel in turn; one in three leaves a phone.
pub struct BenchDossier {
    pub code: String,
    pub procedure: &'static str,
    pub channel: domain::model::SubmissionMethod,
    pub received_at: chrono::DateTime<Utc>,
    pub due_at: chrono::DateTime<Utc>,
    pub completed_at: chrono::DateTime<Utc>,
    pub phone: Option<String>,
}

pub fn bench_dossier(series: &str, n: u64) -> BenchDossier {
    use domain::model::SubmissionMethod;
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 1, 0, 0)
        .single()
        .expect("a date");
    let received_at = start + Duration::seconds(((n * 30) % (300 * 86_400)) as i64);
    let channel = [
        SubmissionMethod::InPerson,
        SubmissionMethod::Online,
        SubmissionMethod::Postal,
    ][(n % 3) as usize];
    BenchDossier {
        code: format!("{series}-{n:08}"),
        procedure: PROCEDURES[(n % PROCEDURES.len() as u64) as usize].0,
        channel,
        received_at,
        due_at: received_at + Duration::days(10),
        completed_at: received_at + Duration::days(1 + (n % 12) as i64),
        phone: n
            .is_multiple_of(3)
            .then(|| format!("0905{:06}", n % 1_000_000)),
    }
}

impl BenchDossier {
    /// As the one-stop software sends it to `POST /api/v1/dossiers`.
    pub fn to_json(&self) -> serde_json::Value {
        let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
        let time = |at: chrono::DateTime<Utc>| {
            at.with_timezone(&vietnam)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        };
        serde_json::json!({
            "code": self.code,
            "procedure": self.procedure,
            "channel": match self.channel {
                domain::model::SubmissionMethod::Online => "online",
                domain::model::SubmissionMethod::Postal => "post",
                _ => "counter",
            },
            "received_at": time(self.received_at),
            "due_at": time(self.due_at),
            "completed_at": time(self.completed_at),
            "result": "granted",
            "phone": self.phone,
        })
    }
}

/// The procedures of the benchmark round: code → (procedure id, department id).
pub async fn procedure_ids(
    db: &DatabaseConnection,
) -> anyhow::Result<std::collections::HashMap<String, (i32, i32)>> {
    use domain::entities::procedure;
    Ok(procedure::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code, (p.id, p.department_id)))
        .collect())
}

/// Bare inserts of `dossiers` and their contacts in one transaction: the
/// rows the API stores, without its checks, rating keys or tallies.
pub async fn insert_dossiers_bare(
    db: &DatabaseConnection,
    procedures: &std::collections::HashMap<String, (i32, i32)>,
    dossiers: &[BenchDossier],
    first_id: i32,
) -> anyhow::Result<()> {
    use domain::entities::{dossier, dossier_contact};
    let now = Utc::now();
    let txn = db.begin().await?;
    for (chunk_index, chunk) in dossiers.chunks(1_000).enumerate() {
        let base = first_id + (chunk_index * 1_000) as i32;
        let rows: Vec<dossier::ActiveModel> = chunk
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let (procedure_id, department_id) = procedures[d.procedure];
                dossier::ActiveModel {
                    id: Set(base + i as i32),
                    code: Set(d.code.clone()),
                    procedure_id: Set(procedure_id),
                    department_id: Set(department_id),
                    channel: Set(d.channel),
                    received_at: Set(d.received_at),
                    due_at: Set(Some(d.due_at)),
                    completed_at: Set(Some(d.completed_at)),
                    result: Set(Some(domain::model::DossierResult::Granted)),
                    // Spread like the server's (a SHA-256), so that its
                    // index takes writes in random places as the server's
                    // does: a sequential value would only ever append.
                    rating_key_hash: Set(Some(domain::secrets::sha256_hex(&d.code))),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
            })
            .collect();
        dossier::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
        let contacts: Vec<dossier_contact::ActiveModel> = chunk
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                d.phone.as_ref().map(|phone| dossier_contact::ActiveModel {
                    dossier_id: Set(base + i as i32),
                    phone: Set(Some(phone.clone())),
                    email: Set(None),
                    created_at: Set(now),
                })
            })
            .collect();
        if !contacts.is_empty() {
            dossier_contact::Entity::insert_many(contacts)
                .exec_without_returning(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The SQLite dataset of `size` dossiers completed over 2026, three in
/// five rated, for the dossier figures (P8): generated once and kept.
pub async fn dossiers(dir: &Path, size: u64) -> anyhow::Result<Dataset> {
    kept(dir, "dossiers", size, |url| async move {
        generate_dossiers(&url, size).await
    })
    .await
}

async fn generate_dossiers(url: &str, size: u64) -> anyhow::Result<()> {
    use domain::entities::dossier_rating;
    use domain::model::RatingSource;

    let db = server::prepare_database(url).await?;
    open_round(&db).await?;
    let procedures = procedure_ids(&db).await?;
    let mut rng = StdRng::seed_from_u64(SEED + 2);
    let mut written = 0u64;
    while written < size {
        let count = 20_000u64.min(size - written);
        let batch: Vec<BenchDossier> = (written..written + count)
            .map(|n| bench_dossier("HS", n))
            .collect();
        let first_id = written as i32 + 1;
        insert_dossiers_bare(&db, &procedures, &batch, first_id).await?;
        // Three in five rated: mostly satisfied, with reasons now and then.
        let ratings: Vec<dossier_rating::ActiveModel> = batch
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                if !rng.random_bool(0.6) {
                    return None;
                }
                let roll: f64 = rng.random();
                let level = if roll < 0.1 {
                    1
                } else if roll < 0.6 {
                    2
                } else {
                    3
                };
                Some(dossier_rating::ActiveModel {
                    dossier_id: Set(first_id + i as i32),
                    level: Set(level),
                    reasons: Set(if roll < 0.1 {
                        "waiting-time".to_owned()
                    } else {
                        String::new()
                    }),
                    trips: Set(Some(rng.random_range(1..=3))),
                    feedback_item_id: Set(None),
                    source: Set(RatingSource::Link),
                    rated_at: Set(d.completed_at + Duration::hours(2)),
                })
            })
            .collect();
        for chunk in ratings.chunks(2_000) {
            dossier_rating::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&db)
                .await?;
        }
        written += count;
    }
    // Written in bulk, past the per-dossier path: the tallies from the rows.
    tallies::rebuild(&db).await?;
    db.execute_unprepared("ANALYZE").await?;
    db.close().await?;
    Ok(())
}

/// A token for the one-stop software (`dossiers:write`) on the database at `url`.
pub async fn dossier_token(url: &str) -> anyhow::Result<String> {
    let db = domain::db::connect(url).await?;
    let (_, token) = domain::services::tokens::create(
        &db,
        &audit::Actor::cli(),
        domain::services::tokens::NewToken {
            name: "bench-one-stop".to_owned(),
            role: Role::Staff,
            scopes: vec![domain::model::Scope::DossiersWrite],
            expires_at: None,
        },
    )
    .await?;
    db.close().await?;
    Ok(token)
}

/// The number of rows of `table` on the database at `url`.
pub async fn count_rows(url: &str, table: &str) -> anyhow::Result<u64> {
    scalar(
        url,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"),
    )
    .await
}

//! Taking the measurements: the server as a process, HTTP clients,
//! latencies, the bare reference inserts, and the `sqlite3` tool.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::dataset::Login;
use crate::report::{Latency, Lighthouse};

/// The 17 index criteria of the default questionnaire and its overall
/// question, each answered in every submission of the benchmark.
const CRITERIA: [&str; 18] = [
    "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1", "E2",
    "E3", "O1",
];

/// A release `hailong serve` on a free port.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(hailong: &Path, database_url: &str, env: &[(&str, &str)]) -> anyhow::Result<Self> {
        let mut command = Command::new(hailong);
        command
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("RUST_LOG", "error")
            // One address sends all the load: no per-address budgets.
            .env("HAILONG_RATE_LIMITS", "off")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().context("starting hailong")?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        while !line.contains("http://") {
            line.clear();
            anyhow::ensure!(
                reader.read_line(&mut line)? > 0,
                "hailong exited before listening"
            );
        }
        let base = line[line.find("http://").unwrap_or(0)..].trim().to_owned();
        std::thread::spawn(move || for _ in reader.lines() {});
        Ok(Self { child, base })
    }

    /// A memory figure of the process from /proc/<pid>/status, in KiB:
    /// `VmHWM` (the largest resident set so far) or `RssAnon` (heap and
    /// stacks only, now).
    pub fn memory_kib(&self, field: &str) -> anyhow::Result<u64> {
        memory_kib(self.child.id(), field)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM and a clean exit.
    pub fn stop(mut self) -> anyhow::Result<()> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        let status = self.child.wait()?;
        anyhow::ensure!(status.success(), "hailong exited with {status}");
        Ok(())
    }
}

/// A client signed in as `login`, its session kept in a cookie store.
pub async fn sign_in(base: &str, login: &Login) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let page = client.get(format!("{base}/login")).send().await?;
    let csrf = page
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix("__Host-hl_csrf=")
                .or_else(|| c.strip_prefix("hl_csrf="))
        })
        .and_then(|c| c.split(';').next())
        .context("the sign-in page sets the CSRF cookie")?
        .to_owned();
    let signed_in = client
        .post(format!("{base}/sf/auth/login"))
        .header(reqwest::header::ACCEPT, "text/html")
        .form(&[
            ("username", login.username.as_str()),
            ("password", login.password.as_str()),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        signed_in.url().path() == "/staff",
        "signing in failed: {} {}",
        signed_in.status(),
        signed_in.url()
    );
    Ok(client)
}

/// `n` sequential GETs after 20 to warm up; each must answer 200.
pub async fn latency(client: &reqwest::Client, url: &str, n: usize) -> anyhow::Result<Latency> {
    let mut samples = Vec::with_capacity(n);
    for i in 0..n + 20 {
        let started = Instant::now();
        let reply = client.get(url).send().await?;
        anyhow::ensure!(reply.status() == 200, "GET {url}: {}", reply.status());
        reply.bytes().await?;
        if i >= 20 {
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(Latency::of(samples))
}

fn response_body(key: &str, n: u64) -> serde_json::Value {
    let answers: serde_json::Map<String, serde_json::Value> = CRITERIA
        .iter()
        .enumerate()
        .map(|(i, code)| {
            (
                (*code).to_owned(),
                serde_json::Value::from((n + i as u64) % 5 + 1),
            )
        })
        .collect();
    serde_json::json!({
        "idempotency_key": key,
        "answers": answers,
        "respondent": {"type": "doanh-nghiep", "procedure": "LD-01", "submission_method": "truc-tuyen"},
    })
}

/// `n` submissions from `clients` concurrent clients, spread over `bases`;
/// responses per second and the acknowledged keys.
pub async fn submit_over_http(
    bases: &[String],
    round: &str,
    n: u64,
    clients: usize,
    tag: &str,
) -> anyhow::Result<(f64, Vec<String>)> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let base = bases[c % bases.len()].clone();
        let (round, tag) = (round.to_owned(), tag.to_owned());
        let share = n / clients as u64 + u64::from((c as u64) < n % clients as u64);
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut acknowledged = Vec::new();
            for i in 0..share {
                let key = format!("{tag}-{c}-{i}-{}", uuid::Uuid::new_v4().simple());
                let reply = client
                    .post(format!("{base}/api/v1/rounds/{round}/responses"))
                    .json(&response_body(&key, i))
                    .send()
                    .await?;
                anyhow::ensure!(
                    reply.status() == 201,
                    "submission refused: {}",
                    reply.status()
                );
                acknowledged.push(key);
            }
            Ok::<_, anyhow::Error>(acknowledged)
        }));
    }
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(task.await??);
    }
    Ok((n as f64 / started.elapsed().as_secs_f64(), acknowledged))
}

/// The same rows the server writes for a response (the response, its
/// answers, the tally upserts in criterion order, the breakdown tallies,
/// the response tally, the pair sums of the driver analysis), in
/// one transaction per response, straight through the same connection pool
/// and durability settings: no HTTP, no JSON, no checks.
pub async fn reference_inserts(
    url: &str,
    round: &str,
    n: u64,
    clients: usize,
) -> anyhow::Result<f64> {
    let db = domain::db::connect(url).await?;
    let round = domain::services::rounds::require(&db, round).await?;
    let procedure = domain::services::catalogue::procedure_by_code(&db, "LD-01")
        .await?
        .context("LD-01")?;
    let instrument = domain::services::instruments::load(&db, round.instrument_id).await?;
    let mut criteria: Vec<(String, i32)> = instrument
        .criteria()
        .filter(|(_, c)| CRITERIA.contains(&c.code.as_str()))
        .map(|(_, c)| (c.code.clone(), c.id))
        .collect();
    criteria.sort_by_key(|(_, id)| *id);
    let target = Target {
        round_id: round.id,
        department_id: procedure.department_id,
        procedure_id: procedure.id,
        criteria,
        drivers: domain::services::pair_sums::DriverCriteria::of(&instrument),
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let db = db.clone();
        let target = target.clone();
        let share = n / clients as u64 + u64::from((c as u64) < n % clients as u64);
        tasks.push(tokio::spawn(async move {
            for i in 0..share {
                let key = format!("ref-{c}-{i}-{}", uuid::Uuid::new_v4().simple());
                insert_one(&db, &target, &key, i).await?;
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    db.close().await?;
    Ok(rate)
}

/// Where the reference rows go: the round, the respondent's department and
/// procedure, the criteria answered (by id) and the driver criteria.
#[derive(Clone)]
struct Target {
    round_id: i32,
    department_id: i32,
    procedure_id: i32,
    criteria: Vec<(String, i32)>,
    drivers: domain::services::pair_sums::DriverCriteria,
}

async fn insert_one(
    db: &DatabaseConnection,
    target: &Target,
    key: &str,
    n: u64,
) -> anyhow::Result<()> {
    use sea_orm::TransactionTrait;
    let (round_id, department_id, procedure_id) =
        (target.round_id, target.department_id, target.procedure_id);
    let (criteria, drivers) = (&target.criteria, &target.drivers);
    let backend = db.get_database_backend();
    let sql = |text: String| Statement::from_string(backend, text);
    let txn = db.begin().await?;
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%.6f+00:00");
    let receipt = format!("HL-{}", &key[key.len() - 12..]);
    let row = txn
        .query_one_raw(sql(format!(
            "INSERT INTO responses (round_id, receipt_code, idempotency_key, respondent_type, department_id, \
             procedure_id, submission_method, channel, excluded, submitted_at, created_at) \
             VALUES ({round_id}, '{receipt}', '{key}', 'doanh-nghiep', {department_id}, {procedure_id}, \
             'truc-tuyen', 'web', false, '{now}', '{now}') RETURNING id"
        )))
        .await?
        .context("the new id")?;
    let id: i32 = row.try_get_by_index(0)?;
    let levels: Vec<i64> = (0..criteria.len() as u64)
        .map(|i| ((n + i) % 5 + 1) as i64)
        .collect();
    let values = criteria
        .iter()
        .zip(&levels)
        .map(|((_, criterion), level)| format!("({id}, {criterion}, {level})"))
        .collect::<Vec<_>>()
        .join(", ");
    txn.execute_raw(sql(format!(
        "INSERT INTO answers (response_id, criterion_id, value) VALUES {values}"
    )))
    .await?;
    for ((_, criterion), level) in criteria.iter().zip(&levels) {
        txn.execute_raw(sql(format!(
            "INSERT INTO tallies (round_id, criterion_id, department_id, procedure_id, respondent_type, \
             channel, submission_method, level, count) VALUES ({round_id}, {criterion}, {department_id}, \
             {procedure_id}, 'doanh-nghiep', 'web', 'truc-tuyen', {level}, 1) \
             ON CONFLICT (round_id, criterion_id, department_id, procedure_id, respondent_type, channel, \
             submission_method, level) DO UPDATE SET count = tallies.count + 1"
        )))
        .await?;
    }
    let breakdowns = domain::services::tallies::breakdown_values(
        department_id.into(),
        procedure_id.into(),
        "doanh-nghiep",
        "web",
    )
    .iter()
    .flat_map(|(dimension, value)| {
        criteria
            .iter()
            .zip(&levels)
            .map(move |((_, criterion), level)| {
                format!("({round_id}, '{dimension}', '{value}', {criterion}, {level}, 1)")
            })
    })
    .collect::<Vec<_>>()
    .join(", ");
    txn.execute_raw(sql(format!(
        "INSERT INTO breakdown_tallies (round_id, dimension, value, criterion_id, level, count) \
         VALUES {breakdowns} ON CONFLICT (round_id, dimension, value, criterion_id, level) \
         DO UPDATE SET count = breakdown_tallies.count + excluded.count"
    )))
    .await?;
    txn.execute_raw(sql(format!(
        "INSERT INTO response_tallies (round_id, department_id, procedure_id, respondent_type, channel, \
         submission_method, count) VALUES ({round_id}, {department_id}, {procedure_id}, 'doanh-nghiep', \
         'web', 'truc-tuyen', 1) ON CONFLICT (round_id, department_id, procedure_id, respondent_type, \
         channel, submission_method) DO UPDATE SET count = response_tallies.count + 1"
    )))
    .await?;
    let answers: Vec<(i32, Option<i16>)> = criteria
        .iter()
        .zip(&levels)
        .map(|((_, criterion), level)| (*criterion, Some(*level as i16)))
        .collect();
    let (pairs, complete) = drivers.pairs_of(&answers);
    let pairs = pairs
        .iter()
        .map(|(x, y, vx, vy)| {
            let (vx, vy) = (i64::from(*vx), i64::from(*vy));
            format!(
                "({round_id}, {x}, {y}, 1, {vx}, {vy}, {}, {}, {})",
                vx * vx,
                vy * vy,
                vx * vy
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    txn.execute_raw(sql(format!(
        "INSERT INTO pair_sums (round_id, x_criterion_id, y_criterion_id, n, sum_x, sum_y, sum_xx, \
         sum_yy, sum_xy) VALUES {pairs} ON CONFLICT (round_id, x_criterion_id, y_criterion_id) \
         DO UPDATE SET n = pair_sums.n + excluded.n, sum_x = pair_sums.sum_x + excluded.sum_x, \
         sum_y = pair_sums.sum_y + excluded.sum_y, sum_xx = pair_sums.sum_xx + excluded.sum_xx, \
         sum_yy = pair_sums.sum_yy + excluded.sum_yy, sum_xy = pair_sums.sum_xy + excluded.sum_xy"
    )))
    .await?;
    if complete {
        txn.execute_raw(sql(format!(
            "INSERT INTO complete_responses (round_id, count) VALUES ({round_id}, 1) \
             ON CONFLICT (round_id) DO UPDATE SET count = complete_responses.count + 1"
        )))
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

fn memory_kib(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("{field} in /proc/{pid}/status"))
}

/// Runs `work` while sampling the anonymous resident memory (heap and
/// stacks, not file pages) of process `pid` every 5 ms; returns the
/// work's result and the largest sample in KiB.
pub async fn with_peak_heap<T>(
    pid: u32,
    work: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<(T, u64)> {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        tokio::spawn(async move {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(memory_kib(pid, "RssAnon")?);
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            Ok::<_, anyhow::Error>(peak)
        })
    };
    let result = work.await;
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.await??;
    Ok((result?, peak))
}

/// Seconds to download `url` in full, and its size in bytes.
pub async fn download(client: &reqwest::Client, url: &str) -> anyhow::Result<(f64, u64)> {
    let started = Instant::now();
    let mut reply = client.get(url).send().await?;
    anyhow::ensure!(reply.status() == 200, "GET {url}: {}", reply.status());
    let mut bytes = 0u64;
    while let Some(chunk) = reply.chunk().await? {
        bytes += chunk.len() as u64;
    }
    Ok((started.elapsed().as_secs_f64(), bytes))
}

/// The compressed bytes a browser downloads for the survey page and its
/// assets: (asset, bytes, content encoding).
pub async fn page_weight(page: &str) -> anyhow::Result<Vec<(String, u64, String)>> {
    let client = reqwest::Client::new();
    let origin = page.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    let mut out = Vec::new();
    let page_path = page.trim_start_matches(&origin).to_owned();
    // The bundle's name carries a hash (build_site): read it from the
    // page's stylesheet link.
    let html = client.get(page).send().await?.text().await?;
    let bundle = html
        .split("/pkg/")
        .skip(1)
        .filter_map(|rest| rest.split(['"', '\'']).next())
        .find_map(|file| file.strip_suffix(".css").map(str::to_owned))
        .ok_or_else(|| anyhow::anyhow!("no /pkg/ stylesheet on {page}"))?;
    let assets = [
        page_path.clone(),
        format!("/pkg/{bundle}.css"),
        format!("/pkg/{bundle}.js"),
        format!("/pkg/{bundle}.wasm"),
    ];
    for path in assets.iter().map(String::as_str) {
        let reply = client
            .get(format!("{origin}{path}"))
            .header(reqwest::header::ACCEPT_ENCODING, "br, gzip")
            .send()
            .await?;
        anyhow::ensure!(reply.status() == 200, "GET {path}: {}", reply.status());
        let encoding = reply
            .headers()
            .get(reqwest::header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("identity")
            .to_owned();
        let bytes = reply.bytes().await?.len() as u64;
        let name = if path == page_path {
            "survey page HTML"
        } else {
            path
        };
        out.push((name.to_owned(), bytes, encoding));
    }
    Ok(out)
}

/// Runs `program` with `env` and `args`; wall-clock seconds; it must succeed.
pub fn run(program: &Path, env: &[(&str, &str)], args: &[&str]) -> anyhow::Result<f64> {
    let started = Instant::now();
    let output = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "{} {args:?}: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(started.elapsed().as_secs_f64())
}

/// Runs `sql` with the `sqlite3` tool on `file`, output discarded; seconds.
pub fn sqlite3(file: &Path, args: &[&str], sql: &str) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut child = Command::new("sqlite3")
        .args(args)
        .arg(file)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("the sqlite3 tool (apt-get install sqlite3)")?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(sql.as_bytes())?;
    let output = child.wait_with_output()?;
    anyhow::ensure!(
        output.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(started.elapsed().as_secs_f64())
}

/// The median of `k` runs of `f` (seconds).
pub fn median_run(k: usize, mut f: impl FnMut() -> anyhow::Result<f64>) -> anyhow::Result<f64> {
    let mut times = (0..k).map(|_| f()).collect::<anyhow::Result<Vec<f64>>>()?;
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// Lighthouse on each `(name, url)` through `tests/lighthouse/run.mjs`
/// (Node.js and Debian's Chromium), `runs` times per page.
pub fn lighthouse(runs: usize, pages: &[(&str, String)]) -> anyhow::Result<Vec<Lighthouse>> {
    let mut command = Command::new("node");
    command
        .arg("tests/lighthouse/run.mjs")
        .arg(runs.to_string())
        .args(pages.iter().map(|(name, url)| format!("{name}={url}")))
        .stderr(Stdio::inherit());
    let output = command.output().context("running Lighthouse with node")?;
    anyhow::ensure!(
        output.status.success(),
        "Lighthouse failed: {}",
        output.status
    );
    String::from_utf8(output.stdout)?
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).context("reading Lighthouse's summary"))
        .collect()
}

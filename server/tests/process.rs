//! The `hailong` process itself under stress: killed with SIGKILL during a
//! burst of submissions, stopped with SIGTERM mid-request, backed up while it
//! writes and restored into a fresh database, killed ten times while its
//! outbox sends e-mail, and (when the test command allows it) riding out a
//! PostgreSQL restart and sharing its outbox with a second instance on one
//! PostgreSQL database. Nothing acknowledged is lost.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::model::RoundStatus;
use domain::services::{catalogue, instruments, rounds};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

const HAILONG: &str = env!("CARGO_BIN_EXE_hailong");
const ROUND: &str = "do-ben";

/// A running `hailong serve` on a free port.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(database_url: &str) -> Self {
        Self::start_with(database_url, &[])
    }

    /// Started with these environment variables besides.
    fn start_with(database_url: &str, env: &[(&str, String)]) -> Self {
        let mut child = Command::new(HAILONG)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "error")
            .envs(env.iter().map(|(name, value)| (*name, value.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("hailong starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://") {
                    let _ = sender.send(line[at..].trim().to_owned());
                }
            }
        });
        let base = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("hailong prints its address");
        Self { child, base }
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }

    /// SIGKILL, as `kill -9`.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL sent");
        self.child.wait().expect("the process is reaped");
    }

    /// SIGTERM, then waits for a clean exit.
    fn terminate(mut self) -> std::process::ExitStatus {
        terminate(&self.pid());
        wait_with_timeout(&mut self.child, Duration::from_secs(30))
    }
}

fn terminate(pid: &str) {
    let status = Command::new("kill")
        .args(["-TERM", pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

fn wait_with_timeout(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("the process can be waited for") {
            return status;
        }
        assert!(
            started.elapsed() < limit,
            "the process did not exit in {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hailong-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Migrates the database and opens a round on the default questionnaire.
async fn open_round(database_url: &str) {
    let db = server::prepare_database(database_url).await.unwrap();
    catalogue::upsert_department(&db, "QLDN", "Phòng Quản lý doanh nghiệp", "")
        .await
        .unwrap();
    let instrument = instruments::find(&db, "dvhcc", 1).await.unwrap().unwrap();
    let round = rounds::create(
        &db,
        rounds::NewRound {
            slug: ROUND.to_owned(),
            title_vi: "Khảo sát độ bền".to_owned(),
            title_en: String::new(),
            year: 2026,
            half: 2,
            instrument_id: instrument.id,
            audience: "businesses".to_owned(),
            opens_at: None,
            closes_at: None,
            dossiers_handled: None,
        },
    )
    .await
    .unwrap();
    rounds::set_status(&db, round, RoundStatus::Open)
        .await
        .unwrap();
    db.close().await.unwrap();
}

fn response_body(key: &str, n: u64) -> serde_json::Value {
    let level = |offset: u64| (n + offset) % 5 + 1;
    serde_json::json!({
        "idempotency_key": key,
        "answers": {"A1": level(0), "A2": level(1), "B1": level(2), "C1": level(3), "D1": null, "E1": level(4)},
        "respondent": {"type": "doanh-nghiep", "department": "QLDN"},
        "comment": if n.is_multiple_of(4) { serde_json::Value::from(format!("Góp ý số {n}")) } else { serde_json::Value::Null },
    })
}

/// (idempotency key, receipt code) of every response a client saw acknowledged.
type Acknowledged = Arc<Mutex<Vec<(String, String)>>>;

/// Clients submitting until `stop`; acknowledged responses are recorded.
fn writers(
    base: &str,
    count: usize,
    stop: &Arc<AtomicBool>,
    acknowledged: &Acknowledged,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..count)
        .map(|w| {
            let (base, stop, acknowledged) =
                (base.to_owned(), Arc::clone(stop), Arc::clone(acknowledged));
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .unwrap();
                let mut n = w as u64;
                while !stop.load(Ordering::Relaxed) {
                    n += 7;
                    let key = uuid::Uuid::new_v4().to_string();
                    let sent = client
                        .post(format!("{base}/api/v1/rounds/{ROUND}/responses"))
                        .json(&response_body(&key, n))
                        .send()
                        .await;
                    match sent {
                        Ok(reply) if reply.status() == 201 => {
                            if let Ok(body) = reply.json::<serde_json::Value>().await {
                                let receipt =
                                    body["receipt_code"].as_str().unwrap_or_default().to_owned();
                                acknowledged.lock().unwrap().push((key, receipt));
                            }
                        }
                        // Refused (503 while a database is away) or cut off: not acknowledged.
                        _ => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
            })
        })
        .collect()
}

async fn stop_writers(stop: &Arc<AtomicBool>, handles: Vec<tokio::task::JoinHandle<()>>) {
    stop.store(true, Ordering::Relaxed);
    for handle in handles {
        handle.await.unwrap();
    }
}

/// Every acknowledged response is stored exactly once, with its receipt.
async fn assert_all_stored_once(db: &DatabaseConnection, acknowledged: &[(String, String)]) {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT idempotency_key, receipt_code FROM responses",
        ))
        .await
        .unwrap();
    let mut stored: HashMap<String, Vec<String>> = HashMap::new();
    for row in rows {
        let key: Option<String> = row.try_get_by_index(0).unwrap();
        let receipt: String = row.try_get_by_index(1).unwrap();
        if let Some(key) = key {
            stored.entry(key).or_default().push(receipt);
        }
    }
    for (key, receipt) in acknowledged {
        assert_eq!(
            stored.get(key),
            Some(&vec![receipt.clone()]),
            "acknowledged response {key} is stored exactly once"
        );
    }
}

fn hailong(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(HAILONG)
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "error")
        .output()
        .expect("hailong runs")
}

async fn integrity(path: &Path) -> String {
    let db = domain::db::connect(&sqlite_url(path)).await.unwrap();
    let verdict: String = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    db.close().await.unwrap();
    verdict
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_kills_during_a_burst_lose_no_acknowledged_response() {
    let dir = temp_dir("crash");
    let path = dir.join("crash.db");
    let url = sqlite_url(&path);
    open_round(&url).await;
    let acknowledged: Acknowledged = Arc::default();
    for cycle in 0..30u64 {
        let server = Server::start(&url);
        let stop = Arc::new(AtomicBool::new(false));
        let handles = writers(&server.base, 6, &stop, &acknowledged);
        // Kill at a different moment of the burst each time.
        tokio::time::sleep(Duration::from_millis(120 + (cycle * 53) % 300)).await;
        server.kill();
        stop_writers(&stop, handles).await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 300,
        "a real burst: {} acknowledged",
        acknowledged.len()
    );

    assert_eq!(integrity(&path).await, "ok");
    let db = domain::db::connect(&url).await.unwrap();
    assert_all_stored_once(&db, &acknowledged).await;
    db.close().await.unwrap();
    let verify = hailong(&url, &["verify-tallies"]);
    assert!(
        verify.status.success(),
        "tallies equal the raw recount: {}",
        String::from_utf8_lossy(&verify.stderr)
    );

    // Tallies damaged behind the app's back: found, then repaired.
    let db = domain::db::connect(&url).await.unwrap();
    db.execute_unprepared("UPDATE tallies SET count = count + 2 WHERE level = 4")
        .await
        .unwrap();
    db.close().await.unwrap();
    assert!(!hailong(&url, &["verify-tallies"]).status.success());
    let repaired = hailong(&url, &["verify-tallies", "--repair"]);
    assert!(
        repaired.status.success(),
        "repaired: {}",
        String::from_utf8_lossy(&repaired.stderr)
    );
    assert!(hailong(&url, &["verify-tallies"]).status.success());
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_request_in_flight_finish_and_exits_cleanly() {
    let dir = temp_dir("sigterm");
    let url = sqlite_url(&dir.join("term.db"));
    open_round(&url).await;
    let server = Server::start(&url);
    let address = server.base.trim_start_matches("http://").to_owned();

    let body = response_body("graceful-1", 3).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "POST /api/v1/rounds/{ROUND}/responses HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    terminate(&server.pid());
    std::thread::sleep(Duration::from_millis(300));
    // No new connection is taken once the signal arrived.
    let refused = std::net::TcpStream::connect(&address)
        .and_then(|mut s| {
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
            let mut answer = String::new();
            s.set_read_timeout(Some(Duration::from_secs(2)))?;
            s.read_to_string(&mut answer)?;
            Ok(answer)
        })
        .map_or(true, |answer| answer.is_empty());
    assert!(refused, "new connections are refused while shutting down");
    stream.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "the request in flight finished: {answer}"
    );

    let mut server = server;
    let status = wait_with_timeout(&mut server.child, Duration::from_secs(30));
    assert!(status.success(), "exit status {status}");
    let db = domain::db::connect(&url).await.unwrap();
    assert_eq!(
        db.query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT COUNT(*) FROM responses WHERE idempotency_key = 'graceful-1'"
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap(),
        1
    );
    std::fs::remove_dir_all(dir).ok();
}

/// Every row of every table, as text, in a fixed order.
async fn all_rows(path: &Path) -> Vec<(String, Vec<String>)> {
    let db = domain::db::connect(&sqlite_url(path)).await.unwrap();
    let query = |sql: String| Statement::from_string(DatabaseBackend::Sqlite, sql);
    let tables: Vec<String> = db
        .query_all_raw(query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name".to_owned(),
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index(0).unwrap())
        .collect();
    let mut out = Vec::new();
    for table in tables {
        let columns: Vec<String> = db
            .query_all_raw(query(format!(
                "SELECT name FROM pragma_table_info('{table}')"
            )))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get_by_index(0).unwrap())
            .collect();
        let row_text = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<String> = db
            .query_all_raw(query(format!(
                "SELECT {row_text} FROM \"{table}\" ORDER BY 1"
            )))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get_by_index(0).unwrap())
            .collect();
        out.push((table, rows));
    }
    db.close().await.unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_writing_restores_into_a_fresh_database_with_every_row() {
    let dir = temp_dir("backup");
    let source = dir.join("source.db");
    let url = sqlite_url(&source);
    // Demo data fills every table: rounds, responses, tallies, feedback, holidays, settings, audit.
    let db = server::prepare_database(&url).await.unwrap();
    domain::services::seed::seed_demo(&db).await.unwrap();
    db.close().await.unwrap();
    open_round(&url).await;

    // Online: the copy is taken while clients keep submitting.
    let server = Server::start(&url);
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Acknowledged = Arc::default();
    let handles = writers(&server.base, 3, &stop, &acknowledged);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let online = dir.join("online.db");
    let written = hailong(&url, &["backup", online.to_str().unwrap()]);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop_writers(&stop, handles).await;
    assert!(
        !acknowledged.lock().unwrap().is_empty(),
        "writes went on around the backup"
    );
    // A restore over the database a server is using is refused, and the
    // database, its journal and the backup are readable by their owner only.
    let refused = hailong(&url, &["restore", "--replace", online.to_str().unwrap()]);
    assert!(
        !refused.status.success()
            && String::from_utf8_lossy(&refused.stderr).contains("a server is using this database"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [source.clone(), online.clone()] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
    assert_eq!(integrity(&online).await, "ok");
    let consistent = hailong(&sqlite_url(&online), &["verify-tallies"]);
    assert!(
        consistent.status.success(),
        "the online copy is consistent: {}",
        String::from_utf8_lossy(&consistent.stderr)
    );
    assert!(server.terminate().success());

    // The drill: back up, restore into a fresh database, compare every table.
    let quiet = dir.join("backups").join("quiet.db");
    assert!(
        hailong(&url, &["backup", quiet.to_str().unwrap()])
            .status
            .success()
    );
    let again = hailong(&url, &["backup", quiet.to_str().unwrap()]);
    assert!(
        !again.status.success()
            && String::from_utf8_lossy(&again.stderr).contains("exists already")
    );
    let restored = dir.join("fresh").join("restored.db");
    let restore = hailong(
        &sqlite_url(&restored),
        &["restore", quiet.to_str().unwrap()],
    );
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    let original_rows = all_rows(&source).await;
    assert!(
        original_rows.len() >= 20,
        "every table: {}",
        original_rows.len()
    );
    assert!(
        original_rows
            .iter()
            .filter(|(_, rows)| !rows.is_empty())
            .count()
            >= 15
    );
    assert_eq!(all_rows(&restored).await, original_rows);

    // An existing database is replaced only when asked, and kept aside.
    let refused = hailong(
        &sqlite_url(&restored),
        &["restore", quiet.to_str().unwrap()],
    );
    assert!(
        !refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("--replace")
    );
    let replaced = hailong(
        &sqlite_url(&restored),
        &["restore", "--replace", online.to_str().unwrap()],
    );
    assert!(
        replaced.status.success(),
        "{}",
        String::from_utf8_lossy(&replaced.stderr)
    );
    let kept = std::fs::read_dir(restored.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains(".before-restore-"));
    assert!(kept);
    // Not a database: refused with a reason.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let refused = hailong(
        &sqlite_url(&dir.join("other.db")),
        &["restore", junk.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_catalogue_command_previews_applies_all_or_nothing_and_exports() {
    let dir = temp_dir("catalogue");
    let url = sqlite_url(&dir.join("catalogue.db"));
    let file = dir.join("danh-muc.csv");
    std::fs::write(
        &file,
        "kind,code,name_vi,name_en,field,department,active\n\
         department,QLDN,Phòng Quản lý doanh nghiệp,,,,1\n\
         procedure,1.001234,Cấp giấy phép lao động,,Lao động,QLDN,1\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let preview = hailong(&url, &["catalogue", "import", file, "--dry-run"]);
    let shown = String::from_utf8_lossy(&preview.stdout);
    assert!(
        preview.status.success(),
        "{}",
        String::from_utf8_lossy(&preview.stderr)
    );
    assert!(
        shown.contains("added") && shown.contains("1.001234") && shown.contains("Would change 2")
    );
    let exported = hailong(&url, &["catalogue", "export"]);
    assert_eq!(
        String::from_utf8_lossy(&exported.stdout).lines().count(),
        1,
        "a dry run stores nothing"
    );

    let applied = hailong(&url, &["catalogue", "import", file]);
    assert!(String::from_utf8_lossy(&applied.stdout).contains("Changed 2"));
    let exported = hailong(&url, &["catalogue", "export"]);
    let text = String::from_utf8_lossy(&exported.stdout).into_owned();
    assert!(
        text.contains(
            r#""procedure","1.001234","Cấp giấy phép lao động","","Lao động","QLDN","1""#
        ),
        "{text}"
    );

    let bad = dir.join("sai.csv");
    std::fs::write(
        &bad,
        "kind,code,name_vi\nprocedure,9.9,Thủ tục không có phòng\n",
    )
    .unwrap();
    let refused = hailong(&url, &["catalogue", "import", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let errors = String::from_utf8_lossy(&refused.stderr);
    assert!(errors.contains("dòng 2 · department"), "{errors}");
    std::fs::remove_dir_all(dir).ok();
}

/// Stops and starts the local PostgreSQL under load. Run by the test
/// command with `HAILONG_PG_STOP`, `HAILONG_PG_START` and `TEST_DATABASE_URL`
/// (a database of its own).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "stops the local PostgreSQL; ./scripts/test runs it"]
async fn the_server_rides_out_a_postgresql_restart() {
    let url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let stop_command = std::env::var("HAILONG_PG_STOP").expect("HAILONG_PG_STOP");
    let start_command = std::env::var("HAILONG_PG_START").expect("HAILONG_PG_START");
    let shell = |command: &str| {
        let status = Command::new("sh").args(["-c", command]).status().unwrap();
        assert!(status.success(), "{command}");
    };
    open_round(&url).await;
    let mut server = Server::start(&url);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Acknowledged = Arc::default();
    let handles = writers(&server.base, 4, &stop, &acknowledged);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = acknowledged.lock().unwrap().len();
    assert!(before > 0);

    shell(&stop_command);
    let down = Instant::now();
    let health = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    let asked = Instant::now();
    let refused = client
        .post(format!("{}/api/v1/rounds/{ROUND}/responses", server.base))
        .json(&response_body("while-down", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "answered promptly: {:?}",
        asked.elapsed()
    );
    assert!(refused.headers().contains_key("retry-after"));
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    tokio::time::sleep(Duration::from_secs(1).saturating_sub(down.elapsed())).await;
    shell(&start_command);

    let back = Instant::now();
    loop {
        let health = client.get(format!("{}/healthz", server.base)).send().await;
        if health.is_ok_and(|h| h.status() == 200) {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(60),
            "the server recovers by itself"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let recovered_at = acknowledged.lock().unwrap().len();
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop_writers(&stop, handles).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > recovered_at,
        "submissions succeed again"
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server stayed up"
    );

    let db = domain::db::connect(&url).await.unwrap();
    assert_all_stored_once(&db, &acknowledged).await;
    db.close().await.unwrap();
    assert!(server.terminate().success());
}

#[path = "../../tests/support/aiosmtpd.rs"]
mod aiosmtpd;

/// The real SMTP server, writing into `dir`.
struct SmtpSink {
    server: aiosmtpd::Aiosmtpd,
}

impl SmtpSink {
    fn start(dir: &Path) -> Self {
        Self {
            server: aiosmtpd::Aiosmtpd::start(dir.join("maildir")),
        }
    }

    /// The Message-ID of every message accepted, in no particular order.
    fn message_ids(&self) -> Vec<String> {
        self.server
            .raw_messages()
            .into_iter()
            .map(|raw| {
                String::from_utf8_lossy(&raw)
                    .lines()
                    .take_while(|line| !line.is_empty())
                    .find_map(|line| {
                        let (name, value) = line.split_once(':')?;
                        name.eq_ignore_ascii_case("message-id")
                            .then(|| value.trim().to_owned())
                    })
                    .expect("every message has a Message-ID")
            })
            .collect()
    }
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Records `n` feedback items from the web, each with the sender's e-mail:
/// `n` acknowledgements wait in the outbox.
async fn queue_acknowledgements(db: &DatabaseConnection, n: i64) {
    use domain::model::SenderContact;
    use domain::services::feedback::{self, NewFeedback, Recorder};
    for i in 0..n {
        let new = NewFeedback {
            channel: "web".to_owned(),
            received_at: None,
            subject: String::new(),
            content: format!("Đề nghị hướng dẫn rõ hơn thủ tục số {i}."),
            category: String::new(),
            department: String::new(),
            procedure: String::new(),
            sender: SenderContact {
                email: format!("nguoi{i}@doanhnghiep{}.example.vn", i % 7),
                ..SenderContact::default()
            },
            consent_to_publish: false,
        };
        feedback::record(db, Recorder::Sender, new).await.unwrap();
    }
    assert_eq!(count(db, "SELECT COUNT(*) FROM outbox_messages").await, n);
}

/// What a sending `hailong serve` needs besides its database.
fn sender_env(smtp_url: &str) -> [(&'static str, String); 5] {
    [
        ("HAILONG_SMTP_URL", smtp_url.to_owned()),
        (
            "HAILONG_MAIL_FROM",
            "Ban Quản lý KKT <khaosat@bqlkkt.example.vn>".to_owned(),
        ),
        ("HAILONG_PUBLIC_URL", "http://hailong.test".to_owned()),
        ("HAILONG_MAIL_PER_MINUTE", "100000".to_owned()),
        ("HAILONG_MAIL_PER_DOMAIN_PER_MINUTE", "100000".to_owned()),
    ]
}

/// Waits until `n` messages are sent, at most two minutes.
async fn wait_until_sent(db: &DatabaseConnection, n: i64) {
    let started = Instant::now();
    let sent = "SELECT COUNT(*) FROM outbox_messages WHERE status = 'sent'";
    while count(db, sent).await < n {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "not all sent: {} of {n}",
            count(db, sent).await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `hailong serve` killed with SIGKILL ten times while its sender delivers
/// 200 acknowledgements: every message arrives. A message goes out again
/// only when a kill fell between the mail server's acceptance and the
/// outbox's record of it (at most one per kill: the sender sends one at a
/// time), and then with the same Message-ID, so the receiver recognises the
/// repeat.
#[tokio::test(flavor = "multi_thread")]
async fn ten_kills_while_sending_lose_no_message() {
    const MESSAGES: i64 = 200;
    let dir = temp_dir("outbox-kill");
    let database_url = sqlite_url(&dir.join("hailong.db"));
    let db = server::prepare_database(&database_url).await.unwrap();
    queue_acknowledgements(&db, MESSAGES).await;
    let sink = SmtpSink::start(&dir);
    let env = sender_env(&format!("smtp://127.0.0.1:{}", sink.server.port));
    let mut kills = 0;
    while kills < 10 {
        let before = sink.message_ids().len();
        if before as i64 >= MESSAGES {
            break;
        }
        let server = Server::start_with(&database_url, &env);
        // Killed in the middle of a batch: once a few more have arrived.
        let started = Instant::now();
        while sink.message_ids().len() < before + 3 && started.elapsed() < Duration::from_secs(15) {
            std::thread::sleep(Duration::from_millis(5));
        }
        server.kill();
        kills += 1;
        // The killed sender's claim would lapse with its lease; let it lapse now.
        db.execute_unprepared(
            "UPDATE outbox_messages SET claimed_until = NULL WHERE status = 'queued'",
        )
        .await
        .unwrap();
    }
    assert!(
        kills >= 5,
        "the sender was killed only {kills} times before it finished"
    );
    let server = Server::start_with(&database_url, &env);
    wait_until_sent(&db, MESSAGES).await;
    server.terminate();

    let ids = sink.message_ids();
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len() as i64, MESSAGES, "every message arrived");
    let repeats = ids.len() - distinct.len();
    println!(
        "{kills} kills, {} messages received, {repeats} repeats",
        ids.len()
    );
    assert!(
        repeats <= kills,
        "{repeats} repeats after {kills} kills: only a message in flight at a kill may go twice"
    );
    // Each repeat is the outbox row's own Message-ID, the same as the first time.
    for id in &distinct {
        assert!(id.starts_with("<hailong-outbox-"), "{id}");
    }
    db.close().await.unwrap();
}

/// Two `hailong serve` on one PostgreSQL database share its outbox: each
/// claims rows the other has not (row locks, skipping locked rows), so 200
/// acknowledgements arrive exactly once each.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL (TEST_DATABASE_URL); ./scripts/test runs it"]
async fn two_instances_on_one_postgresql_never_send_a_message_twice() {
    const MESSAGES: i64 = 200;
    let server_url =
        std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL names a PostgreSQL database");
    assert!(
        server_url.starts_with("postgres"),
        "{server_url} is not PostgreSQL"
    );
    // A database of its own, beside the one the other tests use.
    let name = format!("hailong_outbox_{}", uuid::Uuid::new_v4().simple());
    let (prefix, _) = server_url.rsplit_once('/').expect("a database in the URL");
    let database_url = format!("{prefix}/{name}");
    let admin = sea_orm::Database::connect(&server_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let db = server::prepare_database(&database_url).await.unwrap();
    queue_acknowledgements(&db, MESSAGES).await;
    let dir = temp_dir("outbox-two");
    let sink = SmtpSink::start(&dir);
    let env = sender_env(&format!("smtp://127.0.0.1:{}", sink.server.port));
    let (first, second) = (
        Server::start_with(&database_url, &env),
        Server::start_with(&database_url, &env),
    );
    wait_until_sent(&db, MESSAGES).await;
    first.terminate();
    second.terminate();
    let ids = sink.message_ids();
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len() as i64, MESSAGES, "every message arrived");
    assert_eq!(ids.len(), distinct.len(), "no message was sent twice");
    db.close().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}

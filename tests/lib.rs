//! The harness of the integration tests: each test gets the real router on
//! its own fresh database, migrated by the real migrations.
//!
//! SQLite by default (a temporary file). With `TEST_DATABASE_URL` set to a
//! PostgreSQL URL, each test gets its own schema in that database instead.

use std::path::PathBuf;

#[path = "support/aiosmtpd.rs"]
pub mod aiosmtpd;

use app::ssr::AppState;
use axum::Router;
use axum::body::Body;
use domain::model::RoundStatus;
use domain::services::{catalogue, instruments, rounds};
use http::{HeaderMap, Request, StatusCode, header};
use leptos::config::LeptosOptions;
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tower::ServiceExt;

pub struct TestApp {
    pub db: DatabaseConnection,
    pub router: Router,
    pub backend: &'static str,
    sqlite_file: Option<PathBuf>,
    /// The PostgreSQL URL and schema of this test.
    postgres: Option<(String, String)>,
}

/// A browser: its CSRF cookie (sent with every request and as the form
/// field) and, once signed in, its session cookie.
#[derive(Clone, Debug)]
pub struct Browser {
    pub csrf: String,
    pub session: Option<String>,
    /// A one-time form flash the previous response left.
    pub flash: Option<String>,
}

impl Browser {
    pub fn anonymous() -> Self {
        Self {
            csrf: "c".repeat(64),
            session: None,
            flash: None,
        }
    }

    /// A browser holding the session `token`: its CSRF token is the session's.
    pub fn signed_in(token: String) -> Self {
        Self {
            csrf: domain::secrets::session_csrf_token(&token),
            session: Some(token),
            flash: None,
        }
    }

    pub fn cookie_header(&self) -> String {
        let mut cookies = format!("__Host-hl_csrf={}", self.csrf);
        if let Some(token) = &self.session {
            cookies.push_str(&format!("; __Host-hl_session={token}"));
        }
        if let Some(flash) = &self.flash {
            cookies.push_str(&format!("; __Host-hl_flash={flash}"));
        }
        cookies
    }

    /// This browser after `reply`: it carries the flash the reply set, if any.
    pub fn after(&self, reply: &Reply) -> Browser {
        let flash = reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|c| c.to_str().ok())
            .find_map(|c| {
                c.strip_prefix("__Host-hl_flash=")
                    .map(|v| v.split(';').next().unwrap_or_default().to_owned())
            });
        Browser {
            flash,
            ..self.clone()
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

/// A response as the tests read it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

fn test_leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("hailong")
        .site_root("target/site")
        .build()
}

impl TestApp {
    /// A migrated, empty database with the default instruments.
    pub async fn empty() -> Self {
        let (db, sqlite_file, postgres) = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => {
                let (db, schema) = postgres_schema(&url).await;
                (db, None, Some((url, schema)))
            }
            _ => {
                let file =
                    std::env::temp_dir().join(format!("hailong-test-{}.db", uuid::Uuid::new_v4()));
                let url = format!("sqlite://{}", file.display());
                let db = domain::db::connect(&url).await.expect("open SQLite");
                (db, Some(file), None)
            }
        };
        domain::db::migrate(&db).await.expect("migrations run");
        instruments::install_defaults(&db)
            .await
            .expect("default instruments install");
        let backend = domain::db::backend_name(&db);
        let state = AppState {
            db: db.clone(),
            leptos_options: test_leptos_options(),
            public_url: None,
            mail_configured: false,
            sms_configured: false,
        };
        Self {
            router: server::router(state, server::SecurityConfig::default()),
            db,
            backend,
            sqlite_file,
            postgres,
        }
    }

    /// The router on a connection to this test's database that the database
    /// itself refuses to let write: SQLite opened read-only, or PostgreSQL
    /// with read-only transactions.
    pub async fn read_only_router(&self) -> Router {
        self.router_on_own_pool(
            |sqlite| sqlite.read_only(true),
            ("default_transaction_read_only", "on"),
        )
        .await
    }

    /// The router on a pool of its own to this test's database: SQLite's
    /// connections as `sqlite` sets them, PostgreSQL's with the session
    /// setting `postgres` (name, value).
    async fn router_on_own_pool(
        &self,
        sqlite: impl FnOnce(SqliteConnectOptions) -> SqliteConnectOptions,
        postgres: (&str, &str),
    ) -> Router {
        let db = match (&self.sqlite_file, &self.postgres) {
            (Some(file), _) => {
                let options = sqlite(SqliteConnectOptions::new().filename(file));
                let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(2)
                    .connect_with(options)
                    .await
                    .expect("open SQLite");
                sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
            }
            (None, Some((url, schema))) => {
                let setting = (postgres.0.to_owned(), postgres.1.to_owned());
                let mut options = sea_orm::ConnectOptions::new(url.clone());
                options
                    .max_connections(2)
                    .sqlx_logging(false)
                    .set_schema_search_path(schema.clone())
                    .map_sqlx_postgres_opts(move |o| o.options([setting.clone()]));
                sea_orm::Database::connect(options)
                    .await
                    .expect("open PostgreSQL")
            }
            (None, None) => unreachable!("a test database is SQLite or PostgreSQL"),
        };
        self.router_on(db)
    }

    /// The router on a SQLite connection that may grow the file by only a
    /// few pages, as on a disk about to be full. `None` on PostgreSQL.
    pub async fn nearly_full_router(&self, spare_pages: u64) -> Option<Router> {
        let file = self.sqlite_file.as_ref()?;
        let pages = self
            .scalar("SELECT page_count FROM pragma_page_count()")
            .await;
        let limit = u64::try_from(pages).unwrap_or(0) + spare_pages;
        let options = sea_orm::sqlx::sqlite::SqliteConnectOptions::new()
            .filename(file)
            .foreign_keys(true)
            .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            .pragma("max_page_count", limit.to_string());
        let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .expect("open SQLite");
        Some(self.router_on(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)))
    }

    /// The router on a connection that gives up at once when another
    /// transaction holds a lock it needs: SQLite without a busy timeout,
    /// PostgreSQL with a lock timeout of a tenth of a second.
    pub async fn impatient_router(&self) -> Router {
        self.router_on_own_pool(
            |sqlite| {
                sqlite
                    .foreign_keys(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .busy_timeout(std::time::Duration::ZERO)
            },
            ("lock_timeout", "100ms"),
        )
        .await
    }

    fn router_on(&self, db: DatabaseConnection) -> Router {
        self.router_with(db, server::SecurityConfig::default())
    }

    /// The router on this test's database with other security settings.
    pub fn router_with_security(&self, config: server::SecurityConfig) -> Router {
        self.router_with(self.db.clone(), config)
    }

    fn router_with(&self, db: DatabaseConnection, config: server::SecurityConfig) -> Router {
        let state = AppState {
            db,
            leptos_options: test_leptos_options(),
            public_url: None,
            mail_configured: false,
            sms_configured: false,
        };
        server::router(state, config)
    }

    /// A signed-in browser of a new user with `role` (and, for staff, these departments).
    pub async fn sign_in(&self, role: domain::model::Role, departments: &[&str]) -> Browser {
        let user_id = self.create_user(role, departments).await;
        let token = domain::services::sessions::open_for(&self.db, user_id, chrono::Utc::now())
            .await
            .expect("session opened");
        Browser::signed_in(token)
    }

    /// Records a hotline call with `content` from a sender with full contact data; its id.
    pub async fn record_feedback(&self, content: &str) -> i32 {
        self.record_feedback_in("", content).await
    }

    /// The same, for the department with this code ("" for none yet).
    pub async fn record_feedback_in(&self, department: &str, content: &str) -> i32 {
        use domain::services::feedback::{self, NewFeedback, Recorder};
        let staff = domain::auth::Principal {
            user_id: None,
            token_id: None,
            name: "test".to_owned(),
            display_name: "Test".to_owned(),
            role: domain::model::Role::Admin,
            department_ids: Vec::new(),
            can_triage: true,
            scopes: None,
        };
        feedback::record(
            &self.db,
            Recorder::Staff(&staff, ""),
            NewFeedback {
                channel: "hotline".to_owned(),
                content: content.to_owned(),
                department: department.to_owned(),
                sender: domain::model::SenderContact {
                    name: "Nguyễn Thị Mai".to_owned(),
                    address: "KCN Bắc Chu Lai".to_owned(),
                    phone: "0905 123 456".to_owned(),
                    email: String::new(),
                },
                ..NewFeedback::default()
            },
        )
        .await
        .expect("feedback recorded")
        .id
    }

    /// A new API token of `role` with `scopes`, made on the command line: (its id, the token).
    pub async fn token(
        &self,
        name: &str,
        role: domain::model::Role,
        scopes: &[domain::model::Scope],
    ) -> (i32, String) {
        let (stored, token) = domain::services::tokens::create(
            &self.db,
            &domain::services::audit::Actor::cli(),
            domain::services::tokens::NewToken {
                name: name.to_owned(),
                role,
                scopes: scopes.to_vec(),
                expires_at: None,
            },
        )
        .await
        .expect("token created");
        (stored.id, token)
    }

    /// A new user with the password "correct horse battery"; returns its id.
    pub async fn create_user(&self, role: domain::model::Role, departments: &[&str]) -> i32 {
        self.create_user_with(role, departments, false).await
    }

    /// A signed-in staff member of `departments` who may also triage unassigned feedback.
    pub async fn sign_in_triage(&self, departments: &[&str]) -> Browser {
        let user_id = self
            .create_user_with(domain::model::Role::Staff, departments, true)
            .await;
        let token = domain::services::sessions::open_for(&self.db, user_id, chrono::Utc::now())
            .await
            .expect("session opened");
        Browser {
            session: Some(token),
            ..Browser::anonymous()
        }
    }

    /// A new user, who may triage when `can_triage`; returns its id.
    pub async fn create_user_with(
        &self,
        role: domain::model::Role,
        departments: &[&str],
        can_triage: bool,
    ) -> i32 {
        let username = format!(
            "{}-{}",
            role.code(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let user = domain::services::accounts::create_user(
            &self.db,
            &domain::services::audit::Actor::cli(),
            domain::services::accounts::NewUser {
                username,
                display_name: format!("Test {}", role.code()),
                password: "correct horse battery".to_owned(),
                role,
                departments: departments.iter().map(|d| (*d).to_owned()).collect(),
                can_triage,
            },
        )
        .await
        .expect("user created");
        user.id
    }

    /// One connection of its own to this test's database, for migrating
    /// down and up in the middle of a test: a pooled SQLite connection that
    /// did not see a column dropped by another one refuses to add it again
    /// ("duplicate column name"), so the schema changes go through one.
    pub async fn single_connection(&self) -> DatabaseConnection {
        let mut options = match (&self.sqlite_file, &self.postgres) {
            (Some(file), _) => sea_orm::ConnectOptions::new(format!("sqlite://{}", file.display())),
            (None, Some((url, schema))) => {
                let mut options = sea_orm::ConnectOptions::new(url.clone());
                options.set_schema_search_path(schema.clone());
                options
            }
            (None, None) => unreachable!("a test database is SQLite or PostgreSQL"),
        };
        options
            .max_connections(1)
            .min_connections(1)
            .sqlx_logging(false);
        sea_orm::Database::connect(options)
            .await
            .expect("a connection of its own")
    }

    /// The demo catalogue and one open round `test-round` on the `dvhcc` instrument, without responses.
    pub async fn with_open_round() -> Self {
        let app = Self::empty().await;
        app.add_catalogue().await;
        app.add_round("test-round", RoundStatus::Open).await;
        app
    }

    pub async fn add_catalogue(&self) {
        let qldn = catalogue::upsert_department(
            &self.db,
            "QLDN",
            "Phòng Quản lý doanh nghiệp",
            "Enterprise Management Division",
        )
        .await
        .unwrap();
        let qldt = catalogue::upsert_department(
            &self.db,
            "QLDT",
            "Phòng Quản lý đầu tư",
            "Investment Management Division",
        )
        .await
        .unwrap();
        catalogue::upsert_procedure(
            &self.db,
            "LD-01",
            "Cấp giấy phép lao động cho người lao động nước ngoài",
            "Work permit",
            qldn.id,
        )
        .await
        .unwrap();
        catalogue::upsert_procedure(
            &self.db,
            "DT-01",
            "Cấp Giấy chứng nhận đăng ký đầu tư",
            "Investment registration certificate",
            qldt.id,
        )
        .await
        .unwrap();
    }

    pub async fn add_round(
        &self,
        slug: &str,
        status: RoundStatus,
    ) -> domain::entities::round::Model {
        let instrument = instruments::find(&self.db, "dvhcc", 1)
            .await
            .unwrap()
            .unwrap();
        let round = rounds::create(
            &self.db,
            rounds::NewRound {
                slug: slug.to_owned(),
                title_vi: "Khảo sát thử nghiệm".to_owned(),
                title_en: "Test survey".to_owned(),
                year: 2026,
                half: 2,
                instrument_id: instrument.id,
                audience: "businesses,citizens".to_owned(),
                opens_at: None,
                closes_at: None,
                dossiers_handled: Some(1200),
            },
        )
        .await
        .unwrap();
        let mut round = round;
        for step in [
            RoundStatus::Open,
            RoundStatus::Closed,
            RoundStatus::Published,
        ] {
            if status == RoundStatus::Draft {
                break;
            }
            round = rounds::set_status(&self.db, round, step).await.unwrap();
            if step == status {
                break;
            }
        }
        round
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        send(self.router.clone(), request).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.get_as(&Browser::anonymous(), path).await
    }

    pub async fn get_as(&self, browser: &Browser, path: &str) -> Reply {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .header(header::COOKIE, browser.cookie_header())
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> Reply {
        self.send(json_request(path, body)).await
    }

    /// Posts a form the way a browser without JavaScript does, with its CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(String, String)]) -> Reply {
        self.post_form_as(&Browser::anonymous(), path, fields).await
    }

    pub async fn post_form_as(
        &self,
        browser: &Browser,
        path: &str,
        fields: &[(String, String)],
    ) -> Reply {
        let mut fields = fields.to_vec();
        fields.push(("csrf_token".to_owned(), browser.csrf.clone()));
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .header(header::REFERER, "http://localhost/s/test-round")
                .header(header::COOKIE, browser.cookie_header())
                .body(Body::from(form_urlencoded(&fields)))
                .unwrap(),
        )
        .await
    }

    /// The raw bytes of a GET (for binary downloads).
    pub async fn get_bytes(&self, browser: &Browser, path: &str) -> Vec<u8> {
        let response = self
            .router
            .clone()
            .oneshot(
                Request::get(path)
                    .header(header::COOKIE, browser.cookie_header())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .expect("router answers");
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    /// Posts a multipart form with one file, as a browser uploads it.
    pub async fn post_upload_as(
        &self,
        browser: &Browser,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        file: &[u8],
    ) -> Reply {
        self.post_upload_accepting(browser, path, fields, file_name, file, "text/html")
            .await
    }

    /// The same upload from a script that asks for `accept` (e.g. JSON).
    pub async fn post_upload_accepting(
        &self,
        browser: &Browser,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        file: &[u8],
        accept: &str,
    ) -> Reply {
        let boundary = "----hailong-test-boundary";
        let mut body = Vec::new();
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", browser.csrf.as_str()));
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(path)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::ACCEPT, accept)
                .header(header::COOKIE, browser.cookie_header())
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Counts the rows of `table`.
    pub async fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))
            .await
    }

    /// Runs a statement (a test moving a date, say).
    pub async fn execute(&self, sql: &str) {
        self.db
            .execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The text of the one row's first column.
    pub async fn scalar_text(&self, sql: &str) -> String {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(backend, sql.to_owned()))
            .await
            .expect("query runs")
            .expect("one row");
        row.try_get_by_index::<String>(0).expect("a text")
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(backend, sql.to_owned()))
            .await
            .expect("query runs")
            .expect("one row");
        row.try_get_by_index::<i64>(0).expect("an integer")
    }
}

/// The text of the first element whose start tag contains `marker`
/// (e.g. `data-testid="overall-index"`), whatever the attribute order.
pub fn element_text(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find('<')?;
    Some(html[start..end].to_owned())
}

/// Sends `request` through `router` (a clone can go to another task).
pub async fn send(router: Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.expect("router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body reads");
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub fn json_request(path: &str, body: &serde_json::Value) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// Percent-encodes form fields as a browser does.
pub fn form_urlencoded(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

async fn postgres_schema(url: &str) -> (DatabaseConnection, String) {
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = domain::db::connect(url).await.expect("open PostgreSQL");
    admin
        .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("create the test schema");
    admin.close().await.ok();
    let db = domain::db::connect_with_schema(url, &schema)
        .await
        .expect("open the test schema");
    (db, schema)
}

//! The `hailong` server: configuration, the HTTP router (Leptos pages,
//! server functions, the JSON API, health) and start-up.

pub mod api;
pub mod backup;
pub mod cli;
pub mod config;
pub mod health;
pub mod logo;
pub mod open311;
pub mod personal_data;
pub mod security;

use std::sync::Arc;

use anyhow::Context;
use app::ssr::AppState;
use app::{App, shell};
use axum::Router;
use axum::http::StatusCode;
use axum::middleware::from_fn;
use axum::routing::get;
use domain::db;
use domain::services::instruments;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use security::SecurityConfig;

pub use security::body_limit::{BODY_LIMIT_BYTES, UPLOAD_LIMIT_BYTES};

/// Longest wait between two pieces of a request body.
pub const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
/// Longest a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
/// Requests served at once by one process; more wait their turn.
pub const MAX_REQUESTS_IN_FLIGHT: usize = 256;

/// Opens the database, applies migrations and installs the default instruments.
pub async fn prepare_database(database_url: &str) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let connection = db::connect(database_url)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(database_url)))?;
    db::migrate(&connection)
        .await
        .context("migrations failed")?;
    instruments::install_defaults(&connection)
        .await
        .map_err(|e| anyhow::anyhow!("installing the default instruments failed: {e}"))?;
    domain::services::feedback::reindex_search(&connection)
        .await
        .map_err(|e| anyhow::anyhow!("indexing feedback for search failed: {e}"))?;
    db::restrict_sqlite_files(database_url).context("making the database private")?;
    Ok(connection)
}

/// Hides the password of a database URL in messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Every route of the platform, behind the security middleware.
pub fn router(state: AppState, security_config: SecurityConfig) -> Router {
    let leptos_options = state.leptos_options.clone();
    let routes = generate_route_list(App);
    let limits = Arc::new(security::RateLimits::new(
        !security_config.without_rate_limits,
    ));
    let (api_router, openapi) = api::router(&limits).split_for_parts();
    let openapi = Arc::new(openapi);

    let routes = Router::new()
        .merge(api_router)
        .merge(open311::router(&limits))
        .route(
            app::pages::PERSON_EXPORT_PATH,
            axum::routing::post(personal_data::export),
        )
        .route("/agency/logo", get(logo::logo))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let openapi = Arc::clone(&openapi);
                async move { axum::Json(openapi.as_ref().clone()) }
            }),
        )
        .leptos_routes(&state, routes, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(CompressionLayer::new())
        .with_state(state.clone());
    security::around(routes, &state, &security_config, limits)
        .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT_BYTES))
        // A client that stops sending its body, or a request that never
        // finishes, does not hold a worker and a connection for ever.
        .layer(RequestBodyTimeoutLayer::new(BODY_READ_TIMEOUT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(GlobalConcurrencyLimitLayer::new(MAX_REQUESTS_IN_FLIGHT))
        .layer(from_fn(security::headers::hardened))
        .layer(TraceLayer::new_for_http())
}

/// Leptos' options from the environment and .cargo/config.toml, with the
/// listen address and site root of `config`.
pub fn leptos_options(config: &Config) -> anyhow::Result<LeptosOptions> {
    let mut options = leptos::config::get_configuration(None)
        .context("reading the Leptos configuration")?
        .leptos_options;
    options.site_addr = config.listen;
    options.site_root = config.site_root.clone().into();
    if let Some(bundle) = bundle_name(std::path::Path::new(&config.site_root)) {
        options.output_name = bundle.into();
    }
    Ok(options)
}

/// The name of the built bundle, `hailong.<hash>`, that `build_site` writes
/// to `pkg/bundle.txt`; the pages then ask for `pkg/hailong.<hash>.{js,wasm,css}`.
pub fn bundle_name(site_root: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(site_root.join("pkg").join("bundle.txt")).ok()?;
    let name = text.trim();
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    plain.then(|| name.to_owned())
}

/// Serves until SIGTERM or Ctrl-C, letting requests in flight finish.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let connection = prepare_database(&config.database_url).await?;
    // While this process serves, `hailong restore` refuses to replace the file.
    let _serving = hold_serving_lock(&config.database_url)?;
    tokio::spawn(purge_daily(connection.clone()));
    tokio::spawn(close_rounds_on_time(connection.clone()));
    tokio::spawn(scan_speeders(connection.clone()));
    tokio::spawn(send_messages(
        connection.clone(),
        mailer(&config)?,
        sms_gateway(&config)?,
        webhook_sender()?,
        config.public_url.clone(),
    ));
    let state = AppState {
        db: connection,
        leptos_options: leptos_options(&config)?,
        public_url: config.public_url.clone(),
        mail_configured: config.mail.is_some(),
        sms_configured: config.sms.is_some(),
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, database = db::backend_name(&state.db), "Hài Lòng is listening");
    println!("Hài Lòng đang chạy tại / is running at http://{address}");
    let security = SecurityConfig {
        trust_proxy: config.trust_proxy,
        insecure_cookies: config.insecure_cookies,
        without_rate_limits: config.without_rate_limits,
    };
    let service =
        router(state, security).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")?;
    tracing::info!("stopped");
    Ok(())
}

/// Erases contacts past their retention period a minute after start and
/// then once a day. Several instances may run it: erasing twice is harmless.
async fn purge_daily(db: sea_orm::DatabaseConnection) {
    let mut ticks = tokio::time::interval_at(
        tokio::time::Instant::now() + std::time::Duration::from_secs(60),
        std::time::Duration::from_secs(24 * 3600),
    );
    loop {
        ticks.tick().await;
        match domain::services::retention::purge(&db, chrono::Utc::now(), false).await {
            // Counts only: nothing personal reaches the log.
            Ok(purged) => tracing::info!(
                feedback_items = purged.feedback_items,
                invitations = purged.invitations,
                drafts = purged.drafts,
                "daily purge of personal data past its retention period"
            ),
            Err(err) => tracing::warn!("daily purge failed: {err}"),
        }
    }
}

/// Writes the closing of rounds whose closing time has passed, every 30
/// seconds. Pages and the API apply the schedule themselves in between
/// (`rounds::status`); this makes the stored status and the audit log
/// follow. Several instances may run it: each round is closed once.
async fn close_rounds_on_time(db: sea_orm::DatabaseConnection) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(30));
    loop {
        ticks.tick().await;
        match domain::services::rounds::close_due(&db, chrono::Utc::now()).await {
            Ok(closed) if !closed.is_empty() => {
                tracing::info!(rounds = ?closed, "closed at their closing time")
            }
            Ok(_) => {}
            Err(err) => tracing::warn!("closing rounds on time failed: {err}"),
        }
    }
}

/// Flags the speeders of every open round against its median completion
/// time, every five minutes (the review page scans its round when it opens).
/// Several instances may run it: a flag is raised once per response.
async fn scan_speeders(db: sea_orm::DatabaseConnection) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        ticks.tick().await;
        match domain::services::quality::scan_open_rounds(&db).await {
            Ok(0) => {}
            Ok(flagged) => tracing::info!(flagged, "speeders flagged"),
            Err(err) => tracing::warn!("scanning for speeders failed: {err}"),
        }
    }
}

/// The mail server of the outbox, when configured; a setting that cannot
/// be read stops the start with its name.
pub fn mailer(config: &Config) -> anyhow::Result<Option<domain::services::outbox::Mailer>> {
    let Some(settings) = &config.mail else {
        tracing::warn!(
            "HAILONG_SMTP_URL and HAILONG_MAIL_FROM are not set: e-mails stay queued in the outbox"
        );
        return Ok(None);
    };
    domain::services::outbox::Mailer::new(settings)
        .map(|mailer| Some(mailer.with_rates(config.mail_rates)))
        .map_err(|e| anyhow::anyhow!(e))
}

/// The SMS gateway of `HAILONG_SMS_WEBHOOK_URL`, checked; `None` when unset.
pub fn sms_gateway(
    config: &Config,
) -> anyhow::Result<Option<domain::services::outbox::SmsGateway>> {
    let Some(settings) = &config.sms else {
        return Ok(None);
    };
    domain::services::outbox::SmsGateway::new(settings)
        .map(Some)
        .map_err(|e| anyhow::anyhow!(e))
}

/// The HTTP client of webhook deliveries (webhooks themselves are set by
/// admins on their page).
pub fn webhook_sender() -> anyhow::Result<domain::services::outbox::WebhookSender> {
    domain::services::outbox::WebhookSender::new().map_err(|e| anyhow::anyhow!(e))
}

/// What one pass of the outbox did, by channel.
pub struct Passes {
    pub mail: domain::services::outbox::Pass,
    pub text: domain::services::outbox::Pass,
    pub webhooks: domain::services::outbox::Pass,
}

/// One pass of every channel: e-mail, text messages, then webhook events.
pub async fn deliver_all(
    db: &sea_orm::DatabaseConnection,
    mailer: Option<&domain::services::outbox::Mailer>,
    sms: Option<&domain::services::outbox::SmsGateway>,
    webhooks: &domain::services::outbox::WebhookSender,
    public_url: Option<&str>,
) -> Result<Passes, domain::AppError> {
    use domain::services::outbox;
    let now = chrono::Utc::now();
    Ok(Passes {
        mail: outbox::deliver_due(db, mailer, public_url, now).await?,
        text: outbox::deliver_due_sms(db, sms, public_url, now).await?,
        webhooks: outbox::deliver_due_webhooks(db, webhooks, now).await?,
    })
}

/// Delivers the outbox's due messages every five seconds. Several
/// instances may run it: each claims different rows.
async fn send_messages(
    db: sea_orm::DatabaseConnection,
    mailer: Option<domain::services::outbox::Mailer>,
    sms: Option<domain::services::outbox::SmsGateway>,
    webhooks: domain::services::outbox::WebhookSender,
    public_url: Option<String>,
) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(5));
    let (mut said_mail, mut said_sms, mut said_webhooks) = (None, None, None);
    let mut tick: u64 = 0;
    loop {
        ticks.tick().await;
        // Reminders come due by the day: looked for once a minute.
        if tick.is_multiple_of(12) {
            let queued =
                domain::services::invitations::mailing::queue_reminders(&db, chrono::Utc::now())
                    .await;
            match queued {
                Ok(0) => {}
                Ok(n) => tracing::info!(reminders = n, "outbox"),
                Err(err) => tracing::warn!("queueing reminders failed: {err}"),
            }
            // Work alerts come due by the day too, and the digest by the week.
            match domain::services::work_alerts::queue_due(&db, chrono::Utc::now()).await {
                Ok(queued) if queued == Default::default() => {}
                Ok(queued) => tracing::info!(
                    due_soon = queued.due_soon,
                    overdue = queued.overdue,
                    digests = queued.digests,
                    "work alerts"
                ),
                Err(err) => tracing::warn!("queueing work alerts failed: {err}"),
            }
        }
        tick += 1;
        let passes = deliver_all(
            &db,
            mailer.as_ref(),
            sms.as_ref(),
            &webhooks,
            public_url.as_deref(),
        )
        .await;
        match passes {
            Ok(passes) => {
                for (channel, pass, said) in [
                    ("email", passes.mail, &mut said_mail),
                    ("sms", passes.text, &mut said_sms),
                    ("webhook", passes.webhooks, &mut said_webhooks),
                ] {
                    if pass.sent + pass.retrying + pass.dead + pass.cancelled > 0 {
                        // Counts only: nothing personal reaches the log.
                        tracing::info!(
                            channel,
                            sent = pass.sent,
                            retrying = pass.retrying,
                            dead = pass.dead,
                            withdrawn = pass.cancelled,
                            "outbox"
                        );
                    }
                    if pass.waiting != *said {
                        if let Some(why) = &pass.waiting {
                            tracing::warn!(channel, ?why, "the outbox waits");
                        }
                        *said = pass.waiting;
                    }
                }
            }
            Err(err) => tracing::warn!("delivering the outbox failed: {err}"),
        }
    }
}

/// Takes the shared serving lock of a SQLite database (none for PostgreSQL).
fn hold_serving_lock(database_url: &str) -> anyhow::Result<Option<std::fs::File>> {
    let Some((file, path)) = db::open_serving_lock(database_url)
        .with_context(|| format!("cannot open the lock beside {}", redact(database_url)))?
    else {
        return Ok(None);
    };
    file.lock_shared()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(Some(file))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_hidden_in_database_urls() {
        assert_eq!(
            redact("postgres://hl:secret@db:5432/hailong"),
            "postgres://hl:***@db:5432/hailong"
        );
        assert_eq!(
            redact("sqlite://data/hailong.db"),
            "sqlite://data/hailong.db"
        );
    }
}

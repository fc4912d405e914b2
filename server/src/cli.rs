//! The command line of `hailong`: one small function per command, each
//! calling the same services as the web pages and the JSON API.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use domain::AppError;
use domain::i18n::Lang;
use domain::model::{Role, Scope};
use domain::services::audit::Actor;
use domain::services::{accounts, imports, rounds, seed, tallies, tokens};

use crate::{Config, prepare_database, serve};

#[derive(Parser)]
#[command(
    name = "hailong",
    version,
    about = "Hài Lòng: satisfaction surveys and feedback for public services"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Start the web server (the default).
    Serve,
    /// Apply database migrations and install the default instruments.
    Migrate,
    /// Load demo departments, procedures, rounds and responses (idempotent).
    SeedDemo,
    /// Create a staff account; the password is read from the terminal or standard input.
    CreateUser {
        #[arg(long)]
        username: String,
        /// admin, staff or leader.
        #[arg(long, default_value = "admin", value_parser = parse_role)]
        role: Role,
        /// The name shown in the interface.
        #[arg(long, default_value = "")]
        name: String,
        /// Department codes (repeatable) whose work a staff member handles.
        #[arg(long = "department")]
        departments: Vec<String>,
        /// Staff who also see and route feedback no department has yet.
        #[arg(long)]
        triage: bool,
    },
    /// Lift the sign-in locks of a user who entered a wrong password too often.
    UnlockUser {
        #[arg(long)]
        username: String,
    },
    /// Erase the contacts past their retention period (the daily job does
    /// the same) and forget expired survey drafts.
    Purge {
        /// Only count what would be erased.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import paper and phone responses from a CSV or XLSX file (all or nothing).
    ImportResponses {
        /// The round's slug.
        #[arg(long)]
        round: String,
        /// The file: respondent_type,channel,department,procedure,submitted_at,<criterion codes…>,comment
        file: PathBuf,
    },
    /// Recount every tally from the raw answers and report any difference (exit 1 if one).
    VerifyTallies {
        /// Rebuild the tallies from the raw answers when they differ, then check again.
        #[arg(long)]
        repair: bool,
    },
    /// Departments and procedures: import a CSV or XLSX file (all or nothing) or export one.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Dossiers from the one-stop software: import a CSV or XLSX file (all or nothing).
    #[command(subcommand)]
    Dossiers(DossierCommand),
    /// Write a consistent copy of the SQLite database to PATH while the platform runs.
    Backup {
        /// A new file, e.g. backups/hailong-2026-11-28.db.
        path: PathBuf,
    },
    /// Replace the SQLite database with a backup (stop the server first).
    Restore {
        /// A file written by `hailong backup`.
        path: PathBuf,
        /// Replace an existing database (it is kept beside it as ….before-restore-<time>).
        #[arg(long)]
        replace: bool,
    },
    /// Deliver the outbox's due messages once (the server does this every
    /// five seconds) and print what happened.
    #[command(name = "send")]
    SendMessages,
    /// Create an API token for the JSON API and print it (shown only now).
    CreateToken {
        /// A name to recognise the token by.
        #[arg(long)]
        name: String,
        /// admin, staff or leader.
        #[arg(long, default_value = "leader", value_parser = parse_role)]
        role: Role,
        /// What the token may do (repeatable): indices:read, responses:read,
        /// responses:write, feedback:read, feedback:write, invitations:read,
        /// invitations:write, setup:write, rounds:write, users:write,
        /// personal-data:read; or `all`.
        #[arg(long = "scope", required = true, value_parser = parse_scopes)]
        scopes: Vec<Vec<Scope>>,
        /// The last day the token works (yyyy-mm-dd, Vietnam time); none: until revoked.
        #[arg(long)]
        expires_on: Option<chrono::NaiveDate>,
    },
}

fn parse_scopes(code: &str) -> Result<Vec<Scope>, String> {
    if code == "all" {
        return Ok(Scope::ALL.to_vec());
    }
    Scope::parse(code)
        .map(|s| vec![s])
        .ok_or_else(|| format!("{code}: not a scope"))
}

fn parse_role(code: &str) -> Result<Role, String> {
    Role::parse(code).ok_or_else(|| format!("{code}: use admin, staff or leader"))
}

/// A service error as the terminal shows it: each invalid field named.
fn described(err: AppError) -> anyhow::Error {
    match err {
        AppError::Invalid(violations) => anyhow::anyhow!(
            "{}",
            violations
                .iter()
                .map(|v| format!("{}: {}", v.field, v.message(Lang::En)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

#[derive(Subcommand)]
pub enum DossierCommand {
    /// Store the dossiers of FILE, or nothing when a row has a problem.
    Import {
        /// Columns: code,procedure,department,channel,received_at,due_at,completed_at,result,phone,email
        file: PathBuf,
        /// Also write each completed dossier's rating link to this CSV file (code,rating_url).
        #[arg(long)]
        links: Option<PathBuf>,
    },
}

/// Runs `command` (the server when none is given).
#[derive(Subcommand)]
pub enum CatalogueCommand {
    /// Show what FILE changes (added, renamed, retired) and apply all of it, or nothing.
    Import {
        /// Columns: kind,code,name_vi,name_en,field,department,active (as `export` writes them).
        file: PathBuf,
        /// Only show the changes.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the catalogue as CSV to FILE (standard output without one).
    Export { file: Option<PathBuf> },
}

pub async fn run(command: Option<Command>, config: Config) -> anyhow::Result<()> {
    match command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            prepare_database(&config.database_url).await?;
            println!("Migrations applied; default instruments installed.");
            Ok(())
        }
        Command::SeedDemo => seed_demo(&config).await,
        Command::CreateUser {
            username,
            role,
            name,
            departments,
            triage,
        } => {
            let new = accounts::NewUser {
                username,
                display_name: name,
                password: read_password()?,
                role,
                departments,
                can_triage: triage,
            };
            create_user(&config, new).await
        }
        Command::UnlockUser { username } => {
            let db = prepare_database(&config.database_url).await?;
            let lifted = domain::services::sessions::unlock(&db, &Actor::cli(), &username)
                .await
                .map_err(described)?;
            println!("Lifted {lifted} sign-in lock(s) of {username}.");
            Ok(())
        }
        Command::Purge { dry_run } => purge(&config, dry_run).await,
        Command::ImportResponses { round, file } => import_responses(&config, &round, &file).await,
        Command::Catalogue(CatalogueCommand::Import { file, dry_run }) => {
            import_catalogue(&config, &file, dry_run).await
        }
        Command::Catalogue(CatalogueCommand::Export { file }) => {
            export_catalogue(&config, file.as_deref()).await
        }
        Command::Dossiers(DossierCommand::Import { file, links }) => {
            import_dossiers(&config, &file, links.as_deref()).await
        }
        Command::Backup { path } => backup(&config, &path).await,
        Command::Restore { path, replace } => restore(&config, &path, replace).await,
        Command::VerifyTallies { repair } => verify_tallies(&config, repair).await,
        Command::SendMessages => send(&config).await,
        Command::CreateToken {
            name,
            role,
            scopes,
            expires_on,
        } => {
            let new = tokens::NewToken {
                name,
                role,
                scopes: scopes.concat(),
                expires_at: expires_on.map(|day| domain::working_days::day_bounds(day).1),
            };
            create_token(&config, new).await
        }
    }
}

async fn send(config: &Config) -> anyhow::Result<()> {
    let db = prepare_database(&config.database_url).await?;
    let mailer = crate::mailer(config)?;
    let reminders =
        domain::services::invitations::mailing::queue_reminders(&db, chrono::Utc::now())
            .await
            .map_err(described)?;
    if reminders > 0 {
        println!("Queued {reminders} reminder(s).");
    }
    let alerts = domain::services::work_alerts::queue_due(&db, chrono::Utc::now())
        .await
        .map_err(described)?;
    let alerts = alerts.due_soon + alerts.overdue + alerts.digests;
    if alerts > 0 {
        println!("Queued {alerts} work alert(s).");
    }
    let sms = crate::sms_gateway(config)?;
    let crate::Passes {
        mail,
        text,
        webhooks,
    } = crate::deliver_all(
        &db,
        mailer.as_ref(),
        sms.as_ref(),
        &crate::webhook_sender()?,
        config.public_url.as_deref(),
    )
    .await
    .map_err(described)?;
    for (channel, pass) in [("E-mail", &mail), ("SMS", &text), ("Webhooks", &webhooks)] {
        println!(
            "{channel}: sent {}, to retry {}, given up {}, withdrawn {}.",
            pass.sent, pass.retrying, pass.dead, pass.cancelled
        );
    }
    match (mail.waiting, text.waiting) {
        (Some(domain::services::outbox::Waiting::NoPublicAddress), _) => anyhow::bail!(
            "Nothing sent: set HAILONG_PUBLIC_URL or the public address in the agency's profile; messages stay queued."
        ),
        (Some(domain::services::outbox::Waiting::NoMailServer), _) => anyhow::bail!(
            "No e-mail sent: set HAILONG_SMTP_URL and HAILONG_MAIL_FROM; e-mails stay queued."
        ),
        _ => Ok(()),
    }
}

async fn purge(config: &Config, dry_run: bool) -> anyhow::Result<()> {
    let db = prepare_database(&config.database_url).await?;
    let periods = domain::services::retention::periods(&db)
        .await
        .map_err(described)?;
    let purged = domain::services::retention::purge(&db, chrono::Utc::now(), dry_run)
        .await
        .map_err(described)?;
    let verb = if dry_run { "Would erase" } else { "Erased" };
    println!(
        "{verb} the contacts of {} feedback item(s) closed over {} days ago and {} invitation(s) of rounds closed over {} days ago.",
        purged.feedback_items,
        periods.feedback_contact_days,
        purged.invitations,
        periods.invitation_contact_days
    );
    println!(
        "{verb} the contacts of {} dossier(s) whose rating link has closed.",
        purged.dossier_contacts
    );
    if !dry_run {
        println!(
            "Forgot {} survey draft(s) older than {} days.",
            purged.drafts,
            domain::services::drafts::LIFETIME_DAYS
        );
    }
    Ok(())
}

async fn seed_demo(config: &Config) -> anyhow::Result<()> {
    let db = prepare_database(&config.database_url).await?;
    let report = seed::seed_demo(&db)
        .await
        .map_err(|e| anyhow::anyhow!("seeding failed: {e}"))?;
    if report.rounds_created.is_empty() {
        println!("Demo data already present; nothing changed.");
    } else {
        println!(
            "Demo data loaded: rounds {} with {} responses.",
            report.rounds_created.join(", "),
            report.responses_created
        );
    }
    Ok(())
}

async fn create_user(config: &Config, new: accounts::NewUser) -> anyhow::Result<()> {
    let db = prepare_database(&config.database_url).await?;
    let user = accounts::create_user(&db, &Actor::cli(), new)
        .await
        .map_err(described)?;
    println!("Created {} ({}).", user.username, user.role);
    Ok(())
}

async fn import_responses(config: &Config, round: &str, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let db = prepare_database(&config.database_url).await?;
    let found = rounds::require(&db, round)
        .await
        .map_err(|e| anyhow::anyhow!("round {round}: {e}"))?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (job, rows) = imports::create(&db, &Actor::cli(), &found, &file_name, &bytes, Lang::Vi)
        .await
        .map_err(described)?;
    if job.status == "failed" {
        for problem in imports::view(&job, round).problems {
            eprintln!(
                "dòng {} · {}: {}",
                problem.line, problem.field, problem.message
            );
        }
        anyhow::bail!("the file was not imported; nothing was stored");
    }
    let done = imports::run(&db, job, &found, rows, |stored, total| {
        eprintln!("đã lưu / stored {stored}/{total}");
    })
    .await
    .map_err(described)?;
    anyhow::ensure!(
        done.status == "done",
        "the import failed and was undone: {}",
        done.report
    );
    println!("Imported {} responses into {round}.", done.stored_rows);
    Ok(())
}

async fn import_dossiers(config: &Config, file: &Path, links: Option<&Path>) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let db = prepare_database(&config.database_url).await?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = match &config.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => domain::services::settings::public_url(&db)
            .await
            .map_err(described)?
            .unwrap_or_default(),
    };
    let batch = domain::services::dossiers::ingest::import_file(
        &db,
        &Actor::cli(),
        &file_name,
        bytes,
        &base,
        Lang::Vi,
    )
    .await
    .map_err(described)?;
    for problem in &batch.problems {
        eprintln!(
            "dòng {} · {}: {}",
            problem.line, problem.field, problem.message
        );
    }
    anyhow::ensure!(
        batch.stored,
        "the file was not imported; nothing was stored"
    );
    for outcome in domain::model::DossierOutcome::ALL {
        let n = batch
            .dossiers
            .iter()
            .filter(|d| d.outcome == *outcome)
            .count();
        println!("{outcome}: {n}");
    }
    if let Some(path) = links {
        let mut out = csv::Writer::from_path(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        out.write_record(["code", "rating_url"])?;
        for dossier in &batch.dossiers {
            if let Some(url) = &dossier.rating_url {
                out.write_record([dossier.code.as_str(), url.as_str()])?;
            }
        }
        out.flush()?;
        println!("rating links: {}", path.display());
    }
    Ok(())
}

async fn import_catalogue(config: &Config, file: &Path, dry_run: bool) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let db = prepare_database(&config.database_url).await?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let plan = domain::services::catalogue::changes::import_file(
        &db,
        &Actor::cli(),
        &file_name,
        bytes,
        dry_run,
        Lang::Vi,
    )
    .await
    .map_err(described)?;
    for problem in &plan.problems {
        eprintln!(
            "dòng {} · {}: {}",
            problem.line, problem.field, problem.message
        );
    }
    anyhow::ensure!(
        plan.problems.is_empty(),
        "the file was not imported; nothing was stored"
    );
    for change in &plan.changes {
        let before = change
            .before
            .as_deref()
            .map(|b| format!(" (trước / before: {b})"))
            .unwrap_or_default();
        println!(
            "{:<11} {:<9} {:<24} {}{before}",
            change.change.code(),
            change.kind.code(),
            change.code,
            change.name
        );
    }
    let verb = if dry_run { "Would change" } else { "Changed" };
    println!("{verb} {} entr(ies) of the catalogue.", plan.changes.len());
    Ok(())
}

async fn export_catalogue(config: &Config, file: Option<&Path>) -> anyhow::Result<()> {
    let db = prepare_database(&config.database_url).await?;
    let csv = domain::services::catalogue::changes::export_csv(&db)
        .await
        .map_err(described)?;
    match file {
        Some(path) => {
            std::fs::write(path, csv).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&csv)?;
        }
    }
    Ok(())
}

async fn backup(config: &Config, path: &Path) -> anyhow::Result<()> {
    let db = domain::db::connect(&config.database_url)
        .await
        .context("cannot open the database")?;
    let bytes = crate::backup::backup(&db, path).await?;
    println!("Backup written to {} ({bytes} bytes).", path.display());
    Ok(())
}

async fn restore(config: &Config, path: &Path, replace: bool) -> anyhow::Result<()> {
    let target = crate::backup::restore(&config.database_url, path, replace).await?;
    prepare_database(&config.database_url).await?;
    println!(
        "Restored {} into {}; migrations are up to date.",
        path.display(),
        target.display()
    );
    Ok(())
}

async fn verify_tallies(config: &Config, repair: bool) -> anyhow::Result<()> {
    let db = prepare_database(&config.database_url).await?;
    let mut check = tallies::verify(&db).await.map_err(described)?;
    for difference in &check.differences {
        eprintln!("{difference}");
    }
    if repair && !check.matches() {
        eprintln!("Rebuilding the tallies from the raw answers…");
        tallies::rebuild(&db).await.map_err(described)?;
        check = tallies::verify(&db).await.map_err(described)?;
    }
    anyhow::ensure!(
        check.matches(),
        "{} tallies differ from the raw answers",
        check.differences.len()
    );
    println!(
        "Tallies match the raw answers ({} answer tallies, {} response tallies, {} breakdown tallies, {} pair sums), the flags ({} flag tallies), the feedback items ({} feedback tallies) and the dossiers ({} dossier tallies).",
        check.answer_tallies,
        check.response_tallies,
        check.breakdown_tallies,
        check.pair_sums,
        check.flag_tallies,
        check.feedback_tallies,
        check.dossier_tallies
    );
    Ok(())
}

async fn create_token(config: &Config, new: tokens::NewToken) -> anyhow::Result<()> {
    let db = prepare_database(&config.database_url).await?;
    let (_, token) = tokens::create(&db, &Actor::cli(), new)
        .await
        .map_err(described)?;
    println!("{token}");
    Ok(())
}

/// Asks twice on a terminal; reads one line from a pipe.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mật khẩu / Password: ")?;
        let second = rpassword::prompt_password("Nhập lại / Repeat: ")?;
        anyhow::ensure!(first == second, "the two passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

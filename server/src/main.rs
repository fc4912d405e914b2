//! `hailong`: the command line of Hài Lòng.

use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use clap::{Parser, Subcommand};
use domain::model::Role;
use domain::services::audit::Actor;
use domain::services::{accounts, imports, seed, tokens};
use server::{Config, prepare_database, serve};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "hailong",
    version,
    about = "Hài Lòng: satisfaction surveys and feedback for public services"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
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
        #[arg(long, default_value = "admin")]
        role: String,
        /// The name shown in the interface.
        #[arg(long, default_value = "")]
        name: String,
        /// Department codes (repeatable) whose work a staff member handles.
        #[arg(long = "department")]
        departments: Vec<String>,
    },
    /// Import paper and phone responses from a CSV or XLSX file (all or nothing).
    ImportResponses {
        /// The round's slug.
        #[arg(long)]
        round: String,
        /// The file: respondent_type,channel,department,procedure,submitted_at,<criterion codes…>,comment
        file: std::path::PathBuf,
    },
    /// Recount every tally from the raw answers and report any difference (exit 1 if one).
    VerifyTallies {
        /// Rebuild the tallies from the raw answers when they differ, then check again.
        #[arg(long)]
        repair: bool,
    },
    /// Write a consistent copy of the SQLite database to PATH while the platform runs.
    Backup {
        /// A new file, e.g. backups/hailong-2026-11-28.db.
        path: std::path::PathBuf,
    },
    /// Replace the SQLite database with a backup (stop the server first).
    Restore {
        /// A file written by `hailong backup`.
        path: std::path::PathBuf,
        /// Replace an existing database (it is kept beside it as ….before-restore-<time>).
        #[arg(long)]
        replace: bool,
    },
    /// Create an API token for the JSON API and print it (shown only now).
    CreateToken {
        /// A name to recognise the token by.
        #[arg(long)]
        name: String,
        /// admin, staff or leader.
        #[arg(long, default_value = "leader")]
        role: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            prepare_database(&config.database_url).await?;
            println!("Migrations applied; default instruments installed.");
            Ok(())
        }
        Command::SeedDemo => {
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
        Command::CreateUser {
            username,
            role,
            name,
            departments,
        } => {
            let role = Role::parse(&role)
                .with_context(|| format!("--role {role}: use admin, staff or leader"))?;
            let password = read_password()?;
            let db = prepare_database(&config.database_url).await?;
            let user = accounts::create_user(
                &db,
                &Actor::cli(),
                accounts::NewUser {
                    username,
                    display_name: name,
                    password,
                    role,
                    departments,
                },
            )
            .await
            .map_err(|e| match e {
                domain::AppError::Invalid(violations) => anyhow::anyhow!(
                    "{}",
                    violations
                        .iter()
                        .map(|v| format!("{}: {}", v.field, v.message(domain::i18n::Lang::En)))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                other => anyhow::anyhow!("{other}"),
            })?;
            println!("Created {} ({}).", user.username, user.role);
            Ok(())
        }
        Command::ImportResponses { round, file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let db = prepare_database(&config.database_url).await?;
            let found = domain::services::rounds::require(&db, &round)
                .await
                .map_err(|e| anyhow::anyhow!("round {round}: {e}"))?;
            let file_name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (job, rows) = imports::create(
                &db,
                &Actor::cli(),
                &found,
                &file_name,
                &bytes,
                domain::i18n::Lang::Vi,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            if job.status == "failed" {
                for problem in imports::view(&job, &round).problems {
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
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            anyhow::ensure!(
                done.status == "done",
                "the import failed and was undone: {}",
                done.report
            );
            println!("Imported {} responses into {round}.", done.stored_rows);
            Ok(())
        }
        Command::Backup { path } => {
            let db = domain::db::connect(&config.database_url)
                .await
                .context("cannot open the database")?;
            let bytes = server::backup::backup(&db, &path).await?;
            println!("Backup written to {} ({bytes} bytes).", path.display());
            Ok(())
        }
        Command::Restore { path, replace } => {
            let target = server::backup::restore(&config.database_url, &path, replace).await?;
            prepare_database(&config.database_url).await?;
            println!(
                "Restored {} into {}; migrations are up to date.",
                path.display(),
                target.display()
            );
            Ok(())
        }
        Command::VerifyTallies { repair } => {
            use domain::services::tallies;
            let db = prepare_database(&config.database_url).await?;
            let mut check = tallies::verify(&db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for difference in &check.differences {
                eprintln!("{difference}");
            }
            if repair && !check.matches() {
                eprintln!("Rebuilding the tallies from the raw answers…");
                tallies::rebuild(&db)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                check = tallies::verify(&db)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            anyhow::ensure!(
                check.matches(),
                "{} tallies differ from the raw answers",
                check.differences.len()
            );
            println!(
                "Tallies match the raw answers ({} answer tallies, {} response tallies, {} breakdown tallies).",
                check.answer_tallies, check.response_tallies, check.breakdown_tallies
            );
            Ok(())
        }
        Command::CreateToken { name, role } => {
            let role = Role::parse(&role)
                .with_context(|| format!("--role {role}: use admin, staff or leader"))?;
            let db = prepare_database(&config.database_url).await?;
            let (_, token) = tokens::create(&db, &Actor::cli(), &name, role)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{token}");
            Ok(())
        }
    }
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

//! Backup and restore of the embedded SQLite database. `VACUUM INTO` writes
//! a consistent copy while the platform keeps running; restoring replaces
//! the database file of a stopped server with a checked copy. PostgreSQL
//! has its own tools (`pg_dump`, `pg_restore`; see the README).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail, ensure};
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

const POSTGRES_HINT: &str = "this database is PostgreSQL: use `pg_dump --format=custom` to back it up \
     and `pg_restore --clean --if-exists` to restore it (README, Backup)";

/// Writes a consistent copy of the database to `target`, which must not
/// exist; checks the copy's integrity. Returns its size in bytes.
pub async fn backup(db: &DatabaseConnection, target: &Path) -> anyhow::Result<u64> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        bail!("{POSTGRES_HINT}");
    }
    ensure!(
        !target.exists(),
        "{} exists already; choose a new file name",
        target.display()
    );
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
    }
    let quoted = target.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
        .await
        .with_context(|| format!("writing the copy to {}", target.display()))?;
    domain::db::owner_only(target)?;
    let copy = open_sqlite(target).await?;
    check_integrity(&copy).await?;
    Ok(std::fs::metadata(target)?.len())
}

/// Replaces the SQLite database at `database_url` with the backup `source`.
/// An existing database is kept beside it as `….before-restore-<time>` and
/// is replaced only with `replace`; the server must be stopped.
pub async fn restore(database_url: &str, source: &Path, replace: bool) -> anyhow::Result<PathBuf> {
    if !database_url.starts_with("sqlite:") {
        bail!("{POSTGRES_HINT}");
    }
    ensure!(source.is_file(), "{} is not a file", source.display());
    let backup = open_sqlite(source)
        .await
        .with_context(|| format!("{} is not a SQLite database", source.display()))?;
    check_integrity(&backup).await?;
    let has_schema = backup
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'seaql_migrations'",
        ))
        .await?
        .and_then(|row| row.try_get_by_index::<i64>(0).ok())
        .unwrap_or(0);
    ensure!(
        has_schema == 1,
        "{} is not a Hài Lòng backup (it has no migrations table)",
        source.display()
    );
    backup.close().await?;

    let target = SqliteConnectOptions::from_str(database_url)
        .with_context(|| format!("DATABASE_URL={database_url} is not a SQLite URL"))?
        .get_filename()
        .to_path_buf();
    let _alone = take_serving_lock(database_url)?;
    if target.exists() {
        ensure!(
            replace,
            "{} exists; stop the server and run again with --replace (the current file is kept beside it)",
            target.display()
        );
        // Fold the write-ahead log into the old file before moving it aside.
        let current = open_sqlite(&target).await?;
        current
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
        current.close().await?;
        let kept = PathBuf::from(format!(
            "{}.before-restore-{}",
            target.display(),
            chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
        ));
        std::fs::rename(&target, &kept)
            .with_context(|| format!("moving {} aside", target.display()))?;
        tracing::info!(kept = %kept.display(), "the replaced database is kept");
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side)?;
        }
    }
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let partial = PathBuf::from(format!("{}.restoring", target.display()));
    std::fs::copy(source, &partial)
        .with_context(|| format!("copying {} to {}", source.display(), partial.display()))?;
    domain::db::owner_only(&partial)?;
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, &target)?;
    Ok(target)
}

/// The serving lock, alone: refused while a server holds the database.
fn take_serving_lock(database_url: &str) -> anyhow::Result<Option<std::fs::File>> {
    let Some((file, path)) = domain::db::open_serving_lock(database_url)
        .context("cannot open the lock beside the database")?
    else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => {
            bail!("a server is using this database: stop it (SIGTERM) and restore again")
        }
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

async fn open_sqlite(path: &Path) -> anyhow::Result<DatabaseConnection> {
    let url = format!("sqlite://{}", path.display());
    let options = SqliteConnectOptions::from_str(&url)?.create_if_missing(false);
    let pool = sea_orm::sqlx::SqlitePool::connect_with(options).await?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn check_integrity(db: &DatabaseConnection) -> anyhow::Result<()> {
    let verdict: String = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?
        .context("integrity_check returned nothing")?
        .try_get_by_index(0)?;
    ensure!(verdict == "ok", "the copy is damaged: {verdict}");
    Ok(())
}

//! Opening the database (SQLite by default, PostgreSQL by URL) and migrating it.

use std::str::FromStr;
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DbErr};

/// SQLite file used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/hailong.db";

/// Opens a pool on `url`. For SQLite the file and its folder are created when
/// missing, with write-ahead logging, foreign keys and full synchronous commits
/// (an acknowledged response survives a crash).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        let sqlite = SqliteConnectOptions::from_str(url).map_err(|e| {
            DbErr::Conn(sea_orm::RuntimeErr::Internal(format!(
                "invalid DATABASE_URL: {e}"
            )))
        })?;
        let file = sqlite.get_filename();
        if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| {
                DbErr::Conn(sea_orm::RuntimeErr::Internal(format!(
                    "cannot create the database folder {}: {e}",
                    folder.display()
                )))
            })?;
        }
        options.max_connections(8).min_connections(1);
        options.map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // An 8 MB page cache per connection, 64 MB for the pool at
                // most, and no memory-mapped reads: measured on a million
                // responses, a 64 MB cache let an export grow the heap by
                // 250 MB across pooled connections, and both the recount and
                // the export ran faster with the small cache and without mmap.
                // (temp_store=memory was measured 20–30% slower on the
                // recount's GROUP BY, so it stays off.)
                .pragma("cache_size", "-8192")
                // Rows a statement returns (a batch's new dossier ids, up to
                // 500 a statement) go to the request in one go: with the
                // default of 50 the worker thread and the request handed
                // each other the rows about a thousand times per batch of
                // dossiers. Measured on P7: 7x fewer context switches.
                .row_buffer_size(1024)
        });
    } else {
        // When PostgreSQL is away, answer 503 within a few seconds rather than hang.
        options
            .max_connections(20)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(3))
            .acquire_timeout(Duration::from_secs(3));
    }
    Database::connect(options).await
}

/// Same as [`connect`], with PostgreSQL's `search_path` set to `schema`
/// (tests give each case its own schema in one database).
pub async fn connect_with_schema(url: &str, schema: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(10)
        .min_connections(0)
        .sqlx_logging(false)
        .set_schema_search_path(schema.to_owned());
    Database::connect(options).await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Makes a transaction that reads before it writes take SQLite's write lock
/// at once (waiting its turn like any writer): otherwise, once another
/// connection has written after its first read, its first write fails with
/// "database is locked". The statement writes nothing; PostgreSQL needs no
/// such step.
pub async fn write_first(txn: &impl sea_orm::ConnectionTrait) -> Result<(), DbErr> {
    if txn.get_database_backend() == DatabaseBackend::Sqlite {
        txn.execute_unprepared("UPDATE settings SET key = key WHERE 1 = 0")
            .await?;
    }
    Ok(())
}

/// "sqlite" or "postgres", as `/healthz` reports it.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => "postgres",
        DatabaseBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

/// The file of a SQLite URL; `None` for PostgreSQL or an in-memory database.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    SqliteConnectOptions::from_str(url)
        .ok()
        .map(|o| o.get_filename().to_path_buf())
}

/// Makes `path` readable and writable by its owner only: the database, its
/// journals, backups and exports hold personal data.
pub fn owner_only(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// [`owner_only`] for a SQLite database and its write-ahead log files.
pub fn restrict_sqlite_files(url: &str) -> std::io::Result<()> {
    let Some(file) = sqlite_file(url) else {
        return Ok(());
    };
    for suffix in ["", "-wal", "-shm"] {
        owner_only(std::path::Path::new(&format!("{}{suffix}", file.display())))?;
    }
    Ok(())
}

/// The file of the lock a serving process holds (shared) on a SQLite
/// database, and that a restore must take alone: `<database>.lock` beside
/// the file, created (owner-only) when missing. `None` for PostgreSQL or an
/// in-memory database.
pub fn open_serving_lock(
    url: &str,
) -> std::io::Result<Option<(std::fs::File, std::path::PathBuf)>> {
    let Some(file) = sqlite_file(url) else {
        return Ok(None);
    };
    let path = std::path::PathBuf::from(format!("{}.lock", file.display()));
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    owner_only(&path)?;
    Ok(Some((lock, path)))
}

//! The database handle: SQLite (embedded default) or PostgreSQL, one code path for both.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// A pool on either backend. Queries are written once with `$n` placeholders and run through [`db_run!`].
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of either backend; the body is compiled twice.
#[macro_export]
macro_rules! db_run {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::core::db::Db::Sqlite($pool) => $body,
            $crate::core::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Options for opening the database.
#[derive(Clone, Debug)]
pub struct DbConfig {
    /// `sqlite://path/to/file.db` or `postgres://...`.
    pub url: String,
    pub max_connections: u32,
}

impl Db {
    /// Opens the pool and applies migrations.
    pub async fn connect(cfg: &DbConfig) -> Result<Db, sqlx::Error> {
        let db = if cfg.url.starts_with("postgres://") || cfg.url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(&cfg.url)?
                .application_name("karvon")
                // Pattern searches need custom plans: see shared/PERFORMANCE.md.
                .options([("plan_cache_mode", "force_custom_plan")]);
            let pool = PgPoolOptions::new()
                .max_connections(cfg.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Db::Postgres(pool)
        } else {
            let path = cfg.url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
            }
            let opts = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new().max_connections(cfg.max_connections).connect_with(opts).await?;
            Db::Sqlite(pool)
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the migrations of this backend's dialect.
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("../migrations/sqlite").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("../migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// `true` on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// A trivial round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        db_run!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()))
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        db_run!(self, p => p.close().await)
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// `true` when `err` is a UNIQUE constraint violation (either backend).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// `$1, $2, …, $n`: the placeholders of an `IN (…)` list.
pub fn placeholders(n: usize) -> String {
    placeholders_after(0, n)
}

/// `$k+1, …, $k+n`: the placeholders of an `IN (…)` list after `k` parameters already bound.
pub fn placeholders_after(k: usize, n: usize) -> String {
    (k + 1..=k + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

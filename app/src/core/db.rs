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
            Db::Sqlite(p) => {
                // With foreign keys off, SQLite's documented way to rebuild a table (0023 rebuilds `users`: a
                // CHECK cannot be altered); they are checked once the migrations ran, and back on for the pool.
                let mut conn = p.acquire().await?;
                sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
                let run = sqlx::migrate!("../migrations/sqlite").run(&mut *conn).await;
                let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *conn).await?;
                sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                run?;
                if !broken.is_empty() {
                    return Err(sqlx::Error::Protocol(format!(
                        "{} rows break a foreign key after migrating",
                        broken.len()
                    )));
                }
            }
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

/// Starts a transaction that will write. SQLite's plain `BEGIN` is deferred: a transaction that reads before
/// it writes asks for the write lock only at its first write, and when another connection has committed in
/// between SQLite answers "database is locked" at once (its busy timeout cannot help: the transaction's
/// snapshot is stale), a 500 that API fuzzing found on concurrent updates. `BEGIN IMMEDIATE` takes the lock
/// first, so concurrent writers wait their turn within the busy timeout. PostgreSQL's `BEGIN` is right as it is.
pub trait BeginWrite {
    /// The backend.
    type Database: sqlx::Database;

    /// A transaction holding the right to write from its start.
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;

    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;

    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send {
        self.begin()
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

/// A value of a bulk insert, typed so that PostgreSQL accepts its NULLs.
#[derive(Debug, Clone)]
pub enum V {
    I(i64),
    NI,
    S(String),
    NS,
    B(bool),
}

impl From<Option<String>> for V {
    fn from(s: Option<String>) -> V {
        s.map_or(V::NS, V::S)
    }
}

impl From<Option<i64>> for V {
    fn from(i: Option<i64>) -> V {
        i.map_or(V::NI, V::I)
    }
}

/// Rows for one table, inserted many to a statement with [`insert_rows!`] (imports, demo data): a few
/// statements instead of one per row.
pub struct Rows {
    head: &'static str,
    tail: &'static str,
    cols: usize,
    /// `$1, $2…` (PostgreSQL) or `?` (SQLite, where binding numbered parameters looks each one up by name:
    /// quadratic in a statement's parameter count, 70 % of a seed's time at 30,000 values a statement).
    numbered: bool,
    pub vals: Vec<V>,
}

impl Rows {
    /// `head` is `INSERT INTO t (a, b, …)`, with `cols` columns, for `db`'s dialect.
    pub fn new(db: &Db, head: &'static str, cols: usize) -> Rows {
        Rows { head, tail: "", cols, numbered: db.is_postgres(), vals: Vec::new() }
    }

    /// What follows the values (`ON CONFLICT …`).
    pub fn tail(self, tail: &'static str) -> Rows {
        Rows { tail, ..self }
    }

    pub fn push<const N: usize>(&mut self, row: [V; N]) {
        debug_assert_eq!(N, self.cols);
        self.vals.extend(row);
    }

    /// The statements: `(sql, first value, value count)`, of at most 1,000 rows and 30,000 values each
    /// (under both databases' parameter limits).
    pub fn statements(&self) -> Vec<(String, usize, usize)> {
        let per = (30_000 / self.cols).clamp(1, 1000);
        let mut out = Vec::new();
        let mut at = 0;
        while at < self.vals.len() {
            let n = ((self.vals.len() - at) / self.cols).min(per);
            let mut sql = format!("{} VALUES ", self.head);
            for r in 0..n {
                sql.push_str(if r == 0 { "(" } else { ",(" });
                if self.numbered {
                    let cells: Vec<String> = (0..self.cols).map(|c| format!("${}", r * self.cols + c + 1)).collect();
                    sql.push_str(&cells.join(","));
                } else {
                    sql.push_str(&vec!["?"; self.cols].join(","));
                }
                sql.push(')');
            }
            sql.push_str(self.tail);
            out.push((sql, at, n * self.cols));
            at += n * self.cols;
        }
        out
    }
}

/// Inserts the rows of a [`Rows`] on an open transaction `$tx` of either backend (`?` inside).
#[macro_export]
macro_rules! insert_rows {
    ($tx:expr, $rows:expr) => {{
        let rows: &$crate::core::db::Rows = &$rows;
        for (sql, at, n) in rows.statements() {
            let mut q = sqlx::query(&sql);
            for v in &rows.vals[at..at + n] {
                use $crate::core::db::V;
                q = match v {
                    V::I(i) => q.bind(*i),
                    V::NI => q.bind(None::<i64>),
                    V::S(s) => q.bind(s.as_str()),
                    V::NS => q.bind(None::<&str>),
                    V::B(b) => q.bind(*b),
                };
            }
            q.execute(&mut *$tx).await?;
        }
    }};
}

//! `karvon backup FILE` and `karvon restore FILE`. On SQLite a backup is `VACUUM INTO`: a consistent copy of
//! one moment, taken while users keep working (WAL lets them write meanwhile), checked with
//! `PRAGMA integrity_check`. On PostgreSQL it is `pg_dump --format=custom` (also one consistent snapshot,
//! online), restored with `pg_restore`; both tools must be on `PATH` (Debian: `postgresql-client`). A restore
//! never destroys: on SQLite the current file is kept beside it as `<file>.before-restore-<time>`; on
//! PostgreSQL restore into an empty database (the tool refuses objects that are already there). Stop the app
//! servers before restoring; migrations are applied to the restored copy, so a backup of an older version
//! comes back up to date.

use std::path::{Path, PathBuf};

use app::core::db::{Db, DbConfig};

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn sqlite_path(url: &str) -> PathBuf {
    PathBuf::from(url.trim_start_matches("sqlite://").trim_start_matches("sqlite:"))
}

/// Writes a consistent copy of the database at `url` to `file` (which must not exist); returns a summary.
pub async fn backup(db: &Db, url: &str, file: &Path) -> Result<String, String> {
    if file.exists() {
        return Err(format!("{} exists already", file.display()));
    }
    match db {
        Db::Sqlite(pool) => {
            sqlx::query("VACUUM INTO $1")
                .bind(file.to_string_lossy().to_string())
                .execute(pool)
                .await
                .map_err(|e| format!("VACUUM INTO: {e}"))?;
            check_sqlite(file).await?;
            let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            Ok(format!("{} written ({} KB), integrity ok", file.display(), size / 1024))
        }
        Db::Postgres(_) => {
            run("pg_dump", &["--format=custom", "--no-owner", "--file", &file.to_string_lossy(), url]).await?;
            let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            Ok(format!("{} written by pg_dump ({} KB)", file.display(), size / 1024))
        }
    }
}

/// Brings the backup `file` back as the database at `url`, then applies migrations; returns a summary.
pub async fn restore(url: &str, file: &Path) -> Result<String, String> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let kept = if is_postgres(url) {
        run("pg_restore", &["--no-owner", "--exit-on-error", "--dbname", url, &file.to_string_lossy()]).await?;
        None
    } else {
        check_sqlite(file).await?;
        let target = sqlite_path(url);
        let kept = if target.exists() {
            let stamp = app::core::now_millis();
            let aside = PathBuf::from(format!("{}.before-restore-{stamp}", target.display()));
            std::fs::rename(&target, &aside).map_err(|e| format!("cannot move {} aside: {e}", target.display()))?;
            Some(aside)
        } else {
            None
        };
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        // Copied under a temporary name and renamed: a half-copied file is never taken for the database.
        let partial = PathBuf::from(format!("{}.restoring", target.display()));
        std::fs::copy(file, &partial).map_err(|e| format!("cannot copy {}: {e}", file.display()))?;
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| e.to_string())?;
        std::fs::rename(&partial, &target).map_err(|e| format!("cannot put the copy in place: {e}"))?;
        kept
    };
    let db = Db::connect(&DbConfig { url: url.to_string(), max_connections: 1 })
        .await
        .map_err(|e| format!("the restored database does not open: {e}"))?;
    db.close().await;
    Ok(match kept {
        Some(aside) => {
            format!("restored from {}; the previous database is kept as {}", file.display(), aside.display())
        }
        None => format!("restored from {}", file.display()),
    })
}

/// `PRAGMA integrity_check` of a SQLite file, opened read-only.
async fn check_sqlite(file: &Path) -> Result<(), String> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("{}: not a SQLite database: {e}", file.display()))?;
    let verdict: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.map_err(|e| e.to_string())?;
    let _ = conn.close().await;
    if verdict == "ok" { Ok(()) } else { Err(format!("{}: integrity check failed: {verdict}", file.display())) }
}

/// Runs a PostgreSQL client tool, reporting what it said on failure.
async fn run(tool: &str, args: &[&str]) -> Result<(), String> {
    let out = tokio::process::Command::new(tool)
        .args(args)
        .output()
        .await
        .map_err(|e| format!("cannot run {tool} (install the PostgreSQL client tools): {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{tool} failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

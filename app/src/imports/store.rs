//! SQL for imports: the file, its mapping, the run's progress and failed rows, on both databases.

use super::{Import, ImportError, ImportKind, ImportStatus};
use crate::core::db::{BeginWrite, Db};
use crate::core::{AppError, now_millis};
use crate::db_run;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    file_name: String,
    format: String,
    encoding: Option<String>,
    headers: String,
    mapping: String,
    on_duplicate: String,
    account_id: Option<i64>,
    status: String,
    total_rows: i64,
    processed: i64,
    created: i64,
    updated: i64,
    skipped: i64,
    failed: i64,
    error: Option<String>,
    created_at: i64,
}

impl From<Row> for Import {
    fn from(r: Row) -> Self {
        Import {
            id: r.id,
            kind: ImportKind::parse(&r.kind).unwrap_or_default(),
            file_name: r.file_name,
            format: r.format,
            encoding: r.encoding,
            headers: serde_json::from_str(&r.headers).unwrap_or_default(),
            mapping: serde_json::from_str(&r.mapping).unwrap_or_default(),
            on_duplicate: r.on_duplicate,
            account_id: r.account_id,
            status: ImportStatus::parse(&r.status).unwrap_or(ImportStatus::Failed),
            total_rows: r.total_rows,
            processed: r.processed,
            created: r.created,
            updated: r.updated,
            skipped: r.skipped,
            failed: r.failed,
            // Stored as the error itself (runs before that stored its English text).
            failure: r.error.as_deref().and_then(|e| serde_json::from_str::<crate::core::AppError>(e).ok()),
            error: r.error.map(|e| match serde_json::from_str::<crate::core::AppError>(&e) {
                Ok(err) => err.explained(crate::core::Lang::En),
                Err(_) => e,
            }),
            created_at: r.created_at,
        }
    }
}

const SELECT: &str = "SELECT id, kind, file_name, format, encoding, headers, mapping, on_duplicate, account_id, status, \
    total_rows, processed, created, updated, skipped, failed, error, created_at FROM imports";

/// Stores an uploaded file; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &Db,
    user_id: i64,
    kind: ImportKind,
    file_name: &str,
    format: &str,
    encoding: Option<&str>,
    content: &[u8],
    headers: &[String],
    mapping: &[String],
    total_rows: i64,
    account_id: Option<i64>,
) -> Result<i64, AppError> {
    let sql = "INSERT INTO imports (user_id, kind, file_name, format, encoding, content, headers, mapping, status, \
               total_rows, created_at, account_id) VALUES ($1, $10, $2, $3, $4, $5, $6, $7, 'uploaded', $8, $9, $11) \
               RETURNING id";
    let headers = serde_json::to_string(headers).unwrap_or_default();
    let mapping = serde_json::to_string(mapping).unwrap_or_default();
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).bind(file_name).bind(format).bind(encoding)
        .bind(content).bind(&headers).bind(&mapping).bind(total_rows).bind(now_millis()).bind(kind.as_str()).bind(account_id).fetch_one(p).await)?)
}

/// One import of `user_id` (`None`: anyone's, for the runner).
pub async fn get(db: &Db, user_id: Option<i64>, id: i64) -> Result<Import, AppError> {
    let sql = format!("{SELECT} WHERE id = $1 AND ($2 = 0 OR user_id = $2)");
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(id).bind(user_id.unwrap_or(0))
        .fetch_optional(p).await)?;
    row.map(Into::into).ok_or(AppError::NotFound)
}

/// The user's latest imports.
pub async fn list(db: &Db, user_id: i64) -> Result<Vec<Import>, AppError> {
    let sql = format!("{SELECT} WHERE user_id = $1 ORDER BY id DESC LIMIT 20");
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(user_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The file of an import and its owner.
pub async fn content(db: &Db, id: i64) -> Result<(Vec<u8>, i64), AppError> {
    Ok(
        db_run!(db, p => sqlx::query_as("SELECT content, user_id FROM imports WHERE id = $1").bind(id).fetch_one(p).await)?,
    )
}

/// Saves the mapping and the duplicate rule of an import not yet started, and remembers the mapping for
/// files with the same headers.
pub async fn set_mapping(
    db: &Db,
    user_id: i64,
    kind: ImportKind,
    id: i64,
    signature: &str,
    mapping: &[String],
    on_duplicate: &str,
) -> Result<(), AppError> {
    let json = serde_json::to_string(mapping).unwrap_or_default();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query("UPDATE imports SET mapping = $1, on_duplicate = $2 WHERE id = $3 AND status = 'uploaded'")
            .bind(&json).bind(on_duplicate).bind(id).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO import_mappings (user_id, kind, signature, mapping) VALUES ($1, $4, $2, $3) \
                     ON CONFLICT (user_id, kind, signature) DO UPDATE SET mapping = EXCLUDED.mapping")
            .bind(user_id).bind(signature).bind(&json).bind(kind.as_str()).execute(&mut *tx).await?;
        tx.commit().await
    })?;
    Ok(())
}

/// The mapping the user last chose for files with these headers.
pub async fn remembered_mapping(
    db: &Db,
    user_id: i64,
    kind: ImportKind,
    signature: &str,
) -> Result<Option<Vec<String>>, AppError> {
    let json: Option<String> = db_run!(db, p => sqlx::query_scalar(
        "SELECT mapping FROM import_mappings WHERE user_id = $1 AND kind = $3 AND signature = $2")
        .bind(user_id).bind(signature).bind(kind.as_str()).fetch_optional(p).await)?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Claims an import for running: an uploaded one, or a running one whose heartbeat is older than
/// `stale_before` (its server stopped, or lost its way). Returns the lease's token, `None` if someone else
/// has it.
pub async fn claim(db: &Db, id: i64, stale_before: i64) -> Result<Option<String>, AppError> {
    let now = now_millis();
    let token = format!("{:016x}", rand::random::<u64>());
    let n = db_run!(db, p => sqlx::query(
        "UPDATE imports SET status = 'running', heartbeat_at = $1, runner = $4 WHERE id = $2 \
         AND (status = 'uploaded' OR (status = 'running' AND heartbeat_at < $3))")
        .bind(now).bind(id).bind(stale_before).bind(&token).execute(p).await.map(|r| r.rows_affected()))?;
    Ok((n == 1).then_some(token))
}

/// Renews the lease `runner` holds on a running import; `false` when it is no longer theirs.
pub async fn renew(db: &Db, id: i64, runner: &str) -> Result<bool, AppError> {
    let n = db_run!(db, p => sqlx::query(
        "UPDATE imports SET heartbeat_at = $1 WHERE id = $2 AND runner = $3 AND status = 'running'")
        .bind(now_millis()).bind(id).bind(runner).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Imports left running by a server that stopped.
pub async fn stale(db: &Db, stale_before: i64) -> Result<Vec<i64>, AppError> {
    Ok(db_run!(db, p => sqlx::query_scalar("SELECT id FROM imports WHERE status = 'running' AND heartbeat_at < $1")
        .bind(stale_before).fetch_all(p).await)?)
}

/// The counts of one committed batch of rows.
#[derive(Debug, Default, Clone, Copy)]
pub struct BatchCounts {
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
}

/// The SQL that adds a batch's counts to its import and renews the lease (run in the batch's transaction, so
/// that a resumed run starts after the last committed batch). It changes no row when `$8` no longer holds
/// the lease: the batch is then rolled back.
pub const ADD_COUNTS: &str = "UPDATE imports SET processed = processed + $1, created = created + $2, \
    updated = updated + $3, skipped = skipped + $4, failed = failed + $5, heartbeat_at = $6 \
    WHERE id = $7 AND runner = $8 AND status = 'running'";
/// The SQL that records a failed row.
pub const INSERT_ERROR: &str = "INSERT INTO import_errors (import_id, row_no, errors, raw) VALUES ($1, $2, $3, $4) \
    ON CONFLICT (import_id, row_no) DO NOTHING";

/// Ends a run held by `runner` (a server that lost the lease ends nothing).
pub async fn finish(db: &Db, id: i64, runner: &str, status: ImportStatus, error: Option<&str>) -> Result<(), AppError> {
    db_run!(db, p => sqlx::query(
        "UPDATE imports SET status = $1, error = $2, finished_at = $3 WHERE id = $4 AND runner = $5 AND status = 'running'")
        .bind(status.as_str()).bind(error).bind(now_millis()).bind(id).bind(runner).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// The rows of an import that failed, in file order.
pub async fn errors(db: &Db, id: i64) -> Result<Vec<ImportError>, AppError> {
    let rows: Vec<(i64, String, String)> = db_run!(db, p => sqlx::query_as(
        "SELECT row_no, errors, raw FROM import_errors WHERE import_id = $1 ORDER BY row_no")
        .bind(id).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(row_no, errors, raw)| ImportError {
            row_no,
            errors: serde_json::from_str(&errors).unwrap_or_default(),
            raw: serde_json::from_str(&raw).unwrap_or_default(),
        })
        .collect())
}

//! `Idempotency-Key` on POST requests: the first answer to a user's key is kept for [`KEEP_MS`] and given
//! back to every retry, so a request repeated after a lost answer (a timeout, a dropped connection) never
//! acts twice. The server's middleware calls these; the rows live in `idempotency_keys`.

use super::db::Db;
use super::{AppError, Millis, now_millis};
use crate::db_run;

/// How long a key and its answer are kept.
pub const KEEP_MS: Millis = 24 * 3_600_000;
/// A first request that has not finished within this is taken as dead (its server stopped): a retry may
/// take its key over. Its transaction, if any, was rolled back with it.
pub const LEASE_MS: Millis = 120_000;
/// The longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new (or its first request died): this request goes ahead, then [`finish`] or [`release`].
    Go,
    /// The first request with this key was answered: give its answer back.
    Done { status: u16, content_type: Option<String>, body: Vec<u8> },
    /// The first request is still being answered.
    InProgress,
    /// The key was used for a different request (another path or body): refused.
    Mismatch,
}

/// A key is 1 to [`MAX_KEY_LEN`] visible ASCII characters (a UUID, typically).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic())
}

/// What makes two requests the same: method, path and query, content type and body (SHA-256, hex).
pub fn fingerprint(method: &str, path_and_query: &str, content_type: &str, body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [method.as_bytes(), path_and_query.as_bytes(), content_type.as_bytes()] {
        h.update(part);
        h.update([0]);
    }
    h.update(body);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Claims `key` for `user_id`'s request with this `fingerprint` (a hash of its method, path and body).
pub async fn claim(db: &Db, user_id: i64, key: &str, fingerprint: &str) -> Result<Claim, AppError> {
    let now = now_millis();
    // New, or taken over when its first request died or it expired; one statement, so two racing
    // retries cannot both go ahead.
    let sql = "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, \
               created_at = excluded.created_at, status = NULL, content_type = NULL, body = NULL \
               WHERE (idempotency_keys.status IS NULL AND idempotency_keys.created_at < $5) \
               OR idempotency_keys.created_at < $6 \
               RETURNING user_id";
    let took: Option<i64> = db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).bind(key).bind(fingerprint)
        .bind(now).bind(now - LEASE_MS).bind(now - KEEP_MS).fetch_optional(p).await)?;
    if took.is_some() {
        return Ok(Claim::Go);
    }
    type Row = (String, Option<i32>, Option<String>, Option<Vec<u8>>);
    let sql = "SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE user_id = $1 AND key = $2";
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(sql).bind(user_id).bind(key).fetch_optional(p).await)?;
    Ok(match row {
        // Deleted in between (purged): a retry of the caller's will find it free.
        None => Claim::InProgress,
        Some((f, _, _, _)) if f != fingerprint => Claim::Mismatch,
        Some((_, None, _, _)) => Claim::InProgress,
        Some((_, Some(status), content_type, body)) => {
            Claim::Done { status: status as u16, content_type, body: body.unwrap_or_default() }
        }
    })
}

/// Keeps the answer to a claimed key.
pub async fn finish(
    db: &Db,
    user_id: i64,
    key: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), AppError> {
    let sql = "UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 WHERE user_id = $4 AND key = $5";
    db_run!(db, p => sqlx::query(sql).bind(i32::from(status)).bind(content_type).bind(body).bind(user_id).bind(key)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Frees a claimed key whose request failed on the server's side (nothing was done: the retry may act).
pub async fn release(db: &Db, user_id: i64, key: &str) -> Result<(), AppError> {
    let sql = "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL";
    db_run!(db, p => sqlx::query(sql).bind(user_id).bind(key).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes keys older than [`KEEP_MS`]; returns how many.
pub async fn purge(db: &Db) -> Result<u64, AppError> {
    let sql = "DELETE FROM idempotency_keys WHERE created_at < $1";
    Ok(db_run!(db, p => sqlx::query(sql).bind(now_millis() - KEEP_MS).execute(p).await.map(|r| r.rows_affected()))?)
}

/// Purges expired keys once an hour (a background job of the server).
pub async fn run(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(e) = purge(&db).await {
            tracing::warn!(error = ?e, "purging old idempotency keys failed");
        }
    }
}

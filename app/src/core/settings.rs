//! Company-wide settings an administrator changes (`company_settings`: a key and a text value).

use crate::core::db::Db;
use crate::core::{AppError, now_millis};
use crate::db_run;

/// The shared mailbox that sends the company's own letters (password links).
pub const SYSTEM_MAILBOX: &str = "system_mailbox_id";

/// A setting's value, if set.
pub async fn get(db: &Db, key: &str) -> Result<Option<String>, AppError> {
    let sql = "SELECT value FROM company_settings WHERE key = $1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(key).fetch_optional(p).await)?)
}

/// Sets a setting (`None` removes it).
pub async fn set(db: &Db, key: &str, value: Option<&str>) -> Result<(), AppError> {
    match value {
        Some(v) => {
            let sql = "INSERT INTO company_settings (key, value, updated_at) VALUES ($1, $2, $3) \
                       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
            db_run!(db, p => sqlx::query(sql).bind(key).bind(v).bind(now_millis()).execute(p).await.map(|_| ()))?;
        }
        None => {
            let sql = "DELETE FROM company_settings WHERE key = $1";
            db_run!(db, p => sqlx::query(sql).bind(key).execute(p).await.map(|_| ()))?;
        }
    }
    Ok(())
}

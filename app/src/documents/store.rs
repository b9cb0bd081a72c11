//! SQL for document templates and the company's images, on both databases.

use super::{DocKind, DocTemplate};
use crate::core::db::Db;
use crate::core::{AppError, now_millis};
use crate::db_run;

/// The saved template of `kind` in `lang`, if an administrator saved one.
pub async fn template(db: &Db, kind: DocKind, lang: &str) -> Result<Option<DocTemplate>, AppError> {
    let row: Option<(String, i64, i64)> = db_run!(db, p => sqlx::query_as(
        "SELECT body, version, updated_at FROM document_templates WHERE kind = $1 AND lang = $2")
        .bind(kind.code()).bind(lang).fetch_optional(p).await)?;
    Ok(row.map(|(body, version, updated_at)| DocTemplate {
        kind,
        lang: lang.to_string(),
        body,
        custom: true,
        version,
        updated_at: Some(updated_at),
    }))
}

/// Saves a template over `version` (0: over the built-in one, so none may be saved yet); `Conflict` when
/// someone saved in between.
pub async fn save(db: &Db, kind: DocKind, lang: &str, body: &str, version: i64, user_id: i64) -> Result<(), AppError> {
    let now = now_millis();
    let changed = if version == 0 {
        db_run!(db, p => sqlx::query(
            "INSERT INTO document_templates (kind, lang, body, version, updated_by, updated_at) \
             VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (kind, lang) DO NOTHING")
            .bind(kind.code()).bind(lang).bind(body).bind(user_id).bind(now).execute(p).await.map(|r| r.rows_affected()))?
    } else {
        db_run!(db, p => sqlx::query(
            "UPDATE document_templates SET body = $3, version = version + 1, updated_by = $4, updated_at = $5 \
             WHERE kind = $1 AND lang = $2 AND version = $6")
            .bind(kind.code()).bind(lang).bind(body).bind(user_id).bind(now).bind(version).execute(p).await.map(|r| r.rows_affected()))?
    };
    if changed == 1 { Ok(()) } else { Err(AppError::Conflict) }
}

/// Removes the saved template: the built-in one stands again.
pub async fn reset(db: &Db, kind: DocKind, lang: &str) -> Result<(), AppError> {
    db_run!(db, p => sqlx::query("DELETE FROM document_templates WHERE kind = $1 AND lang = $2")
        .bind(kind.code()).bind(lang).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// The company's images: `(name, content type, bytes)`.
pub async fn images(db: &Db) -> Result<Vec<(String, String, Vec<u8>)>, AppError> {
    Ok(db_run!(db, p => sqlx::query_as("SELECT name, content_type, data FROM company_images ORDER BY name")
        .fetch_all(p).await)?)
}

/// Which images the company has.
pub async fn image_names(db: &Db) -> Result<Vec<String>, AppError> {
    Ok(db_run!(db, p => sqlx::query_scalar("SELECT name FROM company_images ORDER BY name").fetch_all(p).await)?)
}

pub async fn image(db: &Db, name: &str) -> Result<(String, Vec<u8>), AppError> {
    let row: Option<(String, Vec<u8>)> = db_run!(db, p => sqlx::query_as(
        "SELECT content_type, data FROM company_images WHERE name = $1").bind(name).fetch_optional(p).await)?;
    row.ok_or(AppError::NotFound)
}

pub async fn set_image(db: &Db, name: &str, content_type: &str, data: &[u8]) -> Result<(), AppError> {
    db_run!(db, p => sqlx::query(
        "INSERT INTO company_images (name, content_type, data, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, \
         updated_at = excluded.updated_at")
        .bind(name).bind(content_type).bind(data).bind(now_millis()).execute(p).await.map(|_| ()))?;
    Ok(())
}

pub async fn remove_image(db: &Db, name: &str) -> Result<(), AppError> {
    db_run!(db, p => sqlx::query("DELETE FROM company_images WHERE name = $1").bind(name).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// The MXIK codes of an order's products (those that have one).
pub async fn order_codes(db: &Db, order_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    let sql = "SELECT DISTINCT p.id, p.mxik FROM sales_order_lines l JOIN products p ON p.id = l.product_id \
               WHERE l.order_id = $1 AND p.mxik IS NOT NULL";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(order_id).fetch_all(p).await)?)
}

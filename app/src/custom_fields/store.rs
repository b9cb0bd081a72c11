//! SQL for custom field definitions and values, on both databases.

use std::collections::HashMap;

use super::{CustomField, CustomValues, FieldEntity, FieldKind, FieldValues, value_json};
use crate::core::db::{Db, is_unique_violation, placeholders, placeholders_after};
use crate::core::{AppError, ErrCode, now_millis};
use crate::db_run;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    entity: String,
    key: String,
    label: String,
    kind: String,
    options: String,
    currency: Option<String>,
    required: bool,
    position: i64,
    retired: bool,
    version: i64,
}

impl From<Row> for CustomField {
    fn from(r: Row) -> Self {
        CustomField {
            id: r.id,
            entity: FieldEntity::parse(&r.entity).unwrap_or_default(),
            key: r.key,
            label: r.label,
            kind: FieldKind::parse(&r.kind).unwrap_or_default(),
            options: serde_json::from_str(&r.options).unwrap_or_default(),
            currency: r.currency,
            required: r.required,
            position: r.position,
            retired: r.retired,
            version: r.version,
        }
    }
}

const SELECT: &str = "SELECT id, entity, key, label, kind, options, currency, required, position, retired, version \
    FROM custom_fields";

/// Every field of `entity` (retired ones too), in form order.
pub async fn list(db: &Db, entity: FieldEntity) -> Result<Vec<CustomField>, AppError> {
    let sql = format!("{SELECT} WHERE entity = $1 ORDER BY position, id");
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(entity.as_str()).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One field.
pub async fn get(db: &Db, id: i64) -> Result<CustomField, AppError> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    row.map(Into::into).ok_or(AppError::NotFound)
}

/// The next free position (new fields go last).
pub async fn next_position(db: &Db, entity: FieldEntity) -> Result<i64, AppError> {
    let max: Option<i64> = db_run!(db, p => sqlx::query_scalar("SELECT MAX(position) FROM custom_fields WHERE entity = $1")
        .bind(entity.as_str()).fetch_one(p).await)?;
    Ok(max.map_or(0, |m| m + 1))
}

/// Creates a field; a key already used for the entity is refused on `key`.
pub async fn create(db: &Db, v: &FieldValues) -> Result<CustomField, AppError> {
    let now = now_millis();
    let sql = "INSERT INTO custom_fields (entity, key, label, kind, options, currency, required, position, created_at, \
               updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
    let options = serde_json::to_string(&v.options).unwrap_or_else(|_| "[]".into());
    let id: i64 = db_run!(db, p => sqlx::query_scalar(sql)
        .bind(v.entity.as_str()).bind(&v.key).bind(&v.label).bind(v.kind.as_str()).bind(&options).bind(&v.currency)
        .bind(v.required).bind(v.position).bind(now)
        .fetch_one(p).await)
    .map_err(|e| if is_unique_violation(&e) { AppError::field("key", ErrCode::KeyTaken) } else { e.into() })?;
    get(db, id).await
}

/// Saves a changed definition if `version` is still current.
pub async fn update(db: &Db, f: &CustomField, version: i64) -> Result<CustomField, AppError> {
    let sql = "UPDATE custom_fields SET label = $1, options = $2, required = $3, position = $4, retired = $5, \
               updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8";
    let options = serde_json::to_string(&f.options).unwrap_or_else(|_| "[]".into());
    let n = db_run!(db, p => sqlx::query(sql)
        .bind(&f.label).bind(&options).bind(f.required).bind(f.position).bind(f.retired).bind(now_millis())
        .bind(f.id).bind(version)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(AppError::Conflict);
    }
    get(db, f.id).await
}

/// The values of `ids` (records of the fields' entity) for the fields in `defs`, by record id.
pub async fn values(db: &Db, defs: &[CustomField], ids: &[i64]) -> Result<HashMap<i64, CustomValues>, AppError> {
    let mut out: HashMap<i64, CustomValues> = HashMap::new();
    if defs.is_empty() || ids.is_empty() {
        return Ok(out);
    }
    let field_ids: Vec<i64> = defs.iter().map(|d| d.id).collect();
    let sql = format!(
        "SELECT record_id, field_id, value FROM custom_values WHERE record_id IN ({}) AND field_id IN ({}) \
         ORDER BY record_id, field_id, seq",
        placeholders(ids.len()),
        placeholders_after(ids.len(), field_ids.len())
    );
    let rows: Vec<(i64, i64, String)> = db_run!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for id in ids.iter().chain(&field_ids) {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?;
    let mut i = 0;
    while i < rows.len() {
        let (record, field) = (rows[i].0, rows[i].1);
        let mut texts = Vec::new();
        while i < rows.len() && rows[i].0 == record && rows[i].1 == field {
            texts.push(rows[i].2.clone());
            i += 1;
        }
        if let Some(d) = defs.iter().find(|d| d.id == field) {
            out.entry(record).or_default().insert(d.key.clone(), value_json(d.kind, &texts));
        }
    }
    Ok(out)
}

/// The values of one record.
pub async fn values_of(db: &Db, defs: &[CustomField], id: i64) -> Result<CustomValues, AppError> {
    Ok(values(db, defs, &[id]).await?.remove(&id).unwrap_or_default())
}

/// The SQL that replaces one field's values of one record: a DELETE, then one INSERT per value.
pub const DELETE: &str = "DELETE FROM custom_values WHERE field_id = $1 AND record_id = $2";
/// See [`DELETE`].
pub const INSERT: &str =
    "INSERT INTO custom_values (field_id, record_id, seq, value, sort_key, num) VALUES ($1, $2, $3, $4, $5, $6)";

/// Writes checked values of record `$record` on an open transaction `$tx` of either backend, replacing
/// each given field's values: `save_custom!(tx, id, &checked)`.
#[macro_export]
macro_rules! save_custom {
    ($tx:expr, $record:expr, $checked:expr) => {
        async {
            for (field_id, rows) in $checked.iter() {
                sqlx::query($crate::custom_fields::store::DELETE)
                    .bind(field_id)
                    .bind($record)
                    .execute(&mut *$tx)
                    .await?;
                for (seq, r) in rows.iter().enumerate() {
                    sqlx::query($crate::custom_fields::store::INSERT)
                        .bind(field_id)
                        .bind($record)
                        .bind(seq as i64)
                        .bind(&r.value)
                        .bind(r.sort_key())
                        .bind(r.num)
                        .execute(&mut *$tx)
                        .await?;
                }
            }
            Ok::<(), sqlx::Error>(())
        }
        .await
    };
}

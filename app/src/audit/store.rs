//! Writing and reading the audit log, on both databases.

use super::{FieldChange, TimelineCursor, TimelineEntry, TimelinePage};
use crate::core::AppError;
use crate::core::db::Db;
use crate::db_run;

/// The INSERT for one audit row; run it on the transaction of the change it records (see [`audit!`]).
pub const INSERT: &str = "INSERT INTO audit_log (customer_id, entity, entity_id, action, changes, user_id, at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// The JSON stored in `changes`.
pub fn changes_json(changes: &[FieldChange]) -> String {
    serde_json::to_string(changes).unwrap_or_else(|_| "[]".into())
}

/// Records an audit row on an open transaction `$tx` of either backend:
/// `audit!(tx, customer_id, "customer", id, "changed", &changes, user_id, now)`.
#[macro_export]
macro_rules! audit {
    ($tx:expr, $customer:expr, $entity:expr, $entity_id:expr, $action:expr, $changes:expr, $user:expr, $at:expr) => {
        sqlx::query($crate::audit::store::INSERT)
            .bind($customer)
            .bind($entity)
            .bind($entity_id)
            .bind($action)
            .bind($crate::audit::store::changes_json($changes))
            .bind($user)
            .bind($at)
            .execute(&mut *$tx)
            .await
    };
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: i64,
    user_name: Option<String>,
    entity: String,
    entity_id: i64,
    action: String,
    changes: String,
}

impl Row {
    fn into_entry(self) -> TimelineEntry {
        TimelineEntry {
            id: self.id,
            at: self.at,
            user_name: self.user_name,
            entity: self.entity,
            entity_id: self.entity_id,
            action: self.action,
            changes: serde_json::from_str(&self.changes).unwrap_or_default(),
            interaction: None,
        }
    }
}

/// Up to `limit` audit entries of a customer with ids below `before`, newest first (the timeline's part).
/// The caller checks access.
pub async fn for_customer(db: &Db, customer_id: i64, before: i64, limit: i64) -> Result<Vec<TimelineEntry>, AppError> {
    let sql = "SELECT a.id, a.at, u.name AS user_name, a.entity, a.entity_id, a.action, a.changes \
               FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
               WHERE a.customer_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3";
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(sql).bind(customer_id).bind(before).bind(limit)
        .fetch_all(p).await)?;
    Ok(rows.into_iter().map(Row::into_entry).collect())
}

/// The latest audit entries of one record (`entity`, `entity_id`), newest first. The caller checks access.
pub async fn for_entity(db: &Db, entity: &str, entity_id: i64, limit: i64) -> Result<Vec<TimelineEntry>, AppError> {
    let sql = "SELECT a.id, a.at, u.name AS user_name, a.entity, a.entity_id, a.action, a.changes \
               FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
               WHERE a.entity = $1 AND a.entity_id = $2 ORDER BY a.id DESC LIMIT $3";
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(sql).bind(entity).bind(entity_id).bind(limit)
        .fetch_all(p).await)?;
    Ok(rows.into_iter().map(Row::into_entry).collect())
}

/// A page of one customer's timeline: its audit log and its interactions, newest first. The caller checks
/// access.
pub async fn timeline(db: &Db, customer_id: i64, cursor: Option<&str>, limit: u32) -> Result<TimelinePage, AppError> {
    let cursor = match cursor.filter(|c| !c.is_empty()) {
        Some(c) => {
            TimelineCursor::parse(c).ok_or_else(|| AppError::field("cursor", crate::core::ErrCode::InvalidChoice))?
        }
        None => TimelineCursor::START,
    };
    let limit = i64::from(limit.clamp(1, crate::core::MAX_PAGE));
    let audit = for_customer(db, customer_id, cursor.audit_before, limit + 1).await?;
    let interactions =
        crate::interactions::store::for_customer(db, customer_id, cursor.interaction_before, limit + 1).await?;
    Ok(super::merge_timeline(audit, interactions, cursor, limit as usize))
}

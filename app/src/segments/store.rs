//! SQL for segments and static snapshots, on both databases.

use std::collections::HashMap;

use super::{Rules, Segment, SegmentKind};
use crate::core::db::{BeginWrite, Db, placeholders};
use crate::core::{AppError, now_millis};
use crate::customers::filter::{FilterCtx, rules_sql};
use crate::customers::store::{Arg, bind_args};
use crate::db_run;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    rules: String,
    member_count: i64,
    created_by_name: String,
    updated_at: i64,
    version: i64,
}

impl From<Row> for Segment {
    fn from(r: Row) -> Self {
        Segment {
            id: r.id,
            name: r.name,
            kind: SegmentKind::parse(&r.kind).unwrap_or_default(),
            rules: serde_json::from_str(&r.rules).unwrap_or_default(),
            member_count: r.member_count,
            created_by_name: r.created_by_name,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}

const SELECT: &str = "SELECT s.id, s.name, s.kind, s.rules, s.member_count, u.name AS created_by_name, s.updated_at, \
    s.version FROM segments s JOIN users u ON u.id = s.created_by";

fn rules_json(rules: &Rules) -> String {
    serde_json::to_string(rules).unwrap_or_else(|_| "{}".into())
}

/// Every segment, by name.
pub async fn list(db: &Db) -> Result<Vec<Segment>, AppError> {
    let sql = format!("{SELECT} ORDER BY s.name, s.id");
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One segment.
pub async fn get(db: &Db, id: i64) -> Result<Segment, AppError> {
    let sql = format!("{SELECT} WHERE s.id = $1");
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    row.map(Into::into).ok_or(AppError::NotFound)
}

/// The kind and rules of the segments `ids` (those that exist).
pub async fn rules_of(db: &Db, ids: &[i64]) -> Result<HashMap<i64, (SegmentKind, Rules)>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!("SELECT id, kind, rules FROM segments WHERE id IN ({})", placeholders(ids.len()));
    let rows: Vec<(i64, String, String)> = db_run!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, rules)| {
            (id, (SegmentKind::parse(&kind).unwrap_or_default(), serde_json::from_str(&rules).unwrap_or_default()))
        })
        .collect())
}

/// The statement that takes a static segment's snapshot (`$1` is the segment's id) and its arguments.
fn snapshot_sql(rules: &Rules, ctx: &FilterCtx) -> Result<(String, Vec<Arg>), AppError> {
    let mut args = vec![Arg::I(0)];
    let cond = rules_sql(ctx, rules, &mut args, 0)?;
    let sql =
        format!("INSERT INTO segment_members (segment_id, customer_id) SELECT $1, c.id FROM customers c WHERE {cond}");
    Ok((sql, args))
}

/// Creates a segment with its member count, and a static one with its snapshot of members, in one
/// transaction; returns its id.
pub async fn create(
    db: &Db,
    user_id: i64,
    name: &str,
    kind: SegmentKind,
    rules: &Rules,
    member_count: i64,
    ctx: &FilterCtx,
) -> Result<i64, AppError> {
    let sql = "INSERT INTO segments (name, kind, rules, member_count, created_by, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
    let now = now_millis();
    let snapshot = if kind == SegmentKind::Static { Some(snapshot_sql(rules, ctx)?) } else { None };
    Ok(db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(sql).bind(name).bind(kind.as_str()).bind(rules_json(rules))
            .bind(member_count).bind(user_id).bind(now).fetch_one(&mut *tx).await?;
        if let Some((insert, args)) = &snapshot {
            let mut args = args.clone();
            args[0] = Arg::I(id);
            let n = bind_args!(sqlx::query(insert), &args).execute(&mut *tx).await?.rows_affected();
            sqlx::query("UPDATE segments SET member_count = $1 WHERE id = $2").bind(n as i64).bind(id)
                .execute(&mut *tx).await?;
        }
        tx.commit().await.map(|_| id)
    })?)
}

/// Saves a new name, rules and member count if `version` is still current (`Conflict` otherwise); with
/// `snapshot`, a static segment's members are retaken in the same transaction.
pub async fn update(
    db: &Db,
    id: i64,
    version: i64,
    name: &str,
    rules: &Rules,
    member_count: i64,
    snapshot: Option<&FilterCtx>,
) -> Result<(), AppError> {
    let sql = "UPDATE segments SET name = $1, rules = $2, member_count = $3, updated_at = $4, version = version + 1 \
               WHERE id = $5 AND version = $6";
    let snapshot = match snapshot {
        Some(ctx) => Some(snapshot_sql(rules, ctx)?),
        None => None,
    };
    let n = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(sql).bind(name).bind(rules_json(rules)).bind(member_count)
            .bind(now_millis()).bind(id).bind(version).execute(&mut *tx).await?.rows_affected();
        if n == 1 && let Some((insert, args)) = &snapshot {
            let mut args = args.clone();
            args[0] = Arg::I(id);
            sqlx::query("DELETE FROM segment_members WHERE segment_id = $1").bind(id).execute(&mut *tx).await?;
            let members = bind_args!(sqlx::query(insert), &args).execute(&mut *tx).await?.rows_affected();
            sqlx::query("UPDATE segments SET member_count = $1 WHERE id = $2").bind(members as i64).bind(id)
                .execute(&mut *tx).await?;
        }
        tx.commit().await.map(|_| n)
    })?;
    if n == 0 { Err(AppError::Conflict) } else { Ok(()) }
}

/// Records the member count of a dynamic segment found when it was last evaluated.
pub async fn set_count(db: &Db, id: i64, member_count: i64) -> Result<(), AppError> {
    db_run!(db, p => sqlx::query("UPDATE segments SET member_count = $1 WHERE id = $2").bind(member_count).bind(id)
        .execute(p).await.map(|_| ()))?;
    Ok(())
}

/// Replaces a static segment's members by the customers matching `rules` now, in one transaction (one
/// `INSERT … SELECT`, however many members); returns how many.
pub async fn snapshot(db: &Db, id: i64, rules: &Rules, ctx: &FilterCtx) -> Result<i64, AppError> {
    let (insert, mut args) = snapshot_sql(rules, ctx)?;
    args[0] = Arg::I(id);
    let n = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query("DELETE FROM segment_members WHERE segment_id = $1").bind(id).execute(&mut *tx).await?;
        let n = bind_args!(sqlx::query(&insert), &args).execute(&mut *tx).await?.rows_affected();
        sqlx::query("UPDATE segments SET member_count = $1 WHERE id = $2").bind(n as i64).bind(id)
            .execute(&mut *tx).await?;
        tx.commit().await.map(|_| n as i64)
    })?;
    Ok(n)
}

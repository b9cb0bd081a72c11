//! SQL for interactions and their attachments, on both databases.

use super::{AttachmentInfo, Interaction, InteractionFilter, InteractionKind, InteractionPage, InteractionValues};
use crate::core::db::{Db, placeholders};
use crate::core::identity::Scope;
use crate::core::{AppError, ErrCode, Millis, now_millis};
use crate::customers::store::{Arg, ChangedSince, bind_args, push_cond, scope_sql};
use crate::db_run;

const SELECT: &str = "SELECT i.id, i.customer_id, c.name AS customer_name, i.contact_id, ct.name AS contact_name, \
    i.deal_id, i.kind, i.direction, i.status, i.subject, i.body, i.place, i.participants, i.duration_secs, \
    i.result, i.occurred_at, i.ends_at, i.author_id, u.name AS author_name, i.created_at, i.updated_at, i.version, i.archived_at \
    FROM interactions i JOIN customers c ON c.id = i.customer_id LEFT JOIN contacts ct ON ct.id = i.contact_id \
    LEFT JOIN users u ON u.id = i.author_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    customer_id: i64,
    customer_name: String,
    contact_id: Option<i64>,
    contact_name: Option<String>,
    deal_id: Option<i64>,
    kind: String,
    direction: Option<String>,
    status: String,
    subject: Option<String>,
    body: Option<String>,
    place: Option<String>,
    participants: Option<String>,
    duration_secs: Option<i64>,
    result: Option<String>,
    occurred_at: i64,
    ends_at: Option<i64>,
    author_id: Option<i64>,
    author_name: Option<String>,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
}

impl Row {
    fn into_interaction(self) -> Interaction {
        Interaction {
            id: self.id,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            contact_id: self.contact_id,
            contact_name: self.contact_name,
            deal_id: self.deal_id,
            kind: InteractionKind::parse(&self.kind).unwrap_or(InteractionKind::Note),
            direction: self.direction,
            status: self.status,
            subject: self.subject,
            body: self.body,
            place: self.place,
            participants: self.participants,
            duration_secs: self.duration_secs,
            result: self.result,
            occurred_at: self.occurred_at,
            ends_at: self.ends_at,
            author_id: self.author_id,
            author_name: self.author_name,
            attachments: Vec::new(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
            archived_at: self.archived_at,
        }
    }
}

/// Rows turned into interactions with their attachments' descriptions (one more query).
async fn finish(db: &Db, rows: Vec<Row>) -> Result<Vec<Interaction>, AppError> {
    let mut out: Vec<Interaction> = rows.into_iter().map(Row::into_interaction).collect();
    if out.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT interaction_id, id, file_name, content_type, size FROM attachments WHERE interaction_id IN ({}) ORDER BY id",
        placeholders(out.len())
    );
    let files: Vec<(i64, i64, String, String, i64)> = db_run!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for i in &out {
            q = q.bind(i.id);
        }
        q.fetch_all(p).await
    })?;
    for (interaction_id, id, file_name, content_type, size) in files {
        if let Some(i) = out.iter_mut().find(|i| i.id == interaction_id) {
            i.attachments.push(AttachmentInfo { id, file_name, content_type, size });
        }
    }
    Ok(out)
}

/// One interaction, or `NotFound`. The caller checks access through its customer.
pub async fn get(db: &Db, id: i64) -> Result<Interaction, AppError> {
    let sql = format!("{SELECT} WHERE i.id = $1");
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    finish(db, row.into_iter().collect()).await?.pop().ok_or(AppError::NotFound)
}

/// Records an interaction of `customer_id` (by `author`, or the system when `None`); returns its id.
pub async fn create(db: &Db, author: Option<i64>, customer_id: i64, v: &InteractionValues) -> Result<i64, AppError> {
    let now = now_millis();
    let sql = "INSERT INTO interactions (customer_id, contact_id, kind, direction, status, subject, body, place, \
               participants, duration_secs, result, occurred_at, ends_at, author_id, created_at, updated_at, deal_id) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id";
    let id: i64 = db_run!(db, p => sqlx::query_scalar(sql)
        .bind(customer_id).bind(v.contact_id).bind(v.kind.code()).bind(&v.direction).bind(&v.status)
        .bind(&v.subject).bind(&v.body).bind(&v.place).bind(&v.participants).bind(v.duration_secs).bind(&v.result)
        .bind(v.occurred_at).bind(v.ends_at).bind(author).bind(now).bind(v.deal_id)
        .fetch_one(p).await)?;
    Ok(id)
}

/// Saves new values if `version` is current (`Conflict` otherwise).
pub async fn update(db: &Db, id: i64, version: i64, v: &InteractionValues) -> Result<(), AppError> {
    let sql = "UPDATE interactions SET status = $1, subject = $2, body = $3, place = $4, participants = $5, \
               duration_secs = $6, result = $7, occurred_at = $8, ends_at = $9, updated_at = $10, \
               version = version + 1 WHERE id = $11 AND version = $12";
    let n = db_run!(db, p => sqlx::query(sql)
        .bind(&v.status).bind(&v.subject).bind(&v.body).bind(&v.place).bind(&v.participants)
        .bind(v.duration_secs).bind(&v.result).bind(v.occurred_at).bind(v.ends_at).bind(now_millis())
        .bind(id).bind(version)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if n == 1 { Ok(()) } else { Err(AppError::Conflict) }
}

/// A position in a newest-first list: `(occurred_at, id)`, written `at_id` in cursors.
pub type Position = (Millis, i64);

/// Reads an `at_id` cursor.
pub fn parse_position(s: &str) -> Option<Position> {
    let (at, id) = s.split_once('_')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

/// Up to `limit` interactions of a customer before `before`, newest first (the timeline's part).
pub async fn for_customer(
    db: &Db,
    customer_id: i64,
    before: Position,
    limit: i64,
) -> Result<Vec<Interaction>, AppError> {
    let sql = format!(
        "{SELECT} WHERE i.customer_id = $1 AND i.archived_at IS NULL AND (i.occurred_at, i.id) < ($2, $3) \
         ORDER BY i.occurred_at DESC, i.id DESC LIMIT $4"
    );
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(customer_id).bind(before.0).bind(before.1)
        .bind(limit).fetch_all(p).await)?;
    finish(db, rows).await
}

/// A page of the interactions of customers in `scope`, filtered, newest first.
pub async fn list(db: &Db, scope: Scope, f: &InteractionFilter) -> Result<InteractionPage, AppError> {
    let limit = i64::from(f.limit.unwrap_or(50).clamp(1, crate::core::MAX_PAGE));
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    sql.push_str(&f.archived.sql("i"));
    let mut args: Vec<Arg> = Vec::new();
    scope_sql(scope, &mut sql, &mut args);
    if let Some(k) = f.kind {
        push_cond(&mut sql, &mut args, " AND i.kind = #", Arg::S(k.code().into()));
    }
    if let Some(a) = f.author_id {
        push_cond(&mut sql, &mut args, " AND i.author_id = #", Arg::I(a));
    }
    if let Some(c) = f.customer_id {
        push_cond(&mut sql, &mut args, " AND i.customer_id = #", Arg::I(c));
    }
    if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
        push_cond(&mut sql, &mut args, " AND i.status = #", Arg::S(s.into()));
    }
    if let Some(from) = f.from {
        push_cond(&mut sql, &mut args, " AND i.occurred_at >= #", Arg::I(from));
    }
    if let Some(to) = f.to {
        push_cond(&mut sql, &mut args, " AND i.occurred_at < #", Arg::I(to));
    }
    let changed = match f.updated_since {
        Some(since) => Some(ChangedSince::new(since, f.cursor.as_deref())?),
        None => None,
    };
    if let Some(changed) = &changed {
        changed.push("i", &mut sql, &mut args);
    } else if let Some(c) = f.cursor.as_deref().filter(|c| !c.is_empty()) {
        let (at, id) = parse_position(c).ok_or_else(|| AppError::field("cursor", ErrCode::InvalidChoice))?;
        args.push(Arg::I(at));
        args.push(Arg::I(id));
        let (a, b) = (args.len() - 1, args.len());
        sql.push_str(&format!(" AND (i.occurred_at, i.id) < (${a}, ${b})"));
    }
    sql.push_str(&match changed {
        Some(_) => ChangedSince::order("i"),
        None => " ORDER BY i.occurred_at DESC, i.id DESC".to_string(),
    });
    args.push(Arg::I(limit + 1));
    sql.push_str(&format!(" LIMIT ${}", args.len()));
    let rows: Vec<Row> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let mut items = finish(db, rows).await?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|i| match changed {
            Some(_) => ChangedSince::cursor(i.updated_at, i.id),
            None => format!("{}_{}", i.occurred_at, i.id),
        })
    } else {
        None
    };
    Ok(InteractionPage { items, next_cursor })
}

/// Stores a file of an interaction; returns its description.
pub async fn add_attachment(
    db: &Db,
    interaction_id: i64,
    user_id: i64,
    file_name: &str,
    content_type: &str,
    data: &[u8],
) -> Result<AttachmentInfo, AppError> {
    let sql = "INSERT INTO attachments (interaction_id, file_name, content_type, size, data, created_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let size = data.len() as i64;
    let id: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(interaction_id).bind(file_name).bind(content_type)
        .bind(size).bind(data).bind(user_id).bind(now_millis()).fetch_one(p).await)?;
    Ok(AttachmentInfo { id, file_name: file_name.into(), content_type: content_type.into(), size })
}

/// A stored file: its description, the interaction it belongs to, and its bytes.
pub async fn attachment(db: &Db, id: i64) -> Result<(AttachmentInfo, Option<i64>, Vec<u8>), AppError> {
    let sql = "SELECT id, file_name, content_type, size, interaction_id, data FROM attachments WHERE id = $1";
    type R = (i64, String, String, i64, Option<i64>, Vec<u8>);
    let row: Option<R> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let (id, file_name, content_type, size, interaction_id, data) = row.ok_or(AppError::NotFound)?;
    Ok((AttachmentInfo { id, file_name, content_type, size }, interaction_id, data))
}

/// The latest interactions linked to a deal, newest first. The caller checks access.
pub async fn for_deal(db: &Db, deal_id: i64, limit: i64) -> Result<Vec<Interaction>, AppError> {
    let sql = format!(
        "{SELECT} WHERE i.deal_id = $1 AND i.archived_at IS NULL ORDER BY i.occurred_at DESC, i.id DESC LIMIT $2"
    );
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(deal_id).bind(limit).fetch_all(p).await)?;
    finish(db, rows).await
}

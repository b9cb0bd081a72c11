//! SQL for subscriptions, the outbox's fan-out and deliveries; written once for both databases.

use super::{Delivery, MAX_ATTEMPTS, Webhook, backoff, wants};
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::Scope;
use crate::core::{AppError, Millis, now_millis};
use crate::db_run;

type HookRow = (i64, String, String, bool, i64);

fn webhook((id, url, events, active, created_at): HookRow) -> Webhook {
    Webhook { id, url, events: events.split_whitespace().map(str::to_string).collect(), active, created_at }
}

/// Subscribes `url` to `events` (names, or `*`); returns the subscription and its signing secret.
pub async fn create(db: &Db, url: &str, events: &str, user_id: i64) -> Result<(Webhook, String), AppError> {
    let (secret, _) = crate::auth::store::new_secret("whsec_");
    let sql = "INSERT INTO webhooks (url, secret, events, active, created_by, created_at) \
               VALUES ($1, $2, $3, TRUE, $4, $5) RETURNING id, url, events, active, created_at";
    let row: HookRow = db_run!(db, p => sqlx::query_as(sql).bind(url).bind(&secret).bind(events).bind(user_id)
        .bind(now_millis()).fetch_one(p).await)?;
    Ok((webhook(row), secret))
}

/// Every subscription, newest first.
pub async fn list(db: &Db) -> Result<Vec<Webhook>, AppError> {
    let sql = "SELECT id, url, events, active, created_at FROM webhooks ORDER BY id DESC LIMIT 200";
    let rows: Vec<HookRow> = db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)?;
    Ok(rows.into_iter().map(webhook).collect())
}

/// One subscription.
pub async fn get(db: &Db, id: i64) -> Result<Webhook, AppError> {
    let sql = "SELECT id, url, events, active, created_at FROM webhooks WHERE id = $1";
    let row: Option<HookRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    row.map(webhook).ok_or(AppError::NotFound)
}

/// Pauses or resumes a subscription (paused, it gets no new events; its pending deliveries still go).
pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<(), AppError> {
    update(db, id, None, None, Some(active)).await.map(|_| ())
}

/// Changes what is given of a subscription's URL, events (as stored) and active flag.
pub async fn update(
    db: &Db,
    id: i64,
    url: Option<&str>,
    events: Option<&str>,
    active: Option<bool>,
) -> Result<Webhook, AppError> {
    let sql = "UPDATE webhooks SET url = COALESCE($1, url), events = COALESCE($2, events), \
               active = COALESCE($3, active) WHERE id = $4 RETURNING id, url, events, active, created_at";
    let row: Option<HookRow> = db_run!(db, p => sqlx::query_as(sql).bind(url).bind(events).bind(active).bind(id)
        .fetch_optional(p).await)?;
    row.map(webhook).ok_or(AppError::NotFound)
}

/// Deletes a subscription and its deliveries (events not yet sent to it are dropped with them).
pub async fn delete(db: &Db, id: i64) -> Result<(), AppError> {
    let n = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1").bind(id).execute(&mut *tx).await?;
        let n = sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)?;
    if n == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

/// Up to `limit` deliveries (of one subscription, or of all) older than delivery `before`, newest first.
pub async fn deliveries(
    db: &Db,
    webhook_id: Option<i64>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Delivery>, AppError> {
    let sql = "SELECT d.id, d.webhook_id, o.id AS event_id, o.event, o.entity_id, d.state, d.attempts, d.next_at, \
               d.last_status, d.last_error, d.last_at FROM webhook_deliveries d JOIN webhook_outbox o ON o.id = d.outbox_id \
               WHERE ($1 IS NULL OR d.webhook_id = $1) AND ($2 IS NULL OR d.id < $2) ORDER BY d.id DESC LIMIT $3";
    Ok(
        db_run!(db, p => sqlx::query_as(sql).bind(webhook_id).bind(before).bind(limit.clamp(1, 201)).fetch_all(p).await)?,
    )
}

/// Sends a delivery again, now (the same event id and body), whatever its state.
pub async fn replay(db: &Db, delivery_id: i64) -> Result<(), AppError> {
    let sql = "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = $1, lease_until = NULL \
               WHERE id = $2";
    let n = db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(delivery_id).execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

/// The entity an event is about, as the REST API shows it (`null` when it is gone).
async fn entity_json(db: &Db, event: &str, id: i64) -> Result<serde_json::Value, AppError> {
    let value = match event.split('.').next().unwrap_or_default() {
        "customer" => crate::customers::store::get(db, Scope::All, id).await.map(serde_json::to_value),
        "contact" => crate::contacts::store::get(db, id).await.map(serde_json::to_value),
        "deal" => crate::deals::store::get(db, id).await.map(serde_json::to_value),
        "task" => crate::tasks::store::get(db, id).await.map(serde_json::to_value),
        "interaction" => crate::interactions::store::get(db, id).await.map(serde_json::to_value),
        _ => return Ok(serde_json::Value::Null),
    };
    match value {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(crate::core::request::internal(&format!("webhook payload: {e}"))),
        // Deleted since (or a `.deleted` event): its id is all that is left to say.
        Err(AppError::NotFound) => Ok(serde_json::json!({ "id": id })),
        Err(e) => Err(e),
    }
}

/// Fans up to `limit` new outbox rows out to the active subscriptions that want them: each row's body is
/// built once (the entity as it is now) and every matching subscription gets a pending delivery. Safe with
/// several servers: a row is taken by whoever marks it first. Returns how many rows were taken.
pub async fn fan_out(db: &Db, limit: i64) -> Result<usize, AppError> {
    let sql = "SELECT id, event, entity_id, at FROM webhook_outbox WHERE NOT fanned ORDER BY id LIMIT $1";
    let rows: Vec<(i64, String, i64, i64)> = db_run!(db, p => sqlx::query_as(sql).bind(limit).fetch_all(p).await)?;
    if rows.is_empty() {
        return Ok(0);
    }
    let hooks: Vec<(i64, String)> =
        db_run!(db, p => sqlx::query_as("SELECT id, events FROM webhooks WHERE active").fetch_all(p).await)?;
    let now = now_millis();
    let mut taken = 0;
    for (id, event, entity_id, at) in rows {
        let data = entity_json(db, &event, entity_id).await?;
        let body = serde_json::json!({ "id": id, "type": event, "occurred_at": at, "data": data }).to_string();
        let targets: Vec<i64> = hooks.iter().filter(|(_, ev)| wants(ev, &event)).map(|(h, _)| *h).collect();
        let took = db_run!(db, p => {
            let mut tx = p.begin_write().await?;
            let took = sqlx::query("UPDATE webhook_outbox SET fanned = TRUE, body = $1 WHERE id = $2 AND NOT fanned")
                .bind(&body).bind(id).execute(&mut *tx).await?.rows_affected();
            if took == 1 {
                for h in &targets {
                    sqlx::query("INSERT INTO webhook_deliveries (webhook_id, outbox_id, next_at) VALUES ($1, $2, $3) \
                                 ON CONFLICT (webhook_id, outbox_id) DO NOTHING")
                        .bind(h).bind(id).bind(now).execute(&mut *tx).await?;
                }
            }
            tx.commit().await.map(|()| took)
        })?;
        taken += took as usize;
    }
    Ok(taken)
}

/// A delivery to make now.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub event_id: i64,
    pub event: String,
    pub body: String,
    pub attempts: i32,
}

/// How long a server may take over a delivery before another may try it.
const LEASE_MS: Millis = 60_000;

/// Takes up to `limit` deliveries that are due (for [`LEASE_MS`]), so that no other server sends them meanwhile.
pub async fn claim_due(db: &Db, limit: i64) -> Result<Vec<Due>, AppError> {
    let now = now_millis();
    // The outer condition is checked again on a row another server changed meanwhile (PostgreSQL re-reads
    // it after the lock), so two servers never take the same delivery.
    let sql = "UPDATE webhook_deliveries SET lease_until = $1 WHERE id IN (SELECT id FROM webhook_deliveries \
               WHERE state = 'pending' AND next_at <= $2 AND (lease_until IS NULL OR lease_until < $2) \
               ORDER BY next_at LIMIT $3) AND (lease_until IS NULL OR lease_until < $2) RETURNING id";
    let ids: Vec<i64> =
        db_run!(db, p => sqlx::query_scalar(sql).bind(now + LEASE_MS).bind(now).bind(limit).fetch_all(p).await)?;
    let mut due = Vec::with_capacity(ids.len());
    for id in ids {
        let sql = "SELECT d.id, w.url, w.secret, o.id, o.event, COALESCE(o.body, ''), d.attempts FROM webhook_deliveries d \
                   JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_outbox o ON o.id = d.outbox_id WHERE d.id = $1";
        let row: (i64, String, String, i64, String, String, i32) =
            db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_one(p).await)?;
        let (id, url, secret, event_id, event, body, attempts) = row;
        due.push(Due { id, url, secret, event_id, event, body, attempts });
    }
    Ok(due)
}

/// Notes a delivery's outcome: delivered, or failed once more (tried again after [`backoff`], given up after
/// [`MAX_ATTEMPTS`]).
pub async fn record(db: &Db, due: &Due, status: Option<u16>, error: Option<&str>) -> Result<(), AppError> {
    let now = now_millis();
    let ok = status.is_some_and(|s| (200..300).contains(&s));
    let attempts = due.attempts + 1;
    let state = if ok {
        "delivered"
    } else if attempts >= MAX_ATTEMPTS {
        "failed"
    } else {
        "pending"
    };
    let next_at = if ok { now } else { now + backoff(attempts) };
    let sql = "UPDATE webhook_deliveries SET state = $1, attempts = $2, next_at = $3, lease_until = NULL, \
               last_status = $4, last_error = $5, last_at = $6 WHERE id = $7";
    db_run!(db, p => sqlx::query(sql).bind(state).bind(attempts).bind(next_at).bind(status.map(i32::from))
        .bind(error).bind(now).bind(due.id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

//! Live events for open pages (a reminder firing, a call ringing): published after the change commits and
//! delivered to the user's browsers over server-sent events. On PostgreSQL they travel by `NOTIFY`, so every
//! app server hears every event; SQLite is one process, so a channel in memory is enough.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::db::Db;

/// The PostgreSQL channel events travel on.
pub const CHANNEL: &str = "karvon_events";

/// One event for one user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub user_id: i64,
    /// The SSE event name: `notification`, …
    pub name: String,
    /// The SSE `id` (notifications: their id, so a reconnecting browser resumes after it).
    pub id: Option<i64>,
    /// The JSON the browser gets.
    pub data: serde_json::Value,
}

/// One channel per database this process serves (one in production; the test suite runs many side by side,
/// whose ids would otherwise mix).
static LOCAL: LazyLock<Mutex<HashMap<String, broadcast::Sender<Event>>>> = LazyLock::new(Default::default);

/// The database's name: its file (SQLite) or database (PostgreSQL).
fn key(db: &Db) -> String {
    match db {
        Db::Sqlite(p) => format!("sqlite:{}", p.connect_options().get_filename().display()),
        Db::Postgres(p) => format!("postgres:{}", p.connect_options().get_database().unwrap_or_default()),
    }
}

fn sender(db: &Db) -> broadcast::Sender<Event> {
    let mut map = LOCAL.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(key(db)).or_insert_with(|| broadcast::channel(1024).0).clone()
}

/// Events of `db` as this process hears them (a lagging receiver loses the oldest; browsers catch up on
/// reconnect).
pub fn subscribe(db: &Db) -> broadcast::Receiver<Event> {
    sender(db).subscribe()
}

/// Sends `event` to every app server (PostgreSQL) or this one (SQLite). Call it after the change committed.
pub async fn publish(db: &Db, event: &Event) {
    match db {
        Db::Sqlite(_) => {
            let _ = sender(db).send(event.clone());
        }
        Db::Postgres(p) => {
            let payload = serde_json::to_string(event).unwrap_or_default();
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(&payload).execute(p).await {
                tracing::warn!(error = %e, "event not published; browsers catch up on reconnect");
            }
        }
    }
}

/// On PostgreSQL: listens on [`CHANNEL`] for as long as the process runs and hands each event to this
/// process's subscribers, reconnecting after a lost connection. Does nothing on SQLite.
pub async fn relay(db: Db) {
    let Db::Postgres(pool) = &db else { return };
    let local = sender(&db);
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect_with(pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "event listener cannot connect; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "event listener cannot listen; retrying");
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            continue;
        }
        loop {
            match listener.recv().await {
                Ok(n) => {
                    if let Ok(event) = serde_json::from_str::<Event>(n.payload()) {
                        let _ = local.send(event);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "event listener lost its connection; reconnecting");
                    break;
                }
            }
        }
    }
}

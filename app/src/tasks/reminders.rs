//! The reminder job: every second, each app server claims the reminders that are due and tells their
//! users' open pages. Claiming and writing the notification are one transaction (see
//! [`super::store::claim_due_reminders`]), so a restart neither loses nor doubles a reminder.

use std::time::Duration;

use crate::core::db::Db;
use crate::core::events::{self, Event};
use crate::core::{AppError, Millis};

/// How often due reminders are looked for.
pub const INTERVAL: Duration = Duration::from_secs(1);

/// Fires the reminders due at `now`; returns how many fired.
pub async fn fire_due(db: &Db, now: Millis) -> Result<usize, AppError> {
    let fired = super::store::claim_due_reminders(db, now).await?;
    for f in &fired {
        let event = Event {
            user_id: f.user_id,
            name: "notification".into(),
            id: Some(f.notification.id),
            data: serde_json::to_value(&f.notification).unwrap_or_default(),
        };
        events::publish(db, &event).await;
    }
    Ok(fired.len())
}

/// Runs [`fire_due`] every [`INTERVAL`] for as long as the process lives.
pub async fn run(db: Db) {
    let mut tick = tokio::time::interval(INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // Keep going after a failure (the database may be restarting): the claim is retried next time.
        if let Err(e) = fire_due(&db, crate::core::now_millis()).await {
            tracing::warn!(error = ?e, "reminders not fired this time");
        }
    }
}

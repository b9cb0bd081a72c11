//! Webhooks: an administrator subscribes a URL to events; each change of a customer, contact, deal, task or
//! interaction is delivered to it as a signed JSON POST, retried with backoff until the receiver takes it.
//! The events come from a durable outbox that database triggers fill in the change's own transaction (see
//! the migration `0019_webhooks`), so a change and its event are never apart, whatever wrote the change.

pub mod api;
#[cfg(feature = "ssr")]
pub mod deliver;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::Millis;

/// Every event a subscription can name (later areas add theirs through the outbox in the same way).
pub const EVENTS: &[&str] = &[
    "customer.created",
    "customer.updated",
    "customer.archived",
    "customer.restored",
    "customer.deleted",
    "contact.created",
    "contact.updated",
    "contact.archived",
    "contact.restored",
    "contact.deleted",
    "deal.created",
    "deal.updated",
    "deal.stage_changed",
    "deal.won",
    "deal.lost",
    "deal.archived",
    "deal.restored",
    "deal.deleted",
    "task.created",
    "task.updated",
    "task.archived",
    "task.restored",
    "task.deleted",
    "interaction.created",
    "interaction.updated",
    "interaction.archived",
    "interaction.restored",
    "interaction.deleted",
];

/// How many times a delivery is tried before it is marked failed (about two days of backoff).
pub const MAX_ATTEMPTS: i32 = 12;

/// The wait after the `attempt`-th failure: 10 s, 30 s, 1.5 min, … tripling, at most 6 hours.
pub fn backoff(attempt: i32) -> Millis {
    let base: Millis = 10_000;
    let factor = 3_i64.saturating_pow(attempt.saturating_sub(1).max(0) as u32);
    base.saturating_mul(factor).min(6 * 3_600_000)
}

/// Whether a subscription to `events` (names, or `*`) wants `event`.
pub fn wants(events: &str, event: &str) -> bool {
    events.split_whitespace().any(|e| e == "*" || e == event)
}

/// A subscription as the administrator sees it (the secret is shown once, when it is made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    /// Event names, or `["*"]` for all.
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: Millis,
}

/// A new subscription.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewWebhook {
    /// Where events are POSTed (http or https).
    pub url: String,
    /// Event names (see the README's list); none, or `"*"`: all.
    #[serde(default)]
    pub events: Vec<String>,
}

/// A change of a subscription: only what is given changes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookPatch {
    #[serde(default)]
    pub url: Option<String>,
    /// The new event names (empty or `"*"`: all).
    #[serde(default)]
    pub events: Option<Vec<String>>,
    /// `false` pauses it (no new events; pending deliveries still go), `true` resumes it.
    #[serde(default)]
    pub active: Option<bool>,
}

/// One event's delivery to one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: i64,
    /// The event's id (the outbox row): the same in every retry and replay, for receivers to drop repeats.
    pub event_id: i64,
    pub event: String,
    pub entity_id: i64,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i32,
    pub next_at: Millis,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub last_at: Option<Millis>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops_growing() {
        assert_eq!(backoff(1), 10_000);
        assert_eq!(backoff(2), 30_000);
        assert_eq!(backoff(3), 90_000);
        assert_eq!(backoff(MAX_ATTEMPTS), 6 * 3_600_000);
        assert_eq!(backoff(100), 6 * 3_600_000);
    }

    #[test]
    fn subscriptions_match_names_or_all() {
        assert!(wants("*", "deal.won"));
        assert!(wants("customer.created deal.won", "deal.won"));
        assert!(!wants("customer.created", "customer.updated"));
    }
}

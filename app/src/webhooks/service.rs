//! Webhook subscriptions for administrators: the rules shared by Settings > Webhooks and the REST API.

use super::{Delivery, NewWebhook, Webhook, WebhookPatch};
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, Checks, ErrCode};

fn admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A URL a subscription may name (http or https, with a host); where it points is checked at delivery.
fn check_url(checks: &mut Checks, url: &str) {
    let parsed = reqwest::Url::parse(url).ok();
    if url.is_empty() {
        checks.fail("url", ErrCode::Required);
    } else if url.len() > 2000
        || !parsed.as_ref().is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
    {
        checks.fail("url", ErrCode::InvalidUrl);
    }
}

/// The events as stored: names separated by spaces, `*` for all (none named).
fn check_events(checks: &mut Checks, events: &[String]) -> String {
    if events.iter().any(|e| e != "*" && !super::EVENTS.contains(&e.as_str())) {
        checks.fail("events", ErrCode::InvalidChoice);
    }
    if events.is_empty() || events.iter().any(|e| e == "*") { "*".to_string() } else { events.join(" ") }
}

/// Subscribes a URL; returns the subscription and its signing secret (shown this once).
pub async fn create(db: &Db, user: &CurrentUser, input: &NewWebhook) -> Result<(Webhook, String), AppError> {
    admin(user)?;
    let mut checks = Checks::default();
    let url = input.url.trim();
    check_url(&mut checks, url);
    let events = check_events(&mut checks, &input.events);
    checks.finish()?;
    super::store::create(db, url, &events, user.id).await
}

/// Every subscription, newest first.
pub async fn list(db: &Db, user: &CurrentUser) -> Result<Vec<Webhook>, AppError> {
    admin(user)?;
    super::store::list(db).await
}

/// One subscription.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Webhook, AppError> {
    admin(user)?;
    super::store::get(db, id).await
}

/// Changes a subscription's URL or events, pauses or resumes it.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &WebhookPatch) -> Result<Webhook, AppError> {
    admin(user)?;
    let mut checks = Checks::default();
    let url = patch.url.as_deref().map(str::trim);
    if let Some(url) = url {
        check_url(&mut checks, url);
    }
    let events = patch.events.as_deref().map(|e| check_events(&mut checks, e));
    checks.finish()?;
    super::store::update(db, id, url, events.as_deref(), patch.active).await
}

/// Ends a subscription with its deliveries' record.
pub async fn delete(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    admin(user)?;
    super::store::delete(db, id).await
}

/// A page of a subscription's deliveries (all subscriptions' without one), newest first.
pub async fn deliveries(
    db: &Db,
    user: &CurrentUser,
    webhook_id: Option<i64>,
    before: Option<i64>,
    limit: i64,
) -> Result<(Vec<Delivery>, Option<i64>), AppError> {
    admin(user)?;
    if let Some(id) = webhook_id {
        super::store::get(db, id).await?;
    }
    let limit = limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    let mut items = super::store::deliveries(db, webhook_id, before, limit + 1).await?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|d| d.id)
    } else {
        None
    };
    Ok((items, next))
}

/// Sends a delivery again, now (the same event id and body).
pub async fn replay(db: &Db, user: &CurrentUser, delivery_id: i64) -> Result<(), AppError> {
    admin(user)?;
    super::store::replay(db, delivery_id).await
}

//! Server functions for Settings > Webhooks (administrators only).

use leptos::prelude::*;

use super::{Delivery, Webhook};
use crate::core::AppError;

/// The subscriptions and their latest 50 deliveries.
#[server(prefix = "/rpc", endpoint = "admin/webhooks")]
pub async fn list_webhooks() -> Result<(Vec<Webhook>, Vec<Delivery>), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        Ok((super::store::list(&db).await?, super::store::deliveries(&db, None, 50).await?))
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Subscribes a URL (http or https) to the checked events (none checked: all); returns the signing secret,
/// shown this once.
#[server(prefix = "/rpc", endpoint = "admin/webhooks/create")]
pub async fn create_webhook(url: String, events: Option<Vec<String>>) -> Result<String, AppError> {
    use crate::core::{Checks, ErrCode};
    let run = async {
        let (ctx, db) = crate::admin::api::admin_session()?;
        let mut checks = Checks::default();
        let url = url.trim().to_string();
        let parsed = reqwest::Url::parse(&url).ok();
        if url.is_empty() {
            checks.fail("url", ErrCode::Required);
        } else if url.len() > 2000
            || !parsed.as_ref().is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        {
            checks.fail("url", ErrCode::InvalidUrl);
        }
        let events = events.unwrap_or_default();
        if events.iter().any(|e| !super::EVENTS.contains(&e.as_str())) {
            checks.fail("events", ErrCode::InvalidChoice);
        }
        checks.finish()?;
        let events = if events.is_empty() { "*".to_string() } else { events.join(" ") };
        let (_, secret) = super::store::create(&db, &url, &events, ctx.user()?.id).await?;
        Ok(secret)
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Pauses (`active` = `false`) or resumes a subscription.
#[server(prefix = "/rpc", endpoint = "admin/webhooks/active")]
pub async fn set_webhook_active(id: i64, active: String) -> Result<(), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        super::store::set_active(&db, id, active == "true").await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Sends a delivery again (the same event id and body).
#[server(prefix = "/rpc", endpoint = "admin/webhooks/replay")]
pub async fn replay_delivery(id: i64) -> Result<(), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        super::store::replay(&db, id).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

//! Server functions for Settings > Webhooks (administrators only).

use leptos::prelude::*;

use super::{Delivery, Webhook};
use crate::core::AppError;

/// The subscriptions and their latest 50 deliveries.
#[server(prefix = "/rpc", endpoint = "admin/webhooks")]
pub async fn list_webhooks() -> Result<(Vec<Webhook>, Vec<Delivery>), AppError> {
    let run = async {
        let (ctx, db) = crate::core::request::session()?;
        let user = ctx.user()?;
        Ok((super::service::list(&db, user).await?, super::service::deliveries(&db, user, None, None, 50).await?.0))
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Subscribes a URL (http or https) to the checked events (none checked: all); returns the signing secret,
/// shown this once.
#[server(prefix = "/rpc", endpoint = "admin/webhooks/create")]
pub async fn create_webhook(url: String, events: Option<Vec<String>>) -> Result<String, AppError> {
    let run = async {
        let (ctx, db) = crate::core::request::session()?;
        let input = super::NewWebhook { url, events: events.unwrap_or_default() };
        Ok(super::service::create(&db, ctx.user()?, &input).await?.1)
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Pauses (`active` = `false`) or resumes a subscription.
#[server(prefix = "/rpc", endpoint = "admin/webhooks/active")]
pub async fn set_webhook_active(id: i64, active: String) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = crate::core::request::session()?;
        let patch = super::WebhookPatch { active: Some(active == "true"), ..Default::default() };
        super::service::update(&db, ctx.user()?, id, &patch).await.map(|_| ())
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Sends a delivery again (the same event id and body).
#[server(prefix = "/rpc", endpoint = "admin/webhooks/replay")]
pub async fn replay_delivery(id: i64) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = crate::core::request::session()?;
        super::service::replay(&db, ctx.user()?, id).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

//! `/api/v1/webhooks` (administrators): subscriptions, their deliveries with the last answer, replays.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;

use app::webhooks::{Delivery, NewWebhook, Webhook, WebhookPatch, service};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// Every subscription, newest first (at most 200: a company has a handful).
#[derive(Serialize, utoipa::ToSchema)]
pub struct WebhookList {
    pub items: Vec<Webhook>,
    /// Always `null`: the list is whole.
    pub next_cursor: Option<String>,
}

/// Every subscription.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks", security(("bearer" = [])),
    responses((status = 200, body = WebhookList), (status = 403, body = super::ErrorBody)))]
pub async fn list(State(state): State<AppState>, api: Api) -> Result<Json<WebhookList>, ApiError> {
    let items = service::list(&state.db, api.user()?).await.map_err(|e| api.err(e))?;
    Ok(Json(WebhookList { items, next_cursor: None }))
}

/// A new subscription with its signing secret, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// Signs every delivery (`X-Karvon-Signature`); not shown again.
    pub secret: String,
}

/// Subscribes a URL to events (none named: all).
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook, security(("bearer" = [])),
    responses((status = 201, body = CreatedWebhook), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewWebhook>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    let (webhook, secret) = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(CreatedWebhook { webhook, secret })))
}

/// One subscription.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Webhook), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Webhook>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Changes a subscription's URL or events, pauses (`"active": false`) or resumes it.
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    request_body = WebhookPatch, security(("bearer" = [])),
    responses((status = 200, body = Webhook), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<WebhookPatch>,
) -> Result<Json<Webhook>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// Ends a subscription; its deliveries' record goes with it.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn delete(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    service::delete(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A page of deliveries, newest first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DeliveryPage {
    pub items: Vec<Delivery>,
    pub next_cursor: Option<String>,
}

/// A subscription's deliveries with their state, attempts and last answer, newest first.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", params(("id" = i64, Path), super::segments::PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = DeliveryPage), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<super::segments::PageParams>,
) -> Result<Json<DeliveryPage>, ApiError> {
    let id = parse_id(&api, &id)?;
    let before = match p.cursor.as_deref() {
        Some(c) => Some(
            c.parse::<i64>()
                .map_err(|_| api.err(app::core::AppError::field("cursor", app::core::ErrCode::InvalidChoice)))?,
        ),
        None => None,
    };
    let limit = i64::from(p.limit.unwrap_or(50));
    let (items, next) =
        service::deliveries(&state.db, api.user()?, Some(id), before, limit).await.map_err(|e| api.err(e))?;
    Ok(Json(DeliveryPage { items, next_cursor: next.map(|n| n.to_string()) }))
}

/// Sends a delivery again now, with the same event id and body (202: the delivery job takes it).
#[utoipa::path(post, path = "/api/v1/webhooks/deliveries/{id}/replay", tag = "webhooks", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 202), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn replay(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    service::replay(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::ACCEPTED)
}

//! `/api/v1/orders`: sales orders, their lines, confirmation with a reservation, shipments and their end.
//! Quantities and money are decimal strings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use app::orders::store::OrderQuery;
use app::orders::{NewOrder, Order, OrderConfirm, OrderPage, OrderPatch, OrderShipment, OrderStatus, service};
use app::records::VersionInput;

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// Order list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderParams {
    pub customer_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub status: Option<OrderStatus>,
    /// `true`: drafts and confirmed orders only.
    pub open: Option<bool>,
    /// A part of the number (`ZK-2026-0001`).
    pub number: Option<String>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Orders the caller may see, newest first (a storekeeper's: those confirmed in their warehouses).
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderParams), security(("bearer" = [])),
    responses((status = 200, body = OrderPage), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<OrderParams>,
) -> Result<Json<OrderPage>, ApiError> {
    let q = OrderQuery {
        customer_id: p.customer_id,
        deal_id: p.deal_id,
        status: p.status,
        open: p.open.unwrap_or(false),
        number: p.number,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
        ..Default::default()
    };
    service::list(&state.db, api.user()?, q).await.map(Json).map_err(|e| api.err(e))
}

/// Makes a draft order; lines without a price take the customer's price list's on `order_date` (a price
/// that differs needs `price_reason`).
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = NewOrder, security(("bearer" = [])),
    responses((status = 201, body = Order), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewOrder>,
) -> Result<(StatusCode, Json<Order>), ApiError> {
    let o = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// Which deal an order is made from.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct FromDeal {
    pub deal_id: i64,
}

/// Makes a draft order from a deal: its customer, counterparty, manager and currency. From then on the deal's
/// amount follows the order's total. A deal has one live order (422 `order_exists`).
#[utoipa::path(post, path = "/api/v1/orders/from-deal", tag = "orders", request_body = FromDeal, security(("bearer" = [])),
    responses((status = 201, body = Order), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn from_deal(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<FromDeal>,
) -> Result<(StatusCode, Json<Order>), ApiError> {
    let o = service::create_from_deal(&state.db, api.user()?, input.deal_id).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// One order with its lines and shipments.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Order), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Order>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Replaces a draft's counterparty, date, note and lines (`version` required; a stale one gets 409).
#[utoipa::path(put, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = i64, Path)), request_body = OrderPatch,
    security(("bearer" = [])),
    responses((status = 200, body = Order), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<OrderPatch>,
) -> Result<Json<Order>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// Confirms a draft and reserves its goods in a warehouse; what is on hand and not reserved by other orders
/// must cover it (422 `shortage` naming each line short), unless the warehouse allows negative stock.
#[utoipa::path(post, path = "/api/v1/orders/{id}/confirm", tag = "orders", params(("id" = i64, Path)),
    request_body = OrderConfirm, security(("bearer" = [])),
    responses((status = 200, body = Order), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OrderConfirm>,
) -> Result<Json<Order>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::confirm(&state.db, api.user()?, id, &input).await.map(Json).map_err(|e| api.err(e))
}

/// Ships a confirmed order from its warehouse (the lines given, or everything still to ship): a posted
/// shipment document of the stock ledger; the reservation is released as the goods leave (administrators
/// and the warehouse's storekeepers).
#[utoipa::path(post, path = "/api/v1/orders/{id}/ship", tag = "orders", params(("id" = i64, Path)),
    request_body = OrderShipment, security(("bearer" = [])),
    responses((status = 200, body = Order), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn ship(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OrderShipment>,
) -> Result<Json<Order>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::ship(&state.db, api.user()?, id, &input).await.map(Json).map_err(|e| api.err(e))
}

/// Cancels an order nothing of which has shipped; its reservations are released.
#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", tag = "orders", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = Order), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<Order>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::finish(&state.db, api.user()?, id, v.version, OrderStatus::Cancelled)
        .await
        .map(Json)
        .map_err(|e| api.err(e))
}

/// Closes a confirmed or shipped order; what was not shipped is no longer reserved.
#[utoipa::path(post, path = "/api/v1/orders/{id}/close", tag = "orders", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = Order), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<Order>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::finish(&state.db, api.user()?, id, v.version, OrderStatus::Closed).await.map(Json).map_err(|e| api.err(e))
}

//! `/api/v1/price-lists` and `/api/v1/prices/quote`: price lists, their prices by date, which customers buy
//! from which, and the price a customer pays for a product on a date. Prices are decimal strings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use app::records::VersionInput;
use app::stock::price_service as service;
use app::stock::price_store as store;
use app::stock::prices::{NewPrices, PriceList, PriceListAssign, PriceListInput, PricePage, PriceQuote};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// A page of price lists.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PriceListPage {
    pub items: Vec<PriceList>,
    pub next_cursor: Option<String>,
}

/// Price-list list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PriceListParams {
    /// `active` (default), `only` (archived only) or `all`.
    pub archived: Option<String>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Price lists, by id.
#[utoipa::path(get, path = "/api/v1/price-lists", tag = "stock", params(PriceListParams), security(("bearer" = [])),
    responses((status = 200, body = PriceListPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn price_lists(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<PriceListParams>,
) -> Result<Json<PriceListPage>, ApiError> {
    api.user()?;
    let archived = app::core::archive::Archived::parse(p.archived.as_deref()).map_err(|e| api.err(e))?;
    let after = app::stock::store::opt_id("cursor", p.cursor.as_deref()).map_err(|e| api.err(e))?;
    let (items, next_cursor) = store::price_lists(&state.db, archived, after, i64::from(p.limit.unwrap_or(50)))
        .await
        .map_err(|e| api.err(e))?;
    Ok(Json(PriceListPage { items, next_cursor }))
}

/// Adds a price list (administrators). A default list replaces its currency's previous default.
#[utoipa::path(post, path = "/api/v1/price-lists", tag = "stock", request_body = PriceListInput, security(("bearer" = [])),
    responses((status = 201, body = PriceList), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create_price_list(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<PriceListInput>,
) -> Result<(StatusCode, Json<PriceList>), ApiError> {
    let l = service::save_price_list(&state.db, api.user()?, None, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(l)))
}

/// One price list.
#[utoipa::path(get, path = "/api/v1/price-lists/{id}", tag = "stock", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PriceList), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn price_list(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<PriceList>, ApiError> {
    api.user()?;
    let id = parse_id(&api, &id)?;
    store::price_list(&state.db, id).await.map(Json).map_err(|e| api.err(e))
}

/// Renames a list, changes its currency (while it has no prices) or makes it the default (administrators;
/// `version` required).
#[utoipa::path(put, path = "/api/v1/price-lists/{id}", tag = "stock", params(("id" = i64, Path)), request_body = PriceListInput,
    security(("bearer" = [])),
    responses((status = 200, body = PriceList), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_price_list(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PriceListInput>,
) -> Result<Json<PriceList>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::save_price_list(&state.db, api.user()?, Some(id), &input).await.map(Json).map_err(|e| api.err(e))
}

/// Archives a list: it prices nothing more, and its customers buy from the default list.
#[utoipa::path(post, path = "/api/v1/price-lists/{id}/archive", tag = "stock", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = PriceList), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn archive_price_list(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<PriceList>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::archive_price_list(&state.db, api.user()?, id, v.version, true).await.map(Json).map_err(|e| api.err(e))
}

/// Restores an archived list (not as a default).
#[utoipa::path(post, path = "/api/v1/price-lists/{id}/restore", tag = "stock", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = PriceList), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn restore_price_list(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<PriceList>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::archive_price_list(&state.db, api.user()?, id, v.version, false).await.map(Json).map_err(|e| api.err(e))
}

/// Price parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PriceParams {
    /// The date (`YYYY-MM-DD`) whose prices to show; today when left out.
    pub on: Option<String>,
    /// One product's whole price history in the list instead (newest first, one page).
    pub product_id: Option<i64>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The list's prices in force on a date, by product id.
#[utoipa::path(get, path = "/api/v1/price-lists/{id}/prices", tag = "stock", params(("id" = i64, Path), PriceParams),
    security(("bearer" = [])),
    responses((status = 200, body = PricePage), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn prices(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<PriceParams>,
) -> Result<Json<PricePage>, ApiError> {
    api.user()?;
    let id = parse_id(&api, &id)?;
    let on = service::date_or_today("on", p.on.as_deref()).map_err(|e| api.err(e))?;
    let after = app::stock::store::opt_id("cursor", p.cursor.as_deref()).map_err(|e| api.err(e))?;
    store::price_list(&state.db, id).await.map_err(|e| api.err(e))?;
    store::prices(&state.db, id, &on, p.product_id, after, i64::from(p.limit.unwrap_or(50)))
        .await
        .map(Json)
        .map_err(|e| api.err(e))
}

/// Sets prices from a date, up to 5,000 at once, all or none (administrators). A price for a date that
/// already has one replaces it; earlier ones stay as history.
#[utoipa::path(post, path = "/api/v1/price-lists/{id}/prices", tag = "stock", params(("id" = i64, Path)), request_body = NewPrices,
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_prices(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewPrices>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    service::set_prices(&state.db, api.user()?, id, &input).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many customers an assignment moved.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Assigned {
    pub changed: u64,
}

/// Puts customers on a price list, or back on the default one with `"price_list_id": null` (administrators).
#[utoipa::path(post, path = "/api/v1/price-lists/assign", tag = "stock", request_body = PriceListAssign,
    security(("bearer" = [])),
    responses((status = 200, body = Assigned), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn assign(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<PriceListAssign>,
) -> Result<Json<Assigned>, ApiError> {
    let changed = service::assign(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok(Json(Assigned { changed }))
}

/// Quote parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteParams {
    pub product_id: i64,
    /// The buying customer (one the caller may see); none: a customer without a list of their own.
    pub customer_id: Option<i64>,
    /// ISO code; the customer's own list's currency, else UZS, when left out.
    pub currency: Option<String>,
    /// `YYYY-MM-DD`; today when left out.
    pub on: Option<String>,
}

/// The price a customer pays for a product on a date, and the list it comes from; `null` when no list
/// prices it.
#[utoipa::path(get, path = "/api/v1/prices/quote", tag = "stock", params(QuoteParams), security(("bearer" = [])),
    responses((status = 200, body = Option<PriceQuote>), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn quote(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<QuoteParams>,
) -> Result<Json<Option<PriceQuote>>, ApiError> {
    let user = api.user()?;
    service::price_for(&state.db, user, p.product_id, p.customer_id, p.currency.as_deref(), p.on.as_deref())
        .await
        .map(Json)
        .map_err(|e| api.err(e))
}

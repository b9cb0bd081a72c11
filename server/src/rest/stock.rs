//! `/api/v1/products`, `/api/v1/warehouses`, `/api/v1/stock-documents` and `/api/v1/stock/…`: the catalog,
//! the warehouses, stock documents with their posting, and the ledger's balances and movements. Quantities
//! and money are decimal strings.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::core::{AppError, ErrCode};
use app::records::VersionInput;
use app::stock::store::{BalanceQuery, DocQuery, MovementQuery, ProductQuery, Transition, TurnoverQuery};
use app::stock::{
    BalancePage, DocKind, DocPage, DocStatus, MovementPage, NewStockDocument, Product, ProductInput, ProductPage,
    StockDocument, TurnoverPage, Warehouse, WarehouseInput, photos, service, store,
};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// Catalog list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductParams {
    /// A part of the name, or an exact SKU or barcode.
    pub q: Option<String>,
    /// Products of this group and of its subgroups.
    pub group_id: Option<i64>,
    /// `active` (default), `only` (archived only) or `all`.
    pub archived: Option<String>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Products and services by name.
#[utoipa::path(get, path = "/api/v1/products", tag = "stock", params(ProductParams), security(("bearer" = [])),
    responses((status = 200, body = ProductPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn products(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ProductParams>,
) -> Result<Json<ProductPage>, ApiError> {
    api.user()?;
    let q = ProductQuery {
        search: p.q,
        group_id: p.group_id,
        archived: app::core::archive::Archived::parse(p.archived.as_deref()).map_err(|e| api.err(e))?,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
    };
    store::products(&state.db, &q).await.map(Json).map_err(|e| api.err(e))
}

/// Adds a product or service (administrators and storekeepers).
#[utoipa::path(post, path = "/api/v1/products", tag = "stock", request_body = ProductInput, security(("bearer" = [])),
    responses((status = 201, body = Product), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create_product(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<(StatusCode, Json<Product>), ApiError> {
    let p = service::create_product(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// One product.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "stock", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Product), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn product(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Product>, ApiError> {
    api.user()?;
    let id = parse_id(&api, &id)?;
    store::product(&state.db, id).await.map(Json).map_err(|e| api.err(e))
}

/// Replaces a product's fields (`version` required; a stale one gets 409).
#[utoipa::path(put, path = "/api/v1/products/{id}", tag = "stock", params(("id" = i64, Path)), request_body = ProductInput,
    security(("bearer" = [])),
    responses((status = 200, body = Product), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_product(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<Json<Product>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update_product(&state.db, api.user()?, id, &input).await.map(Json).map_err(|e| api.err(e))
}

/// Archives a product: it leaves the catalog's lists and new documents; its history stays.
#[utoipa::path(post, path = "/api/v1/products/{id}/archive", tag = "stock", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = Product), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn archive_product(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<Product>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::archive_product(&state.db, api.user()?, id, v.version, true).await.map(Json).map_err(|e| api.err(e))
}

/// Restores an archived product.
#[utoipa::path(post, path = "/api/v1/products/{id}/restore", tag = "stock", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = Product), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn restore_product(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<Product>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::archive_product(&state.db, api.user()?, id, v.version, false).await.map(Json).map_err(|e| api.err(e))
}

/// A product's photo (JPEG, PNG or WebP), with its entity tag: a matching `If-None-Match` gets 304.
#[utoipa::path(get, path = "/api/v1/products/{id}/photo", tag = "stock", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "image/*", body = Vec<u8>), (status = 304), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn product_photo(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = parse_id(&api, &id)?;
    let photo = photos::get(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    let etag = format!("\"{}\"", photo.etag);
    let cache = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "private, no-cache".to_string()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((cache, [(header::CONTENT_TYPE, photo.content_type)], photo.data).into_response())
}

/// Sets or replaces a product's photo: the request body, a JPEG, PNG or WebP image of 5 MB at most (known by
/// its bytes; the `Content-Type` sent is not trusted).
#[utoipa::path(put, path = "/api/v1/products/{id}/photo", tag = "stock", params(("id" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg"), security(("bearer" = [])),
    responses((status = 200, body = Product), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_product_photo(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Product>, ApiError> {
    let id = parse_id(&api, &id)?;
    photos::set(&state.db, api.user()?, id, &body).await.map(Json).map_err(|e| api.err(e))
}

/// Removes a product's photo.
#[utoipa::path(delete, path = "/api/v1/products/{id}/photo", tag = "stock", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Product), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn remove_product_photo(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Product>, ApiError> {
    let id = parse_id(&api, &id)?;
    photos::remove(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// `POST /stock/products/{id}/photo`: the product page's photo form (multipart: a `file`, or `remove=1` to
/// take the photo away); back to the product page, with `?photo_error=<code>` when refused.
pub async fn photo_form(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Response {
    let Ok(user) = api.user() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<i64>() else { return api.err(AppError::NotFound).into_response() };
    let page = format!("/stock/products/{id}");
    let back = |code: Option<ErrCode>| super::back_to(&page, "photo_error", code, "");
    let Some((file, remove)) = super::file_or_remove(&mut form).await else {
        return back(Some(ErrCode::PhotoTooLarge));
    };
    let done = match (remove, file) {
        (true, _) => photos::remove(&state.db, user, id).await,
        (false, Some(bytes)) => photos::set(&state.db, user, id, &bytes).await,
        (false, None) => Err(AppError::field("photo", ErrCode::EmptyFile)),
    };
    match done {
        Ok(_) => back(None),
        Err(AppError::Validation { fields }) => back(fields.first().map(|f| f.code)),
        Err(e) => api.err(e).into_response(),
    }
}

/// A page of warehouses.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct WarehousePage {
    pub items: Vec<Warehouse>,
    pub next_cursor: Option<String>,
}

/// Warehouse list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WarehouseParams {
    /// `active` (default), `only` (archived only) or `all`.
    pub archived: Option<String>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The stock's closed period: nothing dated before `closed_until` (epoch ms) is posted or cancelled.
#[derive(serde::Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClosedPeriod {
    /// `null`: no period is closed.
    pub closed_until: Option<i64>,
}

/// The closed period.
#[utoipa::path(get, path = "/api/v1/stock/closed-period", tag = "stock", security(("bearer" = [])),
    responses((status = 200, body = ClosedPeriod), (status = 401, body = super::ErrorBody)))]
pub async fn closed_period(State(state): State<AppState>, api: Api) -> Result<Json<ClosedPeriod>, ApiError> {
    api.user()?;
    let closed_until = store::closed_until(&state.db).await.map_err(|e| api.err(e))?;
    Ok(Json(ClosedPeriod { closed_until }))
}

/// Closes the period before `closed_until`, or opens it (`null`); administrators. A time more than a day
/// ahead is refused by the field.
#[utoipa::path(put, path = "/api/v1/stock/closed-period", tag = "stock", request_body = ClosedPeriod, security(("bearer" = [])),
    responses((status = 200, body = ClosedPeriod), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn set_closed_period(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<ClosedPeriod>,
) -> Result<Json<ClosedPeriod>, ApiError> {
    let closed_until =
        service::set_closed_until(&state.db, api.user()?, input.closed_until).await.map_err(|e| api.err(e))?;
    Ok(Json(ClosedPeriod { closed_until }))
}

/// Warehouses, by id.
#[utoipa::path(get, path = "/api/v1/warehouses", tag = "stock", params(WarehouseParams), security(("bearer" = [])),
    responses((status = 200, body = WarehousePage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn warehouses(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<WarehouseParams>,
) -> Result<Json<WarehousePage>, ApiError> {
    api.user()?;
    let archived = app::core::archive::Archived::parse(p.archived.as_deref()).map_err(|e| api.err(e))?;
    let after = store::opt_id("cursor", p.cursor.as_deref()).map_err(|e| api.err(e))?;
    let (items, next_cursor) = store::warehouses(&state.db, None, archived, after, i64::from(p.limit.unwrap_or(50)))
        .await
        .map_err(|e| api.err(e))?;
    Ok(Json(WarehousePage { items, next_cursor }))
}

/// Adds a warehouse (administrators).
#[utoipa::path(post, path = "/api/v1/warehouses", tag = "stock", request_body = WarehouseInput, security(("bearer" = [])),
    responses((status = 201, body = Warehouse), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create_warehouse(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<WarehouseInput>,
) -> Result<(StatusCode, Json<Warehouse>), ApiError> {
    let w = service::save_warehouse(&state.db, api.user()?, None, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(w)))
}

/// One warehouse.
#[utoipa::path(get, path = "/api/v1/warehouses/{id}", tag = "stock", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Warehouse), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn warehouse(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Warehouse>, ApiError> {
    api.user()?;
    let id = parse_id(&api, &id)?;
    store::warehouse(&state.db, id).await.map(Json).map_err(|e| api.err(e))
}

/// Replaces a warehouse's settings and storekeepers (administrators; `version` required).
#[utoipa::path(put, path = "/api/v1/warehouses/{id}", tag = "stock", params(("id" = i64, Path)), request_body = WarehouseInput,
    security(("bearer" = [])),
    responses((status = 200, body = Warehouse), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_warehouse(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<WarehouseInput>,
) -> Result<Json<Warehouse>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::save_warehouse(&state.db, api.user()?, Some(id), &input).await.map(Json).map_err(|e| api.err(e))
}

/// Document list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocParams {
    /// Documents from or to this warehouse.
    pub warehouse_id: Option<i64>,
    pub kind: Option<DocKind>,
    pub status: Option<DocStatus>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Stock documents, newest first (a storekeeper's: those of their warehouses).
#[utoipa::path(get, path = "/api/v1/stock-documents", tag = "stock", params(DocParams), security(("bearer" = [])),
    responses((status = 200, body = DocPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn documents(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<DocParams>,
) -> Result<Json<DocPage>, ApiError> {
    let q = DocQuery {
        warehouses: None,
        warehouse_id: p.warehouse_id,
        kind: p.kind,
        status: p.status,
        posted_since: None,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
    };
    service::documents(&state.db, api.user()?, q).await.map(Json).map_err(|e| api.err(e))
}

/// Creates a document as a draft, or posts it at once (`post: true`; refused as a whole, with nothing kept,
/// when a line lacks stock: 422 `shortage` naming each product and what is available).
#[utoipa::path(post, path = "/api/v1/stock-documents", tag = "stock", request_body = NewStockDocument, security(("bearer" = [])),
    responses((status = 201, body = StockDocument), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create_document(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewStockDocument>,
) -> Result<(StatusCode, Json<StockDocument>), ApiError> {
    let d = service::create_document(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// One document with its lines.
#[utoipa::path(get, path = "/api/v1/stock-documents/{id}", tag = "stock", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = StockDocument), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn document(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<StockDocument>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::document(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

async fn transition(
    state: AppState,
    api: Api,
    id: String,
    v: VersionInput,
    what: Transition,
) -> Result<Json<StockDocument>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::transition(&state.db, api.user()?, id, v.version, what).await.map(Json).map_err(|e| api.err(e))
}

/// Posts a draft: its movements enter the ledger and the balances (a transfer leaves its warehouse and is in
/// transit). A shortage refuses it whole (422 `shortage`).
#[utoipa::path(post, path = "/api/v1/stock-documents/{id}/post", tag = "stock", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = StockDocument), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn post_document(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<StockDocument>, ApiError> {
    transition(state, api, id, v, Transition::Post).await
}

/// Receives a transfer in transit at its destination.
#[utoipa::path(post, path = "/api/v1/stock-documents/{id}/receive", tag = "stock", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = StockDocument), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn receive_document(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<StockDocument>, ApiError> {
    transition(state, api, id, v, Transition::Receive).await
}

/// Cancels a document: a posted one by reversing movements (the ledger keeps both), a draft by marking it.
#[utoipa::path(post, path = "/api/v1/stock-documents/{id}/cancel", tag = "stock", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = StockDocument), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn cancel_document(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<StockDocument>, ApiError> {
    transition(state, api, id, v, Transition::Cancel).await
}

/// Balance list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BalanceParams {
    pub warehouse_id: Option<i64>,
    pub product_id: Option<i64>,
    /// Products of this group and of its subgroups.
    pub group_id: Option<i64>,
    /// Stock at this moment (epoch ms) instead of now.
    pub at: Option<i64>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Stock by warehouse and product: on hand, reserved, value (UZS, moving average), minimum.
#[utoipa::path(get, path = "/api/v1/stock/balances", tag = "stock", params(BalanceParams), security(("bearer" = [])),
    responses((status = 200, body = BalancePage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn balances(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<BalanceParams>,
) -> Result<Json<BalancePage>, ApiError> {
    api.user()?;
    let q = BalanceQuery {
        warehouse_id: p.warehouse_id,
        product_id: p.product_id,
        group_id: p.group_id,
        at: p.at,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
    };
    store::balances(&state.db, &q).await.map(Json).map_err(|e| api.err(e))
}

/// Turnover report parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TurnoverParams {
    pub warehouse_id: Option<i64>,
    /// Products of this group and of its subgroups.
    pub group_id: Option<i64>,
    /// The period's start (epoch ms; default: 30 days before `to`).
    pub from: Option<i64>,
    /// The period's end, not included (epoch ms; default: now).
    pub to: Option<i64>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Turnover by warehouse and product over a period: stock at its start, in, out (cancellations net out of
/// what they cancel), stock at its end, and the last outgoing movement (slow movers have none for long).
#[utoipa::path(get, path = "/api/v1/stock/turnover", tag = "stock", params(TurnoverParams), security(("bearer" = [])),
    responses((status = 200, body = TurnoverPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn turnover(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<TurnoverParams>,
) -> Result<Json<TurnoverPage>, ApiError> {
    api.user()?;
    let to = p.to.unwrap_or_else(app::core::now_millis);
    let q = TurnoverQuery {
        warehouse_id: p.warehouse_id,
        group_id: p.group_id,
        from: p.from.unwrap_or(to.saturating_sub(30 * 86_400_000)),
        to,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
    };
    store::turnover(&state.db, &q).await.map(Json).map_err(|e| api.err(e))
}

/// Movement list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementParams {
    pub warehouse_id: Option<i64>,
    pub product_id: Option<i64>,
    pub document_id: Option<i64>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The ledger, newest first: every movement with its document.
#[utoipa::path(get, path = "/api/v1/stock/movements", tag = "stock", params(MovementParams), security(("bearer" = [])),
    responses((status = 200, body = MovementPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn movements(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<MovementParams>,
) -> Result<Json<MovementPage>, ApiError> {
    api.user()?;
    let q = MovementQuery {
        warehouse_id: p.warehouse_id,
        product_id: p.product_id,
        document_id: p.document_id,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
    };
    store::movements(&state.db, &q).await.map(Json).map_err(|e| api.err(e))
}

/// Sets an item's minimum and reorder quantity in a warehouse (administrators and its storekeepers); the
/// dashboard lists items below their minimum.
#[utoipa::path(put, path = "/api/v1/stock/limits", tag = "stock", request_body = app::stock::StockLimits,
    security(("bearer" = [])),
    responses((status = 200, body = app::stock::Balance), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_limits(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<app::stock::StockLimits>,
) -> Result<Json<app::stock::Balance>, ApiError> {
    service::set_limits(&state.db, api.user()?, &input).await.map(Json).map_err(|e| api.err(e))
}

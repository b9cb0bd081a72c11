//! `/api/v1/invoices`: invoices from orders or standalone, their cancellation, and how they are numbered.
//! Quantities, money and rates are decimal strings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use app::invoices::store::InvoiceQuery;
use app::invoices::{
    Invoice, InvoiceFromOrder, InvoicePage, InvoiceSettings, InvoiceStatus, NewCreditNote, NewInvoice, service,
};
use app::records::VersionInput;

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// Invoice list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceParams {
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    pub status: Option<InvoiceStatus>,
    /// A part of the number (`SF-2026-0001`).
    pub number: Option<String>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Invoices of the customers the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/invoices", tag = "invoices", params(InvoiceParams), security(("bearer" = [])),
    responses((status = 200, body = InvoicePage), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<InvoiceParams>,
) -> Result<Json<InvoicePage>, ApiError> {
    let q = InvoiceQuery {
        customer_id: p.customer_id,
        order_id: p.order_id,
        status: p.status,
        number: p.number,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
        ..Default::default()
    };
    service::list(&state.db, api.user()?, q).await.map(Json).map_err(|e| api.err(e))
}

/// Issues a standalone invoice; lines without a price take the customer's price list's on `invoice_date`
/// (a price that differs needs `price_reason`). A foreign currency needs its `rate` to UZS.
#[utoipa::path(post, path = "/api/v1/invoices", tag = "invoices", request_body = NewInvoice, security(("bearer" = [])),
    responses((status = 201, body = Invoice), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewInvoice>,
) -> Result<(StatusCode, Json<Invoice>), ApiError> {
    let i = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(i)))
}

/// Invoices an order (confirmed, shipped or closed): the lines given, or what shipped and is not invoiced yet
/// with the services (the whole rest of the order when nothing shipped: an advance invoice). No order line is
/// billed for more than was ordered (422 on the line's `qty`).
#[utoipa::path(post, path = "/api/v1/orders/{id}/invoice", tag = "invoices", params(("id" = i64, Path)),
    request_body = InvoiceFromOrder, security(("bearer" = [])),
    responses((status = 201, body = Invoice), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn from_order(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<InvoiceFromOrder>,
) -> Result<(StatusCode, Json<Invoice>), ApiError> {
    let id = parse_id(&api, &id)?;
    let i = service::from_order(&state.db, api.user()?, id, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(i)))
}

/// One invoice with its lines.
#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "invoices", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Invoice), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Invoice>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// The invoice as the Uzbek e-invoice operators' JSON document (Didox / Soliq Servis "factura": `FacturaDoc`,
/// `ContractDoc`, `SellerTin`, `Seller`, `BuyerTin`, `Buyer`, `ProductList.Products[]`), a download named
/// after its number; sums are decimal strings. 422 lists every field it still lacks at once: the company's
/// (`seller.*`, from the Settings), the buyer counterparty's (`buyer.*`), the contract (`contract_no`,
/// `contract_date`), the products' codes (`lines.<line no>.mxik`, `.package_code`); UZS only.
#[utoipa::path(get, path = "/api/v1/invoices/{id}/e-invoice", tag = "invoices", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, content_type = "application/json", body = Object), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn e_invoice(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = parse_id(&api, &id)?;
    let user = api.user()?;
    let doc = service::e_invoice(&state.db, user, id).await.map_err(|e| api.err(e))?;
    let number = doc["FacturaDoc"]["FacturaNo"].as_str().unwrap_or("invoice").to_string();
    // A JSON value always serialises.
    let body = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    Ok(super::interactions::file_response(&format!("{number}.json"), "application/json", body))
}

/// Issues a credit note of an issued invoice at its `version`: the quantities of its lines given (by
/// `line_no`, in each line's unit), or all that is not credited yet. The invoice then owes its total less what
/// was paid and what its credit notes took off; money freed beyond that goes back to its payments as the
/// customer's advance. 422 `lines[i].qty` `more_than_invoiced` past what is left of a line.
#[utoipa::path(post, path = "/api/v1/invoices/{id}/credit-note", tag = "invoices", params(("id" = i64, Path)),
    request_body = NewCreditNote, security(("bearer" = [])),
    responses((status = 201, body = Invoice), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn credit_note(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewCreditNote>,
) -> Result<(StatusCode, Json<Invoice>), ApiError> {
    let id = parse_id(&api, &id)?;
    let note = service::credit_note(&state.db, api.user()?, id, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(note)))
}

/// Cancels an issued invoice (its number stays, marked cancelled); what it billed of its order is billable
/// again.
#[utoipa::path(post, path = "/api/v1/invoices/{id}/cancel", tag = "invoices", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = Invoice), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<Json<Invoice>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::cancel(&state.db, api.user()?, id, v.version).await.map(Json).map_err(|e| api.err(e))
}

/// How invoices are numbered and when they fall due.
#[utoipa::path(get, path = "/api/v1/invoices/settings", tag = "invoices", security(("bearer" = [])),
    responses((status = 200, body = InvoiceSettings), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
pub async fn settings(State(state): State<AppState>, api: Api) -> Result<Json<InvoiceSettings>, ApiError> {
    let user = api.user()?;
    if user.role == app::core::identity::Role::Storekeeper {
        return Err(api.err(app::core::AppError::Forbidden));
    }
    service::settings_of(&state.db).await.map(Json).map_err(|e| api.err(e))
}

/// Sets the numbering prefix (numbers already given keep theirs) and the payment days (administrators).
#[utoipa::path(put, path = "/api/v1/invoices/settings", tag = "invoices", request_body = InvoiceSettings,
    security(("bearer" = [])),
    responses((status = 200, body = InvoiceSettings), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn save_settings(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<InvoiceSettings>,
) -> Result<Json<InvoiceSettings>, ApiError> {
    service::save_settings(&state.db, api.user()?, &input).await.map(Json).map_err(|e| api.err(e))
}

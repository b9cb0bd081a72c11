//! `/api/v1/payments`, `/api/v1/money-accounts` and `/api/v1/receivables`: the company's bank accounts and
//! cash desks, payments in and out with what they pay of invoices, their reversal, and who owes what, aged.
//! Money and rates are decimal strings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use app::payments::service::DynamicsQuery;
use app::payments::store::PaymentQuery;
use app::payments::{
    AllocateInput, CustomerMoney, Direction, Dynamics, MoneyAccount, NewMoneyAccount, NewPayment, Payment, PaymentPage,
    Period, Receivables, ReverseInput, service,
};
use app::records::VersionInput;

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// The company's bank accounts and cash desks with their balances (whoever sees money).
#[utoipa::path(get, path = "/api/v1/money-accounts", tag = "payments", security(("bearer" = [])),
    responses((status = 200, body = Vec<MoneyAccount>), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
pub async fn accounts(State(state): State<AppState>, api: Api) -> Result<Json<Vec<MoneyAccount>>, ApiError> {
    service::accounts(&state.db, api.user()?).await.map(Json).map_err(|e| api.err(e))
}

/// Adds a bank account (MFO and 20-digit number) or a cash desk (administrators and accountants).
#[utoipa::path(post, path = "/api/v1/money-accounts", tag = "payments", request_body = NewMoneyAccount,
    security(("bearer" = [])),
    responses((status = 201, body = MoneyAccount), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create_account(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewMoneyAccount>,
) -> Result<(StatusCode, Json<MoneyAccount>), ApiError> {
    let a = service::create_account(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// Archives an account: no new payments go through it; its payments stay.
#[utoipa::path(post, path = "/api/v1/money-accounts/{id}/archive", tag = "payments", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn archive_account(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    service::archive_account(&state.db, api.user()?, id, v.version, true).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Payment list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentParams {
    pub customer_id: Option<i64>,
    pub account_id: Option<i64>,
    pub direction: Option<Direction>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Payments of the customers whose money the caller sees (and, for administrators and accountants, those
/// to no customer), newest first.
#[utoipa::path(get, path = "/api/v1/payments", tag = "payments", params(PaymentParams), security(("bearer" = [])),
    responses((status = 200, body = PaymentPage), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<PaymentParams>,
) -> Result<Json<PaymentPage>, ApiError> {
    let q = PaymentQuery {
        customer_id: p.customer_id,
        account_id: p.account_id,
        direction: p.direction,
        from: p.from,
        to: p.to,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
        ..Default::default()
    };
    service::list(&state.db, api.user()?, q).await.map(Json).map_err(|e| api.err(e))
}

/// Posts a payment (administrators and accountants) in its account's currency. Money in pays the invoices
/// given in `allocations`, or without them automatically (those its purpose names by number, then the oldest
/// due); what is left is the customer's advance. No invoice is paid past what is open (422).
#[utoipa::path(post, path = "/api/v1/payments", tag = "payments", request_body = NewPayment, security(("bearer" = [])),
    responses((status = 201, body = Payment), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewPayment>,
) -> Result<(StatusCode, Json<Payment>), ApiError> {
    let p = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// One payment with its allocations.
#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "payments", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Payment), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Payment>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Pays invoices from what an incoming payment has left (its advance): the allocations given, or
/// automatically when none are.
#[utoipa::path(post, path = "/api/v1/payments/{id}/allocate", tag = "payments", params(("id" = i64, Path)),
    request_body = AllocateInput, security(("bearer" = [])),
    responses((status = 200, body = Payment), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn allocate(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AllocateInput>,
) -> Result<Json<Payment>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::allocate(&state.db, api.user()?, id, &input).await.map(Json).map_err(|e| api.err(e))
}

/// Reverses a payment: a new payment of the opposite sign on `pay_date` (today by default); what it paid of
/// invoices is open again. Returns the reversal.
#[utoipa::path(post, path = "/api/v1/payments/{id}/reverse", tag = "payments", params(("id" = i64, Path)),
    request_body = ReverseInput, security(("bearer" = [])),
    responses((status = 201, body = Payment), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn reverse(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReverseInput>,
) -> Result<(StatusCode, Json<Payment>), ApiError> {
    let id = parse_id(&api, &id)?;
    let p = service::reverse(&state.db, api.user()?, id, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Receivables list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceivablesParams {
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Who owes what as of today, per customer and currency, aged by due date into the company's buckets, the
/// largest debts first, with the totals per currency and the advances.
#[utoipa::path(get, path = "/api/v1/receivables", tag = "payments", params(ReceivablesParams), security(("bearer" = [])),
    responses((status = 200, body = Receivables), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn receivables(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ReceivablesParams>,
) -> Result<Json<Receivables>, ApiError> {
    let limit = i64::from(p.limit.unwrap_or(50));
    service::receivables(&state.db, api.user()?, p.cursor.as_deref(), limit).await.map(Json).map_err(|e| api.err(e))
}

/// One customer's money: the aged debt per currency with the advance, the open invoices, the latest payments.
#[utoipa::path(get, path = "/api/v1/receivables/{id}", tag = "payments", params(("id" = i64, Path, description = "The customer")),
    security(("bearer" = [])),
    responses((status = 200, body = CustomerMoney), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn customer_money(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<CustomerMoney>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::of_customer(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// The aging buckets: days overdue where each ends.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgingSettings {
    /// 1 to 6 increasing numbers of days (`[30, 60, 90]`: 1–30, 31–60, 61–90, 90+).
    pub aging_days: Vec<i64>,
}

/// The aging buckets in force.
#[utoipa::path(get, path = "/api/v1/receivables/settings", tag = "payments", security(("bearer" = [])),
    responses((status = 200, body = AgingSettings), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
pub async fn settings(State(state): State<AppState>, api: Api) -> Result<Json<AgingSettings>, ApiError> {
    if api.user()?.money_scope().is_none() {
        return Err(api.err(app::core::AppError::Forbidden));
    }
    let aging_days = service::bounds(&state.db).await.map_err(|e| api.err(e))?;
    Ok(Json(AgingSettings { aging_days }))
}

/// Sets the aging buckets (administrators).
#[utoipa::path(put, path = "/api/v1/receivables/settings", tag = "payments", request_body = AgingSettings,
    security(("bearer" = [])),
    responses((status = 200, body = AgingSettings), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn save_settings(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<AgingSettings>,
) -> Result<Json<AgingSettings>, ApiError> {
    let aging_days = service::save_bounds(&state.db, api.user()?, &input.aging_days).await.map_err(|e| api.err(e))?;
    Ok(Json(AgingSettings { aging_days }))
}

/// Dynamics parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DynamicsParams {
    /// UZS by default: payments in other currencies are not added in.
    pub currency: Option<String>,
    /// `month` by default.
    pub period: Option<Period>,
    /// `YYYY-MM-DD`; by default a month, twelve weeks or a year before `to`, by the period.
    pub from: Option<String>,
    /// `YYYY-MM-DD`; today by default. At most 1,200 days after `from`.
    pub to: Option<String>,
    /// Only this account.
    pub account_id: Option<i64>,
}

/// Payment dynamics (administrators and accountants): received and paid per day, week or month and per
/// account in one currency (reversals netted in), and the cash-flow forecast: what open invoices bill by the
/// period of their due date for twelve periods from today's, and what is already overdue.
#[utoipa::path(get, path = "/api/v1/payments/dynamics", tag = "payments", params(DynamicsParams), security(("bearer" = [])),
    responses((status = 200, body = Dynamics), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn dynamics(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<DynamicsParams>,
) -> Result<Json<Dynamics>, ApiError> {
    let q = DynamicsQuery { currency: p.currency, period: p.period, from: p.from, to: p.to, account_id: p.account_id };
    service::dynamics(&state.db, api.user()?, &q).await.map(Json).map_err(|e| api.err(e))
}

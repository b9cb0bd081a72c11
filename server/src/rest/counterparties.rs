//! `/api/v1/customers/{id}/counterparties` and `/api/v1/counterparties/{id}`: legal entities, their moves
//! between customers and their bank accounts.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use app::counterparties::{
    Counterparty, CounterpartyList, CounterpartyPage, CounterpartyPatch, MoveCounterparty, NewBankAccount,
    NewCounterparty, service,
};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson};
use crate::AppState;

/// Every counterparty the caller may see (its current customer in scope), oldest change first: a sync
/// job's feed.
#[utoipa::path(get, path = "/api/v1/counterparties", tag = "counterparties", params(super::contacts::SyncParams),
    security(("bearer" = [])),
    responses((status = 200, body = CounterpartyPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn list_all(
    State(state): State<AppState>,
    api: Api,
    super::ApiQuery(p): super::ApiQuery<super::contacts::SyncParams>,
) -> Result<Json<CounterpartyPage>, ApiError> {
    let read = p.parse(&api)?;
    service::changed(&state.db, api.user()?, &read).await.map(Json).map_err(|e| api.err(e))
}

/// The customer's current and former counterparties (up to 200 of each; all of them, changed since a
/// moment, are paged by `GET /counterparties`).
#[utoipa::path(get, path = "/api/v1/customers/{id}/counterparties", tag = "counterparties",
    params(("id" = i64, Path), super::contacts::ArchivedParam),
    security(("bearer" = [])),
    responses((status = 200, body = CounterpartyList), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    super::ApiQuery(p): super::ApiQuery<super::contacts::ArchivedParam>,
) -> Result<Json<CounterpartyList>, ApiError> {
    let id = parse_id(&api, &id)?;
    let mut list = service::list_for_customer(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    let archived = p.parse(&api)?;
    list.current.retain(|c| archived.keeps(c.archived_at));
    list.former.retain(|c| archived.keeps(c.archived_at));
    Ok(Json(list))
}

/// Adds a counterparty to the customer (from `from`, default today). A taxpayer id that exists already is
/// refused (move that counterparty instead).
#[utoipa::path(post, path = "/api/v1/customers/{id}/counterparties", tag = "counterparties", params(("id" = i64, Path)),
    request_body = NewCounterparty, security(("bearer" = [])),
    responses((status = 201, body = Counterparty), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewCounterparty>,
) -> Result<(StatusCode, Json<Counterparty>), ApiError> {
    let id = parse_id(&api, &id)?;
    let created = service::create(&state.db, api.user()?, id, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One counterparty with its ownership history and bank accounts.
#[utoipa::path(get, path = "/api/v1/counterparties/{id}", tag = "counterparties", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Counterparty), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Counterparty>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Changes a counterparty; a stale `version` gets 409.
#[utoipa::path(patch, path = "/api/v1/counterparties/{id}", tag = "counterparties", params(("id" = i64, Path)),
    request_body = CounterpartyPatch, security(("bearer" = [])),
    responses((status = 200, body = Counterparty), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<CounterpartyPatch>,
) -> Result<Json<Counterparty>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// Moves the counterparty to another customer from a date; the earlier period stays in its history.
#[utoipa::path(post, path = "/api/v1/counterparties/{id}/move", tag = "counterparties", params(("id" = i64, Path)),
    request_body = MoveCounterparty, security(("bearer" = [])),
    responses((status = 200, body = Counterparty), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn move_to(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(m): ApiJson<MoveCounterparty>,
) -> Result<Json<Counterparty>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::move_to(&state.db, api.user()?, id, &m).await.map(Json).map_err(|e| api.err(e))
}

/// Adds a bank account (Uzbek: 5-digit MFO and 20-digit account).
#[utoipa::path(post, path = "/api/v1/counterparties/{id}/bank-accounts", tag = "counterparties", params(("id" = i64, Path)),
    request_body = NewBankAccount, security(("bearer" = [])),
    responses((status = 201, body = Counterparty), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn add_bank_account(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewBankAccount>,
) -> Result<(StatusCode, Json<Counterparty>), ApiError> {
    let id = parse_id(&api, &id)?;
    let c = service::add_bank_account(&state.db, api.user()?, id, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// The counterparty's version a bank account's removal is based on.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParam {
    /// The counterparty's current version (a stale one is refused with 409).
    pub version: Option<i64>,
}

/// Removes a bank account; the counterparty's history keeps a row of it.
#[utoipa::path(delete, path = "/api/v1/counterparties/{id}/bank-accounts/{account}", tag = "counterparties",
    params(("id" = i64, Path), ("account" = i64, Path), VersionParam), security(("bearer" = [])),
    responses((status = 200, body = Counterparty), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn remove_bank_account(
    State(state): State<AppState>,
    api: Api,
    Path((id, account_id)): Path<(String, String)>,
    super::ApiQuery(p): super::ApiQuery<VersionParam>,
) -> Result<Json<Counterparty>, ApiError> {
    let (id, account_id) = (parse_id(&api, &id)?, parse_id(&api, &account_id)?);
    let version =
        p.version.ok_or_else(|| api.err(app::core::AppError::field("version", app::core::ErrCode::Required)))?;
    service::remove_bank_account(&state.db, api.user()?, id, account_id, version)
        .await
        .map(Json)
        .map_err(|e| api.err(e))
}

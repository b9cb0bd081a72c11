//! `/api/v1/customers`: list, create, read, update (with optimistic versions).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use app::audit::TimelinePage;
use app::core::AppError;
use app::core::archive::Archived;
use app::customers::store::ListQuery;
use app::customers::{Customer, CustomerPage, CustomerPatch, DEFAULT_PAGE, NewCustomer, service};

use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// List parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Any part of the name, case-insensitive.
    pub q: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
    /// Only members of this segment.
    pub segment: Option<i64>,
    /// Conditions as JSON, the shape of a segment's `rules`:
    /// `{"any": false, "rules": [{"field": "custom.limit", "op": "gte", "value": "1000"}]}`.
    pub rules: Option<String>,
    /// `newest` (default), `oldest`, `name`, `-name`, `custom.<key>`, `-custom.<key>`.
    pub sort: Option<String>,
    /// `active` (default: not archived; with `updated_since`: `all`), `only` (archived only) or `all`.
    pub archived: Option<String>,
    /// A sync job's read (epoch ms): only records created or changed at or after it, archived ones included,
    /// oldest change first (instead of the list's own order); page on with `next_cursor` as usual. Ask again from the
    /// greatest `updated_at` seen, less a minute for changes committed late; drop repeats by `id` and `version`.
    pub updated_since: Option<i64>,
}

/// Customers the caller may see, newest first unless sorted; filtered by segment and rules.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = CustomerPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<CustomerPage>, ApiError> {
    let rules = match p.rules.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(json) => Some(
            serde_json::from_str(json)
                .map_err(|_| api.err(AppError::field("rules", app::core::ErrCode::InvalidChoice)))?,
        ),
        None => None,
    };
    let query = ListQuery {
        q: p.q,
        cursor: p.cursor,
        limit: p.limit.unwrap_or(DEFAULT_PAGE),
        segment: p.segment,
        rules,
        sort: p.sort,
        archived: Archived::parse_for_sync(p.archived.as_deref(), p.updated_since).map_err(|e| api.err(e))?,
        ids: Vec::new(),
        updated_since: p.updated_since,
    };
    service::list_full(&state.db, api.user()?, &query).await.map(Json).map_err(|e| api.err(e))
}

/// Creates a customer; the caller is responsible unless `manager_id` says otherwise.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = NewCustomer, security(("bearer" = [])),
    responses((status = 201, body = Customer), (status = 401, body = super::ErrorBody), (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewCustomer>,
) -> Result<(StatusCode, Json<Customer>), ApiError> {
    let created = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub(super) fn parse_id(api: &Api, id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| api.err(AppError::NotFound))
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Customer), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Customer>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Changes a customer. `version` must be the one last read: a stale version gets 409.
#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)), request_body = CustomerPatch, security(("bearer" = [])),
    responses((status = 200, body = Customer), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<CustomerPatch>,
) -> Result<Json<Customer>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// Timeline parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineParams {
    /// Page size, 1 to 200 (default 50).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// The customer's history, newest first: changes (audit log) and interactions (`entity` = `interaction`, the
/// record in `interaction`), by time.
#[utoipa::path(get, path = "/api/v1/customers/{id}/timeline", tag = "customers", params(("id" = i64, Path), TimelineParams),
    security(("bearer" = [])),
    responses((status = 200, body = TimelinePage), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn timeline(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<TimelineParams>,
) -> Result<Json<TimelinePage>, ApiError> {
    let id = parse_id(&api, &id)?;
    let limit = p.limit.unwrap_or(DEFAULT_PAGE);
    service::timeline(&state.db, api.user()?, id, p.cursor.as_deref(), limit).await.map(Json).map_err(|e| api.err(e))
}

/// Duplicate check parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuplicateParams {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The customer being edited.
    pub exclude: Option<i64>,
}

/// Customers that look like the one described: same phone or e-mail, or a similar name (legal forms,
/// punctuation and script ignored). Any manager's customers count, so that two managers do not work the
/// same client unknowingly.
#[utoipa::path(get, path = "/api/v1/customers/duplicates", tag = "customers", params(DuplicateParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<app::customers::dupes::DuplicateHit>), (status = 401, body = super::ErrorBody)))]
pub async fn duplicates(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<DuplicateParams>,
) -> Result<Json<Vec<app::customers::dupes::DuplicateHit>>, ApiError> {
    let probe = app::customers::DuplicateProbe {
        name: p.name.unwrap_or_default(),
        phone: p.phone,
        email: p.email,
        exclude: p.exclude,
    };
    service::duplicates(&state.db, api.user()?, &probe).await.map(Json).map_err(|e| api.err(e))
}

/// Merges `merged_id` into `survivor_id` in one transaction, values chosen field by field; contacts,
/// counterparties, segment memberships and history move to the survivor; both recorded in the audit log.
#[utoipa::path(post, path = "/api/v1/customers/merge", tag = "customers", request_body = app::customers::MergeRequest,
    security(("bearer" = [])),
    responses((status = 200, body = Customer), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    api: Api,
    ApiJson(req): ApiJson<app::customers::MergeRequest>,
) -> Result<Json<Customer>, ApiError> {
    service::merge(&state.db, api.user()?, &req).await.map(Json).map_err(|e| api.err(e))
}

/// A bulk action on customers: hand them to another manager, tag them, add them to a static segment,
/// archive or restore them. Every customer must be the caller's to see (one that is not refuses all);
/// each one changed gets its own history row and webhook event.
#[utoipa::path(post, path = "/api/v1/customers/bulk", tag = "customers", request_body = app::customers::bulk::BulkRequest,
    security(("bearer" = [])),
    responses((status = 200, body = app::customers::bulk::BulkResult), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn bulk(
    State(state): State<AppState>,
    api: Api,
    ApiJson(req): ApiJson<app::customers::bulk::BulkRequest>,
) -> Result<Json<app::customers::bulk::BulkResult>, ApiError> {
    app::customers::bulk::run(&state.db, api.user()?, &req.ids, &req.action).await.map(Json).map_err(|e| api.err(e))
}

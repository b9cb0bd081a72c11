//! `/api/v1/product-groups`: the catalog's group tree. Everyone signed in reads it; administrators and
//! storekeepers keep it. `group_id` on `/products` and `/stock/balances` takes a group with its subgroups.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use app::stock::groups::{self, GroupInput, ProductGroup, Tree};

use super::counterparties::VersionParam;
use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// A page of groups, in path order.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GroupPage {
    pub items: Vec<ProductGroup>,
    pub next_cursor: Option<String>,
}

/// Group list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupParams {
    /// Page size, 1 to 200 (default 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The groups, in path order ("Mebel", "Mebel / Stullar", "Oziq-ovqat", …).
#[utoipa::path(get, path = "/api/v1/product-groups", tag = "stock", params(GroupParams), security(("bearer" = [])),
    responses((status = 200, body = GroupPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<GroupParams>,
) -> Result<Json<GroupPage>, ApiError> {
    api.user()?;
    let after = app::stock::store::opt_id("cursor", p.cursor.as_deref()).map_err(|e| api.err(e))?;
    let tree = Tree::load(&state.db).await.map_err(|e| api.err(e))?;
    let (items, next_cursor) = tree.page(after, i64::from(p.limit.unwrap_or(200)));
    Ok(Json(GroupPage { items, next_cursor }))
}

/// Adds a group, at the root or inside another (administrators and storekeepers).
#[utoipa::path(post, path = "/api/v1/product-groups", tag = "stock", request_body = GroupInput, security(("bearer" = [])),
    responses((status = 201, body = ProductGroup), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<GroupInput>,
) -> Result<(StatusCode, Json<ProductGroup>), ApiError> {
    let g = groups::save(&state.db, api.user()?, None, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(g)))
}

/// One group.
#[utoipa::path(get, path = "/api/v1/product-groups/{id}", tag = "stock", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProductGroup), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<ProductGroup>, ApiError> {
    api.user()?;
    let id = parse_id(&api, &id)?;
    let tree = Tree::load(&state.db).await.map_err(|e| api.err(e))?;
    tree.get(id).cloned().map(Json).ok_or_else(|| api.err(app::core::AppError::NotFound))
}

/// Renames a group or moves it (with its subgroups and products) under another group or to the root, at
/// `version`. Not inside itself or its own subgroups, and not deeper than 8 levels.
#[utoipa::path(put, path = "/api/v1/product-groups/{id}", tag = "stock", params(("id" = i64, Path)), request_body = GroupInput,
    security(("bearer" = [])),
    responses((status = 200, body = ProductGroup), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<GroupInput>,
) -> Result<Json<ProductGroup>, ApiError> {
    let id = parse_id(&api, &id)?;
    groups::save(&state.db, api.user()?, Some(id), &input).await.map(Json).map_err(|e| api.err(e))
}

/// Deletes an empty group (no products, no subgroups) at `version`.
#[utoipa::path(delete, path = "/api/v1/product-groups/{id}", tag = "stock", params(("id" = i64, Path), VersionParam),
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<VersionParam>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    groups::delete(&state.db, api.user()?, id, p.version).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

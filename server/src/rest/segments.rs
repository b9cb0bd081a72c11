//! `/api/v1/segments`: groups of customers by rules; members evaluated now (dynamic) or snapshotted (static).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use app::customers::{CustomerPage, DEFAULT_PAGE};
use app::segments::{NewSegment, Segment, SegmentPatch, service};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// Every segment.
#[utoipa::path(get, path = "/api/v1/segments", tag = "segments", security(("bearer" = [])),
    responses((status = 200, body = Vec<Segment>), (status = 401, body = super::ErrorBody)))]
pub async fn list(State(state): State<AppState>, api: Api) -> Result<Json<Vec<Segment>>, ApiError> {
    service::list(&state.db, api.user()?).await.map(Json).map_err(|e| api.err(e))
}

/// Defines a segment (administrators and sales heads). A bad rule is a 422 naming `rules[i].field`, `.op`
/// or `.value`.
#[utoipa::path(post, path = "/api/v1/segments", tag = "segments", request_body = NewSegment, security(("bearer" = [])),
    responses((status = 201, body = Segment), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewSegment>,
) -> Result<(StatusCode, Json<Segment>), ApiError> {
    let created = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A segment with the number of its members the caller may see.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SegmentWithCount {
    #[serde(flatten)]
    pub segment: Segment,
    /// Members the caller may see, evaluated now.
    pub visible_members: i64,
}

/// One segment, evaluated now.
#[utoipa::path(get, path = "/api/v1/segments/{id}", tag = "segments", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = SegmentWithCount), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<SegmentWithCount>, ApiError> {
    let id = parse_id(&api, &id)?;
    let user = api.user()?;
    let visible_members = service::count(&state.db, user, id).await.map_err(|e| api.err(e))?;
    let segment = service::get(&state.db, user, id).await.map_err(|e| api.err(e))?;
    Ok(Json(SegmentWithCount { segment, visible_members }))
}

/// Renames a segment, changes its rules or (`refresh`) retakes a static segment's snapshot.
#[utoipa::path(patch, path = "/api/v1/segments/{id}", tag = "segments", params(("id" = i64, Path)),
    request_body = SegmentPatch, security(("bearer" = [])),
    responses((status = 200, body = Segment), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<SegmentPatch>,
) -> Result<Json<Segment>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// Page parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 200 (default 50).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// The members the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/segments/{id}/members", tag = "segments", params(("id" = i64, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = CustomerPage), (status = 404, body = super::ErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<CustomerPage>, ApiError> {
    let id = parse_id(&api, &id)?;
    let limit = p.limit.unwrap_or(DEFAULT_PAGE);
    service::members(&state.db, api.user()?, id, p.cursor, limit).await.map(Json).map_err(|e| api.err(e))
}

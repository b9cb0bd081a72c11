//! `/api/v1/tasks` (with "My day") and `/api/v1/notifications`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use app::tasks::store::TaskQuery;
use app::tasks::{MyDay, NewTask, Notification, Task, TaskPage, TaskPatch, service};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// List parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub assignee_id: Option<i64>,
    pub customer_id: Option<i64>,
    /// `true`: done only; `false`: open only.
    pub done: Option<bool>,
    /// Due from (epoch ms, inclusive).
    pub from: Option<i64>,
    /// Due before (epoch ms, exclusive).
    pub to: Option<i64>,
    /// Page size, 1 to 200 (default 50; larger values give 200).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// `active` (default: not archived; with `updated_since`: `all`), `only` (archived only) or `all`.
    pub archived: Option<String>,
    /// A sync job's read (epoch ms): only records created or changed at or after it, archived ones included,
    /// oldest change first (instead of the list's own order); page on with `next_cursor` as usual. Ask again from the
    /// greatest `updated_at` seen, less a minute for changes committed late; drop repeats by `id` and `version`.
    pub updated_since: Option<i64>,
}

/// Tasks the caller may see (their own, the ones they gave, their scope's), by due time.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = TaskPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<TaskPage>, ApiError> {
    let q = TaskQuery {
        assignee_id: p.assignee_id,
        customer_id: p.customer_id,
        done: p.done,
        from: p.from,
        to: p.to,
        cursor: p.cursor,
        limit: i64::from(p.limit.unwrap_or(50)),
        archived: app::core::archive::Archived::parse_for_sync(p.archived.as_deref(), p.updated_since)
            .map_err(|e| api.err(e))?,
        updated_since: p.updated_since,
    };
    service::list(&state.db, api.user()?, &q).await.map(Json).map_err(|e| api.err(e))
}

/// Creates a task (assigned to the caller unless `assignee_id` says otherwise).
#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", request_body = NewTask, security(("bearer" = [])),
    responses((status = 201, body = Task), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewTask>,
) -> Result<(StatusCode, Json<Task>), ApiError> {
    let task = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(task)))
}

/// One task.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Task), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Task>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Changes a task (`done` marks it done or open; `remind_at: 0` drops the reminder); a stale `version` gets 409.
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), request_body = TaskPatch,
    security(("bearer" = [])),
    responses((status = 200, body = Task), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<TaskPatch>,
) -> Result<Json<Task>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// "My day" parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayParams {
    /// A colleague in the caller's scope (default: the caller).
    pub user_id: Option<i64>,
}

/// Open tasks: overdue, the rest of today, upcoming (each list at most 50, with full counts).
#[utoipa::path(get, path = "/api/v1/tasks/my-day", tag = "tasks", params(DayParams), security(("bearer" = [])),
    responses((status = 200, body = MyDay), (status = 403, body = super::ErrorBody)))]
pub async fn my_day(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<DayParams>,
) -> Result<Json<MyDay>, ApiError> {
    service::my_day(&state.db, api.user()?, p.user_id).await.map(Json).map_err(|e| api.err(e))
}

/// The caller's unread notifications of the last week, oldest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "tasks", security(("bearer" = [])),
    responses((status = 200, body = Vec<Notification>), (status = 401, body = super::ErrorBody)))]
pub async fn notifications(State(state): State<AppState>, api: Api) -> Result<Json<Vec<Notification>>, ApiError> {
    service::unread(&state.db, api.user()?, 0).await.map(Json).map_err(|e| api.err(e))
}

/// Marks one of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "tasks", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::ErrorBody)))]
pub async fn read(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    app::tasks::store::mark_read(&state.db, api.user()?.id, id).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /calendar/feed/{token}`: a user's private iCalendar feed (meetings and tasks from 30 days back to a
/// year ahead). The token is the only credential; a renewed token ends the old link.
pub async fn calendar_feed(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let token = token.trim_end_matches(".ics");
    let user = match app::tasks::store::feed_user(&state.db, token).await {
        Ok(Some(u)) => u,
        Ok(None) => return (StatusCode::NOT_FOUND, "unknown calendar link").into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let now = app::core::now_millis();
    let (from, to) = (now - 30 * 86_400_000, now + 366 * 86_400_000);
    let items = match app::tasks::store::calendar_items(&state.db, &[user], from, to).await {
        Ok(i) => i,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let name = match app::auth::store::load_user(&state.db, user).await {
        Ok(Some(u)) => u.name,
        _ => String::new(),
    };
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.trust_proxy && headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) == Some("https")
    {
        "https"
    } else {
        "http"
    };
    let body = app::tasks::calendar::ics(&items, now, &format!("{scheme}://{host}"), &name);
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response()
}

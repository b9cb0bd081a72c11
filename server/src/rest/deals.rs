//! `/api/v1/pipelines` (with stages and rules, and a board's live events), `/api/v1/deals` (list, create,
//! change, move, close), `/api/v1/deal-reasons`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use app::deals::{
    Deal, DealClose, DealFilter, DealMove, DealPage, DealPatch, NewDeal, Pipeline, PipelineInput, Reason, StageStay,
    service,
};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// Active pipelines, in order, with their stages and each stage's rules.
#[utoipa::path(get, path = "/api/v1/pipelines", tag = "deals", security(("bearer" = [])),
    responses((status = 200, body = Vec<Pipeline>), (status = 401, body = super::ErrorBody)))]
pub async fn pipelines(State(state): State<AppState>, api: Api) -> Result<Json<Vec<Pipeline>>, ApiError> {
    service::pipelines(&state.db, api.user()?).await.map(Json).map_err(|e| api.err(e))
}

/// One pipeline (archived ones too).
#[utoipa::path(get, path = "/api/v1/pipelines/{id}", tag = "deals", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Pipeline), (status = 404, body = super::ErrorBody)))]
pub async fn pipeline(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Pipeline>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::pipeline(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Creates a pipeline with its stages (administrators).
#[utoipa::path(post, path = "/api/v1/pipelines", tag = "deals", request_body = PipelineInput, security(("bearer" = [])),
    responses((status = 201, body = Pipeline), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_pipeline(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<PipelineInput>,
) -> Result<(StatusCode, Json<Pipeline>), ApiError> {
    let p = service::save_pipeline(&state.db, api.user()?, None, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Replaces a pipeline's name, mode and stages (in order; a stage left out is deleted, refused while it
/// holds deals). Administrators; 409 on a stale `version`.
#[utoipa::path(put, path = "/api/v1/pipelines/{id}", tag = "deals", params(("id" = i64, Path)), request_body = PipelineInput,
    security(("bearer" = [])),
    responses((status = 200, body = Pipeline), (status = 403, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn update_pipeline(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PipelineInput>,
) -> Result<Json<Pipeline>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::save_pipeline(&state.db, api.user()?, Some(id), &input).await.map(Json).map_err(|e| api.err(e))
}

/// Loss and unmet-demand reasons (retired ones marked).
#[utoipa::path(get, path = "/api/v1/deal-reasons", tag = "deals", security(("bearer" = [])),
    responses((status = 200, body = Vec<Reason>), (status = 401, body = super::ErrorBody)))]
pub async fn reasons(State(state): State<AppState>, api: Api) -> Result<Json<Vec<Reason>>, ApiError> {
    service::reasons(&state.db, api.user()?).await.map(Json).map_err(|e| api.err(e))
}

/// A new reason.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReasonInput {
    /// `loss` or `unmet`.
    pub kind: String,
    pub name: String,
}

/// Adds a loss or unmet-demand reason (administrators).
#[utoipa::path(post, path = "/api/v1/deal-reasons", tag = "deals", request_body = ReasonInput, security(("bearer" = [])),
    responses((status = 201, body = Reason), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_reason(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<ReasonInput>,
) -> Result<(StatusCode, Json<Reason>), ApiError> {
    let r = service::add_reason(&state.db, api.user()?, &input.kind, &input.name).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// A change to a reason.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReasonPatch {
    /// The version the reason was read at (409 when it changed since).
    pub version: i64,
    #[serde(default)]
    pub name: Option<String>,
    /// Retired reasons stay on closed deals but cannot be chosen.
    #[serde(default)]
    pub retired: bool,
}

/// Renames, retires or restores a reason (administrators).
#[utoipa::path(patch, path = "/api/v1/deal-reasons/{id}", tag = "deals", params(("id" = i64, Path)), request_body = ReasonPatch,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn update_reason(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReasonPatch>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update_reason(&state.db, api.user()?, id, input.version, input.name.as_deref(), input.retired)
        .await
        .map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// List parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub pipeline_id: Option<i64>,
    pub stage_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub team_id: Option<i64>,
    pub source: Option<String>,
    /// Created from (epoch ms, inclusive).
    pub from: Option<i64>,
    /// Created before (epoch ms, exclusive).
    pub to: Option<i64>,
    /// `open` (default), `won`, `lost`, `all`.
    #[param(schema_with = super::docs::param::deal_status)]
    pub status: Option<String>,
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

/// Deals the caller may see, most recently changed first.
#[utoipa::path(get, path = "/api/v1/deals", tag = "deals", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = DealPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<DealPage>, ApiError> {
    let f = DealFilter {
        pipeline_id: p.pipeline_id,
        manager_id: p.manager_id,
        team_id: p.team_id,
        source: p.source,
        from: p.from,
        to: p.to,
        status: p.status,
        stage_id: p.stage_id,
        customer_id: p.customer_id,
        archived: app::core::archive::Archived::parse_for_sync(p.archived.as_deref(), p.updated_since)
            .map_err(|e| api.err(e))?,
        updated_since: p.updated_since,
    };
    service::list(&state.db, api.user()?, &f, p.cursor.as_deref(), p.limit.unwrap_or(50))
        .await
        .map(Json)
        .map_err(|e| api.err(e))
}

/// Registers a deal (amount and goods may come later).
#[utoipa::path(post, path = "/api/v1/deals", tag = "deals", request_body = NewDeal, security(("bearer" = [])),
    responses((status = 201, body = Deal), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewDeal>,
) -> Result<(StatusCode, Json<Deal>), ApiError> {
    let deal = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(deal)))
}

/// One deal.
#[utoipa::path(get, path = "/api/v1/deals/{id}", tag = "deals", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Deal), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Deal>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// A deal's stays in stages, oldest first.
#[utoipa::path(get, path = "/api/v1/deals/{id}/history", tag = "deals", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<StageStay>), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Vec<StageStay>>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::history(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Changes a deal's fields (`clear` empties some); 409 on a stale `version`.
#[utoipa::path(patch, path = "/api/v1/deals/{id}", tag = "deals", params(("id" = i64, Path)), request_body = DealPatch,
    security(("bearer" = [])),
    responses((status = 200, body = Deal), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<DealPatch>,
) -> Result<Json<Deal>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// Moves a deal to a stage: 422 names the broken rule (`stage_id`: another pipeline, a skipped stage;
/// `checklist`; a field the stage requires), 409 when `version` is stale.
#[utoipa::path(post, path = "/api/v1/deals/{id}/move", tag = "deals", params(("id" = i64, Path)), request_body = DealMove,
    security(("bearer" = [])),
    responses((status = 200, body = Deal), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn move_deal(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(mv): ApiJson<DealMove>,
) -> Result<Json<Deal>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::move_deal(&state.db, api.user()?, id, &mv).await.map(Json).map_err(|e| api.err(e))
}

/// Closes a deal (`outcome`: `won`, or `lost` with `loss_reason_id`) or reopens it (`open`).
#[utoipa::path(post, path = "/api/v1/deals/{id}/close", tag = "deals", params(("id" = i64, Path)), request_body = DealClose,
    security(("bearer" = [])),
    responses((status = 200, body = Deal), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DealClose>,
) -> Result<Json<Deal>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::close(&state.db, api.user()?, id, &input).await.map(Json).map_err(|e| api.err(e))
}

/// Funnel parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FunnelParams {
    /// Defaults to the first pipeline.
    pub pipeline_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub team_id: Option<i64>,
    pub source: Option<String>,
    /// Deals created from (epoch ms, inclusive).
    pub from: Option<i64>,
    /// Deals created before (epoch ms, exclusive).
    pub to: Option<i64>,
    /// `json` (default) or `csv`.
    #[param(schema_with = super::docs::param::json_or_csv)]
    pub format: Option<String>,
}

/// The sales funnel: per stage, deals and amounts that reached it, conversion from the previous stage,
/// losses with their reasons and the average days spent; win rate and average won deal. `format=csv` gives
/// a spreadsheet (`;`-separated, UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/reports/funnel", tag = "deals", params(FunnelParams), security(("bearer" = [])),
    responses((status = 200, description = "The funnel; with `format=csv` a spreadsheet",
            content((app::deals::Funnel = "application/json"), (String = "text/csv"))),
        (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn funnel(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<FunnelParams>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let f = DealFilter {
        pipeline_id: p.pipeline_id,
        manager_id: p.manager_id,
        team_id: p.team_id,
        source: p.source,
        from: p.from,
        to: p.to,
        ..Default::default()
    };
    let report = service::funnel(&state.db, api.user()?, api.ctx.lang, &f).await.map_err(|e| api.err(e))?;
    match p.format.as_deref() {
        Some("csv") => Ok((
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"funnel.csv\""),
            ],
            app::deals::funnel_csv(&report, api.ctx.lang),
        )
            .into_response()),
        None | Some("json") => Ok(Json(report).into_response()),
        Some(_) => Err(api.err(app::core::AppError::field("format", app::core::ErrCode::InvalidChoice))),
    }
}

//! `/api/v1/custom-fields`: the definitions of custom fields (read by anyone signed in, changed by
//! administrators).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use app::core::AppError;
use app::custom_fields::{CustomField, CustomFieldPatch, FieldEntity, NewCustomField, service};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// List parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `customer` (default), `contact` or `deal`.
    #[param(schema_with = super::docs::param::field_entity)]
    pub entity: Option<String>,
}

/// The fields of customers, contacts or deals, in form order, retired ones included.
#[utoipa::path(get, path = "/api/v1/custom-fields", tag = "custom-fields", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<CustomField>), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<Vec<CustomField>>, ApiError> {
    let user = api.user()?;
    let entity = match p.entity.as_deref() {
        None => FieldEntity::Customer,
        Some(e) => FieldEntity::parse(e)
            .ok_or_else(|| api.err(AppError::field("entity", app::core::ErrCode::InvalidChoice)))?,
    };
    service::list(&state.db, user, entity).await.map(Json).map_err(|e| api.err(e))
}

/// Defines a field (administrators only).
#[utoipa::path(post, path = "/api/v1/custom-fields", tag = "custom-fields", request_body = NewCustomField, security(("bearer" = [])),
    responses((status = 201, body = CustomField), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewCustomField>,
) -> Result<(StatusCode, Json<CustomField>), ApiError> {
    let created = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Changes a field's label, choices, required flag or position, or retires it (administrators only).
#[utoipa::path(patch, path = "/api/v1/custom-fields/{id}", tag = "custom-fields", params(("id" = i64, Path)),
    request_body = CustomFieldPatch, security(("bearer" = [])),
    responses((status = 200, body = CustomField), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<CustomFieldPatch>,
) -> Result<Json<CustomField>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

//! `/api/v1/customers/{id}/contacts` and `/api/v1/contacts/{id}`: contact persons and their links.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use app::contacts::{Contact, ContactPatch, LinkContact, NewContact, service};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson};
use crate::AppState;

/// Which records a list of a customer's contacts or counterparties shows.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArchivedParam {
    /// `active` (default: not archived), `only` (archived only) or `all`.
    pub archived: Option<String>,
}

impl ArchivedParam {
    /// The choice, or a field error on `archived`.
    pub fn parse(&self, api: &Api) -> Result<app::core::archive::Archived, ApiError> {
        app::core::archive::Archived::parse(self.archived.as_deref()).map_err(|e| api.err(e))
    }
}

/// The customer's contact persons (up to 200, newest link first).
#[utoipa::path(get, path = "/api/v1/customers/{id}/contacts", tag = "contacts", params(("id" = i64, Path), ArchivedParam),
    security(("bearer" = [])),
    responses((status = 200, body = Vec<Contact>), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    super::ApiQuery(p): super::ApiQuery<ArchivedParam>,
) -> Result<Json<Vec<Contact>>, ApiError> {
    let id = parse_id(&api, &id)?;
    let mut all = service::list_for_customer(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    let archived = p.parse(&api)?;
    all.retain(|c| archived.keeps(c.archived_at));
    Ok(Json(all))
}

/// Adds a contact person to the customer, with `role` there. Phones are stored in E.164.
#[utoipa::path(post, path = "/api/v1/customers/{id}/contacts", tag = "contacts", params(("id" = i64, Path)),
    request_body = NewContact, security(("bearer" = [])),
    responses((status = 201, body = Contact), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewContact>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    let id = parse_id(&api, &id)?;
    let created = service::create(&state.db, api.user()?, id, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One contact, visible through any of its customers.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Contact), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Contact>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Changes a contact; lists replace the old ones; a stale `version` gets 409.
#[utoipa::path(patch, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = i64, Path)), request_body = ContactPatch,
    security(("bearer" = [])),
    responses((status = 200, body = Contact), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<ContactPatch>,
) -> Result<Json<Contact>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// Links the contact to another customer, with a role there.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/links", tag = "contacts", params(("id" = i64, Path)), request_body = LinkContact,
    security(("bearer" = [])),
    responses((status = 201, body = Contact), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(l): ApiJson<LinkContact>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    let id = parse_id(&api, &id)?;
    let c = service::link(&state.db, api.user()?, id, &l).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(c)))
}

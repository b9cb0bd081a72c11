//! `/api/v1/customers/{id}/contacts` and `/api/v1/contacts/{id}`: contact persons and their links.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use app::contacts::{Contact, ContactPage, ContactPatch, LinkContact, NewContact, service};

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

/// A sync job's read of a whole collection.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncParams {
    /// Epoch ms: only records created or changed at or after it (default: all), oldest change first. Ask again
    /// from the greatest `updated_at` seen, less a minute for changes committed late; drop repeats by `id`
    /// and `version`.
    pub updated_since: Option<i64>,
    /// `all` (default: archiving is a change), `active` or `only`.
    pub archived: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

impl SyncParams {
    /// The read, or a field error.
    pub fn parse(&self, api: &Api) -> Result<app::customers::store::SyncRead, ApiError> {
        let since = self.updated_since.unwrap_or(0);
        let read =
            app::core::archive::Archived::parse_for_sync(self.archived.as_deref(), Some(since)).and_then(|archived| {
                app::customers::store::SyncRead::new(since, self.cursor.as_deref(), archived, self.limit.unwrap_or(50))
            });
        read.map_err(|e| api.err(e))
    }
}

/// Every contact the caller may see (through a customer in scope), oldest change first: a sync job's feed.
#[utoipa::path(get, path = "/api/v1/contacts", tag = "contacts", params(SyncParams), security(("bearer" = [])),
    responses((status = 200, body = ContactPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn list_all(
    State(state): State<AppState>,
    api: Api,
    super::ApiQuery(p): super::ApiQuery<SyncParams>,
) -> Result<Json<ContactPage>, ApiError> {
    let read = p.parse(&api)?;
    service::changed(&state.db, api.user()?, &read).await.map(Json).map_err(|e| api.err(e))
}

/// The customer's contact persons (up to 200, newest link first; all of them, changed since a moment, are
/// paged by `GET /contacts`).
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

//! Archive, restore, delete and erase over REST, the same four operations for every archivable collection:
//! `POST /v1/<collection>/{id}/archive` and `/restore` with `{"version"}`, `GET /v1/<collection>/{id}/deletion`
//! (what a deletion takes with it) and `DELETE /v1/<collection>/{id}?version=` (administrators), and
//! `POST /v1/customers/{id}/erase` and `/v1/contacts/{id}/erase` (administrators).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use app::core::AppError;
use app::records::{ArchiveState, Deletion, RecordKind, VersionInput, service};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// The version a deletion is based on.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// The record's current version (a stale one is refused with 409).
    pub version: Option<i64>,
}

async fn set(
    state: AppState,
    api: Api,
    kind: RecordKind,
    id: String,
    v: VersionInput,
    archived: bool,
) -> Result<Json<ArchiveState>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::set_archived(&state.db, api.user()?, kind, id, v.version, archived).await.map(Json).map_err(|e| api.err(e))
}

async fn preview(state: AppState, api: Api, kind: RecordKind, id: String) -> Result<Json<Deletion>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::deletion(&state.db, api.user()?, kind, id).await.map(Json).map_err(|e| api.err(e))
}

async fn remove(
    state: AppState,
    api: Api,
    kind: RecordKind,
    id: String,
    p: DeleteParams,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    let version = p.version.ok_or_else(|| api.err(AppError::field("version", app::core::ErrCode::Required)))?;
    service::delete(&state.db, api.user()?, kind, id, version).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn wipe(
    state: AppState,
    api: Api,
    kind: RecordKind,
    id: String,
    v: VersionInput,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    service::erase(&state.db, api.user()?, kind, id, v.version).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The four documented operations of one collection.
macro_rules! collection {
    ($module:ident, $kind:expr, $tag:tt, $archive:tt, $restore:tt, $deletion:tt, $item:tt) => {
        pub mod $module {
            use super::*;

            /// Archives the record: it leaves lists, searches and counts (`archived=only` lists it); everything
            /// attached stays. Asking again changes nothing.
            #[utoipa::path(post, path = $archive, tag = $tag, params(("id" = i64, Path)), request_body = VersionInput,
                security(("bearer" = [])), responses((status = 200, body = ArchiveState), (status = 403, body = super::super::ErrorBody),
                (status = 404, body = super::super::ErrorBody), (status = 409, body = super::super::ErrorBody)))]
            pub async fn archive(
                State(state): State<AppState>,
                api: Api,
                Path(id): Path<String>,
                ApiJson(v): ApiJson<VersionInput>,
            ) -> Result<Json<ArchiveState>, ApiError> {
                set(state, api, $kind, id, v, true).await
            }

            /// Restores an archived record.
            #[utoipa::path(post, path = $restore, tag = $tag, params(("id" = i64, Path)), request_body = VersionInput,
                security(("bearer" = [])), responses((status = 200, body = ArchiveState), (status = 403, body = super::super::ErrorBody),
                (status = 404, body = super::super::ErrorBody), (status = 409, body = super::super::ErrorBody)))]
            pub async fn restore(
                State(state): State<AppState>,
                api: Api,
                Path(id): Path<String>,
                ApiJson(v): ApiJson<VersionInput>,
            ) -> Result<Json<ArchiveState>, ApiError> {
                set(state, api, $kind, id, v, false).await
            }

            /// What deleting the record would take with it (administrators).
            #[utoipa::path(get, path = $deletion, tag = $tag, params(("id" = i64, Path)), security(("bearer" = [])),
                responses((status = 200, body = Deletion), (status = 403, body = super::super::ErrorBody),
                (status = 404, body = super::super::ErrorBody)))]
            pub async fn deletion(
                State(state): State<AppState>,
                api: Api,
                Path(id): Path<String>,
            ) -> Result<Json<Deletion>, ApiError> {
                preview(state, api, $kind, id).await
            }

            /// Deletes the record for good with what its deletion preview names (administrators).
            #[utoipa::path(delete, path = $item, tag = $tag, params(("id" = i64, Path), DeleteParams), security(("bearer" = [])),
                responses((status = 204), (status = 403, body = super::super::ErrorBody), (status = 404, body = super::super::ErrorBody),
                (status = 409, body = super::super::ErrorBody), (status = 422, body = super::super::ErrorBody)))]
            pub async fn delete(
                State(state): State<AppState>,
                api: Api,
                Path(id): Path<String>,
                ApiQuery(p): ApiQuery<DeleteParams>,
            ) -> Result<StatusCode, ApiError> {
                remove(state, api, $kind, id, p).await
            }
        }
    };
}

collection!(
    customers,
    RecordKind::Customer,
    "customers",
    "/api/v1/customers/{id}/archive",
    "/api/v1/customers/{id}/restore",
    "/api/v1/customers/{id}/deletion",
    "/api/v1/customers/{id}"
);
collection!(
    contacts,
    RecordKind::Contact,
    "contacts",
    "/api/v1/contacts/{id}/archive",
    "/api/v1/contacts/{id}/restore",
    "/api/v1/contacts/{id}/deletion",
    "/api/v1/contacts/{id}"
);
collection!(
    counterparties,
    RecordKind::Counterparty,
    "counterparties",
    "/api/v1/counterparties/{id}/archive",
    "/api/v1/counterparties/{id}/restore",
    "/api/v1/counterparties/{id}/deletion",
    "/api/v1/counterparties/{id}"
);
collection!(
    deals,
    RecordKind::Deal,
    "deals",
    "/api/v1/deals/{id}/archive",
    "/api/v1/deals/{id}/restore",
    "/api/v1/deals/{id}/deletion",
    "/api/v1/deals/{id}"
);
collection!(
    tasks,
    RecordKind::Task,
    "tasks",
    "/api/v1/tasks/{id}/archive",
    "/api/v1/tasks/{id}/restore",
    "/api/v1/tasks/{id}/deletion",
    "/api/v1/tasks/{id}"
);
collection!(
    interactions,
    RecordKind::Interaction,
    "interactions",
    "/api/v1/interactions/{id}/archive",
    "/api/v1/interactions/{id}/restore",
    "/api/v1/interactions/{id}/deletion",
    "/api/v1/interactions/{id}"
);

/// Erases a customer's personal data (administrators): name, phone, e-mail, notes, tags and custom values
/// go, the values in its history become "erased"; deals and interactions stay.
#[utoipa::path(post, path = "/api/v1/customers/{id}/erase", tag = "customers", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])), responses((status = 204), (status = 403, body = super::ErrorBody),
    (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn erase_customer(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<StatusCode, ApiError> {
    wipe(state, api, RecordKind::Customer, id, v).await
}

/// Erases a contact person's personal data (administrators): name, phones, e-mails, messengers, position,
/// birthday, notes and custom values go, the values in its history become "erased".
#[utoipa::path(post, path = "/api/v1/contacts/{id}/erase", tag = "contacts", params(("id" = i64, Path)),
    request_body = VersionInput, security(("bearer" = [])), responses((status = 204), (status = 403, body = super::ErrorBody),
    (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn erase_contact(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<VersionInput>,
) -> Result<StatusCode, ApiError> {
    wipe(state, api, RecordKind::Contact, id, v).await
}

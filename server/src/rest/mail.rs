//! `/api/v1/mailboxes` (with sync status), `/api/v1/messages`, `/api/v1/mail-templates`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use app::mail::{Mailbox, MailboxInput, Message, MessageFilter, MessagePage, NewMail, Sent, Template, service};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// The mailboxes the caller may use (administrators: all), with their sync status and last error.
#[utoipa::path(get, path = "/api/v1/mailboxes", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = Vec<Mailbox>), (status = 401, body = super::ErrorBody)))]
pub async fn list_mailboxes(State(state): State<AppState>, api: Api) -> Result<Json<Vec<Mailbox>>, ApiError> {
    service::list(&state.db, api.user()?).await.map(Json).map_err(|e| api.err(e))
}

/// Connects a mailbox; the IMAP and SMTP logins are tried first (a refusal is a 422 on the field concerned).
#[utoipa::path(post, path = "/api/v1/mailboxes", tag = "mail", request_body = MailboxInput, security(("bearer" = [])),
    responses((status = 201, body = Mailbox), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_mailbox(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<MailboxInput>,
) -> Result<(StatusCode, Json<Mailbox>), ApiError> {
    let m = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// One mailbox with its sync status.
#[utoipa::path(get, path = "/api/v1/mailboxes/{id}", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = Mailbox), (status = 404, body = super::ErrorBody)))]
pub async fn get_mailbox(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Mailbox>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Changes a mailbox's settings (`version` required; an absent password keeps the stored one).
#[utoipa::path(patch, path = "/api/v1/mailboxes/{id}", tag = "mail", request_body = MailboxInput, security(("bearer" = [])),
    responses((status = 200, body = Mailbox), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_mailbox(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MailboxInput>,
) -> Result<Json<Mailbox>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &input).await.map(Json).map_err(|e| api.err(e))
}

/// Disconnects a mailbox; its messages stay.
#[utoipa::path(delete, path = "/api/v1/mailboxes/{id}", tag = "mail", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn delete_mailbox(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&api, &id)?;
    service::disconnect(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks for a sync now (202): the sync job picks it up within seconds; poll the mailbox for its status.
#[utoipa::path(post, path = "/api/v1/mailboxes/{id}/sync", tag = "mail", security(("bearer" = [])),
    responses((status = 202, body = Mailbox), (status = 404, body = super::ErrorBody)))]
pub async fn sync_mailbox(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Mailbox>), ApiError> {
    let id = parse_id(&api, &id)?;
    let m = service::request_sync(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::ACCEPTED, Json(m)))
}

/// Message list parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageParams {
    pub mailbox_id: Option<i64>,
    /// A customer's messages (any mailbox), if the caller may see the customer.
    pub customer_id: Option<i64>,
    /// Only messages not linked to a customer.
    pub unsorted: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Messages, newest first.
#[utoipa::path(get, path = "/api/v1/messages", tag = "mail", params(MessageParams), security(("bearer" = [])),
    responses((status = 200, body = MessagePage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn list_messages(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<MessageParams>,
) -> Result<Json<MessagePage>, ApiError> {
    let f = MessageFilter {
        mailbox_id: p.mailbox_id,
        customer_id: p.customer_id,
        unsorted: p.unsorted.unwrap_or(false),
        cursor: p.cursor,
        limit: p.limit.map(i64::from),
    };
    service::messages(&state.db, api.user()?, &f).await.map(Json).map_err(|e| api.err(e))
}

/// Sends a message to a customer over the mailbox's SMTP server; it is stored, put on the timeline and
/// appended to the Sent folder.
#[utoipa::path(post, path = "/api/v1/messages", tag = "mail", request_body = NewMail, security(("bearer" = [])),
    responses((status = 201, body = Sent), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn send(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewMail>,
) -> Result<(StatusCode, Json<Sent>), ApiError> {
    let sent = service::send_mail(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// One message with its sanitised HTML, attachments and thread.
#[utoipa::path(get, path = "/api/v1/messages/{id}", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = Message), (status = 404, body = super::ErrorBody)))]
pub async fn get_message(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Message>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::message(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// What to link a message to.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LinkInput {
    pub customer_id: i64,
    #[serde(default)]
    pub contact_id: Option<i64>,
}

/// Links an unsorted message (and the rest of its thread) to a customer; it goes on the timeline.
#[utoipa::path(post, path = "/api/v1/messages/{id}/link", tag = "mail", request_body = LinkInput, security(("bearer" = [])),
    responses((status = 200, body = Message), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<LinkInput>,
) -> Result<Json<Message>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::link(&state.db, api.user()?, id, input.customer_id, input.contact_id)
        .await
        .map(Json)
        .map_err(|e| api.err(e))
}

/// An attachment of a message, as a download.
#[utoipa::path(get, path = "/api/v1/messages/{id}/attachments/{file}", tag = "mail", security(("bearer" = [])),
    responses((status = 200, description = "the file"), (status = 404, body = super::ErrorBody)))]
pub async fn attachment(
    State(state): State<AppState>,
    api: Api,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = parse_id(&api, &id)?;
    let file = parse_id(&api, &file)?;
    let (info, data) = service::attachment(&state.db, api.user()?, id, file).await.map_err(|e| api.err(e))?;
    Ok(super::interactions::file_response(&info.file_name, &info.content_type, data))
}

/// The company's mail templates.
#[utoipa::path(get, path = "/api/v1/mail-templates", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = Vec<Template>)))]
pub async fn templates(State(state): State<AppState>, api: Api) -> Result<Json<Vec<Template>>, ApiError> {
    api.user()?;
    service::templates(&state.db).await.map(Json).map_err(|e| api.err(e))
}

/// A new template.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct TemplateInput {
    pub name: String,
    pub subject: String,
    pub body: String,
}

/// Creates a template; `{{customer.name}}`, `{{contact.name}}`, `{{manager.name}}`, `{{me.name}}`… are filled in
/// when writing.
#[utoipa::path(post, path = "/api/v1/mail-templates", tag = "mail", request_body = TemplateInput, security(("bearer" = [])),
    responses((status = 201, body = Template), (status = 422, body = super::ErrorBody)))]
pub async fn create_template(
    State(state): State<AppState>,
    api: Api,
    ApiJson(t): ApiJson<TemplateInput>,
) -> Result<(StatusCode, Json<Template>), ApiError> {
    let saved = service::save_template(&state.db, api.user()?, None, &t.name, &t.subject, &t.body)
        .await
        .map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(saved)))
}

//! `/api/v1/interactions` and `/api/v1/attachments/{id}`: meetings, calls, SMS, e-mail and notes with their
//! files; and the card's attachment upload form.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::core::{AppError, ErrCode};
use app::interactions::{
    AttachmentInfo, Interaction, InteractionFilter, InteractionKind, InteractionPage, InteractionPatch, NewInteraction,
    service,
};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// List parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `meeting`, `call`, `sms`, `email` or `note`.
    #[param(schema_with = super::docs::param::interaction_kind)]
    pub kind: Option<String>,
    /// Who logged or had it (user id).
    pub author_id: Option<i64>,
    pub customer_id: Option<i64>,
    /// A status of the kind (`planned`, `held`, `missed`, …).
    pub status: Option<String>,
    /// Epoch ms, inclusive.
    pub from: Option<i64>,
    /// Epoch ms, exclusive.
    pub to: Option<i64>,
    /// Page size, 1 to 200 (default 50).
    #[param(schema_with = super::docs::param::page_limit)]
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
    /// `active` (default: not archived; with `updated_since`: `all`), `only` (archived only) or `all`.
    pub archived: Option<String>,
    /// A sync job's read (epoch ms): only records created or changed at or after it, archived ones included,
    /// oldest change first (instead of the list's own order); page on with `next_cursor` as usual. Ask again from the
    /// greatest `updated_at` seen, less a minute for changes committed late; drop repeats by `id` and `version`.
    pub updated_since: Option<i64>,
}

/// Interactions with the customers the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/interactions", tag = "interactions", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = InteractionPage), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<InteractionPage>, ApiError> {
    let kind = match p.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => {
            Some(InteractionKind::parse(k).ok_or_else(|| api.err(AppError::field("kind", ErrCode::InvalidChoice)))?)
        }
        None => None,
    };
    let filter = InteractionFilter {
        kind,
        author_id: p.author_id,
        customer_id: p.customer_id,
        status: p.status,
        from: p.from,
        to: p.to,
        cursor: p.cursor,
        limit: p.limit,
        archived: app::core::archive::Archived::parse_for_sync(p.archived.as_deref(), p.updated_since)
            .map_err(|e| api.err(e))?,
        updated_since: p.updated_since,
    };
    service::list(&state.db, api.user()?, &filter).await.map(Json).map_err(|e| api.err(e))
}

/// Logs an interaction with a customer; `occurred_at` defaults to now, `status` and `direction` to the
/// kind's usual ones.
#[utoipa::path(post, path = "/api/v1/interactions", tag = "interactions", request_body = NewInteraction, security(("bearer" = [])),
    responses((status = 201, body = Interaction), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<NewInteraction>,
) -> Result<(StatusCode, Json<Interaction>), ApiError> {
    let created = service::create(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One interaction.
#[utoipa::path(get, path = "/api/v1/interactions/{id}", tag = "interactions", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Interaction), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Interaction>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// Changes an interaction (status, texts, time); a stale `version` gets 409.
#[utoipa::path(patch, path = "/api/v1/interactions/{id}", tag = "interactions", params(("id" = i64, Path)),
    request_body = InteractionPatch, security(("bearer" = [])),
    responses((status = 200, body = Interaction), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<InteractionPatch>,
) -> Result<Json<Interaction>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::update(&state.db, api.user()?, id, &patch).await.map(Json).map_err(|e| api.err(e))
}

/// Attachment parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileParams {
    /// The file's name.
    pub file_name: Option<String>,
}

/// Attaches the request body (up to 10 MB) as a file; its `Content-Type` is kept.
#[utoipa::path(post, path = "/api/v1/interactions/{id}/attachments", tag = "interactions", params(("id" = i64, Path), FileParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("bearer" = [])),
    responses((status = 201, body = AttachmentInfo), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn attach(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    Query(p): Query<FileParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<AttachmentInfo>), ApiError> {
    let id = parse_id(&api, &id)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let name = p.file_name.unwrap_or_else(|| "file".into());
    let info = service::attach(&state.db, api.user()?, id, &name, content_type, &body).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// A stored file, always as a download (never shown inline, so a hostile file cannot run as a page).
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "interactions", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn download(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = parse_id(&api, &id)?;
    let (info, data) = service::attachment(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    Ok(file_response(&info.file_name, &info.content_type, data))
}

/// A download response: `Content-Disposition: attachment` with the name in RFC 5987 form, no sniffing.
pub fn file_response(name: &str, content_type: &str, data: Vec<u8>) -> Response {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        data,
    )
        .into_response()
}

/// `POST /interactions/{id}/attachments`: the timeline's upload form (multipart, field `file`); back to the
/// customer's timeline, with `?attach_error=<code>` when refused.
pub async fn attach_form(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Response {
    let Ok(user) = api.user() else { return Redirect::to("/login").into_response() };
    let Ok(id) = id.parse::<i64>() else { return api.err(AppError::NotFound).into_response() };
    let interaction = match service::get(&state.db, user, id).await {
        Ok(i) => i,
        Err(e) => return api.err(e).into_response(),
    };
    let page = format!("/customers/{}", interaction.customer_id);
    let back = |code: Option<ErrCode>| super::back_to(&page, "attach_error", code, "#timeline");
    let mut file = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("file").to_string();
                let content_type = field.content_type().map(str::to_string);
                match field.bytes().await {
                    Ok(b) => file = Some((name, content_type, b)),
                    Err(_) => return back(Some(ErrCode::AttachmentTooLarge)),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back(Some(ErrCode::AttachmentTooLarge)),
        }
    }
    let Some((name, content_type, bytes)) = file else { return back(Some(ErrCode::EmptyFile)) };
    match service::attach(&state.db, user, id, &name, content_type.as_deref(), &bytes).await {
        Ok(_) => back(None),
        Err(AppError::Validation { fields }) => back(fields.first().map(|f| f.code)),
        Err(AppError::PayloadTooLarge) => back(Some(ErrCode::AttachmentTooLarge)),
        Err(e) => api.err(e).into_response(),
    }
}

/// A call event from the phone system (`Authorization: Bearer <KARVON_TELEPHONY_TOKEN>`): `ringing` pops up
/// the customer's card (or "create customer") for the user with that extension, `ended` logs the call.
#[utoipa::path(post, path = "/api/v1/telephony/events", tag = "interactions", request_body = app::interactions::telephony::CallEvent,
    security(("bearer" = [])),
    responses((status = 202, body = app::interactions::telephony::CallOutcome), (status = 401, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn telephony_event(
    State(state): State<AppState>,
    api: Api,
    headers: HeaderMap,
    req: axum::extract::Request,
) -> Result<(StatusCode, Json<app::interactions::telephony::CallOutcome>), ApiError> {
    // The secret is checked before the body is read: without it, nothing about the event is looked at.
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let expected = state.telephony_token.as_deref().unwrap_or("");
    if expected.is_empty() || !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return Err(api.err(AppError::Unauthenticated));
    }
    let ApiJson(event) =
        <ApiJson<app::interactions::telephony::CallEvent> as axum::extract::FromRequest<AppState>>::from_request(
            req, &state,
        )
        .await?;
    let outcome = app::interactions::telephony::handle(&state.db, &event).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::ACCEPTED, Json(outcome)))
}

/// Compares secrets without leaking where they differ through timing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Sends an SMS through the gateway to a customer (its phone) or a contact person (their first phone), or to
/// `phone`. It is an interaction at once (`queued`); its status follows the sending and the delivery report.
#[utoipa::path(post, path = "/api/v1/sms", tag = "interactions", request_body = app::interactions::sms::NewSms,
    security(("bearer" = [])),
    responses((status = 202, body = Interaction), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn send_sms(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<app::interactions::sms::NewSms>,
) -> Result<(StatusCode, Json<Interaction>), ApiError> {
    let queued = service::send_sms(&state.db, api.user()?, &input).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
}

/// `POST /api/v1/sms/callback/{secret}`: the gateway's delivery report (form fields or JSON with
/// `message_id` and `status`). The secret in the path is the only credential.
pub async fn sms_callback(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let expected = state.sms_callback_secret.as_deref().unwrap_or("");
    if expected.is_empty() || !constant_time_eq(secret.as_bytes(), expected.as_bytes()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let json = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("json"));
    let report: Option<app::interactions::sms::DeliveryReport> =
        if json { serde_json::from_slice(&body).ok() } else { serde_urlencoded::from_bytes(&body).ok() };
    let Some(report) = report else { return StatusCode::UNPROCESSABLE_ENTITY.into_response() };
    match app::interactions::sms::delivery(&state.db, &report).await {
        Ok(true) => StatusCode::OK.into_response(),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(AppError::Validation { .. }) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

//! Documents from templates: an order's and an invoice's documents and a customer's reconciliation act as
//! PDF, filed on the timeline and e-mailed; the templates (administrators) and the company's images documents show.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::core::{AppError, ErrCode};
use app::documents::service::{self, EmailIt};
use app::documents::{DocKind, DocSource, DocTemplate, Filed, ReconciliationQuery, TemplateSave};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// An order's or an invoice's document: which one, and its language.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocParams {
    /// Of an order: `offer` (default) or `contract`; of an invoice: `invoice` (default), `delivery_note` or
    /// `act`.
    pub kind: Option<DocKind>,
    /// `uz`, `ru` or `en`; the reader's language by default.
    pub lang: Option<String>,
}

/// A reconciliation act's period, party and language.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationParams {
    /// `YYYY-MM-DD`, both days included (at most ten years).
    pub from: String,
    pub to: String,
    /// One legal entity of the customer; all of them by default.
    pub counterparty_id: Option<i64>,
    /// Documents in this currency only; UZS by default.
    pub currency: Option<String>,
    /// `uz`, `ru` or `en`; the reader's language by default.
    pub lang: Option<String>,
}

fn lang_or(api: &Api, lang: Option<String>) -> String {
    lang.unwrap_or_else(|| api.ctx.lang.code().to_string())
}

fn pdf_response(name: &str, data: Vec<u8>) -> Response {
    super::interactions::file_response(name, "application/pdf", data)
}

/// A document of `source` as PDF, of one of `kinds` (the first by default).
async fn document_of(
    state: &AppState,
    api: &Api,
    source: DocSource,
    kinds: &[DocKind],
    p: DocParams,
) -> Result<Response, ApiError> {
    let kind = p.kind.unwrap_or(kinds[0]);
    if !kinds.contains(&kind) {
        return Err(api.err(AppError::field("kind", ErrCode::InvalidChoice)));
    }
    let lang = lang_or(api, p.lang);
    let (name, data, _) = service::pdf(&state.db, api.user()?, kind, &source, &lang).await.map_err(|e| api.err(e))?;
    Ok(pdf_response(&name, data))
}

/// An order's document as PDF (whoever may read the order): the commercial offer or the supply contract,
/// with the order's lines, from the template of that kind and language.
#[utoipa::path(get, path = "/api/v1/orders/{id}/document", tag = "documents", params(("id" = i64, Path), DocParams),
    security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn order_document(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<DocParams>,
) -> Result<Response, ApiError> {
    let id = parse_id(&api, &id)?;
    document_of(&state, &api, DocSource::Order { order_id: id }, &DocKind::OF_ORDER, p).await
}

/// An invoice's document as PDF (whoever may read the invoice): the invoice, its delivery note or its act of
/// work done, from the template of that kind and language. 422 `body.<line>` when the template fails on this
/// invoice's data.
#[utoipa::path(get, path = "/api/v1/invoices/{id}/document", tag = "documents", params(("id" = i64, Path), DocParams),
    security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn invoice_document(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<DocParams>,
) -> Result<Response, ApiError> {
    let id = parse_id(&api, &id)?;
    document_of(&state, &api, DocSource::Invoice { invoice_id: id }, &DocKind::OF_INVOICE, p).await
}

/// A customer's reconciliation act (akt sverki) for a period as PDF (whoever sees the customer's money):
/// opening balance, invoices (debit), credit notes and payments received (credit), refunds (debit), turnover
/// and the closing balance in words.
#[utoipa::path(get, path = "/api/v1/customers/{id}/reconciliation", tag = "documents",
    params(("id" = i64, Path), ReconciliationParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn reconciliation(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<ReconciliationParams>,
) -> Result<Response, ApiError> {
    let id = parse_id(&api, &id)?;
    let lang = lang_or(&api, p.lang);
    let period =
        ReconciliationQuery { from: p.from, to: p.to, counterparty_id: p.counterparty_id, currency: p.currency };
    let source = DocSource::Customer { customer_id: id, period };
    let (name, data, _) =
        service::pdf(&state.db, api.user()?, DocKind::Reconciliation, &source, &lang).await.map_err(|e| api.err(e))?;
    Ok(pdf_response(&name, data))
}

/// A document to print and keep on the customer's timeline: an order's (`order_id`), an invoice's
/// (`invoice_id`), or a customer's reconciliation act (`customer_id` and `period`); with `email`, also sent
/// from that mailbox with the PDF.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct FileInput {
    pub kind: DocKind,
    /// `uz`, `ru` or `en`; the reader's language by default.
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub order_id: Option<i64>,
    #[serde(default)]
    pub invoice_id: Option<i64>,
    #[serde(default)]
    pub customer_id: Option<i64>,
    #[serde(default)]
    pub period: Option<ReconciliationQuery>,
    #[serde(default)]
    pub email: Option<EmailIt>,
}

/// Prints a document onto the customer's timeline (a note with the PDF attached) and, with `email`, sends
/// it from one of the user's mailboxes (422 `email.to`, `email.mailbox_id`… as sending mail answers).
#[utoipa::path(post, path = "/api/v1/documents", tag = "documents", request_body = FileInput, security(("bearer" = [])),
    responses((status = 200, body = Filed), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn file(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<FileInput>,
) -> Result<Json<Filed>, ApiError> {
    let source = match (input.order_id, input.invoice_id, input.customer_id, input.period) {
        (Some(order_id), None, None, None) => DocSource::Order { order_id },
        (None, Some(invoice_id), None, None) => DocSource::Invoice { invoice_id },
        (None, None, Some(customer_id), Some(period)) => DocSource::Customer { customer_id, period },
        (None, None, Some(_), None) => return Err(api.err(AppError::field("period", ErrCode::Required))),
        _ => return Err(api.err(AppError::field("invoice_id", ErrCode::Required))),
    };
    let lang = lang_or(&api, input.lang);
    service::file(&state.db, api.user()?, input.kind, &source, &lang, input.email.as_ref())
        .await
        .map(Json)
        .map_err(|e| api.err(e))
}

fn kind_lang(api: &Api, kind: &str, lang: &str) -> Result<(DocKind, String), ApiError> {
    let kind = DocKind::parse(kind).ok_or_else(|| api.err(AppError::NotFound))?;
    if !["uz", "ru", "en"].contains(&lang) {
        return Err(api.err(AppError::NotFound));
    }
    Ok((kind, lang.to_string()))
}

/// The template in force for a kind and language (administrators): the saved one, else the built-in one
/// (`custom` false, `version` 0).
#[utoipa::path(get, path = "/api/v1/document-templates/{kind}/{lang}", tag = "documents",
    params(("kind" = DocKind, Path), ("lang" = String, Path, description = "uz, ru or en")), security(("bearer" = [])),
    responses((status = 200, body = DocTemplate), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn template(
    State(state): State<AppState>,
    api: Api,
    Path((kind, lang)): Path<(String, String)>,
) -> Result<Json<DocTemplate>, ApiError> {
    let (kind, lang) = kind_lang(&api, &kind, &lang)?;
    service::template_for_editor(&state.db, api.user()?, kind, &lang).await.map(Json).map_err(|e| api.err(e))
}

/// Saves a template (administrators) over the `version` read (0 over the built-in one; 409 when someone saved
/// in between). It is rendered with sample data first: 422 `body.<line>` with `template_syntax`,
/// `template_unknown_field`, `template_element`, `template_attribute` or `template_too_long`.
#[utoipa::path(put, path = "/api/v1/document-templates/{kind}/{lang}", tag = "documents",
    params(("kind" = DocKind, Path), ("lang" = String, Path, description = "uz, ru or en")), request_body = TemplateSave,
    security(("bearer" = [])),
    responses((status = 200, body = DocTemplate), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn save_template(
    State(state): State<AppState>,
    api: Api,
    Path((kind, lang)): Path<(String, String)>,
    ApiJson(input): ApiJson<TemplateSave>,
) -> Result<Json<DocTemplate>, ApiError> {
    let (kind, lang) = kind_lang(&api, &kind, &lang)?;
    service::save_template(&state.db, api.user()?, kind, &lang, &input).await.map(Json).map_err(|e| api.err(e))
}

/// Removes the saved template (administrators): the built-in one stands again.
#[utoipa::path(delete, path = "/api/v1/document-templates/{kind}/{lang}", tag = "documents",
    params(("kind" = DocKind, Path), ("lang" = String, Path, description = "uz, ru or en")), security(("bearer" = [])),
    responses((status = 200, body = DocTemplate), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn reset_template(
    State(state): State<AppState>,
    api: Api,
    Path((kind, lang)): Path<(String, String)>,
) -> Result<Json<DocTemplate>, ApiError> {
    let (kind, lang) = kind_lang(&api, &kind, &lang)?;
    service::reset_template(&state.db, api.user()?, kind, &lang).await.map(Json).map_err(|e| api.err(e))
}

fn image_name(api: &Api, name: &str) -> Result<&'static str, ApiError> {
    app::documents::IMAGE_NAMES.iter().find(|n| **n == name).copied().ok_or_else(|| api.err(AppError::NotFound))
}

/// One of the company's images (`logo`, `stamp`, `signature`, `accountant_signature`), for any signed-in user.
#[utoipa::path(get, path = "/api/v1/company-images/{name}", tag = "documents", params(("name" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn image(State(state): State<AppState>, api: Api, Path(name): Path<String>) -> Result<Response, ApiError> {
    let name = image_name(&api, &name)?;
    api.user()?;
    let (content_type, data) = service::image(&state.db, name).await.map_err(|e| api.err(e))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CACHE_CONTROL, "private, no-cache".into()),
        ],
        data,
    )
        .into_response())
}

/// Replaces an image (administrators): the request's body, PNG or JPEG, at most 1 MB (422 `file`
/// `not_an_image`, 413).
#[utoipa::path(put, path = "/api/v1/company-images/{name}", tag = "documents", params(("name" = String, Path)),
    request_body(content = Vec<u8>, content_type = "image/png"), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_image(
    State(state): State<AppState>,
    api: Api,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let name = image_name(&api, &name)?;
    service::set_image(&state.db, api.user()?, name, &body).await.map_err(|e| api.err(e))?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// Removes an image (administrators).
#[utoipa::path(delete, path = "/api/v1/company-images/{name}", tag = "documents", params(("name" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn remove_image(
    State(state): State<AppState>,
    api: Api,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let name = image_name(&api, &name)?;
    service::remove_image(&state.db, api.user()?, name).await.map_err(|e| api.err(e))?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// `POST /settings/company-images/{name}`: the templates page's image forms (multipart: a `file`, or
/// `remove=1`); back to the page, with `?image_error=<code>` when refused.
pub async fn image_form(
    State(state): State<AppState>,
    api: Api,
    Path(name): Path<String>,
    mut form: Multipart,
) -> Response {
    let Ok(user) = api.user() else { return Redirect::to("/login").into_response() };
    let Ok(name) = image_name(&api, &name) else { return api.err(AppError::NotFound).into_response() };
    let back = |code: Option<ErrCode>| super::back_to("/admin/documents", "image_error", code, "");
    let Some((file, remove)) = super::file_or_remove(&mut form).await else {
        return back(Some(ErrCode::PhotoTooLarge));
    };
    let done = match (remove, file) {
        (true, _) => service::remove_image(&state.db, user, name).await,
        (false, Some(bytes)) => service::set_image(&state.db, user, name, &bytes).await,
        (false, None) => Err(AppError::field("file", ErrCode::EmptyFile)),
    };
    match done {
        Ok(()) => back(None),
        Err(AppError::PayloadTooLarge) => back(Some(ErrCode::PhotoTooLarge)),
        Err(AppError::Validation { fields }) => back(fields.first().map(|f| f.code)),
        Err(e) => api.err(e).into_response(),
    }
}

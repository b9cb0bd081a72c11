//! The REST API for integrations (`/api/v1`), its OpenAPI document and a human-readable page.

pub mod auth;
pub mod company;
pub mod contacts;
pub mod counterparties;
pub mod custom_fields;
pub mod customers;
pub mod deals;
pub mod docs;
pub mod documents;
pub mod events;
pub mod imports;
pub mod interactions;
pub mod invoices;
pub mod mail;
pub mod orders;
pub mod payments;
pub mod prices;
pub mod product_groups;
pub mod records;
pub mod segments;
pub mod stock;
pub mod tasks;
pub mod webhooks;

use std::collections::BTreeMap;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde::de::DeserializeOwned;

use app::core::identity::CurrentUser;
use app::core::request::RequestCtx;
use app::core::{AppError, Lang};

use crate::AppState;

/// Largest request body accepted (413 above it).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// An [`AppError`] rendered as `{"error", "message", "fields"}` with its status, in the caller's language.
pub struct ApiError(pub AppError, pub Lang);

/// The JSON body of every error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable snake_case tag: `validation`, `not_found`, `conflict`, `forbidden`, `unauthenticated`,
    /// `bad_credentials`, `password_change_required`, `rate_limited`, `payload_too_large`, `bad_request`, `internal`,
    /// `shortage` (a stock document refused: `fields` names each short line's `lines[i].qty`).
    pub error: String,
    /// Human-readable, in the caller's language.
    pub message: String,
    /// Per-field messages for `validation`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Vec<String>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(err, lang) = self;
        let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let AppError::Validation { fields: list } = &err {
            for f in list {
                fields.entry(f.field.clone()).or_default().push(f.code.msg().text(lang).to_string());
            }
        }
        // A shortage names each line short of stock by its quantity field, like a validation failure.
        if let AppError::Shortage { items } = &err {
            for s in items {
                let available = app::core::Msg::StockAvailable.text(lang);
                let text =
                    format!("{}: {} {available} {} {}", err.msg().text(lang), s.product_name, s.available, s.unit);
                fields.entry(format!("lines[{}].qty", s.line_no.saturating_sub(1))).or_default().push(text);
            }
        }
        let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody { error: err.tag().to_string(), message: err.message(lang), fields };
        let mut res = (status, Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs } = err
            && let Ok(v) = http::HeaderValue::from_str(&retry_after_secs.to_string())
        {
            res.headers_mut().insert(http::header::RETRY_AFTER, v);
        }
        res
    }
}

/// The request context of an API call: language for errors and, for most endpoints, the user.
pub struct Api {
    pub ctx: RequestCtx,
}

impl Api {
    /// The signed-in user or 401.
    pub fn user(&self) -> Result<&CurrentUser, ApiError> {
        self.ctx.user().map_err(|e| self.err(e))
    }

    /// Wraps an error in the caller's language.
    pub fn err(&self, e: AppError) -> ApiError {
        ApiError(e, self.ctx.lang)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Api {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ctx = parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .ok_or_else(|| ApiError(app::core::request::internal("request context missing"), Lang::En))?;
        Ok(Api { ctx })
    }
}

fn lang_of(parts_ext: &http::Extensions) -> Lang {
    parts_ext.get::<RequestCtx>().map(|c| c.lang).unwrap_or_default()
}

/// A JSON body whose rejections are API errors (413 when too large, 422 when malformed).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(req.extensions());
        let t = media_type(req.headers());
        let json = t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"));
        if !json {
            return Err(ApiError(AppError::BadRequest, lang));
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|r| {
            let err = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest
            };
            ApiError(err, lang)
        })?;
        // PostgreSQL stores no NUL in text (SQLite would): refused here for every body, naming the field.
        if let Some(field) = nul_field(&bytes) {
            return Err(ApiError(AppError::field(&field, app::core::ErrCode::ControlCharacter), lang));
        }
        match Json::<T>::from_bytes(&bytes) {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                tracing::debug!(error = %e, "json data error");
                Err(ApiError(AppError::Validation { fields: vec![field_of_json_error(&e.body_text())] }, lang))
            }
            Err(_) => Err(ApiError(AppError::BadRequest, lang)),
        }
    }
}

/// The field (`name`, `contacts[1].role`; `body` for the body itself) of the first string in a JSON body that
/// holds a NUL character.
pub(crate) fn nul_field(bytes: &[u8]) -> Option<String> {
    fn walk(v: &serde_json::Value, path: String) -> Option<String> {
        let child = |k: &str| if path == "body" { k.to_string() } else { format!("{path}.{k}") };
        match v {
            serde_json::Value::String(s) => s.contains('\0').then_some(path),
            serde_json::Value::Array(items) => {
                items.iter().enumerate().find_map(|(i, x)| walk(x, format!("{path}[{i}]")))
            }
            serde_json::Value::Object(map) => {
                map.iter().find_map(|(k, x)| if k.contains('\0') { Some(path.clone()) } else { walk(x, child(k)) })
            }
            _ => None,
        }
    }
    if !bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    walk(&value, "body".into())
}

/// A request's media type (`application/json` of `application/json; charset=utf-8`), lower-cased; empty
/// when there is none.
pub(crate) fn media_type(headers: &http::HeaderMap) -> String {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The field of the first pair of a URL-encoded query or form that holds a NUL character: its name (the
/// innermost of `data[name]`), or `fallback` when the name itself holds one.
pub(crate) fn nul_pair_field(encoded: &str, fallback: &str) -> Option<String> {
    if !encoded.contains("%00") {
        return None;
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(encoded).unwrap_or_default();
    let (key, _) = pairs.into_iter().find(|(k, v)| k.contains('\0') || v.contains('\0'))?;
    if key.contains('\0') {
        return Some(fallback.into());
    }
    let inner = key.strip_suffix(']').and_then(|k| k.rsplit_once('[')).map(|(_, name)| name).filter(|n| !n.is_empty());
    Some(inner.map(str::to_string).unwrap_or(key))
}

/// Best effort: the field named in a serde error (`missing field `name``, `name: invalid type`).
fn field_of_json_error(text: &str) -> app::core::FieldError {
    use app::core::{ErrCode, FieldError};
    if let Some(rest) = text.split("missing field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("body");
        return FieldError { field: field.into(), code: ErrCode::Required };
    }
    let field = text
        .split(": ")
        .nth(1)
        .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or("body");
    FieldError { field: field.into(), code: ErrCode::InvalidChoice }
}

/// Query parameters whose rejections are 422 API errors; a parameter with an empty value counts as absent.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.extensions);
        // `?format=` or `?cursor=` (a form's empty field, a client's unset variable) means the default, as
        // if the parameter were absent.
        let kept: Vec<&str> = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| pair.split_once('=').is_some_and(|(k, v)| !k.is_empty() && !v.is_empty()))
            .collect();
        // A value without a name (`?=x`) is no parameter of the operation: refused, not ignored.
        if parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .any(|pair| pair.split_once('=').is_some_and(|(k, v)| k.is_empty() && !v.is_empty()))
        {
            return Err(ApiError(AppError::field("query", app::core::ErrCode::InvalidChoice), lang));
        }
        // PostgreSQL stores no NUL in text: a parameter holding one is refused, named.
        if let Some(field) = nul_pair_field(&kept.join("&"), "query") {
            return Err(ApiError(AppError::field(&field, app::core::ErrCode::ControlCharacter), lang));
        }
        let uri: http::Uri =
            format!("{}?{}", parts.uri.path(), kept.join("&")).parse().unwrap_or_else(|_| parts.uri.clone());
        axum::extract::Query::<T>::try_from_uri(&uri).map(|q| ApiQuery(q.0)).map_err(|e: QueryRejection| {
            let text = e.body_text();
            let field = text.split(": ").nth(1).unwrap_or("query").split(' ').next().unwrap_or("query");
            ApiError(AppError::field(field, app::core::ErrCode::NotANumber), lang)
        })
    }
}

/// A plain form's multipart post of one file (`file`) or `remove=1`: `(file, remove)`; none when the body
/// could not be read (too large).
pub async fn file_or_remove(form: &mut axum::extract::Multipart) -> Option<(Option<axum::body::Bytes>, bool)> {
    let (mut file, mut remove) = (None, false);
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => file = Some(field.bytes().await.ok()?),
            Ok(Some(field)) if field.name() == Some("remove") => remove = true,
            Ok(Some(_)) => {}
            Ok(None) => return Some((file, remove)),
            Err(_) => return None,
        }
    }
}

/// A plain form's answer: back to `page`, naming a refusal's code as `?<key>=<code>` (the page shows it,
/// see `app::ui::refusal_in_query`); `anchor` (`#timeline`) appended.
pub fn back_to(page: &str, key: &str, code: Option<app::core::ErrCode>, anchor: &str) -> Response {
    let tag = code
        .and_then(|c| serde_json::to_value(c).ok())
        .and_then(|v| v.as_str().map(|s| format!("?{key}={s}")))
        .unwrap_or_default();
    axum::response::Redirect::to(&format!("{page}{tag}{anchor}")).into_response()
}

/// `GET /healthz`: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn not_found(api: Api) -> ApiError {
    api.err(AppError::NotFound)
}

/// `/api/...`: the REST API, its OpenAPI document and docs page.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(docs::openapi_json))
        .route("/docs", get(docs::docs_page))
        .route("/v1/auth/token", axum::routing::post(auth::create_token))
        .route("/v1/me", get(auth::me))
        .route("/v1/customers", get(customers::list).post(customers::create))
        .route("/v1/customers/duplicates", get(customers::duplicates))
        .route("/v1/customers/merge", axum::routing::post(customers::merge))
        .route("/v1/customers/bulk", axum::routing::post(customers::bulk))
        .route("/v1/customers/{id}", get(customers::get).patch(customers::update).delete(records::customers::delete))
        .route("/v1/customers/{id}/archive", axum::routing::post(records::customers::archive))
        .route("/v1/customers/{id}/restore", axum::routing::post(records::customers::restore))
        .route("/v1/customers/{id}/deletion", get(records::customers::deletion))
        .route("/v1/customers/{id}/timeline", get(customers::timeline))
        .route("/v1/customers/{id}/erase", axum::routing::post(records::erase_customer))
        .route("/v1/contacts/{id}/erase", axum::routing::post(records::erase_contact))
        .route("/v1/customers/{id}/counterparties", get(counterparties::list).post(counterparties::create))
        .route("/v1/customers/{id}/contacts", get(contacts::list).post(contacts::create))
        .route("/v1/contacts", get(contacts::list_all))
        .route("/v1/counterparties", get(counterparties::list_all))
        .route("/v1/contacts/{id}", get(contacts::get).patch(contacts::update).delete(records::contacts::delete))
        .route("/v1/contacts/{id}/archive", axum::routing::post(records::contacts::archive))
        .route("/v1/contacts/{id}/restore", axum::routing::post(records::contacts::restore))
        .route("/v1/contacts/{id}/deletion", get(records::contacts::deletion))
        .route("/v1/contacts/{id}/links", axum::routing::post(contacts::link))
        .route(
            "/v1/counterparties/{id}",
            get(counterparties::get).patch(counterparties::update).delete(records::counterparties::delete),
        )
        .route("/v1/counterparties/{id}/archive", axum::routing::post(records::counterparties::archive))
        .route("/v1/counterparties/{id}/restore", axum::routing::post(records::counterparties::restore))
        .route("/v1/counterparties/{id}/deletion", get(records::counterparties::deletion))
        .route("/v1/counterparties/{id}/move", axum::routing::post(counterparties::move_to))
        .route("/v1/counterparties/{id}/bank-accounts", axum::routing::post(counterparties::add_bank_account))
        .route(
            "/v1/counterparties/{id}/bank-accounts/{account}",
            axum::routing::delete(counterparties::remove_bank_account),
        )
        .route("/v1/custom-fields", get(custom_fields::list).post(custom_fields::create))
        .route("/v1/custom-fields/{id}", axum::routing::patch(custom_fields::update))
        .route("/v1/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/v1/webhooks/{id}", get(webhooks::get).patch(webhooks::update).delete(webhooks::delete))
        .route("/v1/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route("/v1/webhooks/deliveries/{id}/replay", axum::routing::post(webhooks::replay))
        .route("/v1/segments", get(segments::list).post(segments::create))
        .route("/v1/segments/{id}", get(segments::get).patch(segments::update))
        .route("/v1/segments/{id}/members", get(segments::members))
        .route(
            "/v1/imports",
            axum::routing::post(imports::upload).layer(axum::extract::DefaultBodyLimit::max(imports::MAX_UPLOAD_BYTES)),
        )
        .route("/v1/imports/{id}", get(imports::get))
        .route("/v1/imports/{id}/preview", get(imports::preview))
        .route("/v1/imports/{id}/mapping", axum::routing::put(imports::set_mapping))
        .route("/v1/imports/{id}/start", axum::routing::post(imports::start))
        .route("/v1/imports/{id}/errors", get(imports::errors))
        .route("/v1/exports/customers", get(imports::export_customers))
        .route("/v1/exports/products", get(imports::export_products))
        .route("/v1/interactions", get(interactions::list).post(interactions::create))
        .route(
            "/v1/interactions/{id}",
            get(interactions::get).patch(interactions::update).delete(records::interactions::delete),
        )
        .route("/v1/interactions/{id}/archive", axum::routing::post(records::interactions::archive))
        .route("/v1/interactions/{id}/restore", axum::routing::post(records::interactions::restore))
        .route("/v1/interactions/{id}/deletion", get(records::interactions::deletion))
        .route(
            "/v1/interactions/{id}/attachments",
            axum::routing::post(interactions::attach)
                .layer(axum::extract::DefaultBodyLimit::max(app::interactions::MAX_ATTACHMENT_BYTES + 1)),
        )
        .route("/v1/attachments/{id}", get(interactions::download))
        .route("/v1/telephony/events", axum::routing::post(interactions::telephony_event))
        .route("/v1/sms", axum::routing::post(interactions::send_sms))
        .route("/v1/sms/callback/{secret}", axum::routing::post(interactions::sms_callback))
        .route("/v1/tasks", get(tasks::list).post(tasks::create))
        .route("/v1/tasks/my-day", get(tasks::my_day))
        .route("/v1/tasks/{id}", get(tasks::get).patch(tasks::update).delete(records::tasks::delete))
        .route("/v1/tasks/{id}/archive", axum::routing::post(records::tasks::archive))
        .route("/v1/tasks/{id}/restore", axum::routing::post(records::tasks::restore))
        .route("/v1/tasks/{id}/deletion", get(records::tasks::deletion))
        .route("/v1/orders", get(orders::list).post(orders::create))
        .route("/v1/orders/from-deal", axum::routing::post(orders::from_deal))
        .route("/v1/orders/{id}", get(orders::get).put(orders::update))
        .route("/v1/orders/{id}/confirm", axum::routing::post(orders::confirm))
        .route("/v1/orders/{id}/ship", axum::routing::post(orders::ship))
        .route("/v1/orders/{id}/cancel", axum::routing::post(orders::cancel))
        .route("/v1/orders/{id}/close", axum::routing::post(orders::close))
        .route("/v1/orders/{id}/invoice", axum::routing::post(invoices::from_order))
        .route("/v1/invoices", get(invoices::list).post(invoices::create))
        .route("/v1/invoices/settings", get(invoices::settings).put(invoices::save_settings))
        .route("/v1/invoices/{id}", get(invoices::get))
        .route("/v1/invoices/{id}/cancel", axum::routing::post(invoices::cancel))
        .route("/v1/invoices/{id}/e-invoice", get(invoices::e_invoice))
        .route("/v1/invoices/{id}/credit-note", axum::routing::post(invoices::credit_note))
        .route("/v1/company-details", get(company::get).put(company::save))
        .route("/v1/invoices/{id}/document", get(documents::invoice_document))
        .route("/v1/orders/{id}/document", get(documents::order_document))
        .route("/v1/customers/{id}/reconciliation", get(documents::reconciliation))
        .route("/v1/documents", axum::routing::post(documents::file))
        .route(
            "/v1/document-templates/{kind}/{lang}",
            get(documents::template).put(documents::save_template).delete(documents::reset_template),
        )
        .route(
            "/v1/company-images/{name}",
            get(documents::image)
                .put(documents::set_image)
                .delete(documents::remove_image)
                .layer(axum::extract::DefaultBodyLimit::max(app::documents::MAX_IMAGE_BYTES + 1024)),
        )
        .route("/v1/money-accounts", get(payments::accounts).post(payments::create_account))
        .route("/v1/money-accounts/{id}/archive", axum::routing::post(payments::archive_account))
        .route("/v1/payments", get(payments::list).post(payments::create))
        .route("/v1/payments/dynamics", get(payments::dynamics))
        .route("/v1/payments/{id}", get(payments::get))
        .route("/v1/payments/{id}/allocate", axum::routing::post(payments::allocate))
        .route("/v1/payments/{id}/reverse", axum::routing::post(payments::reverse))
        .route("/v1/receivables", get(payments::receivables))
        .route("/v1/receivables/settings", get(payments::settings).put(payments::save_settings))
        .route("/v1/receivables/{id}", get(payments::customer_money))
        .route("/v1/money/events", get(events::money_stream))
        .route("/v1/products", get(stock::products).post(stock::create_product))
        .route("/v1/products/{id}", get(stock::product).put(stock::update_product))
        .route(
            "/v1/products/{id}/photo",
            get(stock::product_photo)
                .put(stock::set_product_photo)
                .delete(stock::remove_product_photo)
                .layer(axum::extract::DefaultBodyLimit::max(app::stock::photos::MAX_PHOTO_BYTES + 1)),
        )
        .route("/v1/products/{id}/archive", axum::routing::post(stock::archive_product))
        .route("/v1/products/{id}/restore", axum::routing::post(stock::restore_product))
        .route("/v1/product-groups", get(product_groups::list).post(product_groups::create))
        .route(
            "/v1/product-groups/{id}",
            get(product_groups::get).put(product_groups::update).delete(product_groups::delete),
        )
        .route("/v1/warehouses", get(stock::warehouses).post(stock::create_warehouse))
        .route("/v1/warehouses/{id}", get(stock::warehouse).put(stock::update_warehouse))
        .route("/v1/stock-documents", get(stock::documents).post(stock::create_document))
        .route("/v1/stock-documents/{id}", get(stock::document))
        .route("/v1/stock-documents/{id}/post", axum::routing::post(stock::post_document))
        .route("/v1/stock-documents/{id}/receive", axum::routing::post(stock::receive_document))
        .route("/v1/stock-documents/{id}/cancel", axum::routing::post(stock::cancel_document))
        .route("/v1/price-lists", get(prices::price_lists).post(prices::create_price_list))
        .route("/v1/price-lists/assign", axum::routing::post(prices::assign))
        .route("/v1/price-lists/{id}", get(prices::price_list).put(prices::update_price_list))
        .route("/v1/price-lists/{id}/archive", axum::routing::post(prices::archive_price_list))
        .route("/v1/price-lists/{id}/restore", axum::routing::post(prices::restore_price_list))
        .route("/v1/price-lists/{id}/prices", get(prices::prices).post(prices::set_prices))
        .route("/v1/prices/quote", get(prices::quote))
        .route("/v1/stock/closed-period", get(stock::closed_period).put(stock::set_closed_period))
        .route("/v1/stock/balances", get(stock::balances))
        .route("/v1/stock/movements", get(stock::movements))
        .route("/v1/stock/turnover", get(stock::turnover))
        .route("/v1/stock/events", get(events::stock_stream))
        .route("/v1/stock/limits", axum::routing::put(stock::set_limits))
        .route("/v1/notifications", get(tasks::notifications))
        .route("/v1/notifications/{id}/read", axum::routing::post(tasks::read))
        .route("/v1/events", get(events::stream))
        .route("/v1/mailboxes", get(mail::list_mailboxes).post(mail::create_mailbox))
        .route("/v1/mailboxes/{id}", get(mail::get_mailbox).patch(mail::update_mailbox).delete(mail::delete_mailbox))
        .route("/v1/mailboxes/{id}/sync", axum::routing::post(mail::sync_mailbox))
        .route("/v1/messages", get(mail::list_messages).post(mail::send))
        .route("/v1/messages/{id}", get(mail::get_message))
        .route("/v1/messages/{id}/link", axum::routing::post(mail::link))
        .route("/v1/messages/{id}/attachments/{file}", get(mail::attachment))
        .route("/v1/mail-templates", get(mail::templates).post(mail::create_template))
        .route("/v1/pipelines", get(deals::pipelines).post(deals::create_pipeline))
        .route("/v1/pipelines/{id}", get(deals::pipeline).put(deals::update_pipeline))
        .route("/v1/pipelines/{id}/events", get(events::board_stream))
        .route("/v1/deal-reasons", get(deals::reasons).post(deals::add_reason))
        .route("/v1/deal-reasons/{id}", axum::routing::patch(deals::update_reason))
        .route("/v1/deals", get(deals::list).post(deals::create))
        .route("/v1/deals/{id}", get(deals::get).patch(deals::update).delete(records::deals::delete))
        .route("/v1/deals/{id}/archive", axum::routing::post(records::deals::archive))
        .route("/v1/deals/{id}/restore", axum::routing::post(records::deals::restore))
        .route("/v1/deals/{id}/deletion", get(records::deals::deletion))
        .route("/v1/deals/{id}/history", get(deals::history))
        .route("/v1/deals/{id}/move", axum::routing::post(deals::move_deal))
        .route("/v1/deals/{id}/close", axum::routing::post(deals::close))
        .route("/v1/reports/funnel", get(deals::funnel))
        .route("/v1/{*rest}", axum::routing::any(not_found))
}

//! Imports and exports over HTTP: `/api/v1/imports` (upload the file as the request body, map, preview,
//! start, follow, download failed rows) and `/api/v1/exports/customers`; plus the two plain-form routes of
//! the pages (`POST /customers/import`, `GET /customers/export`), which use the session cookie.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::core::{AppError, ErrCode};
use app::customers::store::ListQuery;
use app::imports::{Import, ImportError, ImportKind, PreviewRow, export, service};

use super::customers::parse_id;
use super::{Api, ApiError, ApiJson, ApiQuery};
use crate::AppState;

/// Largest upload accepted (a little above the file limit, for the multipart framing).
pub const MAX_UPLOAD_BYTES: usize = app::imports::file::MAX_FILE_BYTES + 64 * 1024;

/// Upload parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name (`.xlsx` or `.csv`).
    pub file_name: Option<String>,
    /// What the file holds: `customers` (default), `contacts`, `counterparties`, `products` or `payments`
    /// (a bank statement).
    #[param(schema_with = super::docs::param::import_kind)]
    pub kind: Option<String>,
    /// A bank statement's account (one of the company's; `payments` only).
    pub account_id: Option<i64>,
}

/// Uploads a CSV or .xlsx file (the request body) and returns the import with a first column mapping
/// (remembered from the last file with the same headers, else guessed from them).
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(UploadParams), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("bearer" = [])),
    responses((status = 201, body = Import), (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<UploadParams>,
    body: Bytes,
) -> Result<(StatusCode, Json<Import>), ApiError> {
    let name = p.file_name.unwrap_or_else(|| "upload.csv".into());
    let kind = match p.kind.as_deref() {
        None => ImportKind::Customers,
        Some(k) => ImportKind::parse(k).ok_or_else(|| api.err(AppError::field("kind", ErrCode::InvalidChoice)))?,
    };
    if stock_off(&api, kind) {
        return Err(api.err(AppError::field("kind", ErrCode::InvalidChoice)));
    }
    let created =
        service::upload_to(&state.db, api.user()?, kind, &name, &body, p.account_id).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Whether `kind` is the catalog while the stock module is switched off (its import goes with it).
fn stock_off(api: &Api, kind: ImportKind) -> bool {
    kind == ImportKind::Products && api.ctx.disabled_modules.iter().any(|m| m == app::stock::MODULE.key)
}

/// One import with its progress.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Import), (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api, Path(id): Path<String>) -> Result<Json<Import>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::get(&state.db, api.user()?, id).await.map(Json).map_err(|e| api.err(e))
}

/// The first rows as they would be imported, with per-row errors and likely duplicates.
#[utoipa::path(get, path = "/api/v1/imports/{id}/preview", tag = "imports", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<PreviewRow>), (status = 404, body = super::ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<Json<Vec<PreviewRow>>, ApiError> {
    let id = parse_id(&api, &id)?;
    service::preview(&state.db, api.user()?, id).await.map(|(_, rows)| Json(rows)).map_err(|e| api.err(e))
}

/// A column mapping.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MappingBody {
    /// For each column, its field or `""` to ignore it. Customers: `name`, `kind`, `stage`, `phone`,
    /// `email`, `source`, `tags`, `notes`, `manager` (an e-mail), `custom.<key>`. Contacts: `customer` (its
    /// number, phone, e-mail or name), `name`, `position`, `role`, `phone`, `email` (several separated by
    /// `,` or `;`), `birthday`, `notes`, `custom.<key>`. Counterparties: `customer`, `legal_name`, `tax_id`,
    /// `country`, `vat_payer`, `legal_address`, `from` (date), `bank_code`, `account`, `bank_name`.
    /// Products: `name`, `name_ru`, `name_en`, `sku`, `barcode` (several), `kind`, `group` (a path,
    /// `Mebel / Stullar`, made if missing), `unit`, `units` (`box=12; pack=6`), `mxik`, `package_code`,
    /// `vat` (`12`, `0`, `exempt`), `weight` (kg).
    pub mapping: Vec<String>,
    /// `skip` (default) or `update`.
    #[serde(default)]
    pub on_duplicate: Option<String>,
}

/// Sets the column mapping and what happens to duplicates.
#[utoipa::path(put, path = "/api/v1/imports/{id}/mapping", tag = "imports", params(("id" = i64, Path)), request_body = MappingBody,
    security(("bearer" = [])),
    responses((status = 200, body = Import), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_mapping(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MappingBody>,
) -> Result<Json<Import>, ApiError> {
    let id = parse_id(&api, &id)?;
    let on_duplicate = body.on_duplicate.unwrap_or_else(|| "skip".into());
    service::set_mapping(&state.db, api.user()?, id, &body.mapping, &on_duplicate)
        .await
        .map(Json)
        .map_err(|e| api.err(e))
}

/// Starts the import in the background; follow it with `GET /api/v1/imports/{id}`.
#[utoipa::path(post, path = "/api/v1/imports/{id}/start", tag = "imports", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 202, body = Import), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Import>), ApiError> {
    let id = parse_id(&api, &id)?;
    let started = service::start(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::ACCEPTED, Json(started)))
}

/// Format parameter.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParams {
    /// `json` (default) or `csv`.
    #[param(schema_with = super::docs::param::json_or_csv)]
    pub format: Option<String>,
}

/// The rows that failed, with the reasons in the caller's language; as CSV (`?format=csv`) the original
/// cells come first and the reasons last, ready to fix and import again.
#[utoipa::path(get, path = "/api/v1/imports/{id}/errors", tag = "imports", params(("id" = i64, Path), FormatParams),
    security(("bearer" = [])),
    responses((status = 200, description = "The failed rows; with `format=csv` a spreadsheet",
            content((Vec<ImportError> = "application/json"), (String = "text/csv"))),
        (status = 404, body = super::ErrorBody)))]
pub async fn errors(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<FormatParams>,
) -> Result<Response, ApiError> {
    let id = parse_id(&api, &id)?;
    let csv = match p.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(api.err(AppError::field("format", app::core::ErrCode::InvalidChoice))),
    };
    let import = service::get(&state.db, api.user()?, id).await.map_err(|e| api.err(e))?;
    let rows = app::imports::store::errors(&state.db, id).await.map_err(|e| api.err(e))?;
    if !csv {
        return Ok(Json(rows).into_response());
    }
    let lang = api.ctx.lang;
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header: Vec<String> = import.headers.clone();
    header.push(app::core::Msg::FailedRows.text(lang).to_string());
    let fail = |_| api.err(app::core::request::internal("errors csv"));
    w.write_record(&header).map_err(fail)?;
    for r in rows {
        let why =
            r.errors.iter().map(|e| format!("{}: {}", e.field, e.code.msg().text(lang))).collect::<Vec<_>>().join("; ");
        let mut cells: Vec<String> =
            (0..import.headers.len()).map(|i| r.raw.get(i).cloned().unwrap_or_default()).collect();
        cells.push(format!("{} {}: {why}", app::core::Msg::Row.text(lang), r.row_no));
        w.write_record(cells.iter().map(|c| app::imports::file::neutralise(c))).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|_| api.err(app::core::request::internal("errors csv")))?;
    Ok(download(bytes, "text/csv; charset=utf-8", &format!("import-{id}-errors.csv")))
}

fn download(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// A download sent as it is made (an export): an error after the first bytes ends the connection, so a cut
/// file is never taken for a whole one.
fn stream_download(file: export::Download) -> Response {
    // Fused: the compression layer may poll once more after the end.
    let body = futures_util::StreamExt::map(futures_util::StreamExt::fuse(file.body), |chunk| {
        chunk.map(axum::body::Bytes::from).map_err(|e| std::io::Error::other(format!("{e:?}")))
    });
    (
        [
            (header::CONTENT_TYPE, file.content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file.file_name)),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response()
}

/// Export parameters: the list's filters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (default) or `xlsx`.
    #[param(schema_with = super::docs::param::csv_or_xlsx)]
    pub format: Option<String>,
    pub q: Option<String>,
    pub segment: Option<i64>,
    /// A stage code.
    #[param(schema_with = super::docs::param::customer_stage)]
    pub stage: Option<String>,
    /// A custom field key, with `value`.
    pub field: Option<String>,
    pub value: Option<String>,
    /// Rules as JSON (see `GET /api/v1/customers`).
    pub rules: Option<String>,
    pub sort: Option<String>,
    /// Only these customers, comma-separated (a list's selection, archived ones included).
    pub ids: Option<String>,
}

/// The customers the caller may see that match the filters, as CSV or Excel. Cells a spreadsheet would run
/// as formulas are neutralised.
#[utoipa::path(get, path = "/api/v1/exports/customers", tag = "imports", params(ExportParams), security(("bearer" = [])),
    responses((status = 200, description = "The file",
            content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 422, body = super::ErrorBody)))]
pub async fn export_customers(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let user = api.user()?;
    let defs = app::custom_fields::store::list(&state.db, app::custom_fields::FieldEntity::Customer)
        .await
        .map_err(|e| api.err(e))?;
    let mut rules = app::customers::simple_filters(&defs, p.stage, p.field, p.value);
    if let Some(json) = p.rules.as_deref().filter(|r| !r.trim().is_empty()) {
        let extra: app::segments::Rules =
            serde_json::from_str(json).map_err(|_| api.err(AppError::field("rules", ErrCode::InvalidChoice)))?;
        rules = match rules {
            None => Some(extra),
            Some(mut r) if !extra.any => {
                r.rules.extend(extra.rules);
                Some(r)
            }
            Some(_) => return Err(api.err(AppError::field("rules", ErrCode::InvalidChoice))),
        };
    }
    let ids = match p.ids.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(list) => list
            .split(',')
            .map(|id| id.trim().parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| api.err(AppError::field("ids", ErrCode::InvalidChoice)))?,
        None => Vec::new(),
    };
    // A selection is exported as chosen, archived customers too.
    let archived = if ids.is_empty() { Default::default() } else { app::core::archive::Archived::All };
    let query = ListQuery { q: p.q, segment: p.segment, rules, sort: p.sort, ids, archived, ..Default::default() };
    let format = p.format.unwrap_or_else(|| "csv".into());
    let file = export::customers(&state.db, user, &query, &format, api.ctx.lang).await.map_err(|e| api.err(e))?;
    Ok(stream_download(file))
}

/// Catalog export parameters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductExportParams {
    /// `csv` (default) or `xlsx`.
    #[param(schema_with = super::docs::param::csv_or_xlsx)]
    pub format: Option<String>,
    /// A part of the name, or an exact SKU or barcode.
    pub q: Option<String>,
    /// Products of this group and of its subgroups.
    pub group_id: Option<i64>,
    /// `active` (default), `only` (archived only) or `all`.
    pub archived: Option<String>,
}

/// The catalog as CSV or Excel, in the columns an import of products maps back by itself (groups as
/// paths, extra units as `box=12`). Everyone signed in reads the catalog.
#[utoipa::path(get, path = "/api/v1/exports/products", tag = "imports", params(ProductExportParams), security(("bearer" = [])),
    responses((status = 200, description = "The file",
            content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn export_products(
    State(state): State<AppState>,
    api: Api,
    ApiQuery(p): ApiQuery<ProductExportParams>,
) -> Result<Response, ApiError> {
    api.user()?;
    let archived = app::core::archive::Archived::parse(p.archived.as_deref()).map_err(|e| api.err(e))?;
    let query = app::stock::store::ProductQuery { search: p.q, group_id: p.group_id, archived, ..Default::default() };
    let format = p.format.unwrap_or_else(|| "csv".into());
    let file = export::products(&state.db, &query, &format, api.ctx.lang).await.map_err(|e| api.err(e))?;
    Ok(stream_download(file))
}

/// `POST /customers/import`: the upload form of the import page (multipart, field `file`); opens the new
/// import, or returns to the form with the reason.
pub async fn upload_form(State(state): State<AppState>, api: Api, mut form: Multipart) -> Response {
    let Ok(user) = api.user() else { return Redirect::to("/login").into_response() };
    let mut file: Option<(String, Bytes)> = None;
    let mut kind = ImportKind::Customers;
    let mut account_id = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("kind") {
            kind = field.text().await.ok().and_then(|k| ImportKind::parse(&k)).unwrap_or_default();
        } else if field.name() == Some("account_id") {
            account_id = field.text().await.ok().and_then(|a| a.trim().parse().ok());
        } else if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload.csv").to_string();
            match field.bytes().await {
                Ok(b) => file = Some((name, b)),
                Err(_) => return Redirect::to("/customers/import?error=payload_too_large").into_response(),
            }
        }
    }
    let back = |code: ErrCode| {
        let tag = serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        Redirect::to(&format!("/customers/import?error={tag}")).into_response()
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else { return back(ErrCode::EmptyFile) };
    if stock_off(&api, kind) {
        return back(ErrCode::InvalidChoice);
    }
    match service::upload_to(&state.db, user, kind, &name, &bytes, account_id).await {
        Ok(import) => Redirect::to(&format!("/customers/import/{}", import.id)).into_response(),
        Err(AppError::Validation { fields }) => back(fields.first().map_or(ErrCode::UnreadableFile, |f| f.code)),
        Err(AppError::PayloadTooLarge) => back(ErrCode::TooLarge),
        Err(e) => api.err(e).into_response(),
    }
}

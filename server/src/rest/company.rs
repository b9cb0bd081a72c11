//! `/api/v1/company-details`: the company's own details, what its invoices and e-invoices state of the seller
//! (administrators change them; accountants read them too).

use axum::Json;
use axum::extract::State;

use app::settings::CompanyDetails;
use app::settings::company;

use super::{Api, ApiError, ApiJson};
use crate::AppState;

/// The company's details (administrators and accountants).
#[utoipa::path(get, path = "/api/v1/company-details", tag = "company", security(("bearer" = [])),
    responses((status = 200, body = CompanyDetails), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, api: Api) -> Result<Json<CompanyDetails>, ApiError> {
    company::get(&state.db, api.user()?).await.map(Json).map_err(|e| api.err(e))
}

/// Replaces the company's details (administrators): the taxpayer id of 9 digits (a sole trader's PINFL of
/// 14), OKED of 5, VAT registration code of 12; `account_id` one of the company's bank accounts (the first
/// UZS one when absent). Absent or empty fields are cleared.
#[utoipa::path(put, path = "/api/v1/company-details", tag = "company", request_body = CompanyDetails,
    security(("bearer" = [])),
    responses((status = 200, body = CompanyDetails), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<CompanyDetails>,
) -> Result<Json<CompanyDetails>, ApiError> {
    company::save(&state.db, api.user()?, &input).await.map(Json).map_err(|e| api.err(e))
}

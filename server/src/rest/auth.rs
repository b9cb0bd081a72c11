//! `POST /api/v1/auth/token` and `GET /api/v1/me`.

use axum::Json;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use app::auth::store;
use app::core::identity::CurrentUser;

use super::{Api, ApiError, ApiJson};
use crate::AppState;

/// Credentials for a new API token.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// A label for the token list (default `API`).
    #[serde(default)]
    pub name: Option<String>,
    /// `read` (GET only; anything else answers 403) or `write` (the default).
    #[serde(default)]
    pub scope: Option<String>,
    /// Days until the token stops working (1 to 3650); never, without.
    #[serde(default)]
    pub expires_in_days: Option<i64>,
}

/// A new token; send it as `Authorization: Bearer <token>`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub token: String,
}

/// Exchanges e-mail and password for a personal API token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 201, body = TokenResponse), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody), (status = 429, body = super::ErrorBody)))]
pub async fn create_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    api: Api,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    // Integrations keep no device cookie: they are throttled as unknown devices.
    let signed_in =
        store::authenticate(&state.db, &req.email, &req.password, &api.ctx.ip, None).await.map_err(|e| api.err(e))?;
    let id = signed_in.user_id;
    let name = req.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or("API");
    let name: String = name.chars().take(100).collect();
    let mut checks = app::core::Checks::default();
    let scope = app::auth::TokenScope::parse(req.scope.as_deref().unwrap_or("write")).unwrap_or_else(|| {
        checks.fail("scope", app::core::ErrCode::InvalidChoice);
        app::auth::TokenScope::Read
    });
    if req.expires_in_days.is_some_and(|d| !(1..=3650).contains(&d)) {
        checks.fail("expires_in_days", app::core::ErrCode::OutOfRange);
    }
    checks.finish().map_err(|e| api.err(e))?;
    let (_, token) =
        store::create_token_for_days(&state.db, id, &name, scope, req.expires_in_days).await.map_err(|e| api.err(e))?;
    Ok((StatusCode::CREATED, Json(TokenResponse { token })))
}

/// The user behind the token.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// `admin`, `sales_head` or `manager`.
    pub role: String,
    pub team_id: Option<i64>,
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = super::ErrorBody)))]
pub async fn me(api: Api) -> Result<Json<Me>, ApiError> {
    let CurrentUser { id, email, name, role, team_id, .. } = api.user()?.clone();
    Ok(Json(Me { id, email, name, role: role.as_str().into(), team_id }))
}

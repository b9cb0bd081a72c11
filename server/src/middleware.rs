//! Resolves every request's user (session cookie or bearer token), language, client IP and modules,
//! and answers 404 for the API of a switched-off module.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::auth::api::{LANG_COOKIE, SESSION_COOKIE};
use app::auth::store;
use app::core::request::{CspNonce, RequestCtx, cookie_value};
use app::core::zone::ZoneCtx;
use app::core::{AppError, Lang};

use crate::rest::ApiError;
use crate::{AppState, security};

/// Endpoints called by other systems with a secret of their own in `Authorization: Bearer`.
const SERVICE_PATHS: &[&str] = &["/api/v1/telephony/events"];

/// Builds the [`RequestCtx`] and puts it into the request's extensions.
pub async fn request_context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let forwarded = |name: &str| {
        state.trust_proxy.then(|| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)).flatten()
    };
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let ip = security::client_ip(forwarded("x-forwarded-for").as_deref(), state.proxy_hops, peer);
    let https = forwarded("x-forwarded-proto").is_some_and(|p| p == "https");

    let bearer = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_string)
        // Machine callers (the phone system) send their own secret, checked by their handler, not a user token.
        .filter(|_| !SERVICE_PATHS.contains(&req.uri().path()));
    let session = cookie_value(headers, SESSION_COOKIE).filter(|s| !s.is_empty());
    let lang_cookie = cookie_value(headers, LANG_COOKIE).and_then(|c| Lang::from_code(&c));
    let accept =
        headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language);
    let is_api = req.uri().path().starts_with("/api/");

    // Static assets and the health check never need a user or the modules: no database work for them.
    if is_static(req.uri().path()) {
        let lang = lang_cookie.or(accept).unwrap_or_default();
        req.extensions_mut().insert(state.db.clone());
        let disabled_modules = Vec::new();
        req.extensions_mut().insert(ZoneCtx(app::core::zone::company()));
        req.extensions_mut().insert(RequestCtx { user: None, lang, ip, https, disabled_modules, needs_setup: false });
        let mut res = next.run(req).await;
        security::add_headers(res.headers_mut(), None, https);
        return res;
    }

    // A browser request that changes something must come from Karvon's own pages, whether it rides a session
    // cookie or signs in; calls with a bearer token, and machines with secrets of their own, are not a
    // browser's doing.
    if bearer.is_none()
        && !is_service_path(req.uri().path())
        && !security::same_origin(req.method(), headers, session.is_some(), &state.origins)
    {
        tracing::warn!(path = %req.uri().path(), ip = %ip, "cross-origin request refused");
        let lang = lang_cookie.or(accept).unwrap_or_default();
        let mut res = ApiError(AppError::Forbidden, lang).into_response();
        security::add_headers(res.headers_mut(), None, https);
        return res;
    }

    let credential = bearer.clone().map(Credential::Token).or_else(|| session.clone().map(Credential::Session));
    let resolved = async {
        let (user, scope) = match &credential {
            Some(c) => c.access(&state.db).await?,
            None => (None, None),
        };
        let disabled = state.modules.disabled(&state.db).await?;
        let needs_setup = user.is_none() && state.setup.needs_setup(&state.db).await?;
        let zone = app::core::zone::for_user(&state.db, user.as_ref()).await?;
        Ok::<_, AppError>((user, scope, disabled, needs_setup, zone))
    }
    .await;
    let (user, scope, disabled_modules, needs_setup, zone) = match resolved {
        Ok(v) => v,
        Err(err) => return ApiError(err, accept.unwrap_or_default()).into_response(),
    };
    // A bad bearer token is an error, not an anonymous call.
    if bearer.is_some() && user.is_none() {
        return ApiError(AppError::Unauthenticated, accept.unwrap_or_default()).into_response();
    }
    let lang = user.as_ref().and_then(|u| u.lang).or(lang_cookie).or(accept).unwrap_or_default();
    // Without an account, a caller may only sign in, set up or pick a language: any other write is refused
    // here, before its body is read, so nobody anonymous makes the server take in an upload. The REST API
    // answers an anonymous read with 401 here too, before any parameter is looked at.
    let read = matches!(*req.method(), http::Method::GET | http::Method::HEAD | http::Method::OPTIONS);
    // A read-only token reads.
    if scope == Some(app::auth::TokenScope::Read) && !read {
        let mut res = ApiError(AppError::Forbidden, lang).into_response();
        security::add_headers(res.headers_mut(), None, https);
        return res;
    }
    if user.is_none()
        && (!read || req.uri().path().starts_with("/api/v1/"))
        && !ANONYMOUS_WRITES.contains(&req.uri().path())
        && !is_service_path(req.uri().path())
    {
        let html = req
            .headers()
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        let mut res = if html && !is_api {
            axum::response::Redirect::to("/login").into_response()
        } else {
            ApiError(AppError::Unauthenticated, lang).into_response()
        };
        security::add_headers(res.headers_mut(), None, https);
        return res;
    }
    // A temporary password (set by an administrator) must be replaced before anything else: pages send the
    // user to their profile, every other call is refused with `password_change_required`.
    if user.as_ref().is_some_and(|u| u.must_change_password) && !PASSWORD_CHANGE_PATHS.contains(&req.uri().path()) {
        let page = read && !is_api && !req.uri().path().starts_with("/rpc/");
        let mut res = if page {
            axum::response::Redirect::to("/profile").into_response()
        } else {
            ApiError(AppError::PasswordChangeRequired, lang).into_response()
        };
        security::add_headers(res.headers_mut(), None, https);
        return res;
    }
    // A switched-off module's API and its plain forms' posts are not there (its pages answer 404 themselves).
    if (is_api || !read)
        && let Some(module) = state.modules.modules().for_path(req.uri().path())
        && disabled_modules.iter().any(|k| k == module.key)
    {
        return ApiError(AppError::NotFound, lang).into_response();
    }
    req.extensions_mut().insert(state.db.clone());
    req.extensions_mut().insert(state.modules.clone());
    if let Some(c) = credential.filter(|_| user.is_some()) {
        req.extensions_mut().insert(c);
    }
    // The time zone times are shown and read in: the user's own, else the company's (see `zone::current`).
    req.extensions_mut().insert(ZoneCtx(zone));
    req.extensions_mut().insert(RequestCtx { user, lang, ip, https, disabled_modules, needs_setup });
    let nonce = security::new_nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    security::add_headers(res.headers_mut(), Some(&nonce), https);
    res
}

/// What a user with a temporary password may still reach: the profile page, where they choose their own, the
/// change itself, signing out and the language switch.
const PASSWORD_CHANGE_PATHS: &[&str] =
    &["/profile", "/rpc/password", "/rpc/logout", "/rpc/language", "/rpc/settings/time-zones"];

/// What an anonymous caller may post: sign-in, the first administrator's set-up, the language, sign-out, a
/// forgotten password's link and the new password it sets.
const ANONYMOUS_WRITES: &[&str] = &[
    "/rpc/login",
    "/rpc/setup",
    "/rpc/language",
    "/rpc/logout",
    "/rpc/password/forgot",
    "/rpc/password/reset",
    "/api/v1/auth/token",
];

/// How a request signed in (a bearer token wins over the cookie), kept in the request's extensions for what
/// must check it again later: an open event stream ends when it stops letting the user in.
#[derive(Clone, Debug)]
pub enum Credential {
    Session(String),
    Token(String),
}

impl Credential {
    /// The active user it lets in now, if any.
    pub async fn user(&self, db: &app::core::db::Db) -> Result<Option<app::core::identity::CurrentUser>, AppError> {
        Ok(self.access(db).await?.0)
    }

    /// The active user it lets in now, and for a token what it may do (a session may do all its user may).
    pub async fn access(
        &self,
        db: &app::core::db::Db,
    ) -> Result<(Option<app::core::identity::CurrentUser>, Option<app::auth::TokenScope>), AppError> {
        Ok(match self {
            Credential::Token(token) => match store::token_access(db, token).await? {
                Some((user, scope)) => (Some(user), Some(scope)),
                None => (None, None),
            },
            Credential::Session(secret) => (store::session_user(db, secret).await?, None),
        })
    }
}

/// Endpoints that machines call with a secret of their own (never a browser's session).
fn is_service_path(path: &str) -> bool {
    SERVICE_PATHS.contains(&path) || path.starts_with("/api/v1/sms/callback/")
}

/// Paths served without looking at the session: built assets, icons, PWA files, the health check.
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(path, "/sw.js" | "/manifest.webmanifest" | "/favicon.ico" | "/healthz")
}

/// Server functions' arguments, refused like the REST API's when a text holds a NUL character (PostgreSQL
/// stores none; SQLite would, and the two must behave alike): a 422 naming the field, in the encoding the
/// server function's own errors use, or for a form posted without JavaScript the usual redirect back with the
/// error in the address. Bodies other than form fields and JSON (uploads) pass untouched.
pub async fn server_fn_arguments(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if !path.starts_with("/rpc/") {
        return next.run(req).await;
    }
    let lang = req.extensions().get::<RequestCtx>().map(|c| c.lang).unwrap_or_default();
    let content_type = crate::rest::media_type(req.headers());
    let form = content_type == "application/x-www-form-urlencoded";
    let json = content_type == "application/json";
    let mut field = crate::rest::nul_pair_field(req.uri().query().unwrap_or(""), "body");
    let (parts, body) = req.into_parts();
    let body = if field.is_none() && (form || json) {
        let Ok(bytes) = axum::body::to_bytes(body, crate::rest::MAX_BODY_BYTES).await else {
            return ApiError(AppError::PayloadTooLarge, lang).into_response();
        };
        field = if form {
            crate::rest::nul_pair_field(&String::from_utf8_lossy(&bytes), "body")
        } else {
            crate::rest::nul_field(&bytes)
        };
        axum::body::Body::from(bytes)
    } else {
        body
    };
    let Some(field) = field else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let err = AppError::field(&field, app::core::ErrCode::ControlCharacter);
    let html =
        parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    if html {
        let referer = parts.headers.get(http::header::REFERER).and_then(|v| v.to_str().ok()).unwrap_or("/");
        let back = leptos::server_fn::error::ServerFnUrlError::new(&path, err)
            .to_url(referer)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| "/".into());
        return axum::response::Redirect::to(&back).into_response();
    }
    let body = serde_json::to_vec(&err).unwrap_or_default();
    let mut res = (http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response();
    let headers = res.headers_mut();
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    if let Ok(v) = http::HeaderValue::from_str(&path) {
        headers.insert(leptos::server_fn::error::SERVER_FN_ERROR_HEADER, v);
    }
    res
}

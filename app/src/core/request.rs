//! Per-request context put into the request's extensions by the server's middleware.

use leptos::prelude::*;
use rand::Rng;

use super::db::Db;
use super::{AppError, Lang};
use crate::core::identity::CurrentUser;

/// What the middleware learned about a request: who, in which language, from where.
#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub user: Option<CurrentUser>,
    pub lang: Lang,
    pub ip: String,
    pub https: bool,
    /// Keys of the modules switched off.
    pub disabled_modules: Vec<String>,
    /// No user exists yet: the one-time administrator set-up is open.
    pub needs_setup: bool,
}

impl RequestCtx {
    /// The signed-in user, or `Unauthenticated`.
    pub fn user(&self) -> Result<&CurrentUser, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// What the UI shell shows for this visitor.
    pub fn session_info(&self) -> crate::core::identity::SessionInfo {
        crate::core::identity::SessionInfo {
            user: self.user.clone(),
            lang: self.lang,
            needs_setup: self.needs_setup,
            disabled_modules: self.disabled_modules.clone(),
        }
    }

    /// `NotFound` when the module `key` is switched off.
    pub fn require_module(&self, key: &str) -> Result<(), AppError> {
        if self.disabled_modules.iter().any(|k| k == key) { Err(AppError::NotFound) } else { Ok(()) }
    }
}

/// This response's script nonce (Content-Security-Policy), put into the request's extensions by the server.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The request context inside a server function or SSR render.
#[track_caller]
pub fn request_ctx() -> Result<RequestCtx, AppError> {
    // A `match`, not `ok_or_else`, so that the log names the caller (closures drop `#[track_caller]`).
    match use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<RequestCtx>().cloned()) {
        Some(ctx) => Ok(ctx),
        None => Err(internal("request context missing")),
    }
}

/// The database handle provided by the server.
#[track_caller]
pub fn db() -> Result<Db, AppError> {
    // The middleware puts the handle into every request's extensions.
    let db = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Db>().cloned());
    match db {
        Some(db) => Ok(db),
        None => Err(internal("database missing from context")),
    }
}

/// The signed-in user and the database: the first two lines of most server functions.
#[track_caller]
pub fn session() -> Result<(RequestCtx, Db), AppError> {
    let ctx = request_ctx()?;
    ctx.user()?;
    Ok((ctx, db()?))
}

/// Sets the HTTP status of the current response to the error's status, except for a plain HTML form
/// post to a server function: that one must stay a redirect back to the form, carrying the error.
pub fn set_status(err: &AppError) {
    let form_post = use_context::<http::request::Parts>().is_some_and(|p| {
        p.uri.path().starts_with("/rpc/")
            && p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
    });
    if form_post {
        return;
    }
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(code) = http::StatusCode::from_u16(err.status())
    {
        opts.set_status(code);
    }
}

/// A short random reference id that ties a user's error message to a log line.
pub fn new_ref_id() -> String {
    let n: u32 = rand::thread_rng().r#gen();
    format!("{n:08x}")
}

/// Logs an unexpected failure (with the caller's location and the request path) and returns the opaque
/// internal error.
#[track_caller]
pub fn internal(what: &str) -> AppError {
    let ref_id = new_ref_id();
    let at = std::panic::Location::caller();
    let path = use_context::<http::request::Parts>().map(|p| p.uri.to_string()).unwrap_or_default();
    tracing::error!(ref_id = %ref_id, at = %at, path = %path, "{what}");
    AppError::Internal { ref_id }
}

/// The value of cookie `name` in a request's headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        },
    )
}

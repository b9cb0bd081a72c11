//! Server functions for signing in and out, the first administrator, passwords, language and API tokens.

use leptos::prelude::*;

use super::ApiTokenInfo;
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::Lang;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "karvon_session";
/// Name of the language cookie used before sign-in.
pub const LANG_COOKIE: &str = "karvon_lang";

#[cfg(feature = "ssr")]
fn cookie(name: &str, value: &str, max_age_secs: i64, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

#[cfg(feature = "ssr")]
fn set_cookie(value: String) {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(v) = http::HeaderValue::from_str(&value)
    {
        opts.append_header(http::header::SET_COOKIE, v);
    }
}

/// Starts a session for `user_id`: the cookie, and a redirect home.
#[cfg(feature = "ssr")]
async fn start_session(db: &crate::core::db::Db, user_id: i64, https: bool) -> Result<(), AppError> {
    let secret = super::store::create_session(db, user_id).await?;
    set_cookie(cookie(SESSION_COOKIE, &secret, super::store::SESSION_DAYS * 86_400, https));
    leptos_axum::redirect("/");
    Ok(())
}

#[cfg(feature = "ssr")]
fn session_cookie_value() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    crate::core::request::cookie_value(&parts.headers, SESSION_COOKIE)
}

/// Creates the first administrator while no user exists, and signs them in.
#[server(prefix = "/rpc", endpoint = "setup")]
pub async fn setup_admin(
    name: String,
    email: String,
    password: String,
    password_repeat: String,
) -> Result<(), AppError> {
    use crate::core::request::{db, request_ctx, set_status};
    let run = async {
        let ctx = request_ctx()?;
        let db = db()?;
        let input = super::validate_new_account(&name, &email, &password, &password_repeat)?;
        let hash = super::store::hash_password_async(password).await?;
        let id = super::store::create_first_admin(&db, &input.0, &input.1, &hash).await?;
        super::store::set_user_lang(&db, id, ctx.lang).await?;
        start_session(&db, id, ctx.https).await
    };
    run.await.inspect_err(set_status)
}

/// Signs in with e-mail and password; throttled per account and per IP.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use crate::core::request::{db, request_ctx, set_status};
    let run = async {
        let ctx = request_ctx()?;
        let db = db()?;
        let device = use_context::<http::request::Parts>()
            .and_then(|parts| crate::core::request::cookie_value(&parts.headers, super::store::DEVICE_COOKIE));
        let signed_in = super::store::authenticate(&db, &email, &password, &ctx.ip, device.as_deref()).await?;
        if let Some(secret) = &signed_in.new_device {
            // A device where the user signed in: failed attempts elsewhere never lock them out on it.
            set_cookie(cookie(super::store::DEVICE_COOKIE, secret, 400 * 86_400, ctx.https));
        }
        start_session(&db, signed_in.user_id, ctx.https).await
    };
    run.await.inspect_err(set_status)
}

/// Asks for a password link by e-mail (the same answer whether or not the address has an account); the
/// page then says that a link was sent if the address is known.
#[server(prefix = "/rpc", endpoint = "password/forgot")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::core::request::{db, request_ctx, set_status};
    let run = async {
        let ctx = request_ctx()?;
        super::reset::request(&db()?, &email, &ctx.ip).await?;
        leptos_axum::redirect("/forgot-password?sent=1");
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// Sets a new password with the link's `token`; every session and token of the user ends, and the sign-in
/// page says so.
#[server(prefix = "/rpc", endpoint = "password/reset")]
pub async fn reset_with_link(token: String, new_password: String, password_repeat: String) -> Result<(), AppError> {
    use crate::core::request::{db, set_status};
    let run = async {
        super::reset::complete(&db()?, &token, &new_password, &password_repeat).await?;
        leptos_axum::redirect("/login?reset=1");
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// Ends the current session.
#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::core::request::{db, request_ctx};
    let ctx = request_ctx()?;
    if let Some(secret) = session_cookie_value() {
        super::store::delete_session(&db()?, &secret).await?;
    }
    set_cookie(cookie(SESSION_COOKIE, "", 0, ctx.https));
    leptos_axum::redirect("/login");
    Ok(())
}

/// Changes the signed-in user's password; other sessions of theirs end.
#[server(prefix = "/rpc", endpoint = "password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    password_repeat: String,
) -> Result<(), AppError> {
    use crate::core::request::{session, set_status};
    use crate::core::{Checks, ErrCode};
    let run = async {
        let (ctx, db) = session()?;
        let user = ctx.user()?;
        let mut checks = Checks::default();
        super::check_new_password(&mut checks, &new_password, &password_repeat);
        let stored = super::store::password_hash(&db, user.id).await?;
        if !super::store::verify_password_async(current_password, stored).await? {
            checks.fail("current_password", ErrCode::WrongPassword);
        }
        checks.finish()?;
        let hash = super::store::hash_password_async(new_password).await?;
        super::store::set_password(&db, user.id, &hash, session_cookie_value().as_deref()).await
    };
    run.await.inspect_err(set_status)
}

/// Switches the UI language: remembered in the profile when signed in, in a cookie always.
#[server(prefix = "/rpc", endpoint = "language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    use crate::core::request::{db, request_ctx};
    let ctx = request_ctx()?;
    let lang = Lang::from_code(&lang).ok_or(AppError::BadRequest)?;
    if let Some(user) = &ctx.user {
        super::store::set_user_lang(&db()?, user.id, lang).await?;
    }
    set_cookie(cookie(LANG_COOKIE, lang.code(), 365 * 86_400, ctx.https));
    Ok(())
}

/// The signed-in user's API tokens.
#[server(prefix = "/rpc", endpoint = "tokens/list")]
pub async fn list_api_tokens() -> Result<Vec<ApiTokenInfo>, AppError> {
    let (ctx, db) = crate::core::request::session()?;
    super::store::list_api_tokens(&db, Some(ctx.user()?.id)).await
}

/// Creates a personal API token, read-only (`scope` = `read`) or read-write, expiring after `expires_days`
/// (30, 90 or 365) or never; the secret is returned this once.
#[server(prefix = "/rpc", endpoint = "tokens/create")]
pub async fn create_api_token(
    name: String,
    scope: Option<String>,
    expires_days: Option<String>,
) -> Result<String, AppError> {
    use crate::core::{Checks, ErrCode};
    let run = async {
        let (ctx, db) = crate::core::request::session()?;
        let mut checks = Checks::default();
        let name = checks.text("name", &name, 100);
        let scope = super::TokenScope::parse(scope.as_deref().unwrap_or("write")).unwrap_or_else(|| {
            checks.fail("scope", ErrCode::InvalidChoice);
            super::TokenScope::Read
        });
        let days = match expires_days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => match d.parse::<i64>().ok().filter(|d| super::TOKEN_EXPIRY_DAYS.contains(&Some(*d))) {
                Some(d) => Some(d),
                None => {
                    checks.fail("expires_days", ErrCode::InvalidChoice);
                    None
                }
            },
        };
        checks.finish()?;
        Ok(super::store::create_token_for_days(&db, ctx.user()?.id, &name, scope, days).await?.1)
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Revokes one of the signed-in user's API tokens.
#[server(prefix = "/rpc", endpoint = "tokens/revoke")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    let (ctx, db) = crate::core::request::session()?;
    super::store::revoke_api_token(&db, Some(ctx.user()?.id), id).await
}

//! Forgotten passwords: a link by e-mail, sent through the shared mailbox an administrator chose, to the
//! address of an active account. Whoever asks learns nothing about which addresses have accounts: the answer
//! and its timing are the same (the letter goes out after the answer). Requests are limited per client
//! address and per account; a link works once, for an hour, and using it ends every session and API token
//! of the user.

use std::sync::RwLock;

use super::store::{hash_password_async, hash_secret, new_secret, reset_password};
use crate::core::db::{BeginWrite, Db};
use crate::core::settings::{self, SYSTEM_MAILBOX};
use crate::core::{AppError, Checks, ErrCode, Lang, Millis, Msg, now_millis};
use crate::db_run;

/// How long a link works.
pub const LINK_TTL_MS: Millis = 3_600_000;
/// Requests one client address may make in [`IP_WINDOW_MS`].
pub const MAX_PER_IP: i64 = 5;
pub const IP_WINDOW_MS: Millis = 15 * 60_000;
/// Letters one account gets in an hour (more requests are answered alike but send nothing).
pub const MAX_PER_USER: i64 = 3;

/// Karvon's address as its users reach it (`KARVON_PUBLIC_URL`), which links are made of. Never the request's
/// `Host`: a caller could make a victim's link point elsewhere.
static PUBLIC_URL: RwLock<Option<String>> = RwLock::new(None);

/// Sets the public address (at start; the tests set their own).
pub fn set_public_url(url: Option<String>) {
    *PUBLIC_URL.write().unwrap_or_else(|e| e.into_inner()) = url.map(|u| u.trim_end_matches('/').to_string());
}

/// Whether links can be made (the public address is known).
pub fn has_public_url() -> bool {
    public_url().is_some()
}

fn public_url() -> Option<String> {
    PUBLIC_URL.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The mailbox that sends the links, when one is chosen and a public address is known.
pub async fn sender(db: &Db) -> Result<Option<i64>, AppError> {
    if public_url().is_none() {
        return Ok(None);
    }
    Ok(settings::get(db, SYSTEM_MAILBOX).await?.and_then(|v| v.parse().ok()))
}

/// Chooses the shared mailbox that sends the company's own letters (`None`: none, no links by e-mail).
pub async fn set_sender(db: &Db, mailbox_id: Option<i64>) -> Result<(), AppError> {
    if let Some(id) = mailbox_id
        && !crate::mail::service::shared_mailboxes(db).await?.iter().any(|(m, _)| *m == id)
    {
        return Err(AppError::field("mailbox_id", ErrCode::InvalidChoice));
    }
    settings::set(db, SYSTEM_MAILBOX, mailbox_id.map(|id| id.to_string()).as_deref()).await
}

/// Asks for a link for `email`, from client address `ip`. `Ok` whether or not the address has an account.
pub async fn request(db: &Db, email: &str, ip: &str) -> Result<(), AppError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::field("email", ErrCode::Required));
    }
    let Some(mailbox) = sender(db).await? else {
        return Err(AppError::field("email", ErrCode::ResetUnavailable));
    };
    let now = now_millis();
    let recent = "SELECT COUNT(*) FROM password_resets WHERE ip = $1 AND created_at > $2";
    let by_ip: i64 = db_run!(db, p => sqlx::query_scalar(recent).bind(ip).bind(now - IP_WINDOW_MS).fetch_one(p).await)?;
    if by_ip >= MAX_PER_IP {
        return Err(AppError::RateLimited { retry_after_secs: (IP_WINDOW_MS / 1000) as u32 });
    }
    let user: Option<(i64, Option<String>)> = db_run!(db, p => sqlx::query_as(
        "SELECT id, lang FROM users WHERE email = $1 AND active = TRUE").bind(&email).fetch_optional(p).await)?;
    let (secret, hash) = new_secret("kr_");
    let sql =
        "INSERT INTO password_resets (token_hash, user_id, ip, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
    let user_id = user.as_ref().map(|(id, _)| *id);
    db_run!(db, p => sqlx::query(sql).bind(&hash).bind(user_id).bind(ip).bind(now).bind(now + LINK_TTL_MS)
        .execute(p).await.map(|_| ()))?;
    let Some((user_id, lang)) = user else { return Ok(()) };
    let per_user = "SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2";
    let sent: i64 =
        db_run!(db, p => sqlx::query_scalar(per_user).bind(user_id).bind(now - 3_600_000).fetch_one(p).await)?;
    if sent > MAX_PER_USER {
        return Ok(());
    }
    let lang = lang.as_deref().and_then(Lang::from_code).unwrap_or_default();
    let link = format!("{}/reset-password?token={secret}", public_url().unwrap_or_default());
    let body = Msg::ResetMailBody.text(lang).replace("{0}", &link);
    let subject = Msg::ResetMailSubject.text(lang);
    // After the answer: an address with an account must not take longer to answer than one without.
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = crate::mail::service::send_system(&db, mailbox, &email, subject, &body).await {
            tracing::warn!(error = %e, user_id, "password link not sent");
        }
    });
    Ok(())
}

/// Sets a new password with a link's secret; every session and API token of the user ends.
pub async fn complete(db: &Db, token: &str, new_password: &str, repeat: &str) -> Result<(), AppError> {
    let mut checks = Checks::default();
    super::check_new_password(&mut checks, new_password, repeat);
    let now = now_millis();
    let sql = "SELECT id, user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
               AND user_id IS NOT NULL";
    let found: Option<(i64, i64)> =
        db_run!(db, p => sqlx::query_as(sql).bind(hash_secret(token.trim())).bind(now).fetch_optional(p).await)?;
    if found.is_none() {
        checks.fail("token", ErrCode::ResetLinkInvalid);
    }
    checks.finish()?;
    let (id, user_id) = found.expect("checked above");
    let hash = hash_password_async(new_password.to_string()).await?;
    // Used once: of two requests with the same link, one gets it.
    let used = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(now).bind(id).execute(&mut *tx).await?.rows_affected();
        // Every other link of the user stops working too.
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now).bind(user_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)?;
    if used != 1 {
        return Err(AppError::field("token", ErrCode::ResetLinkInvalid));
    }
    reset_password(db, user_id, &hash, false).await
}

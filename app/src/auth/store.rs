//! SQL for users, sessions, API tokens, login throttling and module switches; written once for both databases.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{ApiTokenInfo, TokenScope};
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::{CurrentUser, Role};
use crate::core::{AppError, ErrCode, Lang, Millis, now_millis};
use crate::db_run;

/// How long a session lives without a new login.
pub const SESSION_DAYS: i64 = 30;
/// Failed sign-ins allowed per client address, and per device the user signed in on before, within
/// [`FAILURE_WINDOW_MS`]; also how many an account takes from unknown devices before its delay starts.
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW_MS: i64 = 60_000;
/// How far back an account's failures from unknown devices count towards its delay.
pub const ACCOUNT_WINDOW_MS: i64 = 15 * 60_000;
/// The longest delay between attempts on one account from unknown devices: it starts at a second after
/// [`MAX_FAILURES`] failures and doubles with each further one up to this.
pub const MAX_ACCOUNT_DELAY_MS: i64 = 60_000;
/// The cookie that marks a device where the user signed in before.
pub const DEVICE_COOKIE: &str = "karvon_device";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    team_id: Option<i64>,
    lang: Option<String>,
    must_change_password: bool,
    time_zone: Option<String>,
}

impl From<UserRow> for CurrentUser {
    fn from(r: UserRow) -> Self {
        CurrentUser {
            id: r.id,
            email: r.email,
            name: r.name,
            role: Role::parse(&r.role).unwrap_or(Role::Manager),
            team_id: r.team_id,
            lang: r.lang.as_deref().and_then(Lang::from_code),
            must_change_password: r.must_change_password,
            time_zone: r.time_zone,
        }
    }
}

const USER_COLS: &str = "u.id, u.email, u.name, u.role, u.team_id, u.lang, u.must_change_password, u.time_zone";

/// Sets (or, with `None`, clears) the user's own time zone; the name must be a known IANA zone.
pub async fn set_user_zone(db: &Db, user_id: i64, zone: Option<&str>) -> Result<(), AppError> {
    if let Some(z) = zone
        && crate::core::zone::named(z).is_none()
    {
        return Err(AppError::field("time_zone", crate::core::ErrCode::InvalidChoice));
    }
    let sql = "UPDATE users SET time_zone = $1 WHERE id = $2";
    db_run!(db, p => sqlx::query(sql).bind(zone).bind(user_id).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// Argon2id hash of a password (slow on purpose: call from a blocking thread).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
}

/// Checks a password against a stored hash (slow on purpose: call from a blocking thread).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Password hashes computed at once: each costs ~19 MiB and a core for a while, so a burst of sign-ins
/// must queue here rather than exhaust the server. One waiting longer than [`HASH_WAIT`] is told to retry.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

async fn hashing_slot() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    match tokio::time::timeout(HASH_WAIT, HASHING.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(AppError::RateLimited { retry_after_secs: 5 }),
    }
}

/// Runs the hash off the async threads, a few at a time.
pub async fn hash_password_async(password: String) -> Result<String, AppError> {
    let _slot = hashing_slot().await?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| crate::core::request::internal("password hashing task failed"))
}

/// Runs the check off the async threads, a few at a time (`RateLimited` when the queue is too long).
pub async fn verify_password_async(password: String, hash: String) -> Result<bool, AppError> {
    let _slot = hashing_slot().await?;
    Ok(tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false))
}

/// A new random secret (URL-safe, 256 bits) and its SHA-256, which is all the database keeps.
pub fn new_secret(prefix: &str) -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_secret(&secret);
    (secret, hash)
}

/// The stored form of a session or API token.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// Number of user accounts (zero means the set-up page is open).
pub async fn count_users(db: &Db) -> Result<i64, AppError> {
    let n: i64 = db_run!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?;
    Ok(n)
}

/// Whether the first administrator exists. Users are never deleted, so once it is true it stays true and
/// no request asks the database again.
#[derive(Clone, Default)]
pub struct SetupState(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl SetupState {
    /// `true` while no user exists.
    pub async fn needs_setup(&self, db: &Db) -> Result<bool, AppError> {
        use std::sync::atomic::Ordering;
        if self.0.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let none = count_users(db).await? == 0;
        if !none {
            self.0.store(true, Ordering::Relaxed);
        }
        Ok(none)
    }
}

/// Input for a new account; the password is already hashed.
pub struct NewUserRow<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub team_id: Option<i64>,
}

/// Creates a user; `EmailTaken` when the address is in use.
pub async fn create_user(db: &Db, u: NewUserRow<'_>) -> Result<i64, AppError> {
    let sql = "INSERT INTO users (email, name, password_hash, role, team_id, active, created_at) \
               VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id";
    let res: Result<i64, sqlx::Error> = db_run!(db, p => sqlx::query_scalar(sql)
        .bind(u.email.to_lowercase())
        .bind(u.name)
        .bind(u.password_hash)
        .bind(u.role.as_str())
        .bind(u.team_id)
        .bind(now_millis())
        .fetch_one(p)
        .await);
    match res {
        Err(e) if unique_violation(&e) => Err(AppError::field("email", ErrCode::EmailTaken)),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            Err(AppError::field("team_id", ErrCode::InvalidChoice))
        }
        other => Ok(other?),
    }
}

/// Creates the first administrator only while there are no users at all (atomic, so two racing set-ups
/// cannot both win). Returns `Forbidden` once any user exists.
pub async fn create_first_admin(db: &Db, email: &str, name: &str, password_hash: &str) -> Result<i64, AppError> {
    let sql = "INSERT INTO users (email, name, password_hash, role, team_id, active, created_at) \
               SELECT $1, $2, $3, 'admin', NULL, TRUE, $4 WHERE NOT EXISTS (SELECT 1 FROM users) RETURNING id";
    let id: Option<i64> = db_run!(db, p => sqlx::query_scalar(sql)
        .bind(email.to_lowercase())
        .bind(name)
        .bind(password_hash)
        .bind(now_millis())
        .fetch_optional(p)
        .await)?;
    id.ok_or(AppError::Forbidden)
}

/// The id, password hash and active flag for a login e-mail.
pub async fn find_login(db: &Db, email: &str) -> Result<Option<(i64, String, bool)>, AppError> {
    let sql = "SELECT id, password_hash, active FROM users WHERE email = $1";
    let row: Option<(i64, String, bool)> =
        db_run!(db, p => sqlx::query_as(sql).bind(email.trim().to_lowercase()).fetch_optional(p).await)?;
    Ok(row)
}

/// The password hash of a user.
pub async fn password_hash(db: &Db, user_id: i64) -> Result<String, AppError> {
    let sql = "SELECT password_hash FROM users WHERE id = $1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).fetch_one(p).await)?)
}

/// Replaces a user's password (their own choice: a required change is done) and ends their other sessions.
pub async fn set_password(db: &Db, user_id: i64, hash: &str, keep_session: Option<&str>) -> Result<(), AppError> {
    let keep = keep_session.map(hash_secret).unwrap_or_default();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = FALSE WHERE id = $2").bind(hash).bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2").bind(user_id).bind(&keep).execute(&mut *tx).await?;
        tx.commit().await
    })?;
    Ok(())
}

/// Sets a user's password on their behalf (an administrator, or scripted recovery with `karvon admin
/// set-password`): every session of the user ends and every API token of theirs is revoked, in one
/// transaction; with `must_change`, the user must choose their own password at their next sign-in.
/// `NotFound` for no such user.
pub async fn reset_password(db: &Db, user_id: i64, hash: &str, must_change: bool) -> Result<(), AppError> {
    let now = now_millis();
    let found = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let found = sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
            .bind(hash).bind(must_change).bind(user_id).execute(&mut *tx).await?.rows_affected();
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL").bind(now).bind(user_id).execute(&mut *tx).await?;
        tx.commit().await.map(|()| found)
    })?;
    if found == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

/// Remembers the user's UI language.
pub async fn set_user_lang(db: &Db, user_id: i64, lang: Lang) -> Result<(), AppError> {
    db_run!(db, p => sqlx::query("UPDATE users SET lang = $1 WHERE id = $2").bind(lang.code()).bind(user_id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Starts a session; returns the secret for the cookie.
pub async fn create_session(db: &Db, user_id: i64) -> Result<String, AppError> {
    let (secret, hash) = new_secret("");
    let now = now_millis();
    let sql = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
    db_run!(db, p => sqlx::query(sql).bind(&hash).bind(user_id).bind(now).bind(now + SESSION_DAYS * 86_400_000).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(secret)
}

/// The active user behind a session cookie.
pub async fn session_user(db: &Db, secret: &str) -> Result<Option<CurrentUser>, AppError> {
    let sql = format!(
        "SELECT {USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active"
    );
    let row: Option<UserRow> =
        db_run!(db, p => sqlx::query_as(&sql).bind(hash_secret(secret)).bind(now_millis()).fetch_optional(p).await)?;
    Ok(row.map(Into::into))
}

/// Ends a session (logout).
pub async fn delete_session(db: &Db, secret: &str) -> Result<(), AppError> {
    db_run!(db, p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(hash_secret(secret)).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A user by id, active or not.
pub async fn load_user(db: &Db, id: i64) -> Result<Option<CurrentUser>, AppError> {
    let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1");
    let row: Option<UserRow> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    Ok(row.map(Into::into))
}

/// Creates a read-write API token without expiry for a user; returns `(id, secret)`.
pub async fn create_api_token(db: &Db, user_id: i64, name: &str) -> Result<(i64, String), AppError> {
    create_token(db, user_id, name, TokenScope::Write, None).await
}

/// Creates an API token; returns `(id, secret)`; the secret is never stored, only its hash.
pub async fn create_token(
    db: &Db,
    user_id: i64,
    name: &str,
    scope: TokenScope,
    expires_at: Option<Millis>,
) -> Result<(i64, String), AppError> {
    insert_token(db, user_id, name, scope, now_millis(), expires_at).await
}

/// Creates an API token valid for `days` (`None`: until revoked), counted from its creation time.
pub async fn create_token_for_days(
    db: &Db,
    user_id: i64,
    name: &str,
    scope: TokenScope,
    days: Option<i64>,
) -> Result<(i64, String), AppError> {
    let now = now_millis();
    insert_token(db, user_id, name, scope, now, days.map(|d| now + d * 86_400_000)).await
}

async fn insert_token(
    db: &Db,
    user_id: i64,
    name: &str,
    scope: TokenScope,
    created_at: Millis,
    expires_at: Option<Millis>,
) -> Result<(i64, String), AppError> {
    let (secret, hash) = new_secret("kv_");
    let sql = "INSERT INTO api_tokens (user_id, name, token_hash, created_at, scope, expires_at) \
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).bind(name).bind(&hash).bind(created_at)
        .bind(scope.code()).bind(expires_at).fetch_one(p).await)?;
    Ok((id, secret))
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    user_name: String,
    name: String,
    scope: String,
    created_at: i64,
    last_used_at: Option<i64>,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<TokenRow> for ApiTokenInfo {
    fn from(r: TokenRow) -> Self {
        ApiTokenInfo {
            id: r.id,
            user_id: r.user_id,
            user_name: r.user_name,
            name: r.name,
            scope: TokenScope::parse(&r.scope).unwrap_or(TokenScope::Read),
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            expires_at: r.expires_at,
            expired: r.expires_at.is_some_and(|at| at <= now_millis()),
            revoked: r.revoked_at.is_some(),
        }
    }
}

const TOKEN_COLS: &str = "t.id, t.user_id, u.name AS user_name, t.name, t.scope, t.created_at, t.last_used_at, \
                          t.expires_at, t.revoked_at";

/// A user's tokens (`Some`), or everyone's (`None`, for administrators), newest first, a page of 200.
pub async fn list_api_tokens(db: &Db, user_id: Option<i64>) -> Result<Vec<ApiTokenInfo>, AppError> {
    let sql = format!(
        "SELECT {TOKEN_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE ($1 IS NULL OR t.user_id = $1) ORDER BY t.id DESC LIMIT 200"
    );
    let rows: Vec<TokenRow> = db_run!(db, p => sqlx::query_as(&sql).bind(user_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Revokes a token: one of the user's own (`Some`), or anyone's (`None`, administrators); `NotFound` if it is
/// not theirs or already revoked.
pub async fn revoke_api_token(db: &Db, user_id: Option<i64>, token_id: i64) -> Result<(), AppError> {
    let sql =
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND ($3 IS NULL OR user_id = $3) AND revoked_at IS NULL";
    let done = db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(token_id).bind(user_id).execute(p).await.map(|r| r.rows_affected()))?;
    if done == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

/// The active user behind a bearer token.
pub async fn token_user(db: &Db, secret: &str) -> Result<Option<CurrentUser>, AppError> {
    Ok(token_access(db, secret).await?.map(|(user, _)| user))
}

/// The active user behind a bearer token that is neither revoked nor expired, and what the token may do;
/// notes its use at most once a minute.
pub async fn token_access(db: &Db, secret: &str) -> Result<Option<(CurrentUser, TokenScope)>, AppError> {
    let now = now_millis();
    let sql = format!(
        "SELECT t.id AS token_id, t.last_used_at, t.scope, {USER_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.active"
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        token_id: i64,
        last_used_at: Option<i64>,
        scope: String,
        #[sqlx(flatten)]
        user: UserRow,
    }
    let row: Option<Row> =
        db_run!(db, p => sqlx::query_as(&sql).bind(hash_secret(secret)).bind(now).fetch_optional(p).await)?;
    let Some(row) = row else { return Ok(None) };
    // When it was last used is a hint for its owner: a busy database (a long import holding SQLite's write
    // lock) must not fail the call it rides on.
    if row.last_used_at.is_none_or(|t| now - t > 60_000) {
        let sql = "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2";
        if let Err(e) = db_run!(db, p => sqlx::query(sql).bind(now).bind(row.token_id).execute(p).await.map(|_| ())) {
            tracing::warn!(token = row.token_id, error = %e, "token use not recorded");
        }
    }
    Ok(Some((row.user.into(), TokenScope::parse(&row.scope).unwrap_or(TokenScope::Read))))
}

/// The users of a team (whose records a sales head of it sees).
pub async fn team_member_ids(db: &Db, team_id: i64) -> Result<Vec<i64>, AppError> {
    let sql = "SELECT id FROM users WHERE team_id = $1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(team_id).fetch_all(p).await)?)
}

/// A hash to check against when the e-mail is unknown, so that a wrong address takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password("karvon-dummy-password"));

/// What a sign-in attempt found in the recent history (counts include the attempt itself, and attempts still
/// being checked by other requests, so a parallel burst cannot slip past the limits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    /// Attempts from this client address within [`FAILURE_WINDOW_MS`].
    pub by_ip: i64,
    /// On a device where this user signed in before: its attempts within [`FAILURE_WINDOW_MS`].
    pub by_device: Option<i64>,
    /// The account's other failures from unknown devices within [`ACCOUNT_WINDOW_MS`], and the latest one.
    pub account: i64,
    pub account_last: Option<Millis>,
}

/// How long the attempt must wait (`None`: check the password now). An address or a known device that
/// failed [`MAX_FAILURES`] times waits out the minute. An account attacked from elsewhere makes unknown
/// devices wait a delay that doubles with each failure up to [`MAX_ACCOUNT_DELAY_MS`]; the owner's own
/// devices never wait for someone else's failures.
pub fn throttle_wait(a: &Attempts, now: Millis) -> Option<Millis> {
    if a.by_ip > MAX_FAILURES {
        return Some(FAILURE_WINDOW_MS);
    }
    match a.by_device {
        Some(n) => (n > MAX_FAILURES).then_some(FAILURE_WINDOW_MS),
        None if a.account >= MAX_FAILURES => {
            let doublings = (a.account - MAX_FAILURES).min(16) as u32;
            let delay = (1000_i64 << doublings).min(MAX_ACCOUNT_DELAY_MS);
            let since = now - a.account_last.unwrap_or(0);
            (since < delay).then_some(delay - since)
        }
        None => None,
    }
}

/// A successful sign-in: the user, and a new device secret for the cookie when the device was unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: i64,
    pub new_device: Option<String>,
}

/// The user a device cookie was given to, if it is known.
async fn device_user(db: &Db, secret: &str) -> Result<Option<i64>, AppError> {
    let sql = "SELECT user_id FROM login_devices WHERE token_hash = $1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(hash_secret(secret)).fetch_optional(p).await)?)
}

/// Checks credentials with throttling (see [`throttle_wait`]). The attempt is written before the password
/// is hashed and counted with every other recorded attempt, so parallel requests see each other; a refused
/// or successful attempt is removed again, a failed one stays for an hour. `device` is the cookie of a
/// device where someone signed in before.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: &str,
    ip: &str,
    device: Option<&str>,
) -> Result<SignedIn, AppError> {
    let email = email.trim().to_lowercase();
    let found = find_login(db, &email).await?;
    let known_device = match (device, &found) {
        (Some(secret), Some((id, _, true))) if device_user(db, secret).await? == Some(*id) => Some(hash_secret(secret)),
        _ => None,
    };
    let device_key = known_device.clone().unwrap_or_default();
    let now = now_millis();
    let insert = "INSERT INTO login_failures (email, ip, at, device) VALUES ($1, $2, $3, $4) RETURNING id";
    let attempt: i64 = db_run!(db, p => sqlx::query_scalar(insert).bind(&email).bind(ip).bind(now).bind(&device_key)
        .fetch_one(p).await)?;
    let counts = "SELECT \
        (SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2), \
        (SELECT COUNT(*) FROM login_failures WHERE device = $3 AND at > $2), \
        (SELECT COUNT(*) FROM login_failures WHERE email = $4 AND device = '' AND at > $5 AND id <> $6), \
        (SELECT MAX(at) FROM login_failures WHERE email = $4 AND device = '' AND at > $5 AND id <> $6)";
    let (by_ip, by_device, account, account_last): (i64, i64, i64, Option<i64>) = db_run!(db, p => sqlx::query_as(counts)
        .bind(ip).bind(now - FAILURE_WINDOW_MS).bind(&device_key).bind(&email).bind(now - ACCOUNT_WINDOW_MS)
        .bind(attempt).fetch_one(p).await)?;
    let attempts = Attempts { by_ip, by_device: known_device.as_ref().map(|_| by_device), account, account_last };
    let forget = || async {
        db_run!(db, p => sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(attempt).execute(p).await
            .map(|r| r.rows_affected()))
    };
    if let Some(wait) = throttle_wait(&attempts, now) {
        forget().await?;
        return Err(AppError::RateLimited { retry_after_secs: (wait as u64).div_ceil(1000) as u32 });
    }
    let (hash, candidate) = match &found {
        Some((id, hash, true)) => (hash.clone(), Some(*id)),
        _ => (DUMMY_HASH.clone(), None),
    };
    let ok = match verify_password_async(password.to_string(), hash).await {
        Ok(ok) => ok,
        Err(e) => {
            forget().await?;
            return Err(e);
        }
    };
    match candidate {
        Some(id) if ok => {
            forget().await?;
            let new_device = match known_device {
                Some(_) => None,
                None => {
                    let (secret, hash) = new_secret("kd_");
                    let sql = "INSERT INTO login_devices (token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)";
                    db_run!(db, p => sqlx::query(sql).bind(hash).bind(id).bind(now).execute(p).await.map(|r| r.rows_affected()))?;
                    Some(secret)
                }
            };
            Ok(SignedIn { user_id: id, new_device })
        }
        _ => {
            db_run!(db, p => sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(now - 3_600_000).execute(p).await
                .map(|r| r.rows_affected()))?;
            Err(AppError::BadCredentials)
        }
    }
}

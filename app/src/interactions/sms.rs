//! Outgoing SMS through a gateway. The message is an interaction (kind `sms`) from the moment it is queued;
//! a job on every app server claims due messages (a lease, so two servers never send one twice), sends them
//! through the [`SmsGateway`], and records the outcome: `sent`, or after a failure a retry with a growing
//! pause, and `failed` once the attempts run out or the gateway refuses the message. The gateway's delivery
//! callback moves it on to `delivered` or `failed`. The interaction's status follows.
//!
//! The concrete gateway speaks the API of Eskiz (notify.eskiz.uz), common in Uzbekistan: a token from
//! `POST /api/auth/login`, `POST /api/message/sms/send`, and a callback with the delivery status.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::db::{BeginWrite, Db};
use crate::core::{AppError, Checks, ErrCode, Millis, now_millis};
use crate::db_run;

/// Whether a gateway is configured on this server (set at start); without one, sending is refused.
pub static ENABLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// How many times a message is tried before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a claimed message is held by the server sending it.
const LEASE_MS: i64 = 60_000;
/// Longest text accepted (about six SMS parts in Cyrillic).
pub const MAX_TEXT: usize = 400;

/// Why a send did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later (timeout, 5xx, an answer that makes no sense).
    Temporary(String),
    /// The gateway refused this message (bad number, no credit for it): trying again will not help.
    Permanent(String),
}

/// A way to send SMS.
pub trait SmsGateway: Send + Sync {
    /// Sends `text` to `phone` (E.164); returns the gateway's id of the message.
    fn send<'a>(
        &'a self,
        phone: &'a str,
        text: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, SendError>> + Send + 'a>>;
}

/// Settings of the Eskiz-style gateway.
#[derive(Debug, Clone)]
pub struct EskizConfig {
    /// `https://notify.eskiz.uz` (no trailing slash).
    pub base_url: String,
    pub email: String,
    pub password: String,
    /// The sender name or short number (`4546` on test accounts).
    pub from: String,
    /// Where the gateway reports delivery (`…/api/v1/sms/callback/<secret>`), if Karvon is reachable.
    pub callback_url: Option<String>,
    /// How long to wait for an answer.
    pub timeout: Duration,
}

/// The Eskiz-style gateway client: logs in once, keeps the token, logs in again when it is refused.
pub struct Eskiz {
    cfg: EskizConfig,
    http: reqwest::Client,
    token: tokio::sync::Mutex<Option<String>>,
}

#[derive(Deserialize)]
struct LoginReply {
    data: LoginData,
}

#[derive(Deserialize)]
struct LoginData {
    token: String,
}

#[derive(Deserialize)]
struct SendReply {
    id: Option<serde_json::Value>,
    status: Option<String>,
}

impl Eskiz {
    pub fn new(cfg: EskizConfig) -> Eskiz {
        let http = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout.min(Duration::from_secs(5)))
            .build()
            .unwrap_or_default();
        Eskiz { cfg, http, token: tokio::sync::Mutex::new(None) }
    }

    async fn login(&self) -> Result<String, SendError> {
        let url = format!("{}/api/auth/login", self.cfg.base_url);
        let res = self
            .http
            .post(&url)
            .form(&[("email", self.cfg.email.as_str()), ("password", self.cfg.password.as_str())])
            .send()
            .await
            .map_err(|e| SendError::Temporary(format!("login: {e}")))?;
        let status = res.status();
        if status.is_client_error() {
            // Wrong credentials: an administrator has to fix the configuration; keep retrying meanwhile.
            return Err(SendError::Temporary(format!("login refused ({status})")));
        }
        let body = res.text().await.map_err(|e| SendError::Temporary(format!("login: {e}")))?;
        let reply: LoginReply = serde_json::from_str(&body)
            .map_err(|_| SendError::Temporary(format!("login: unexpected answer ({status})")))?;
        Ok(reply.data.token)
    }

    async fn send_once(&self, token: &str, phone: &str, text: &str) -> Result<Result<String, SendError>, ()> {
        let url = format!("{}/api/message/sms/send", self.cfg.base_url);
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let mut form = vec![("mobile_phone", digits.as_str()), ("message", text), ("from", self.cfg.from.as_str())];
        if let Some(cb) = &self.cfg.callback_url {
            form.push(("callback_url", cb.as_str()));
        }
        let res = match self.http.post(&url).bearer_auth(token).form(&form).send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Ok(Err(SendError::Temporary("the gateway did not answer in time".into())));
            }
            Err(e) => return Ok(Err(SendError::Temporary(format!("send: {e}")))),
        };
        let status = res.status();
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(());
        }
        let body = res.text().await.unwrap_or_default();
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Ok(Err(SendError::Temporary(format!("gateway error {status}"))));
        }
        if status.is_client_error() {
            let short: String = body.chars().take(200).collect();
            return Ok(Err(SendError::Permanent(format!("refused ({status}): {short}"))));
        }
        match serde_json::from_str::<SendReply>(&body) {
            Ok(SendReply { id: Some(id), status }) if status.as_deref() != Some("error") => {
                Ok(Ok(id.as_str().map(str::to_string).unwrap_or_else(|| id.to_string())))
            }
            _ => Ok(Err(SendError::Temporary("unexpected answer from the gateway".into()))),
        }
    }
}

impl SmsGateway for Eskiz {
    fn send<'a>(
        &'a self,
        phone: &'a str,
        text: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, SendError>> + Send + 'a>> {
        Box::pin(async move {
            let mut token = self.token.lock().await;
            for _ in 0..2 {
                let current = match token.clone() {
                    Some(t) => t,
                    None => {
                        let t = self.login().await?;
                        *token = Some(t.clone());
                        t
                    }
                };
                match self.send_once(&current, phone, text).await {
                    Ok(outcome) => return outcome,
                    // The token expired: log in again, once.
                    Err(()) => *token = None,
                }
            }
            Err(SendError::Temporary("the gateway keeps refusing the token".into()))
        })
    }
}

/// An SMS to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewSms {
    pub customer_id: i64,
    /// The contact person it goes to; their first phone is used unless `phone` is given.
    #[serde(default)]
    pub contact_id: Option<i64>,
    /// Any common spelling; default: the contact's, else the customer's phone.
    #[serde(default)]
    pub phone: Option<String>,
    pub text: String,
}

/// Queues an SMS: the interaction (status `queued`) and the message, in one transaction. Returns the
/// interaction's id. The caller has checked access to the customer and the contact.
pub async fn queue(
    db: &Db,
    author: i64,
    customer_id: i64,
    contact_id: Option<i64>,
    phone: &str,
    text: &str,
) -> Result<i64, AppError> {
    let now = now_millis();
    let insert_i = "INSERT INTO interactions (customer_id, contact_id, kind, direction, status, body, occurred_at, author_id, \
                    created_at, updated_at) VALUES ($1, $2, 'sms', 'out', 'queued', $3, $4, $5, $4, $4) RETURNING id";
    let insert_m = "INSERT INTO sms_messages (interaction_id, phone, text, status, next_attempt_at, created_at, updated_at) \
                    VALUES ($1, $2, $3, 'queued', $4, $4, $4)";
    let id: i64 = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(insert_i).bind(customer_id).bind(contact_id).bind(text).bind(now).bind(author)
            .fetch_one(&mut *tx).await?;
        sqlx::query(insert_m).bind(id).bind(phone).bind(text).bind(now).execute(&mut *tx).await?;
        tx.commit().await.map(|_| id)
    })?;
    Ok(id)
}

/// Checks an SMS's text and phone (E.164).
pub fn check(phone: Option<&str>, text: &str) -> Result<(Option<String>, String), AppError> {
    let mut checks = Checks::default();
    let text = checks.text("text", text, MAX_TEXT);
    let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => match crate::core::phone::normalize(p) {
            Some(e164) => Some(e164),
            None => {
                checks.fail("phone", ErrCode::InvalidPhone);
                None
            }
        },
        None => None,
    };
    checks.finish()?;
    Ok((phone, text))
}

/// A claimed message.
#[derive(Debug, sqlx::FromRow)]
struct Due {
    id: i64,
    interaction_id: i64,
    phone: String,
    text: String,
    attempts: i64,
}

/// The pause before attempt `n + 1` after `n` failed ones: 30 s, 1, 2, 4 min…
pub fn backoff_ms(attempts: i64) -> i64 {
    30_000 * (1 << attempts.clamp(0, 10))
}

/// Claims up to 20 due messages by moving their next attempt a lease ahead, so that another server (or this
/// one, next second) leaves them alone while they are being sent.
async fn claim(db: &Db, now: Millis) -> Result<Vec<Due>, AppError> {
    let pg = "WITH due AS (SELECT id FROM sms_messages WHERE status = 'queued' AND next_attempt_at <= $1 \
              ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED) \
              UPDATE sms_messages m SET next_attempt_at = $2 FROM due WHERE m.id = due.id \
              RETURNING m.id, m.interaction_id, m.phone, m.text, m.attempts";
    let sqlite = "UPDATE sms_messages SET next_attempt_at = $2 WHERE id IN (SELECT id FROM sms_messages \
                  WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT 20) \
                  RETURNING id, interaction_id, phone, text, attempts";
    let sql = if db.is_postgres() { pg } else { sqlite };
    // A cheap read first: an idle server writes nothing.
    let probe = "SELECT id FROM sms_messages WHERE status = 'queued' AND next_attempt_at <= $1 LIMIT 1";
    let any: Option<i64> = db_run!(db, p => sqlx::query_scalar(probe).bind(now).fetch_optional(p).await)?;
    if any.is_none() {
        return Ok(Vec::new());
    }
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(now).bind(now + LEASE_MS).fetch_all(p).await)?)
}

/// Writes a message's new state and its interaction's status together.
async fn record(
    db: &Db,
    m: &Due,
    status: &str,
    provider_id: Option<&str>,
    attempts: i64,
    next: Option<Millis>,
    error: Option<&str>,
) -> Result<(), AppError> {
    let now = now_millis();
    let upd_m = "UPDATE sms_messages SET status = $1, provider_id = COALESCE($2, provider_id), attempts = $3, \
                 next_attempt_at = $4, last_error = $5, updated_at = $6 WHERE id = $7";
    let upd_i =
        "UPDATE interactions SET status = $1, result = $2, updated_at = $3, version = version + 1 WHERE id = $4";
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query(upd_m).bind(status).bind(provider_id).bind(attempts).bind(next).bind(error).bind(now).bind(m.id)
            .execute(&mut *tx).await?;
        sqlx::query(upd_i).bind(status).bind(error).bind(now).bind(m.interaction_id).execute(&mut *tx).await?;
        tx.commit().await
    })?;
    Ok(())
}

/// Sends the messages due at `now`; returns how many were tried.
pub async fn send_due(db: &Db, gateway: &dyn SmsGateway, now: Millis) -> Result<usize, AppError> {
    let due = claim(db, now).await?;
    for m in &due {
        let attempts = m.attempts + 1;
        match gateway.send(&m.phone, &m.text).await {
            Ok(provider_id) => record(db, m, "sent", Some(&provider_id), attempts, None, None).await?,
            Err(SendError::Permanent(e)) => record(db, m, "failed", None, attempts, None, Some(&e)).await?,
            Err(SendError::Temporary(e)) if attempts >= MAX_ATTEMPTS => {
                record(db, m, "failed", None, attempts, None, Some(&e)).await?
            }
            Err(SendError::Temporary(e)) => {
                tracing::warn!(sms = m.id, attempts, error = %e, "SMS not sent; will retry");
                let next = now + backoff_ms(attempts - 1);
                record(db, m, "queued", None, attempts, Some(next), Some(&e)).await?
            }
        }
    }
    Ok(due.len())
}

/// Runs [`send_due`] every 2 seconds for as long as the process lives.
pub async fn run(db: Db, gateway: Arc<dyn SmsGateway>) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = send_due(&db, gateway.as_ref(), now_millis()).await {
            tracing::warn!(error = ?e, "SMS not sent this time");
        }
    }
}

/// A delivery report from the gateway (Eskiz posts `message_id` and `status`; `id` is accepted too).
#[derive(Debug, Clone, Deserialize)]
pub struct DeliveryReport {
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    pub status: String,
}

/// Applies a delivery report; `Ok(false)` when no message has that id.
pub async fn delivery(db: &Db, report: &DeliveryReport) -> Result<bool, AppError> {
    let Some(provider_id) = report.message_id.as_deref().or(report.id.as_deref()).filter(|i| !i.is_empty()) else {
        return Err(AppError::field("message_id", ErrCode::Required));
    };
    let status = match report.status.to_ascii_uppercase().as_str() {
        "DELIVRD" | "DELIVERED" => "delivered",
        "UNDELIV" | "UNDELIVERABLE" | "REJECTD" | "REJECTED" | "EXPIRED" | "FAILED" => "failed",
        // Intermediate states (accepted, waiting, transmitted) change nothing.
        _ => return Ok(true),
    };
    let sql = "SELECT id, interaction_id, phone, text, attempts FROM sms_messages WHERE provider_id = $1";
    let m: Option<Due> = db_run!(db, p => sqlx::query_as(sql).bind(provider_id).fetch_optional(p).await)?;
    let Some(m) = m else { return Ok(false) };
    let error = (status == "failed").then(|| format!("delivery report: {}", report.status));
    record(db, &m, status, None, m.attempts, None, error.as_deref()).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pauses_grow_and_stop_growing() {
        assert_eq!(super::backoff_ms(0), 30_000);
        assert_eq!(super::backoff_ms(3), 240_000);
        assert_eq!(super::backoff_ms(50), super::backoff_ms(10));
    }
}

//! The delivery job: fans the outbox out and POSTs what is due, signed. Every app server runs it; the
//! store's leases keep two servers from sending the same delivery.

use std::sync::atomic::{AtomicBool, Ordering};

use super::store::{self, Due};
use crate::core::db::Db;
use crate::core::{AppError, now_millis};

/// Set at start from the configuration (`KARVON_WEBHOOK_ALLOW_PRIVATE_HOSTS`); the tests set it for their
/// local receiver. Otherwise a subscription could make the server probe 127.0.0.1 or the office network.
pub static ALLOW_PRIVATE_HOSTS: AtomicBool = AtomicBool::new(false);

/// How long a receiver has to answer.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The signature header's value for `body` sent at `timestamp` (Unix seconds): `t=<timestamp>,v1=<hex of
/// HMAC-SHA256(secret, "<timestamp>.<body>")>`. A receiver recomputes it and refuses old timestamps.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// One round: new outbox rows fanned out, then up to 20 due deliveries sent. Returns `(fanned, sent)`.
pub async fn tick(db: &Db) -> Result<(usize, usize), AppError> {
    let fanned = store::fan_out(db, 200).await?;
    let due = store::claim_due(db, 20).await?;
    for d in &due {
        match send(d).await {
            Ok(status) => store::record(db, d, Some(status), None).await?,
            Err(error) => store::record(db, d, None, Some(&error)).await?,
        }
    }
    Ok((fanned, due.len()))
}

/// Runs [`tick`] every second while the server runs.
pub async fn run(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = tick(&db).await {
            tracing::warn!(error = ?e, "webhook round failed");
        }
    }
}

/// POSTs one delivery; the receiver's status, or why there was none.
async fn send(d: &Due) -> Result<u16, String> {
    let url = reqwest::Url::parse(&d.url).map_err(|e| format!("bad URL: {e}"))?;
    let host = url.host_str().ok_or("no host")?.to_string();
    let port = url.port_or_known_default().ok_or("no port")?;
    // Resolved once and dialled by address, so a second DNS answer cannot swap in a private one.
    let addrs: Vec<std::net::SocketAddr> =
        tokio::time::timeout(TIMEOUT, tokio::net::lookup_host((host.as_str(), port)))
            .await
            .map_err(|_| "DNS timeout".to_string())?
            .map_err(|e| format!("{host}: {e}"))?
            .collect();
    let allow_private = ALLOW_PRIVATE_HOSTS.load(Ordering::Relaxed);
    let addr = addrs
        .into_iter()
        .find(|a| allow_private || crate::mail::net::is_public(a.ip()))
        .ok_or_else(|| format!("{host} is a local or private-network address"))?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .resolve(&host, addr)
        .build()
        .map_err(|e| e.to_string())?;
    let timestamp = now_millis() / 1000;
    let res = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::USER_AGENT, "Karvon-Webhooks/1")
        .header("X-Karvon-Event", &d.event)
        .header("X-Karvon-Event-Id", d.event_id.to_string())
        .header("X-Karvon-Delivery", d.id.to_string())
        .header("X-Karvon-Signature", signature(&d.secret, timestamp, &d.body))
        .body(d.body.clone())
        .send()
        .await
        .map_err(|e| if e.is_timeout() { "timed out".to_string() } else { format!("connection failed: {e}") })?;
    Ok(res.status().as_u16())
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_is_hmac_sha256_of_timestamp_and_body() {
        // The expected value was computed independently, with Python's hmac module.
        assert_eq!(
            super::signature("whsec_test", 1_700_000_000, "{\"id\":1}"),
            "t=1700000000,v1=2f441ba4b3b2d50d28a9ab9d9fd8880376ecd1eb5d0435401553f5d8d0a5dcf8"
        );
    }
}

//! Configuration from the environment and an optional `karvon.toml` (the environment wins).

use std::net::SocketAddr;

use serde::Deserialize;

/// Everything Karvon reads at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `KARVON_ADDR`: where to listen (default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `postgres://...` for PostgreSQL; otherwise SQLite (default `sqlite://data/karvon.db`).
    pub database_url: String,
    /// `KARVON_DB_MAX_CONNECTIONS` (default 8, which suits 2 cores).
    pub db_max_connections: u32,
    /// `KARVON_SITE_ROOT`: the built assets (default `target/site`).
    pub site_root: String,
    /// `KARVON_TRUST_PROXY`: take the client IP and scheme from `X-Forwarded-For` / `-Proto` (default false).
    pub trust_proxy: bool,
    /// `KARVON_TRUSTED_PROXIES`: how many proxies in front of Karvon append to `X-Forwarded-For` (default 1,
    /// used only with `trust_proxy`): the client is the address the outermost of them saw.
    pub proxy_hops: usize,
    /// `KARVON_IMPORT_LEASE_SECONDS`: an import whose server gave no sign of life for this long is taken over
    /// by another (default 60).
    pub import_lease_seconds: u64,
    /// `KARVON_MAIL_ALLOW_PRIVATE_HOSTS`: let mailboxes name loopback and private-network servers (default
    /// false: users could otherwise make the server probe the internal network).
    pub mail_allow_private_hosts: bool,
    /// `KARVON_WEBHOOK_ALLOW_PRIVATE_HOSTS`: let webhook subscriptions name loopback and private-network
    /// addresses (default false, for the same reason).
    pub webhook_allow_private_hosts: bool,
    /// `KARVON_MAIL_CA_FILE`: a PEM file of the company's own certificate authorities, trusted for mail
    /// servers besides the public roots.
    pub mail_ca_file: Option<String>,
    /// `KARVON_LOG`: tracing filter (default `info`).
    pub log: String,
    /// `KARVON_LOG_FORMAT`: `text` or `json` (default `text`).
    pub log_json: bool,
    /// `KARVON_TELEPHONY_TOKEN`: the secret the phone system sends as `Authorization: Bearer …` with call
    /// events; unset, `/api/v1/telephony/events` refuses every call.
    pub telephony_token: Option<String>,
    /// The SMS gateway (Eskiz-style API): `KARVON_SMS_URL` (e.g. `https://notify.eskiz.uz`), `KARVON_SMS_EMAIL`,
    /// `KARVON_SMS_PASSWORD`, `KARVON_SMS_FROM` (default `4546`). Unset: SMS can be logged, not sent.
    pub sms: Option<app::interactions::sms::EskizConfig>,
    /// `KARVON_PUBLIC_URL`: how the outside world reaches Karvon (the SMS delivery callback), e.g.
    /// `https://crm.example.uz`.
    pub public_url: Option<String>,
    /// `KARVON_SMS_CALLBACK_SECRET`: the secret path part of the delivery callback (16+ characters).
    pub sms_callback_secret: Option<String>,
    /// `KARVON_MAIL_KEY`: base64 of 32 bytes that encrypt mailbox passwords (every app server of a
    /// deployment needs the same). Unset: read from `KARVON_MAIL_KEY_FILE` (default `data/mail.key`),
    /// which is made with a fresh key on first start.
    pub mail_key: Option<String>,
    pub mail_key_file: String,
    /// `KARVON_MAIL_SYNC_SECONDS`: how often each mailbox is synced (default 120; "Sync now" is immediate).
    pub mail_sync_seconds: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    database_url: Option<String>,
    db_max_connections: Option<u32>,
    site_root: Option<String>,
    trust_proxy: Option<bool>,
    trusted_proxies: Option<usize>,
    import_lease_seconds: Option<u64>,
    mail_allow_private_hosts: Option<bool>,
    webhook_allow_private_hosts: Option<bool>,
    mail_ca_file: Option<String>,
    log: Option<String>,
    log_format: Option<String>,
    telephony_token: Option<String>,
    sms_url: Option<String>,
    sms_email: Option<String>,
    sms_password: Option<String>,
    sms_from: Option<String>,
    public_url: Option<String>,
    sms_callback_secret: Option<String>,
    mail_key: Option<String>,
    mail_key_file: Option<String>,
    mail_sync_seconds: Option<u64>,
}

impl Config {
    /// Reads `karvon.toml` (or the file in `KARVON_CONFIG`) if present, then the environment.
    pub fn load() -> Result<Config, String> {
        let path = std::env::var("KARVON_CONFIG").unwrap_or_else(|_| "karvon.toml".into());
        let file: FileConfig = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{path}: {e}"))?,
            Err(_) => FileConfig::default(),
        };
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let addr = env("KARVON_ADDR").or(file.addr).unwrap_or_else(|| "127.0.0.1:3000".into());
        let max = match env("KARVON_DB_MAX_CONNECTIONS") {
            Some(v) => v.parse().map_err(|_| format!("KARVON_DB_MAX_CONNECTIONS: not a number: {v}"))?,
            None => file.db_max_connections.unwrap_or(8),
        };
        let public_url = env("KARVON_PUBLIC_URL").or(file.public_url).map(|u| u.trim_end_matches('/').to_string());
        let sms_callback_secret =
            env("KARVON_SMS_CALLBACK_SECRET").or(file.sms_callback_secret).filter(|s| s.len() >= 16);
        let sms = match (env("KARVON_SMS_URL").or(file.sms_url), env("KARVON_SMS_EMAIL").or(file.sms_email)) {
            (Some(url), Some(email)) => Some(app::interactions::sms::EskizConfig {
                base_url: url.trim_end_matches('/').to_string(),
                email,
                password: env("KARVON_SMS_PASSWORD").or(file.sms_password).unwrap_or_default(),
                from: env("KARVON_SMS_FROM").or(file.sms_from).unwrap_or_else(|| "4546".into()),
                callback_url: public_url
                    .as_ref()
                    .zip(sms_callback_secret.as_ref())
                    .map(|(base, secret)| format!("{base}/api/v1/sms/callback/{secret}")),
                timeout: std::time::Duration::from_secs(15),
            }),
            _ => None,
        };
        Ok(Config {
            addr: addr.parse().map_err(|_| format!("KARVON_ADDR: not an address: {addr}"))?,
            database_url: env("DATABASE_URL").or(file.database_url).unwrap_or_else(|| "sqlite://data/karvon.db".into()),
            db_max_connections: max,
            site_root: env("KARVON_SITE_ROOT").or(file.site_root).unwrap_or_else(|| "target/site".into()),
            trust_proxy: env("KARVON_TRUST_PROXY")
                .map(|v| v == "1" || v == "true")
                .or(file.trust_proxy)
                .unwrap_or(false),
            proxy_hops: match env("KARVON_TRUSTED_PROXIES") {
                Some(v) => v.parse().map_err(|_| format!("KARVON_TRUSTED_PROXIES: not a number: {v}"))?,
                None => file.trusted_proxies.unwrap_or(1),
            },
            import_lease_seconds: match env("KARVON_IMPORT_LEASE_SECONDS") {
                Some(v) => v.parse().map_err(|_| format!("KARVON_IMPORT_LEASE_SECONDS: not a number: {v}"))?,
                None => file.import_lease_seconds.unwrap_or(60),
            }
            .max(2),
            mail_allow_private_hosts: env("KARVON_MAIL_ALLOW_PRIVATE_HOSTS")
                .map(|v| v == "1" || v == "true")
                .or(file.mail_allow_private_hosts)
                .unwrap_or(false),
            webhook_allow_private_hosts: env("KARVON_WEBHOOK_ALLOW_PRIVATE_HOSTS")
                .map(|v| v == "1" || v == "true")
                .or(file.webhook_allow_private_hosts)
                .unwrap_or(false),
            mail_ca_file: env("KARVON_MAIL_CA_FILE").or(file.mail_ca_file),
            log: env("KARVON_LOG").or(file.log).unwrap_or_else(|| "info".into()),
            log_json: env("KARVON_LOG_FORMAT").or(file.log_format).is_some_and(|f| f == "json"),
            telephony_token: env("KARVON_TELEPHONY_TOKEN").or(file.telephony_token).filter(|t| t.len() >= 16),
            sms,
            public_url,
            sms_callback_secret,
            mail_key: env("KARVON_MAIL_KEY").or(file.mail_key),
            mail_key_file: env("KARVON_MAIL_KEY_FILE").or(file.mail_key_file).unwrap_or_else(|| "data/mail.key".into()),
            mail_sync_seconds: match env("KARVON_MAIL_SYNC_SECONDS") {
                Some(v) => v.parse().map_err(|_| format!("KARVON_MAIL_SYNC_SECONDS: not a number: {v}"))?,
                None => file.mail_sync_seconds.unwrap_or(120),
            }
            .max(10),
        })
    }

    /// The database options.
    pub fn db(&self) -> app::core::db::DbConfig {
        app::core::db::DbConfig { url: self.database_url.clone(), max_connections: self.db_max_connections }
    }
}

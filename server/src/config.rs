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
    /// `KARVON_LOG`: tracing filter (default `info`).
    pub log: String,
    /// `KARVON_LOG_FORMAT`: `text` or `json` (default `text`).
    pub log_json: bool,
    /// `KARVON_TELEPHONY_TOKEN`: the secret the phone system sends as `Authorization: Bearer …` with call
    /// events; unset, `/api/v1/telephony/events` refuses every call.
    pub telephony_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    database_url: Option<String>,
    db_max_connections: Option<u32>,
    site_root: Option<String>,
    trust_proxy: Option<bool>,
    log: Option<String>,
    log_format: Option<String>,
    telephony_token: Option<String>,
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
        Ok(Config {
            addr: addr.parse().map_err(|_| format!("KARVON_ADDR: not an address: {addr}"))?,
            database_url: env("DATABASE_URL").or(file.database_url).unwrap_or_else(|| "sqlite://data/karvon.db".into()),
            db_max_connections: max,
            site_root: env("KARVON_SITE_ROOT").or(file.site_root).unwrap_or_else(|| "target/site".into()),
            trust_proxy: env("KARVON_TRUST_PROXY")
                .map(|v| v == "1" || v == "true")
                .or(file.trust_proxy)
                .unwrap_or(false),
            log: env("KARVON_LOG").or(file.log).unwrap_or_else(|| "info".into()),
            log_json: env("KARVON_LOG_FORMAT").or(file.log_format).is_some_and(|f| f == "json"),
            telephony_token: env("KARVON_TELEPHONY_TOKEN").or(file.telephony_token).filter(|t| t.len() >= 16),
        })
    }

    /// The database options.
    pub fn db(&self) -> app::core::db::DbConfig {
        app::core::db::DbConfig { url: self.database_url.clone(), max_connections: self.db_max_connections }
    }
}

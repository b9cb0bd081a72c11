//! What every business area uses: errors, i18n, formatting, ids, and (server only) the database handle.

pub mod archive;
#[cfg(feature = "ssr")]
pub mod db;
pub mod error;
#[cfg(feature = "ssr")]
pub mod events;
pub mod format;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod idempotency;
pub mod identity;
pub mod modules;
pub mod phone;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod settings;
pub mod zone;

pub use error::{AppError, Checks, ErrCode, FieldError};
pub use i18n::{Lang, Msg};

/// The most rows one page of any list gives (REST `limit` and the UI alike).
pub const MAX_PAGE: u32 = 200;

/// Milliseconds since the Unix epoch; every timestamp is stored this way in both databases.
pub type Millis = i64;

/// Current time in epoch milliseconds.
#[cfg(feature = "ssr")]
pub fn now_millis() -> Millis {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    since.as_millis() as Millis
}

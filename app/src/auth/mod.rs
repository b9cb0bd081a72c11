//! Accounts, roles and sessions: the shared model.

pub mod api;
pub mod page_login;
pub mod page_profile;
pub mod page_reset;
pub mod page_setup;
#[cfg(feature = "ssr")]
pub mod reset;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The minimum password length.
pub const MIN_PASSWORD_LEN: usize = 8;

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Reads only: any other method is refused (403).
    Read,
    /// Everything its user may do.
    #[default]
    Write,
}

impl TokenScope {
    /// The stored value (`read`, `write`).
    pub fn code(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<TokenScope> {
        [TokenScope::Read, TokenScope::Write].into_iter().find(|t| t.code() == s)
    }

    /// Its name in the UI.
    pub fn msg(self) -> crate::core::Msg {
        match self {
            TokenScope::Read => crate::core::Msg::TokenRead,
            TokenScope::Write => crate::core::Msg::TokenWrite,
        }
    }
}

/// The expiries offered for a new token, in days (`None`: never).
pub const TOKEN_EXPIRY_DAYS: [Option<i64>; 4] = [None, Some(30), Some(90), Some(365)];

/// An API token as listed (the secret itself is shown once, at creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    /// Whose token it is (shown in the administrators' list).
    pub user_id: i64,
    pub user_name: String,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// When it stops working, if ever.
    pub expires_at: Option<i64>,
    /// Past its expiry when listed.
    pub expired: bool,
    pub revoked: bool,
}

/// Checks a new password and its repetition.
pub fn check_new_password(checks: &mut crate::core::Checks, password: &str, repeat: &str) {
    use crate::core::ErrCode;
    if password.chars().count() < MIN_PASSWORD_LEN {
        checks.fail("new_password", ErrCode::TooShort);
    } else if password.len() > 1024 {
        checks.fail("new_password", ErrCode::TooLong);
    }
    if password != repeat {
        checks.fail("password_repeat", ErrCode::PasswordsDiffer);
    }
}

/// Validates the fields of a new account; returns the trimmed `(email, name)`.
pub fn validate_new_account(
    name: &str,
    email: &str,
    password: &str,
    repeat: &str,
) -> Result<(String, String), crate::core::AppError> {
    use crate::core::{Checks, ErrCode};
    let mut checks = Checks::default();
    let name = checks.text("name", name, 200);
    let email = match checks.opt_email("email", Some(email)) {
        Some(e) => e,
        None => {
            checks.fail("email", ErrCode::Required);
            String::new()
        }
    };
    let mut pw = Checks::default();
    check_new_password(&mut pw, password, repeat);
    // The set-up and user forms call the field `password`, not `new_password`.
    for f in pw.into_fields() {
        let field = if f.field == "new_password" { "password" } else { f.field.as_str() };
        checks.fail(field, f.code);
    }
    checks.finish()?;
    Ok((email, name))
}

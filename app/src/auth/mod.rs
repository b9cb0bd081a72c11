//! Accounts, roles and sessions: the shared model.

pub mod api;
pub mod page_login;
pub mod page_profile;
pub mod page_setup;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::{Lang, Msg};

/// What a user may do. A manager sees their own records, a sales head their team's, an administrator all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    SalesHead,
    Manager,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::SalesHead, Role::Manager];

    /// The value stored in the database and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::SalesHead => "sales_head",
            Role::Manager => "manager",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Its name in the UI.
    pub fn msg(self) -> Msg {
        match self {
            Role::Admin => Msg::RoleAdmin,
            Role::SalesHead => Msg::RoleSalesHead,
            Role::Manager => Msg::RoleManager,
        }
    }
}

/// The signed-in user, as the server resolved them from the session cookie or API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<i64>,
    pub lang: Option<Lang>,
}

/// Which records a user may see and change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything (administrator).
    All,
    /// Records of the users of this team, and the user's own (sales head).
    Team { team_id: i64, user_id: i64 },
    /// Only the user's own records (manager, or a sales head without a team).
    Own { user_id: i64 },
}

impl CurrentUser {
    /// The user's record scope by role.
    pub fn scope(&self) -> Scope {
        match (self.role, self.team_id) {
            (Role::Admin, _) => Scope::All,
            (Role::SalesHead, Some(team_id)) => Scope::Team { team_id, user_id: self.id },
            _ => Scope::Own { user_id: self.id },
        }
    }

    /// `true` for an administrator.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// What the UI shell needs about the visitor: who (if anyone), which language, which modules are on.
/// Resolved once per page by the server and embedded in the document, so both sides render with it at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SessionInfo {
    pub user: Option<CurrentUser>,
    pub lang: Lang,
    /// `true` while no user exists: the UI offers the one-time administrator set-up.
    pub needs_setup: bool,
    pub disabled_modules: Vec<String>,
}

/// The minimum password length.
pub const MIN_PASSWORD_LEN: usize = 8;

/// An API token as listed (the secret itself is shown once, at creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, team_id: Option<i64>) -> CurrentUser {
        CurrentUser { id: 7, email: "a@b.uz".into(), name: "A".into(), role, team_id, lang: None }
    }

    #[test]
    fn scopes_by_role() {
        assert_eq!(user(Role::Admin, Some(1)).scope(), Scope::All);
        assert_eq!(user(Role::SalesHead, Some(3)).scope(), Scope::Team { team_id: 3, user_id: 7 });
        assert_eq!(user(Role::SalesHead, None).scope(), Scope::Own { user_id: 7 });
        assert_eq!(user(Role::Manager, Some(3)).scope(), Scope::Own { user_id: 7 });
        assert_eq!(Role::parse("sales_head"), Some(Role::SalesHead));
        assert_eq!(Role::parse("boss"), None);
    }
}

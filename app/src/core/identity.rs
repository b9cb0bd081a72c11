//! Who is asking: roles, the signed-in user, their record scope, and what the UI shell knows of the visitor.
//! Below every area (the request context, the UI helpers and every store use it); `auth` manages accounts.

use serde::{Deserialize, Serialize};

use super::{Lang, Msg};

/// What a user may do. A manager sees their own records, a sales head their team's, an administrator all; a
/// storekeeper works in stock and, in the CRM, is scoped like a manager; an accountant sees every customer's
/// money (orders, invoices, payments, debts), issues invoices and posts payments, and in the CRM is scoped
/// like a manager (no one's deals to edit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    SalesHead,
    Manager,
    /// Keeps the catalog and posts the stock documents of the warehouses they keep; sees no one's customers.
    Storekeeper,
    /// Invoices and payments of all customers; reads their orders; edits no deals.
    Accountant,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::SalesHead, Role::Manager, Role::Storekeeper, Role::Accountant];

    /// The value stored in the database and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::SalesHead => "sales_head",
            Role::Manager => "manager",
            Role::Storekeeper => "storekeeper",
            Role::Accountant => "accountant",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role keeps the stock catalog (products, groups, their import).
    pub fn keeps_catalog(self) -> bool {
        matches!(self, Role::Admin | Role::Storekeeper)
    }

    /// Whether this role keeps the company's money: bank accounts and cash desks, payments posted,
    /// allocated and reversed.
    pub fn keeps_money(self) -> bool {
        matches!(self, Role::Admin | Role::Accountant)
    }

    /// Its name in the UI.
    pub fn msg(self) -> Msg {
        match self {
            Role::Admin => Msg::RoleAdmin,
            Role::SalesHead => Msg::RoleSalesHead,
            Role::Manager => Msg::RoleManager,
            Role::Storekeeper => Msg::RoleStorekeeper,
            Role::Accountant => Msg::RoleAccountant,
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
    /// An administrator set the password: the user must choose their own before anything else.
    #[serde(default)]
    pub must_change_password: bool,
    /// The user's own time zone (IANA name); `None`: the company's.
    #[serde(default)]
    pub time_zone: Option<String>,
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

    /// Whose money (orders, invoices, payments, debts) the user sees: none for a storekeeper, every
    /// customer's for an administrator or an accountant, otherwise that of the customers in their scope.
    pub fn money_scope(&self) -> Option<Scope> {
        match self.role {
            Role::Storekeeper => None,
            Role::Admin | Role::Accountant => Some(Scope::All),
            Role::Manager | Role::SalesHead => Some(self.scope()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, team_id: Option<i64>) -> CurrentUser {
        CurrentUser {
            id: 7,
            email: "a@b.uz".into(),
            name: "A".into(),
            role,
            team_id,
            lang: None,
            must_change_password: false,
            time_zone: None,
        }
    }

    #[test]
    fn scopes_by_role() {
        assert_eq!(user(Role::Admin, Some(1)).scope(), Scope::All);
        assert_eq!(user(Role::SalesHead, Some(3)).scope(), Scope::Team { team_id: 3, user_id: 7 });
        assert_eq!(user(Role::SalesHead, None).scope(), Scope::Own { user_id: 7 });
        assert_eq!(user(Role::Manager, Some(3)).scope(), Scope::Own { user_id: 7 });
        assert_eq!(Role::parse("sales_head"), Some(Role::SalesHead));
        assert_eq!(Role::parse("boss"), None);
        assert_eq!(user(Role::Accountant, Some(3)).scope(), Scope::Own { user_id: 7 });
        assert_eq!(user(Role::Accountant, Some(3)).money_scope(), Some(Scope::All));
        assert_eq!(user(Role::Manager, None).money_scope(), Some(Scope::Own { user_id: 7 }));
        assert_eq!(user(Role::Storekeeper, None).money_scope(), None);
    }
}

//! Administration: users (create, role, team, deactivate; never delete) and teams.

pub mod api;
pub mod page_teams;
pub mod page_users;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::identity::Role;

/// A user as the administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub active: bool,
    /// The phone system extension that rings this user (call pop-ups, logged calls).
    pub phone_ext: Option<String>,
    /// A change must name the version it was read at (409 when stale).
    pub version: i64,
}

/// A team of managers led by a sales head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub members: i64,
}

//! Server functions for administration; every one requires the administrator role.

use leptos::prelude::*;

use super::{Team, UserInfo};
use crate::core::AppError;

/// The signed-in administrator and the database, or `Forbidden`.
#[cfg(feature = "ssr")]
pub fn admin_session() -> Result<(crate::core::request::RequestCtx, crate::core::db::Db), AppError> {
    let (ctx, db) = crate::core::request::session()?;
    if !ctx.user()?.is_admin() {
        return Err(AppError::Forbidden);
    }
    Ok((ctx, db))
}

/// All users.
#[server(prefix = "/rpc", endpoint = "admin/users")]
pub async fn list_users() -> Result<Vec<UserInfo>, AppError> {
    let (_, db) = admin_session().inspect_err(crate::core::request::set_status)?;
    super::store::list_users(&db).await
}

/// Users and teams together, for the users page (one call: one resource, one round trip).
#[server(prefix = "/rpc", endpoint = "admin/users-and-teams")]
pub async fn users_and_teams() -> Result<(Vec<UserInfo>, Vec<Team>), AppError> {
    let (_, db) = admin_session().inspect_err(crate::core::request::set_status)?;
    Ok((super::store::list_users(&db).await?, super::store::list_teams(&db).await?))
}

/// Creates a user with a role and an optional team.
#[server(prefix = "/rpc", endpoint = "admin/users/create")]
pub async fn create_user(
    name: String,
    email: String,
    password: String,
    password_repeat: String,
    role: String,
    team_id: Option<String>,
) -> Result<i64, AppError> {
    use crate::auth::store;
    use crate::core::ErrCode;
    use crate::core::identity::Role;
    let run = async {
        let (_, db) = admin_session()?;
        let role = Role::parse(&role).ok_or_else(|| AppError::field("role", ErrCode::InvalidChoice))?;
        let team_id = parse_team(team_id)?;
        let (email, name) = crate::auth::validate_new_account(&name, &email, &password, &password_repeat)?;
        let hash = store::hash_password_async(password).await?;
        store::create_user(&db, store::NewUserRow { email: &email, name: &name, password_hash: &hash, role, team_id })
            .await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Changes a user's role, team and whether they may sign in.
#[server(prefix = "/rpc", endpoint = "admin/users/update")]
pub async fn update_user(
    id: i64,
    version: i64,
    role: String,
    team_id: Option<String>,
    active: Option<String>,
    phone_ext: Option<String>,
) -> Result<(), AppError> {
    use crate::core::ErrCode;
    use crate::core::identity::Role;
    let run = async {
        let (_, db) = admin_session()?;
        let role = Role::parse(&role).ok_or_else(|| AppError::field("role", ErrCode::InvalidChoice))?;
        let team_id = parse_team(team_id)?;
        let active = active.is_some_and(|v| v == "true" || v == "on");
        let ext = phone_ext.as_deref().map(str::trim).filter(|e| !e.is_empty());
        if ext.is_some_and(|e| e.len() > 20 || !e.chars().all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '#')) {
            return Err(AppError::field("phone_ext", ErrCode::InvalidChoice));
        }
        let change = super::store::UserChange { id, version, role, team_id, active, phone_ext: ext };
        super::store::update_user(&db, &change).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Gives a user a temporary password: their sessions end, their API tokens are revoked, and they must choose
/// their own password at their next sign-in. Administrators change their own password in their profile.
#[server(prefix = "/rpc", endpoint = "admin/users/password")]
pub async fn set_user_password(id: i64, new_password: String, password_repeat: String) -> Result<(), AppError> {
    use crate::auth::store;
    use crate::core::{Checks, ErrCode};
    let run = async {
        let (ctx, db) = admin_session()?;
        let mut checks = Checks::default();
        if ctx.user()?.id == id {
            checks.fail("new_password", ErrCode::OwnPasswordInProfile);
        }
        crate::auth::check_new_password(&mut checks, &new_password, &password_repeat);
        checks.finish()?;
        let hash = store::hash_password_async(new_password).await?;
        store::reset_password(&db, id, &hash, true).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

#[cfg(feature = "ssr")]
fn parse_team(team_id: Option<String>) -> Result<Option<i64>, AppError> {
    match team_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| AppError::field("team_id", crate::core::ErrCode::InvalidChoice)),
    }
}

/// Every user's API tokens, newest first (administrators see and revoke them all).
#[server(prefix = "/rpc", endpoint = "admin/tokens")]
pub async fn list_all_tokens() -> Result<Vec<crate::auth::ApiTokenInfo>, AppError> {
    let (_, db) = admin_session().inspect_err(crate::core::request::set_status)?;
    crate::auth::store::list_api_tokens(&db, None).await
}

/// Revokes any user's API token.
#[server(prefix = "/rpc", endpoint = "admin/tokens/revoke")]
pub async fn revoke_any_token(id: i64) -> Result<(), AppError> {
    let run = async {
        let (_, db) = admin_session()?;
        crate::auth::store::revoke_api_token(&db, None, id).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// All teams.
#[server(prefix = "/rpc", endpoint = "admin/teams")]
pub async fn list_teams() -> Result<Vec<Team>, AppError> {
    let (_, db) = admin_session().inspect_err(crate::core::request::set_status)?;
    super::store::list_teams(&db).await
}

/// Creates a team.
#[server(prefix = "/rpc", endpoint = "admin/teams/create")]
pub async fn create_team(name: String) -> Result<i64, AppError> {
    let run = async {
        let (_, db) = admin_session()?;
        let mut checks = crate::core::Checks::default();
        let name = checks.text("name", &name, 100);
        checks.finish()?;
        super::store::create_team(&db, &name).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

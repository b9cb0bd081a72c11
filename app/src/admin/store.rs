//! SQL for user and team administration.

use super::{Team, UserInfo};
use crate::auth::Role;
use crate::core::db::Db;
use crate::core::{AppError, ErrCode, now_millis};
use crate::db_run;

type UserTuple = (i64, String, String, String, Option<i64>, Option<String>, bool, Option<String>);

/// Users ordered by name (an administrator's list: hundreds, not millions; capped).
pub async fn list_users(db: &Db) -> Result<Vec<UserInfo>, AppError> {
    let sql = "SELECT u.id, u.email, u.name, u.role, u.team_id, t.name, u.active, u.phone_ext FROM users u \
               LEFT JOIN teams t ON t.id = u.team_id ORDER BY u.active DESC, u.name LIMIT 1000";
    let rows: Vec<UserTuple> = db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, email, name, role, team_id, team_name, active, phone_ext)| UserInfo {
            id,
            email,
            name,
            role: Role::parse(&role).unwrap_or(Role::Manager),
            team_id,
            team_name,
            active,
            phone_ext,
        })
        .collect())
}

/// Changes a user's role, team and active flag. The last active administrator cannot be demoted or deactivated.
pub async fn update_user(
    db: &Db,
    id: i64,
    role: Role,
    team_id: Option<i64>,
    active: bool,
    phone_ext: Option<&str>,
) -> Result<(), AppError> {
    let admins_left: i64 = db_run!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active AND id <> $1").bind(id).fetch_one(p).await)?;
    if admins_left == 0 && (role != Role::Admin || !active) {
        return Err(AppError::field("role", ErrCode::InvalidChoice));
    }
    let sql = "UPDATE users SET role = $1, team_id = $2, active = $3, phone_ext = $5 WHERE id = $4";
    let res = db_run!(db, p => sqlx::query(sql).bind(role.as_str()).bind(team_id).bind(active).bind(id).bind(phone_ext)
        .execute(p).await.map(|r| r.rows_affected()));
    match res {
        Err(ref e) if crate::core::db::is_unique_violation(e) => {
            Err(AppError::field("phone_ext", ErrCode::AlreadyThere))
        }
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            Err(AppError::field("team_id", ErrCode::InvalidChoice))
        }
        Err(e) => Err(e.into()),
        Ok(0) => Err(AppError::NotFound),
        Ok(_) => {
            if !active {
                db_run!(db, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(p).await.map(|r| r.rows_affected()))?;
            }
            Ok(())
        }
    }
}

/// Teams with their member counts.
pub async fn list_teams(db: &Db) -> Result<Vec<Team>, AppError> {
    let sql = "SELECT t.id, t.name, (SELECT COUNT(*) FROM users u WHERE u.team_id = t.id) FROM teams t ORDER BY t.name LIMIT 1000";
    let rows: Vec<(i64, String, i64)> = db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(id, name, members)| Team { id, name, members }).collect())
}

/// Creates a team; `NameTaken` if the name exists.
pub async fn create_team(db: &Db, name: &str) -> Result<i64, AppError> {
    let sql = "INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id";
    let res: Result<i64, sqlx::Error> =
        db_run!(db, p => sqlx::query_scalar(sql).bind(name).bind(now_millis()).fetch_one(p).await);
    match res {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AppError::field("name", ErrCode::NameTaken)),
        other => Ok(other?),
    }
}

/// The active people whose work `scope` covers, by name (`(id, name)`): everyone for an administrator,
/// the team for a sales head, oneself for a manager. Filters and assignee choices offer them.
pub async fn staff(db: &Db, scope: crate::auth::Scope) -> Result<Vec<(i64, String)>, AppError> {
    use crate::auth::Scope;
    let (sql, id) = match scope {
        Scope::All => ("SELECT id, name FROM users WHERE active OR id = $1 ORDER BY name LIMIT 1000", 0),
        Scope::Team { team_id, .. } => {
            ("SELECT id, name FROM users WHERE active AND team_id = $1 ORDER BY name LIMIT 1000", team_id)
        }
        Scope::Own { user_id } => ("SELECT id, name FROM users WHERE id = $1", user_id),
    };
    let mut people: Vec<(i64, String)> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    // A sales head is in their own scope even when the team list misses them (no team row yet).
    if let Scope::Team { user_id, .. } = scope
        && !people.iter().any(|(id, _)| *id == user_id)
    {
        let me: Vec<(i64, String)> = db_run!(db, p => sqlx::query_as("SELECT id, name FROM users WHERE id = $1").bind(user_id).fetch_all(p).await)?;
        people.extend(me);
    }
    Ok(people)
}

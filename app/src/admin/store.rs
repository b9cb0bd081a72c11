//! SQL for user and team administration.

use super::{Team, UserInfo};
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::Role;
use crate::core::{AppError, ErrCode, now_millis};
use crate::db_run;

type UserTuple = (i64, String, String, String, Option<i64>, Option<String>, bool, Option<String>, i64);

/// Users ordered by name (an administrator's list: hundreds, not millions; capped).
pub async fn list_users(db: &Db) -> Result<Vec<UserInfo>, AppError> {
    let sql = "SELECT u.id, u.email, u.name, u.role, u.team_id, t.name, u.active, u.phone_ext, u.version FROM users u \
               LEFT JOIN teams t ON t.id = u.team_id ORDER BY u.active DESC, u.name LIMIT 1000";
    let rows: Vec<UserTuple> = db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, email, name, role, team_id, team_name, active, phone_ext, version)| UserInfo {
            id,
            email,
            name,
            role: Role::parse(&role).unwrap_or(Role::Manager),
            team_id,
            team_name,
            active,
            phone_ext,
            version,
        })
        .collect())
}

/// What an administrator changes about a user, and the version they read.
pub struct UserChange<'a> {
    pub id: i64,
    pub version: i64,
    pub role: Role,
    pub team_id: Option<i64>,
    pub active: bool,
    pub phone_ext: Option<&'a str>,
}

/// Changes a user's role, team and active flag if `version` is still current (`Conflict` otherwise). The last
/// active administrator cannot be demoted or deactivated, even by two administrators demoting each other at
/// once: the change and the count of administrators left are one transaction, which holds the
/// administrators' rows (PostgreSQL) or the write lock (SQLite) until it ends. A deactivated user's
/// sessions end with it.
pub async fn update_user(db: &Db, c: &UserChange<'_>) -> Result<(), AppError> {
    enum Outcome {
        Done,
        Stale,
        LastAdmin,
    }
    let lock_admins = db.is_postgres();
    let sql = "UPDATE users SET role = $1, team_id = $2, active = $3, phone_ext = $5, version = version + 1 \
               WHERE id = $4 AND version = $6";
    let res = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        if lock_admins {
            sqlx::query("SELECT id FROM users WHERE role = 'admin' AND active FOR UPDATE").execute(&mut *tx).await?;
        }
        let n = sqlx::query(sql).bind(c.role.as_str()).bind(c.team_id).bind(c.active).bind(c.id).bind(c.phone_ext)
            .bind(c.version).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            tx.rollback().await?;
            return Ok(Outcome::Stale);
        }
        let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active")
            .fetch_one(&mut *tx).await?;
        if admins == 0 {
            tx.rollback().await?;
            return Ok(Outcome::LastAdmin);
        }
        if !c.active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(c.id).execute(&mut *tx).await?;
        }
        tx.commit().await.map(|_| Outcome::Done)
    }.await);
    match res {
        Err(ref e) if crate::core::db::is_unique_violation(e) => {
            Err(AppError::field("phone_ext", ErrCode::AlreadyThere))
        }
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            Err(AppError::field("team_id", ErrCode::InvalidChoice))
        }
        Err(e) => Err(e.into()),
        Ok(Outcome::Done) => Ok(()),
        Ok(Outcome::LastAdmin) => Err(AppError::field("role", ErrCode::InvalidChoice)),
        Ok(Outcome::Stale) => {
            let exists: Option<i64> = db_run!(db, p => sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
                .bind(c.id).fetch_optional(p).await)?;
            Err(if exists.is_some() { AppError::Conflict } else { AppError::NotFound })
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
pub async fn staff(db: &Db, scope: crate::core::identity::Scope) -> Result<Vec<(i64, String)>, AppError> {
    use crate::core::identity::Scope;
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

//! Task operations with their rules: a task is seen and changed by its assignee, its author, and whoever's
//! scope covers the assignee (a sales head their team, an administrator everyone). Tasks about a customer
//! need that customer in the user's scope.

use super::store::{self, TaskQuery};
use super::{MyDay, NewTask, Notification, Task, TaskPage, TaskPatch};
use crate::core::db::Db;
use crate::core::identity::{CurrentUser, Scope};
use crate::core::{AppError, ErrCode, now_millis};
use crate::customers::store as customers;
use crate::db_run;

/// Whether `user` may see `task`.
async fn visible(db: &Db, user: &CurrentUser, task: &Task) -> Result<bool, AppError> {
    if task.assignee_id == user.id || task.created_by == user.id {
        return Ok(true);
    }
    covers(db, user, task.assignee_id).await
}

/// Whether `user`'s scope covers the work of `other`.
pub(crate) async fn covers(db: &Db, user: &CurrentUser, other: i64) -> Result<bool, AppError> {
    Ok(match user.scope() {
        Scope::All => true,
        Scope::Own { user_id } => user_id == other,
        Scope::Team { team_id, user_id } => {
            let team: Option<Option<i64>> = db_run!(db, p => sqlx::query_scalar("SELECT team_id FROM users WHERE id = $1")
                .bind(other).fetch_optional(p).await)?;
            user_id == other || team.flatten() == Some(team_id)
        }
    })
}

/// Checks that `user` may give work to `assignee` (oneself; the team as sales head; anyone active as admin).
async fn check_assignee(db: &Db, user: &CurrentUser, assignee: i64) -> Result<(), AppError> {
    customers::check_assignable(db, user, assignee).await.map_err(|e| {
        if matches!(e, AppError::Validation { .. }) {
            AppError::field("assignee_id", ErrCode::InvalidChoice)
        } else {
            e
        }
    })
}

/// Creates a task; the assignee defaults to `user`.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewTask) -> Result<Task, AppError> {
    let values = input.validate(now_millis())?;
    let mut input = input.clone();
    if let (None, Some(deal)) = (input.customer_id, input.deal_id) {
        input.customer_id = crate::deals::store::customer_of(db, deal).await?;
    }
    let input = &input;
    crate::deals::service::check_link(db, user, input.customer_id, input.deal_id).await?;
    let assignee = input.assignee_id.unwrap_or(user.id);
    check_assignee(db, user, assignee).await?;
    if let Some(c) = input.customer_id {
        match customers::get(db, user.scope(), c).await {
            Ok(_) => {}
            Err(AppError::NotFound | AppError::Forbidden) => {
                return Err(AppError::field("customer_id", ErrCode::InvalidChoice));
            }
            Err(e) => return Err(e),
        }
    }
    match (input.customer_id, input.contact_id) {
        (Some(c), contact) => crate::interactions::service::check_contact(db, c, contact).await?,
        // A contact person only through their customer.
        (None, Some(_)) => return Err(AppError::field("contact_id", ErrCode::InvalidChoice)),
        (None, None) => {}
    }
    let id = store::create(db, user.id, assignee, input.customer_id, input.contact_id, input.deal_id, &values).await?;
    store::get(db, id).await
}

/// One task `user` may see.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Task, AppError> {
    let task = store::get(db, id).await?;
    if visible(db, user, &task).await? { Ok(task) } else { Err(AppError::Forbidden) }
}

/// Applies a patch based on `patch.version`; a stale version is a `Conflict`.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &TaskPatch) -> Result<Task, AppError> {
    let current = get(db, user, id).await?;
    if current.version != patch.version {
        return Err(AppError::Conflict);
    }
    let now = now_millis();
    let values = patch.apply(&current, now)?;
    let assignee = patch.assignee_id.unwrap_or(current.assignee_id);
    if assignee != current.assignee_id {
        check_assignee(db, user, assignee).await?;
    }
    let done_at = match patch.done {
        Some(true) => current.done_at.or(Some(now)),
        Some(false) => None,
        None => current.done_at,
    };
    store::update(db, &current, patch.version, assignee, &values, done_at).await?;
    store::get(db, id).await
}

/// "My day" of `user`, or of `of` (someone in `user`'s scope).
pub async fn my_day(db: &Db, user: &CurrentUser, of: Option<i64>) -> Result<MyDay, AppError> {
    let whose = of.unwrap_or(user.id);
    if !covers(db, user, whose).await? {
        return Err(AppError::Forbidden);
    }
    store::my_day(db, whose, now_millis()).await
}

/// A page of the tasks `user` may see.
pub async fn list(db: &Db, user: &CurrentUser, q: &TaskQuery) -> Result<TaskPage, AppError> {
    if let Some(c) = q.customer_id {
        customers::get(db, user.scope(), c).await?;
    }
    store::list(db, user.scope(), q).await
}

/// `user`'s unread notifications after id `after`.
pub async fn unread(db: &Db, user: &CurrentUser, after: i64) -> Result<Vec<Notification>, AppError> {
    store::unread(db, user.id, after).await
}

/// Whose calendar to show: `None` the user's, `"team"` everyone in the user's scope, or one colleague in it.
pub async fn calendar_users(db: &Db, user: &CurrentUser, of: Option<&str>) -> Result<Vec<i64>, AppError> {
    match of.filter(|o| !o.is_empty()) {
        None => Ok(vec![user.id]),
        Some("team") => Ok(crate::admin::store::staff(db, user.scope()).await?.into_iter().map(|(id, _)| id).collect()),
        Some(id) => {
            let id: i64 = id.parse().map_err(|_| AppError::field("of", ErrCode::InvalidChoice))?;
            if covers(db, user, id).await? { Ok(vec![id]) } else { Err(AppError::Forbidden) }
        }
    }
}

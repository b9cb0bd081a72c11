//! Customer operations with their permission rules; shared by the server functions and the REST API.

use super::store::{self, ListQuery};
use super::{Customer, CustomerPage, CustomerPatch, NewCustomer};
use crate::audit::{FieldChange, TimelinePage};
use crate::auth::CurrentUser;
use crate::core::AppError;
use crate::core::db::Db;

/// A page of the customers `user` may see.
pub async fn list(db: &Db, user: &CurrentUser, query: &ListQuery) -> Result<CustomerPage, AppError> {
    store::list(db, user.scope(), query).await
}

/// One customer, if `user` may see it.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Customer, AppError> {
    store::get(db, user.scope(), id).await
}

/// Validates and creates a customer; the responsible manager defaults to `user`.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewCustomer) -> Result<Customer, AppError> {
    let values = input.validate()?;
    let manager_id = input.manager_id.unwrap_or(user.id);
    store::check_assignable(db, user, manager_id).await?;
    let created = store::create(db, user, manager_id, &values).await?;
    super::search::refresh(db, created.id).await?;
    Ok(created)
}

/// Applies a patch based on `patch.version`; a stale version is a `Conflict`, never an overwrite.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &CustomerPatch) -> Result<Customer, AppError> {
    let current = store::get(db, user.scope(), id).await?;
    if current.version != patch.version {
        return Err(AppError::Conflict);
    }
    let values = patch.apply(&current)?;
    let manager_id = patch.manager_id.unwrap_or(current.manager_id);
    let mut changes = values.changes_from(&current);
    if manager_id != current.manager_id {
        store::check_assignable(db, user, manager_id).await?;
        let new = store::user_name(db, manager_id).await?;
        changes.push(FieldChange { field: "manager".into(), old: Some(current.manager_name.clone()), new: Some(new) });
    }
    let updated = store::update(db, user, id, patch.version, manager_id, &values, &changes).await?;
    super::search::refresh(db, id).await?;
    Ok(updated)
}

/// A page of the customer's timeline (its audit log, newest first), if `user` may see the customer.
pub async fn timeline(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    cursor: Option<&str>,
    limit: u32,
) -> Result<TimelinePage, AppError> {
    store::get(db, user.scope(), id).await?;
    crate::audit::store::timeline(db, id, cursor, limit).await
}

//! Contact operations with their rules: a contact is visible and editable to whoever may see one of the
//! customers it is linked to.

use super::store;
use super::{Contact, ContactPatch, LinkContact, NewContact};
use crate::core::AppError;
use crate::core::db::Db;
use crate::core::identity::{CurrentUser, Scope};
use crate::custom_fields::FieldEntity;
use crate::custom_fields::store as fields;
use crate::customers::search;
use crate::customers::store as customers;

/// The contacts of a customer `user` may see, with their custom field values.
pub async fn list_for_customer(db: &Db, user: &CurrentUser, customer_id: i64) -> Result<Vec<Contact>, AppError> {
    customers::get(db, user.scope(), customer_id).await?;
    let mut list = store::list_for_customer(db, customer_id).await?;
    let defs = fields::list(db, FieldEntity::Contact).await?;
    let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
    let mut values = fields::values(db, &defs, &ids).await?;
    for c in &mut list {
        c.custom = values.remove(&c.id).unwrap_or_default();
    }
    Ok(list)
}

/// A page of every contact `user` may see (through a customer in scope), oldest change first (a sync job's
/// read).
pub async fn changed(
    db: &Db,
    user: &CurrentUser,
    read: &crate::customers::store::SyncRead,
) -> Result<super::ContactPage, AppError> {
    let (mut items, next_cursor) = store::changed(db, user.scope(), read).await?;
    let defs = fields::list(db, FieldEntity::Contact).await?;
    let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
    let mut values = fields::values(db, &defs, &ids).await?;
    for c in &mut items {
        c.custom = values.remove(&c.id).unwrap_or_default();
    }
    Ok(super::ContactPage { items, next_cursor })
}

/// One contact with its custom field values, if one of its customers is in `user`'s scope.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Contact, AppError> {
    let defs = fields::list(db, FieldEntity::Contact).await?;
    let mut c = store::get(db, id).await?;
    c.custom = fields::values_of(db, &defs, id).await?;
    if user.scope() == Scope::All {
        return Ok(c);
    }
    for link in &c.customers {
        if customers::get(db, user.scope(), link.customer_id).await.is_ok() {
            return Ok(c);
        }
    }
    Err(AppError::Forbidden)
}

/// Creates a contact for a customer.
pub async fn create(db: &Db, user: &CurrentUser, customer_id: i64, input: &NewContact) -> Result<Contact, AppError> {
    customers::get(db, user.scope(), customer_id).await?;
    let defs = fields::list(db, FieldEntity::Contact).await?;
    let values = input.validate_with(&defs, true)?;
    let role = input.role.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let custom = crate::custom_fields::merged(&defs, &Default::default(), &values.custom);
    let custom_changes = crate::custom_fields::changes(&defs, &Default::default(), &custom);
    let created = store::create(db, user.id, customer_id, &values, role, &custom_changes).await?;
    search::refresh(db, customer_id).await?;
    get(db, user, created.id).await
}

/// Applies a patch based on `patch.version`; a stale version is a `Conflict`.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &ContactPatch) -> Result<Contact, AppError> {
    let c = get(db, user, id).await?;
    if c.version != patch.version {
        return Err(AppError::Conflict);
    }
    let defs = fields::list(db, FieldEntity::Contact).await?;
    let values = patch.apply(&c, &defs)?;
    let mut changes = values.changes_from(Some(&c));
    let custom = crate::custom_fields::merged(&defs, &c.custom, &values.custom);
    changes.extend(crate::custom_fields::changes(&defs, &c.custom, &custom));
    store::update(db, user.id, &c, patch.version, &values, &changes).await?;
    let linked: Vec<i64> = c.customers.iter().map(|l| l.customer_id).collect();
    search::refresh_all(db, linked).await?;
    get(db, user, id).await
}

/// Links a visible contact to another customer in scope.
pub async fn link(db: &Db, user: &CurrentUser, id: i64, l: &LinkContact) -> Result<Contact, AppError> {
    let c = get(db, user, id).await?;
    match customers::get(db, user.scope(), l.customer_id).await {
        Ok(_) => {}
        Err(AppError::NotFound | AppError::Forbidden) => {
            return Err(AppError::field("customer_id", crate::core::ErrCode::InvalidChoice));
        }
        Err(e) => return Err(e),
    }
    let role = l.role.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if role.is_some_and(|r| r.chars().count() > 100) {
        return Err(AppError::field("role", crate::core::ErrCode::TooLong));
    }
    let linked = store::link(db, user.id, &c, l.customer_id, role).await?;
    search::refresh(db, l.customer_id).await?;
    Ok(linked)
}

//! Custom field operations with their permission rules: anyone signed in reads the definitions (forms and
//! cards need them); only an administrator defines, changes and retires fields.

use super::{CustomField, CustomFieldPatch, FieldEntity, NewCustomField, store};
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, now_millis};

/// The fields of `entity`, retired ones included (their values are still shown).
pub async fn list(db: &Db, _user: &CurrentUser, entity: FieldEntity) -> Result<Vec<CustomField>, AppError> {
    store::list(db, entity).await
}

/// Defines a new field (administrators only).
pub async fn create(db: &Db, user: &CurrentUser, input: &NewCustomField) -> Result<CustomField, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let mut values = input.validate(&format!("field_{}", now_millis() % 1_000_000))?;
    if input.position.is_none() {
        values.position = store::next_position(db, values.entity).await?;
    }
    store::create(db, &values).await
}

/// Changes a field's label, choices, required flag or position, or retires it (administrators only).
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &CustomFieldPatch) -> Result<CustomField, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let current = store::get(db, id).await?;
    if current.version != patch.version {
        return Err(AppError::Conflict);
    }
    let changed = patch.apply(&current)?;
    store::update(db, &changed, patch.version).await
}

//! Counterparty operations with their rules. A counterparty is visible and editable to whoever may see the
//! customer it belongs to now; moving it also needs access to the receiving customer.

use super::store;
use super::{Counterparty, CounterpartyList, CounterpartyPatch, MoveCounterparty, NewBankAccount, NewCounterparty};
use crate::core::db::Db;
use crate::core::format::{date_input, parse_date};
use crate::core::identity::CurrentUser;
use crate::core::{AppError, ErrCode, Millis, now_millis};
use crate::customers::search;
use crate::customers::store as customers;

/// Midnight today, company time.
fn today() -> Millis {
    parse_date(&date_input(now_millis())).unwrap_or_else(now_millis)
}

/// A customer's current and former counterparties, if `user` may see the customer.
pub async fn list_for_customer(db: &Db, user: &CurrentUser, customer_id: i64) -> Result<CounterpartyList, AppError> {
    customers::get(db, user.scope(), customer_id).await?;
    store::list_for_customer(db, customer_id).await
}

/// A page of every counterparty `user` may see (its current customer in scope), oldest change first from
/// `since` (a sync job's read).
pub async fn changed(
    db: &Db,
    user: &CurrentUser,
    read: &crate::customers::store::SyncRead,
) -> Result<super::CounterpartyPage, AppError> {
    let (items, next_cursor) = store::changed(db, user.scope(), read).await?;
    Ok(super::CounterpartyPage { items, next_cursor })
}

/// One counterparty, if `user` may see the customer it belongs to.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Counterparty, AppError> {
    let c = store::get(db, id).await?;
    customers::get(db, user.scope(), c.customer_id).await?;
    Ok(c)
}

/// Adds a counterparty to a customer, from the given date (today by default).
pub async fn create(
    db: &Db,
    user: &CurrentUser,
    customer_id: i64,
    input: &NewCounterparty,
) -> Result<Counterparty, AppError> {
    customers::get(db, user.scope(), customer_id).await?;
    let values = input.validate()?;
    let from = match input.from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => today(),
        Some(s) => parse_date(s).ok_or_else(|| AppError::field("from", ErrCode::InvalidDate))?,
    };
    let created = store::create(db, user.id, customer_id, &values, from).await?;
    search::refresh(db, customer_id).await?;
    Ok(created)
}

/// Applies a patch based on `patch.version`; a stale version is a `Conflict`.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &CounterpartyPatch) -> Result<Counterparty, AppError> {
    let c = get(db, user, id).await?;
    if c.version != patch.version {
        return Err(AppError::Conflict);
    }
    let values = patch.apply(&c)?;
    let changes = values.changes_from(Some(&c));
    let updated = store::update(db, user.id, &c, patch.version, &values, &changes).await?;
    search::refresh(db, c.customer_id).await?;
    Ok(updated)
}

/// Moves a counterparty to another customer from a date: not before its current period began, not in the
/// future. The history keeps the earlier period.
pub async fn move_to(db: &Db, user: &CurrentUser, id: i64, m: &MoveCounterparty) -> Result<Counterparty, AppError> {
    let c = get(db, user, id).await?;
    if c.version != m.version {
        return Err(AppError::Conflict);
    }
    let from = parse_date(&m.from).ok_or_else(|| AppError::field("from", ErrCode::InvalidDate))?;
    let started = c.owners.last().map_or(0, |o| o.from);
    // The day the current period began is allowed (fixing a counterparty attached to the wrong customer:
    // the history keeps the empty period).
    if from < started || from > today() {
        return Err(AppError::field("from", ErrCode::InvalidDate));
    }
    if m.customer_id == c.customer_id {
        return Err(AppError::field("customer_id", ErrCode::AlreadyThere));
    }
    let target = match customers::get(db, user.scope(), m.customer_id).await {
        Ok(t) => t,
        Err(AppError::NotFound | AppError::Forbidden) => {
            return Err(AppError::field("customer_id", ErrCode::InvalidChoice));
        }
        Err(e) => return Err(e),
    };
    let moved = store::move_to(db, user.id, &c, m.version, (target.id, &target.name), from).await?;
    search::refresh_all(db, [c.customer_id, target.id]).await?;
    Ok(moved)
}

/// Adds a bank account, validated by the counterparty's country rules.
pub async fn add_bank_account(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    input: &NewBankAccount,
) -> Result<Counterparty, AppError> {
    let c = get(db, user, id).await?;
    if input.version.is_some_and(|v| v != c.version) {
        return Err(AppError::Conflict);
    }
    let account = input.validate(&c.country)?;
    store::add_bank_account(db, user.id, &c, &account).await
}

/// Removes one of the counterparty's bank accounts, based on `version` (a stale one is a `Conflict`).
pub async fn remove_bank_account(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    account_id: i64,
    version: i64,
) -> Result<Counterparty, AppError> {
    let c = get(db, user, id).await?;
    if version != c.version {
        return Err(AppError::Conflict);
    }
    store::remove_bank_account(db, user.id, &c, account_id).await
}

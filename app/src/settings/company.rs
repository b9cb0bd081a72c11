//! The company's details: kept as one JSON value in `company_settings`, changed by administrators, read by
//! whoever keeps the money (and by the e-invoice export, for the seller).

use super::{COMPANY_KEY, CompanyDetails};
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, ErrCode, settings};
use crate::payments::{AccountKind, MoneyAccount};

/// The details as saved (empty when never saved).
pub async fn load(db: &Db) -> Result<CompanyDetails, AppError> {
    let raw = settings::get(db, COMPANY_KEY).await?;
    Ok(raw.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
}

/// The details, for administrators and accountants.
pub async fn get(db: &Db, user: &CurrentUser) -> Result<CompanyDetails, AppError> {
    if !(user.is_admin() || user.role.keeps_money()) {
        return Err(AppError::Forbidden);
    }
    load(db).await
}

/// Saves the details (administrators): every field checked; the chosen account must be one of the company's
/// bank accounts, not archived.
pub async fn save(db: &Db, user: &CurrentUser, input: &CompanyDetails) -> Result<CompanyDetails, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let v = input.validate()?;
    if let Some(id) = v.account_id {
        let ok = crate::payments::store::account(db, id).await?;
        if !matches!(ok, Some((AccountKind::Bank, _, false))) {
            return Err(AppError::field("account_id", ErrCode::InvalidChoice));
        }
    }
    let json = serde_json::to_string(&v).map_err(|e| crate::core::request::internal(&e.to_string()))?;
    settings::set(db, COMPANY_KEY, Some(&json)).await?;
    Ok(v)
}

/// The bank account invoices name: the chosen one, else the first UZS bank account in use.
pub fn invoice_account<'a>(d: &CompanyDetails, accounts: &'a [MoneyAccount]) -> Option<&'a MoneyAccount> {
    let usable = |a: &&MoneyAccount| a.kind == AccountKind::Bank && !a.archived;
    match d.account_id {
        Some(id) => accounts.iter().filter(usable).find(|a| a.id == id),
        None => accounts.iter().filter(usable).find(|a| a.currency == "UZS"),
    }
}

//! The company's details: kept as one JSON value in `company_settings`, changed by administrators, read by
//! whoever keeps the money (and by the e-invoice export, for the seller).

use super::{COMPANY_KEY, CompanyDetails};
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, ErrCode, settings};
use crate::db_run;
use crate::payments::AccountKind;

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

/// `(bank code, account number)` of the bank account invoices name: the chosen one, else the first UZS bank
/// account in use by name; one indexed read (the accounts' list would sum every account's ledger for its
/// balance, on every invoice page).
pub async fn invoice_account(
    db: &Db,
    d: &CompanyDetails,
) -> Result<Option<(Option<String>, Option<String>)>, AppError> {
    let sql = "SELECT bank_code, account_no FROM money_accounts WHERE kind = 'bank' AND archived_at IS NULL \
               AND (id = $1 OR ($1 = 0 AND currency = 'UZS')) ORDER BY name LIMIT 1";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(d.account_id.unwrap_or(0)).fetch_optional(p).await)?)
}

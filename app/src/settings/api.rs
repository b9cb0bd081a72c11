//! Server functions for the Settings page (administrator only) and the profile's time zone.
// A form's server function takes one argument per field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::core::AppError;

/// Switches a registered module on or off.
#[server(prefix = "/rpc", endpoint = "settings/modules")]
pub async fn set_module_enabled(key: String, enabled: bool) -> Result<(), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        let cache = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::core::modules::ModuleCache>().cloned())
            .ok_or_else(|| crate::core::request::internal("module cache missing from the request"))?;
        if cache.modules().get(&key).is_none() {
            return Err(AppError::NotFound);
        }
        crate::core::modules::set_module(&db, &key, enabled).await?;
        cache.invalidate();
        Ok(())
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// The shared mailboxes that may send the company's own letters, the chosen one, and whether Karvon knows
/// its public address (links need it).
#[server(prefix = "/rpc", endpoint = "settings/system-mailbox")]
pub async fn system_mailbox() -> Result<(Vec<(i64, String)>, Option<i64>, bool), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        let chosen = crate::core::settings::get(&db, crate::core::settings::SYSTEM_MAILBOX).await?;
        Ok((
            crate::mail::service::shared_mailboxes(&db).await?,
            chosen.and_then(|c| c.parse().ok()),
            crate::auth::reset::has_public_url(),
        ))
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Chooses the shared mailbox for the company's own letters (empty: none).
#[server(prefix = "/rpc", endpoint = "settings/system-mailbox/set")]
pub async fn set_system_mailbox(mailbox_id: String) -> Result<(), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        let id = match mailbox_id.trim() {
            "" => None,
            v => Some(v.parse().map_err(|_| AppError::field("mailbox_id", crate::core::ErrCode::InvalidChoice))?),
        };
        crate::auth::reset::set_sender(&db, id).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// The time zones to choose from, the company's, and the signed-in user's own (`None`: the company's).
#[server(prefix = "/rpc", endpoint = "settings/time-zones")]
pub async fn time_zones() -> Result<(Vec<String>, String, Option<String>), AppError> {
    let run = async {
        let (ctx, db) = crate::core::request::session()?;
        let user = ctx.user()?;
        let company = crate::core::zone::company_of(&db).await?;
        let names = crate::core::zone::names().into_iter().map(str::to_string).collect();
        Ok((names, company.name.clone(), user.time_zone.clone()))
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Sets the company's time zone (administrators).
#[server(prefix = "/rpc", endpoint = "settings/time-zone")]
pub async fn set_company_time_zone(time_zone: String) -> Result<(), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        crate::core::zone::set_company_zone(&db, &time_zone).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Sets the signed-in user's own time zone (empty: the company's).
#[server(prefix = "/rpc", endpoint = "profile/time-zone")]
pub async fn set_my_time_zone(time_zone: String) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = crate::core::request::session()?;
        let zone = Some(time_zone.trim()).filter(|z| !z.is_empty());
        crate::auth::store::set_user_zone(&db, ctx.user()?.id, zone).await
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// The company's details and the bank accounts invoices may name (`(id, "name · account")`), for the
/// Settings page (administrators).
#[server(prefix = "/rpc", endpoint = "settings/company")]
pub async fn company_details() -> Result<(super::CompanyDetails, Vec<(i64, String)>), AppError> {
    let run = async {
        let (ctx, db) = crate::admin::api::admin_session()?;
        let details = super::company::get(&db, ctx.user()?).await?;
        let accounts = crate::payments::store::accounts(&db).await?;
        let banks = accounts
            .into_iter()
            .filter(|a| a.kind == crate::payments::AccountKind::Bank && !a.archived)
            .map(|a| (a.id, format!("{} · {}", a.name, a.account_no.unwrap_or_default())))
            .collect();
        Ok((details, banks))
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Saves the Settings page's form of the company's details (every field sent: an empty one clears it).
#[server(prefix = "/rpc", endpoint = "settings/company/set")]
pub async fn save_company_details(
    name: Option<String>,
    tax_id: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    oked: Option<String>,
    vat_reg_code: Option<String>,
    director: Option<String>,
    accountant: Option<String>,
    account_id: Option<String>,
) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = crate::admin::api::admin_session()?;
        let account_id = match account_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(v) => Some(v.parse().map_err(|_| AppError::field("account_id", crate::core::ErrCode::InvalidChoice))?),
        };
        let input = super::CompanyDetails {
            name,
            tax_id,
            address,
            phone,
            requisites: crate::counterparties::Requisites { oked, vat_reg_code, director, accountant },
            account_id,
        };
        super::company::save(&db, ctx.user()?, &input).await.map(|_| ())
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// The invoices' numbering prefix and payment term and the receivables' aging bounds, for the Settings page
/// (administrators).
#[server(prefix = "/rpc", endpoint = "settings/sales")]
pub async fn sales_settings() -> Result<(crate::invoices::InvoiceSettings, Vec<i64>), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        Ok((crate::invoices::service::settings_of(&db).await?, crate::payments::service::bounds(&db).await?))
    };
    run.await.inspect_err(crate::core::request::set_status)
}

/// Saves the Settings page's sales form: every field is checked before anything is written. `aging_days` is
/// a list of days (`30, 60, 90`).
#[server(prefix = "/rpc", endpoint = "settings/sales/set")]
pub async fn save_sales_settings(prefix: String, payment_days: String, aging_days: String) -> Result<(), AppError> {
    let run = async {
        use crate::core::ErrCode;
        let (ctx, db) = crate::admin::api::admin_session()?;
        let user = ctx.user()?;
        let mut c = crate::core::Checks::default();
        let prefix = prefix.trim().to_ascii_uppercase();
        if !crate::invoices::valid_prefix(&prefix) {
            c.fail("prefix", ErrCode::InvalidPrefix);
        }
        let payment_days = match payment_days.trim().parse::<i64>() {
            Ok(d) if (0..=365).contains(&d) => d,
            Ok(_) => {
                c.fail("payment_days", ErrCode::OutOfRange);
                0
            }
            Err(_) => {
                c.fail("payment_days", ErrCode::NotANumber);
                0
            }
        };
        let bounds: Option<Vec<i64>> =
            aging_days.split([',', ';', ' ']).filter(|p| !p.is_empty()).map(|p| p.parse().ok()).collect();
        match &bounds {
            None => c.fail("aging_days", ErrCode::NotANumber),
            Some(b) if !crate::payments::valid_bounds(b) => c.fail("aging_days", ErrCode::OutOfRange),
            Some(_) => {}
        }
        c.finish()?;
        let invoices = crate::invoices::InvoiceSettings { prefix, payment_days };
        crate::invoices::service::save_settings(&db, user, &invoices).await?;
        crate::payments::service::save_bounds(&db, user, &bounds.unwrap_or_default()).await.map(|_| ())
    };
    run.await.inspect_err(crate::core::request::set_status)
}

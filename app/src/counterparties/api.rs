//! Server functions for counterparties: thin shims over [`super::service`].
// A form's server function takes one argument per field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::{Counterparty, CounterpartyList};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// The customer's current and former counterparties.
#[server(prefix = "/rpc", endpoint = "counterparties/list")]
pub async fn list_counterparties(customer_id: i64) -> Result<CounterpartyList, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        super::service::list_for_customer(&db, ctx.user()?, customer_id).await
    };
    run.await.inspect_err(set_status)
}

/// Adds a counterparty to a customer (the card's form; `vat_payer` is a checkbox).
#[server(prefix = "/rpc", endpoint = "counterparties/create")]
pub async fn create_counterparty(
    customer_id: i64,
    legal_name: String,
    country: Option<String>,
    tax_id: String,
    vat_payer: Option<String>,
    legal_address: Option<String>,
) -> Result<Counterparty, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let input = super::NewCounterparty {
            legal_name,
            country,
            tax_id,
            vat_payer: Some(vat_payer.is_some_and(|v| !v.is_empty())),
            legal_address,
            requisites: Default::default(),
            from: None,
        };
        super::service::create(&db, ctx.user()?, customer_id, &input).await
    };
    run.await.inspect_err(set_status)
}

/// Adds a bank account to a counterparty (the card's form).
#[server(prefix = "/rpc", endpoint = "counterparties/bank-account")]
pub async fn add_bank_account(
    counterparty_id: i64,
    bank_code: String,
    account: String,
    bank_name: Option<String>,
    version: Option<i64>,
) -> Result<Counterparty, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let input = super::NewBankAccount { bank_code, account, bank_name, version };
        super::service::add_bank_account(&db, ctx.user()?, counterparty_id, &input).await
    };
    run.await.inspect_err(set_status)
}

/// Moves a counterparty to another customer from a date (the card's form).
#[server(prefix = "/rpc", endpoint = "counterparties/move")]
pub async fn move_counterparty(
    counterparty_id: i64,
    version: i64,
    customer_id: Option<i64>,
    from: String,
) -> Result<Counterparty, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let customer_id = customer_id.ok_or_else(|| AppError::field("customer_id", crate::core::ErrCode::Required))?;
        let m = super::MoveCounterparty { customer_id, from, version };
        super::service::move_to(&db, ctx.user()?, counterparty_id, &m).await
    };
    run.await.inspect_err(set_status)
}

/// Saves the card's edit form of a counterparty (every field sent: an empty address or requisite clears it).
#[server(prefix = "/rpc", endpoint = "counterparties/update")]
pub async fn update_counterparty(
    id: i64,
    version: i64,
    legal_name: String,
    tax_id: String,
    country: Option<String>,
    legal_address: Option<String>,
    vat_payer: Option<String>,
    oked: Option<String>,
    vat_reg_code: Option<String>,
    director: Option<String>,
    accountant: Option<String>,
) -> Result<Counterparty, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let patch = super::CounterpartyPatch {
            version,
            legal_name: Some(legal_name),
            country: Some(country.unwrap_or_default()),
            tax_id: Some(tax_id),
            vat_payer: Some(vat_payer.is_some()),
            legal_address: Some(legal_address.unwrap_or_default()),
            requisites: super::Requisites {
                oked: Some(oked.unwrap_or_default()),
                vat_reg_code: Some(vat_reg_code.unwrap_or_default()),
                director: Some(director.unwrap_or_default()),
                accountant: Some(accountant.unwrap_or_default()),
            },
        };
        super::service::update(&db, ctx.user()?, id, &patch).await
    };
    run.await.inspect_err(set_status)
}

/// Removes a bank account of a counterparty (the card's button).
#[server(prefix = "/rpc", endpoint = "counterparties/remove-bank-account")]
pub async fn remove_bank_account(
    counterparty_id: i64,
    version: i64,
    account_id: i64,
) -> Result<Counterparty, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        super::service::remove_bank_account(&db, ctx.user()?, counterparty_id, account_id, version).await
    };
    run.await.inspect_err(set_status)
}

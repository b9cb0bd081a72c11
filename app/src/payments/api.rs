//! Server functions for the payment pages, receivables, the invoice page's payment form and the customer
//! card's money panel: thin shims over the service. Each form works as a plain form post too.
// A server function takes a form's fields as its arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CustomerMoney, MoneyAccount, Payment, PaymentPage, Receivables};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// The payments page: a page of payments, the accounts, and whether the reader posts payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsView {
    pub page: PaymentPage,
    pub accounts: Vec<MoneyAccount>,
    pub may_post: bool,
}

/// A payment with what the reader may do to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub payment: Payment,
    /// Reverse it, pay invoices from its advance (administrators and accountants).
    pub may_post: bool,
}

/// A page of payments, newest first, by direction and account.
#[server(prefix = "/rpc", endpoint = "payments/list")]
pub async fn payments_page(
    direction: Option<String>,
    account: Option<String>,
    cursor: Option<String>,
) -> Result<PaymentsView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let user = ctx.user()?;
        let q = super::store::PaymentQuery {
            direction: direction.as_deref().and_then(super::Direction::parse),
            account_id: crate::stock::store::opt_id("account", account.as_deref())?,
            cursor,
            limit: 30,
            ..Default::default()
        };
        let page = super::service::list(&db, user, q).await?;
        let accounts = super::service::accounts(&db, user).await?;
        Ok(PaymentsView { page, accounts, may_post: user.role.keeps_money() })
    };
    run.await.inspect_err(set_status)
}

/// One payment with what the reader may do to it.
#[server(prefix = "/rpc", endpoint = "payments/get")]
pub async fn load_payment(id: i64) -> Result<PaymentView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let user = ctx.user()?;
        let payment = super::service::get(&db, user, id).await?;
        Ok(PaymentView { payment, may_post: user.role.keeps_money() })
    };
    run.await.inspect_err(set_status)
}

/// Posts a payment and opens it. The payer is the `customer` given (the invoice page's form) or found by
/// `payer`: an invoice number or a taxpayer id. Money in pays invoices automatically (the one named first).
#[server(prefix = "/rpc", endpoint = "payments/create")]
pub async fn post_payment(
    direction: String,
    account_id: Option<String>,
    customer: Option<i64>,
    payer: Option<String>,
    party: Option<String>,
    amount: Option<String>,
    rate: Option<String>,
    pay_date: Option<String>,
    doc_no: Option<String>,
    purpose: Option<String>,
) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let user = ctx.user()?;
        super::service::may_post(user)?;
        let direction = super::Direction::parse(&direction)
            .ok_or_else(|| AppError::field("direction", crate::core::ErrCode::InvalidChoice))?;
        let account_id = crate::stock::store::opt_id("account_id", account_id.as_deref())?
            .ok_or_else(|| AppError::field("account_id", crate::core::ErrCode::Required))?;
        let amount = crate::orders::api::decimal("amount", amount.as_deref())?
            .ok_or_else(|| AppError::field("amount", crate::core::ErrCode::Required))?;
        let rate = crate::orders::api::decimal("rate", rate.as_deref())?;
        let (mut customer_id, mut counterparty_id, mut purpose) = (customer, None, purpose);
        let payer = payer.filter(|p| !p.trim().is_empty());
        if customer_id.is_none() && (direction == super::Direction::In || payer.is_some()) {
            let (c, cp, number) = super::service::resolve_payer(&db, "payer", payer.as_deref().unwrap_or("")).await?;
            customer_id = Some(c);
            counterparty_id = cp;
            // The invoice named is paid first: the purpose names it.
            if let Some(n) = number {
                purpose = Some(match purpose.filter(|p| !p.trim().is_empty()) {
                    Some(p) if p.to_uppercase().contains(&n) => p,
                    Some(p) => format!("{n}: {p}"),
                    None => n,
                });
            }
        }
        let input = super::NewPayment {
            direction,
            method: None,
            account_id,
            customer_id,
            counterparty_id,
            party,
            pay_date,
            amount,
            rate,
            doc_no,
            purpose,
            allocations: None,
        };
        let p = super::service::create(&db, user, &input).await?;
        leptos_axum::redirect(&format!("/payments/{}", p.id));
        Ok(p.id)
    };
    run.await.inspect_err(set_status)
}

/// Pays the oldest open invoices of its customer from what the payment has left.
#[server(prefix = "/rpc", endpoint = "payments/allocate")]
pub async fn allocate_payment(id: i64) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        super::service::allocate(&db, ctx.user()?, id, &Default::default()).await?;
        leptos_axum::redirect(&format!("/payments/{id}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// Reverses a payment today and opens the reversal.
#[server(prefix = "/rpc", endpoint = "payments/reverse")]
pub async fn reverse_payment(id: i64) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let r = super::service::reverse(&db, ctx.user()?, id, &Default::default()).await?;
        leptos_axum::redirect(&format!("/payments/{}", r.id));
        Ok(r.id)
    };
    run.await.inspect_err(set_status)
}

/// Adds a bank account or cash desk.
#[server(prefix = "/rpc", endpoint = "payments/create-account")]
pub async fn create_account(
    name: String,
    kind: String,
    currency: Option<String>,
    bank_code: Option<String>,
    account_no: Option<String>,
) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let kind = super::AccountKind::parse(&kind)
            .ok_or_else(|| AppError::field("kind", crate::core::ErrCode::InvalidChoice))?;
        let input = super::NewMoneyAccount { name, kind, currency, bank_code, account_no };
        let a = super::service::create_account(&db, ctx.user()?, &input).await?;
        leptos_axum::redirect("/payments");
        Ok(a.id)
    };
    run.await.inspect_err(set_status)
}

/// Receivables, aged, a page at a time.
#[server(prefix = "/rpc", endpoint = "payments/receivables")]
pub async fn receivables_page(cursor: Option<String>) -> Result<Receivables, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        super::service::receivables(&db, ctx.user()?, cursor.as_deref(), 50).await
    };
    run.await.inspect_err(set_status)
}

/// What a customer's card shows of its money.
#[server(prefix = "/rpc", endpoint = "payments/of-customer")]
pub async fn money_of_customer(customer: i64) -> Result<CustomerMoney, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        super::service::of_customer(&db, ctx.user()?, customer).await
    };
    run.await.inspect_err(set_status)
}

/// The accounts a payment may go through (the invoice page's payment form).
#[server(prefix = "/rpc", endpoint = "payments/accounts")]
pub async fn money_accounts() -> Result<Vec<MoneyAccount>, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        Ok(super::service::accounts(&db, ctx.user()?).await?.into_iter().filter(|a| !a.archived).collect())
    };
    run.await.inspect_err(set_status)
}

/// The dynamics page: the report and the accounts to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynamicsView {
    pub dynamics: super::Dynamics,
    pub accounts: Vec<MoneyAccount>,
}

/// Payment dynamics by period, account and direction, with the forecast of open invoices.
#[server(prefix = "/rpc", endpoint = "payments/dynamics")]
pub async fn payment_dynamics(
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
    currency: Option<String>,
    account: Option<String>,
) -> Result<DynamicsView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let user = ctx.user()?;
        let q = super::service::DynamicsQuery {
            currency,
            period: period.as_deref().and_then(super::Period::parse),
            from,
            to,
            account_id: crate::stock::store::opt_id("account", account.as_deref())?,
        };
        let dynamics = super::service::dynamics(&db, user, &q).await?;
        let accounts = super::service::accounts(&db, user).await?;
        Ok(DynamicsView { dynamics, accounts })
    };
    run.await.inspect_err(set_status)
}

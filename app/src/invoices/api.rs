//! Server functions for the invoice pages, the order page's invoices and the customer card's panel: thin
//! shims over the service. Each form works as a plain form post too.
// A server function takes a form's fields as its arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::{CustomerInvoices, Invoice, InvoicePage, InvoiceSummary};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// An invoice with what the reader may do to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InvoiceView {
    pub invoice: Invoice,
    /// Cancel it (whoever sees the customer's money).
    pub may_cancel: bool,
    /// Record a payment of it (administrators and accountants, while it is open).
    pub may_pay: bool,
}

/// A page of invoices, newest first: all or one status, by a part of the number.
#[server(prefix = "/rpc", endpoint = "invoices/list")]
pub async fn invoices_page(
    status: Option<String>,
    number: Option<String>,
    cursor: Option<String>,
) -> Result<InvoicePage, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let q = super::store::InvoiceQuery {
            status: status.as_deref().and_then(super::InvoiceStatus::parse),
            number,
            cursor,
            limit: 30,
            ..Default::default()
        };
        super::service::list(&db, ctx.user()?, q).await
    };
    run.await.inspect_err(set_status)
}

/// One invoice with what the reader may do to it.
#[server(prefix = "/rpc", endpoint = "invoices/get")]
pub async fn load_invoice(id: i64) -> Result<InvoiceView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let user = ctx.user()?;
        let invoice = super::service::get(&db, user, id).await?;
        let may_cancel = invoice.status == super::InvoiceStatus::Issued;
        let may_pay = user.role.keeps_money() && may_cancel && invoice.paid < invoice.total;
        Ok(InvoiceView { invoice, may_cancel, may_pay })
    };
    run.await.inspect_err(set_status)
}

/// Invoices an order (what the module's rule bills) and opens the invoice.
#[server(prefix = "/rpc", endpoint = "invoices/from-order")]
pub async fn invoice_order(
    order: i64,
    invoice_date: Option<String>,
    due_date: Option<String>,
    rate: Option<String>,
    contract_no: Option<String>,
    contract_date: Option<String>,
) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let rate = crate::orders::api::decimal("rate", rate.as_deref())?;
        let terms = super::InvoiceTerms { invoice_date, due_date, rate, contract_no, contract_date, note: None };
        let input = super::InvoiceFromOrder { terms, lines: Vec::new() };
        let invoice = super::service::from_order(&db, ctx.user()?, order, &input).await?;
        leptos_axum::redirect(&format!("/invoices/{}", invoice.id));
        Ok(invoice.id)
    };
    run.await.inspect_err(set_status)
}

/// Cancels an issued invoice at `version`.
#[server(prefix = "/rpc", endpoint = "invoices/cancel")]
pub async fn cancel_invoice(id: i64, version: i64) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        super::service::cancel(&db, ctx.user()?, id, version).await?;
        leptos_axum::redirect(&format!("/invoices/{id}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// What a customer's card shows of its invoices.
#[server(prefix = "/rpc", endpoint = "invoices/of-customer")]
pub async fn invoices_of_customer(customer: i64) -> Result<CustomerInvoices, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        super::service::of_customer(&db, ctx.user()?, customer).await
    };
    run.await.inspect_err(set_status)
}

/// An order's invoices, newest first.
#[server(prefix = "/rpc", endpoint = "invoices/of-order")]
pub async fn invoices_of_order(order: i64) -> Result<Vec<InvoiceSummary>, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let q = super::store::InvoiceQuery { order_id: Some(order), limit: 100, ..Default::default() };
        Ok(super::service::list(&db, ctx.user()?, q).await?.items)
    };
    run.await.inspect_err(set_status)
}

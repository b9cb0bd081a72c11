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
    /// What its e-invoice lacks (empty: it can be exported); none for a cancelled invoice.
    pub e_invoice_gaps: Option<Vec<crate::core::FieldError>>,
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
        let is_invoice = invoice.kind == super::InvoiceKind::Invoice;
        let may_pay =
            user.role.keeps_money() && may_cancel && is_invoice && invoice.paid + invoice.credited < invoice.total;
        let e_invoice_gaps = match may_cancel && is_invoice {
            false => None,
            true => match super::service::e_invoice(&db, user, id).await {
                Ok(_) => Some(Vec::new()),
                Err(AppError::Validation { fields }) => Some(fields),
                Err(e) => return Err(e),
            },
        };
        Ok(InvoiceView { invoice, may_cancel, may_pay, e_invoice_gaps })
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

/// Issues a credit note of an invoice (the invoice page's form: `qty[<line no>]` per line, in its unit; empty
/// or zero lines are left out, no line at all takes back everything not credited yet) and opens it.
#[server(prefix = "/rpc", endpoint = "invoices/credit-note")]
pub async fn credit_invoice(
    id: i64,
    version: i64,
    reason: String,
    credit_date: Option<String>,
    qty: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let mut c = crate::core::Checks::default();
        let (given, names) = crate::orders::api::keyed_quantities::<i32>(&mut c, qty);
        let lines = given.into_iter().map(|(line_no, qty)| super::CreditLine { line_no, qty }).collect();
        c.finish()?;
        let pairs: Vec<(&str, &str)> = names.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let input = super::NewCreditNote { version, credit_date, reason, lines };
        let note = super::service::credit_note(&db, ctx.user()?, id, &input).await.map_err(|e| e.renamed(&pairs))?;
        leptos_axum::redirect(&format!("/invoices/{}", note.id));
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

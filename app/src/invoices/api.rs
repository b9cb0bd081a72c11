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

/// The number of line rows the new-invoice form offers (blank rows are left out).
pub const NEW_INVOICE_ROWS: usize = 8;

/// What the new-invoice form needs of a customer: its name and counterparties, today, and the due date the
/// payment term gives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InvoiceFormData {
    pub customer_id: i64,
    pub customer_name: String,
    /// `(id, legal name)`.
    pub counterparties: Vec<(i64, String)>,
    /// `YYYY-MM-DD`.
    pub today: String,
    pub due_date: String,
}

/// The new-invoice form of a customer whose money the user sees.
#[server(prefix = "/rpc", endpoint = "invoices/new-form")]
pub async fn new_invoice_form(customer: i64) -> Result<InvoiceFormData, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let c = crate::customers::service::money_of(&db, ctx.user()?, customer).await?;
        let counterparties = crate::counterparties::store::list_for_customer(&db, c.id)
            .await?
            .current
            .into_iter()
            .map(|c| (c.id, c.legal_name))
            .collect();
        let today = crate::core::format::date_input(crate::core::now_millis());
        let days = super::service::settings_of(&db).await?.payment_days;
        let due_date = super::service::add_days(&today, days).unwrap_or_else(|| today.clone());
        Ok(InvoiceFormData { customer_id: c.id, customer_name: c.name, counterparties, today, due_date })
    };
    run.await.inspect_err(set_status)
}

/// Issues an invoice without an order and opens it. The lines are the form's rows (`product[i]`, `qty[i]`,
/// `price[i]`, `discount[i]`, `price_reason[i]`), blank rows left out; an error of a row is reported under
/// that row's number (`lines[3].qty`).
#[server(prefix = "/rpc", endpoint = "invoices/create")]
pub async fn create_invoice(
    customer: i64,
    counterparty: Option<String>,
    currency: Option<String>,
    invoice_date: Option<String>,
    due_date: Option<String>,
    contract_no: Option<String>,
    contract_date: Option<String>,
    note: Option<String>,
    #[server(default)] product: Vec<String>,
    #[server(default)] qty: Vec<String>,
    #[server(default)] price: Vec<String>,
    #[server(default)] discount: Vec<String>,
    #[server(default)] price_reason: Vec<String>,
) -> Result<i64, AppError> {
    use crate::core::{Checks, ErrCode};
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::orders::MODULE.key)?;
        let user = ctx.user()?;
        let mut c = Checks::default();
        let cell = |v: &[String], i: usize| v.get(i).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        // `(form row, line)` of every row with something in it.
        let mut lines = Vec::new();
        for i in 0..product.len().max(qty.len()).min(super::MAX_INVOICE_LINES + 1) {
            let (code, q) = (cell(&product, i), cell(&qty, i));
            if code.is_none() && q.is_none() {
                continue;
            }
            let at = |f: &str| format!("lines[{i}].{f}");
            let product_id = match code {
                None => {
                    c.fail(&at("product"), ErrCode::Required);
                    0
                }
                Some(code) => match crate::stock::service::product_by_code(&db, &code).await? {
                    Ok(id) => id,
                    Err(e) => {
                        c.fail(&at("product"), e);
                        0
                    }
                },
            };
            let line_qty = match crate::orders::api::decimal("qty", q.as_deref()) {
                Ok(Some(q)) => q,
                Ok(None) => {
                    c.fail(&at("qty"), ErrCode::Required);
                    Default::default()
                }
                Err(_) => {
                    c.fail(&at("qty"), ErrCode::NotANumber);
                    Default::default()
                }
            };
            let mut number = |f: &str, v: Option<String>| {
                crate::orders::api::decimal(f, v.as_deref()).unwrap_or_else(|_| {
                    c.fail(&at(f), ErrCode::NotANumber);
                    None
                })
            };
            let line_price = number("price", cell(&price, i));
            let line_discount = number("discount", cell(&discount, i));
            let line = crate::orders::OrderLineInput {
                product_id,
                qty: line_qty,
                price: line_price,
                discount: line_discount,
                price_reason: cell(&price_reason, i),
                ..Default::default()
            };
            lines.push((i, line));
        }
        c.finish()?;
        let counterparty_id = crate::stock::store::opt_id("counterparty", counterparty.as_deref().map(str::trim))?;
        let blank = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let terms = super::InvoiceTerms {
            invoice_date: blank(invoice_date),
            due_date: blank(due_date),
            rate: None,
            contract_no: blank(contract_no),
            contract_date: blank(contract_date),
            note: blank(note),
        };
        let rows: Vec<usize> = lines.iter().map(|(i, _)| *i).collect();
        let input = super::NewInvoice {
            customer_id: customer,
            counterparty_id,
            currency: blank(currency),
            terms,
            lines: lines.into_iter().map(|(_, l)| l).collect(),
        };
        let invoice = super::service::create(&db, user, &input)
            .await
            .map_err(|e| e.renamed(&[("customer_id", "customer"), ("counterparty_id", "counterparty")]))
            .map_err(|e| rows_of(e, &rows))?;
        leptos_axum::redirect(&format!("/invoices/{}", invoice.id));
        Ok(invoice.id)
    };
    run.await.inspect_err(set_status)
}

/// The service names a line by its place among the lines sent (`lines[0].qty`); the form by its row.
#[cfg(feature = "ssr")]
fn rows_of(e: AppError, rows: &[usize]) -> AppError {
    match e {
        AppError::Validation { fields } => AppError::Validation {
            fields: fields
                .into_iter()
                .map(|mut f| {
                    let row = f
                        .field
                        .strip_prefix("lines[")
                        .and_then(|rest| rest.split_once(']'))
                        .and_then(|(n, rest)| Some((rows.get(n.parse::<usize>().ok()?)?, rest.to_string())));
                    if let Some((row, rest)) = row {
                        f.field = format!("lines[{row}]{rest}");
                    }
                    f
                })
                .collect(),
        },
        other => other,
    }
}

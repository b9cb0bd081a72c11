//! Invoices with their rules. Whoever sees a customer's money sees, issues and cancels its invoices: sales
//! staff those of the customers in their scope, accountants and administrators all (a storekeeper none);
//! administrators set the numbering prefix and the payment days.

use rust_decimal::Decimal;

use super::store::{self, InvoiceQuery, InvoiceValues, LineValues};
use super::{
    CustomerInvoices, DEFAULT_PAYMENT_DAYS, DEFAULT_PREFIX, Invoice, InvoiceFromOrder, InvoiceKind, InvoicePage,
    InvoiceSettings, InvoiceStatus, InvoiceTerms, MAX_INVOICE_LINES, NewCreditNote, NewInvoice, PAYMENT_DAYS_KEY,
    PREFIX_KEY, valid_prefix,
};
use crate::core::db::Db;
use crate::core::identity::{CurrentUser, Role};
use crate::core::{AppError, Checks, ErrCode, settings};
use crate::orders::{OrderStatus, line_amounts};
use crate::stock::{qty_milli, to_base};

/// Refuses unless `user` may read the invoices of `customer_id`.
async fn may_read(db: &Db, user: &CurrentUser, customer_id: i64) -> Result<crate::customers::Customer, AppError> {
    crate::customers::service::money_of(db, user, customer_id).await
}

/// One invoice `user` may read.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Invoice, AppError> {
    may_read(db, user, store::head(db, id).await?.customer_id).await?;
    store::get(db, id).await
}

/// An invoice `user` may read as the e-invoice operators' JSON document, or every missing field at once
/// (see [`super::efactura`]): the seller is the company's details with its invoice bank account, the buyer
/// the invoice's counterparty.
pub async fn e_invoice(db: &Db, user: &CurrentUser, id: i64) -> Result<serde_json::Value, AppError> {
    use super::efactura::{ProductCodes, factura};
    let inv = get(db, user, id).await?;
    let (seller, buyer) = parties(db, inv.counterparty_id).await?;
    let codes = store::product_codes(db, id)
        .await?
        .into_iter()
        .map(|(id, mxik, package_code)| (id, ProductCodes { mxik, package_code }))
        .collect();
    factura(&inv, &seller, &buyer, &codes)
}

/// The seller (the company's details and the bank account its invoices name) and the buyer (the
/// counterparty, with its first bank account; none: an empty party) of a document.
pub async fn parties(
    db: &Db,
    counterparty_id: Option<i64>,
) -> Result<(super::efactura::Party, super::efactura::Party), AppError> {
    use super::efactura::Party;
    let company = crate::settings::company::load(db).await?;
    let (bank_code, account) = crate::settings::company::invoice_account(db, &company).await?.unwrap_or_default();
    let seller = Party {
        tax_id: company.tax_id,
        name: company.name,
        address: company.address,
        phone: company.phone,
        account,
        bank_code,
        requisites: company.requisites,
    };
    let buyer = match counterparty_id {
        None => Party::default(),
        Some(cp) => {
            let c = crate::counterparties::store::get(db, cp).await?;
            let bank = c.bank_accounts.first();
            Party {
                tax_id: Some(c.tax_id),
                name: Some(c.legal_name),
                address: c.legal_address,
                phone: None,
                account: bank.map(|b| b.account.clone()),
                bank_code: bank.map(|b| b.bank_code.clone()),
                requisites: c.requisites,
            }
        }
    };
    Ok((seller, buyer))
}

/// A page of the invoices `user` may read.
pub async fn list(db: &Db, user: &CurrentUser, mut q: InvoiceQuery) -> Result<InvoicePage, AppError> {
    q.scope = Some(user.money_scope().ok_or(AppError::Forbidden)?);
    if let Some(c) = q.customer_id {
        may_read(db, user, c).await?;
    }
    if let Some(o) = q.order_id {
        crate::orders::service::get(db, user, o).await?;
    }
    store::list(db, &q).await
}

/// What a customer's card shows of its invoices.
pub async fn of_customer(db: &Db, user: &CurrentUser, customer_id: i64) -> Result<CustomerInvoices, AppError> {
    may_read(db, user, customer_id).await?;
    let q = InvoiceQuery { customer_id: Some(customer_id), limit: 5, ..Default::default() };
    let recent = store::list(db, &q).await?.items;
    Ok(CustomerInvoices { recent, issued_totals: store::issued_totals(db, customer_id).await? })
}

/// The numbering prefix and the payment days in force.
pub async fn settings_of(db: &Db) -> Result<InvoiceSettings, AppError> {
    let prefix = settings::get(db, PREFIX_KEY).await?.unwrap_or_else(|| DEFAULT_PREFIX.to_string());
    let days = settings::get(db, PAYMENT_DAYS_KEY).await?.and_then(|d| d.parse().ok()).unwrap_or(DEFAULT_PAYMENT_DAYS);
    Ok(InvoiceSettings { prefix, payment_days: days })
}

/// Sets the numbering prefix (numbers already given keep theirs) and the payment days (administrators).
pub async fn save_settings(db: &Db, user: &CurrentUser, s: &InvoiceSettings) -> Result<InvoiceSettings, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let mut c = Checks::default();
    let prefix = s.prefix.trim().to_ascii_uppercase();
    if !valid_prefix(&prefix) {
        c.fail("prefix", ErrCode::InvalidPrefix);
    }
    if !(0..=365).contains(&s.payment_days) {
        c.fail("payment_days", ErrCode::OutOfRange);
    }
    c.finish()?;
    settings::set(db, PREFIX_KEY, Some(&prefix)).await?;
    settings::set(db, PAYMENT_DAYS_KEY, Some(&s.payment_days.to_string())).await?;
    settings_of(db).await
}

/// `date` (`YYYY-MM-DD`) plus `days`; `None` for a malformed date.
pub(crate) fn add_days(date: &str, days: i64) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some((d + chrono::Duration::days(days)).format("%Y-%m-%d").to_string())
}

/// Checked terms: `(invoice date, due date, rate in millionths, contract number, contract date, note)`.
type Terms = (String, String, i64, Option<String>, Option<String>, Option<String>);

/// Checks an invoice's dates, rate and contract.
async fn check_terms(db: &Db, c: &mut Checks, currency: &str, t: &InvoiceTerms) -> Result<Terms, AppError> {
    use crate::stock::prices::check_date;
    let date = match t.invoice_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => crate::stock::price_service::date_or_today("invoice_date", None)?,
        Some(d) => check_date(c, "invoice_date", d).unwrap_or_default(),
    };
    let due = match t.due_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => add_days(&date, settings_of(db).await?.payment_days).unwrap_or_default(),
        Some(d) => match check_date(c, "due_date", d) {
            Some(d) if !date.is_empty() && d < date => {
                c.fail("due_date", ErrCode::DueBeforeDate);
                d
            }
            d => d.unwrap_or_default(),
        },
    };
    let rate_micro = rate_micro(c, currency, t.rate);
    let contract_no = c.opt_text("contract_no", t.contract_no.as_deref(), 100);
    let contract_date = match t.contract_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => check_date(c, "contract_date", d),
    };
    let note = c.opt_text("note", t.note.as_deref(), 2000);
    Ok((date, due, rate_micro, contract_no, contract_date, note))
}

/// A currency's rate to UZS in millionths (`rate`): 1,000,000 for UZS; required, positive, at most six
/// decimals and a billion for any other.
pub(crate) fn rate_micro(c: &mut Checks, currency: &str, rate: Option<Decimal>) -> i64 {
    if currency == "UZS" {
        return 1_000_000;
    }
    match rate {
        None => {
            c.fail("rate", ErrCode::Required);
            0
        }
        Some(r) if r <= Decimal::ZERO || r > Decimal::from(1_000_000_000) => {
            c.fail("rate", ErrCode::OutOfRange);
            0
        }
        Some(r) if (r * Decimal::from(1_000_000)).fract() != Decimal::ZERO => {
            c.fail("rate", ErrCode::TooPrecise);
            0
        }
        Some(r) => i64::try_from((r * Decimal::from(1_000_000)).trunc()).unwrap_or(0),
    }
}

/// Issues a standalone invoice: lines priced like an order's (the customer's list on the invoice's date).
pub async fn create(db: &Db, user: &CurrentUser, input: &NewInvoice) -> Result<Invoice, AppError> {
    let customer = match may_read(db, user, input.customer_id).await {
        Err(AppError::NotFound) => return Err(AppError::field("customer_id", ErrCode::InvalidChoice)),
        other => other?,
    };
    let mut c = Checks::default();
    if let Some(cp) = input.counterparty_id
        && !crate::deals::store::counterparty_of_customer(db, customer.id, cp).await?
    {
        c.fail("counterparty_id", ErrCode::InvalidChoice);
    }
    let currency = crate::deals::currency(&mut c, input.currency.as_deref());
    let terms = check_terms(db, &mut c, &currency, &input.terms).await?;
    if input.lines.is_empty() {
        c.fail("lines", ErrCode::Required);
    } else if input.lines.len() > MAX_INVOICE_LINES {
        c.fail("lines", ErrCode::TooMany);
    }
    let priced = if !terms.0.is_empty() {
        crate::orders::service::price_lines(db, &mut c, customer.id, &currency, &terms.0, &input.lines).await?
    } else {
        Vec::new()
    };
    c.finish()?;
    let lines = priced
        .into_iter()
        .map(|l| LineValues {
            product_id: l.product_id,
            order_line_id: None,
            credits_line_id: None,
            unit: l.unit,
            factor_milli: l.factor_milli,
            qty_milli: l.qty_milli,
            base_milli: l.base_milli,
            price_minor: l.price_minor,
            discount_bp: l.discount_bp,
            vat_bp: l.vat_bp,
            net_minor: l.net_minor,
            vat_minor: l.vat_minor,
            total_minor: l.total_minor,
        })
        .collect();
    let to = Billed {
        customer_id: customer.id,
        counterparty_id: input.counterparty_id,
        order_id: None,
        manager_id: customer.manager_id,
        currency,
    };
    issue(db, user, to, terms, lines).await
}

/// Issues an invoice of an order (confirmed, shipped or closed): the lines given, or what the module's rule
/// bills.
pub async fn from_order(
    db: &Db,
    user: &CurrentUser,
    order_id: i64,
    input: &InvoiceFromOrder,
) -> Result<Invoice, AppError> {
    if user.role == Role::Storekeeper {
        return Err(AppError::Forbidden);
    }
    let order = crate::orders::service::get(db, user, order_id).await?;
    if matches!(order.status, OrderStatus::Draft | OrderStatus::Cancelled) {
        return Err(AppError::field("status", ErrCode::WrongStatus));
    }
    let mut c = Checks::default();
    let terms = check_terms(db, &mut c, &order.currency, &input.terms).await?;
    let open = store::billable(db, order_id).await?;
    // `(order line, base thousandths to bill)`.
    let mut bill: Vec<(usize, i64)> = Vec::new();
    if input.lines.is_empty() {
        // Once goods have shipped, what shipped (and the services); before, all of it (an advance invoice).
        let shipped = open.iter().any(|l| l.kind != "service" && l.shipped_milli > 0);
        for (i, l) in open.iter().enumerate() {
            let done = if l.kind == "service" || !shipped { l.base_milli } else { l.shipped_milli };
            if done > l.invoiced_milli {
                bill.push((i, done - l.invoiced_milli));
            }
        }
    }
    for (i, s) in input.lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let Some(k) = open.iter().position(|o| o.id == s.line_id) else {
            c.fail(&at("line_id"), ErrCode::InvalidChoice);
            continue;
        };
        let Some(qty) = qty_milli(&mut c, &at("qty"), s.qty, false) else { continue };
        if qty == 0 {
            continue;
        }
        let base = to_base(qty, open[k].factor_milli);
        let already: i64 = bill.iter().filter(|(j, _)| *j == k).map(|(_, b)| b).sum();
        if base + already + open[k].invoiced_milli > open[k].base_milli {
            c.fail(&at("qty"), ErrCode::MoreThanOrdered);
            continue;
        }
        bill.push((k, base));
    }
    if bill.is_empty() && c.is_empty() {
        c.fail("lines", ErrCode::NothingToInvoice);
    }
    c.finish()?;
    let lines = bill
        .into_iter()
        .map(|(k, base)| {
            let l = &open[k];
            let qty = l.in_own_unit(base);
            let (net_minor, vat_minor, total_minor) = line_amounts(qty, l.price_minor, l.discount_bp, l.vat_bp);
            LineValues {
                product_id: l.product_id,
                order_line_id: Some(l.id),
                credits_line_id: None,
                unit: l.unit.clone(),
                factor_milli: l.factor_milli,
                qty_milli: qty,
                base_milli: base,
                price_minor: l.price_minor,
                discount_bp: l.discount_bp,
                vat_bp: l.vat_bp,
                net_minor,
                vat_minor,
                total_minor,
            }
        })
        .collect();
    let to = Billed {
        customer_id: order.customer_id,
        counterparty_id: order.counterparty_id,
        order_id: Some(order.id),
        manager_id: order.manager_id,
        currency: order.currency,
    };
    issue(db, user, to, terms, lines).await
}

/// Whom an invoice bills and in what: its customer (and counterparty), order, manager and currency.
struct Billed {
    customer_id: i64,
    counterparty_id: Option<i64>,
    order_id: Option<i64>,
    manager_id: i64,
    currency: String,
}

/// Writes a checked invoice and tells who listens.
async fn issue(
    db: &Db,
    user: &CurrentUser,
    to: Billed,
    terms: Terms,
    lines: Vec<LineValues>,
) -> Result<Invoice, AppError> {
    let (invoice_date, due_date, rate_micro, contract_no, contract_date, note) = terms;
    let v = InvoiceValues {
        kind: InvoiceKind::Invoice,
        credits: None,
        prefix: settings_of(db).await?.prefix,
        customer_id: to.customer_id,
        counterparty_id: to.counterparty_id,
        order_id: to.order_id,
        manager_id: to.manager_id,
        currency: to.currency,
        rate_micro,
        invoice_date,
        due_date,
        contract_no,
        contract_date,
        note,
        lines,
    };
    let id = store::create(db, user.id, &v).await?;
    after_change(db, id).await
}

/// Issues a credit note of an issued invoice at `version` (whoever sees its customer's money): the quantities
/// given of its lines, or all that is not credited yet, priced by the module's rule; the part that completes a
/// line takes exactly what is left of the line's sums.
pub async fn credit_note(db: &Db, user: &CurrentUser, id: i64, input: &NewCreditNote) -> Result<Invoice, AppError> {
    use crate::stock::prices::check_date;
    let inv = get(db, user, id).await?;
    if inv.status != InvoiceStatus::Issued || inv.kind != InvoiceKind::Invoice {
        return Err(AppError::field("status", ErrCode::WrongStatus));
    }
    let mut c = Checks::default();
    let reason = c.text("reason", &input.reason, 500);
    let date = match input.credit_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => crate::stock::price_service::date_or_today("credit_date", None)?,
        Some(d) => match check_date(&mut c, "credit_date", d) {
            Some(d) if d < inv.invoice_date => {
                c.fail("credit_date", ErrCode::DueBeforeDate);
                d
            }
            d => d.unwrap_or_default(),
        },
    };
    let rows = store::line_rows(db, id).await?;
    // `(row index, quantity in the line's thousandths)`.
    let mut take: Vec<(usize, i64)> = Vec::new();
    if input.lines.is_empty() {
        take.extend(
            rows.iter()
                .enumerate()
                .filter(|(_, r)| r.qty_milli > r.credited_milli)
                .map(|(k, r)| (k, r.qty_milli - r.credited_milli)),
        );
    }
    for (i, l) in input.lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let Some(k) = rows.iter().position(|r| r.line_no == l.line_no) else {
            c.fail(&at("line_no"), ErrCode::InvalidChoice);
            continue;
        };
        let Some(qty) = qty_milli(&mut c, &at("qty"), l.qty, false) else { continue };
        if qty == 0 {
            continue;
        }
        let already: i64 = take.iter().filter(|(j, _)| *j == k).map(|(_, q)| q).sum();
        if qty + already + rows[k].credited_milli > rows[k].qty_milli {
            c.fail(&at("qty"), ErrCode::MoreThanInvoiced);
            continue;
        }
        take.push((k, qty));
    }
    if take.is_empty() && c.is_empty() {
        c.fail("lines", ErrCode::NothingToInvoice);
    }
    c.finish()?;
    let lines = take
        .into_iter()
        .map(|(k, qty)| {
            let r = &rows[k];
            let (net_minor, vat_minor, total_minor) = if qty + r.credited_milli == r.qty_milli {
                // The rest of the line: exactly what earlier credit notes left of its sums.
                (r.net_minor - r.credited_net, r.vat_minor - r.credited_vat, r.total_minor - r.credited_total)
            } else {
                line_amounts(qty, r.price_minor, r.discount_bp, r.vat_bp)
            };
            LineValues {
                product_id: r.product_id,
                order_line_id: None,
                credits_line_id: Some(r.id),
                unit: r.unit.clone(),
                factor_milli: r.factor_milli,
                qty_milli: qty,
                base_milli: to_base(qty, r.factor_milli),
                price_minor: r.price_minor,
                discount_bp: r.discount_bp,
                vat_bp: r.vat_bp,
                net_minor,
                vat_minor,
                total_minor,
            }
        })
        .collect();
    let v = InvoiceValues {
        kind: InvoiceKind::CreditNote,
        credits: Some(id),
        prefix: settings_of(db).await?.prefix,
        customer_id: inv.customer_id,
        counterparty_id: inv.counterparty_id,
        order_id: inv.order_id,
        manager_id: inv.manager_id,
        currency: inv.currency.clone(),
        rate_micro: i64::try_from((inv.rate * Decimal::from(1_000_000)).trunc()).unwrap_or(1_000_000),
        invoice_date: date.clone(),
        due_date: date,
        contract_no: inv.contract_no.clone(),
        contract_date: inv.contract_date.clone(),
        note: Some(reason),
        lines,
    };
    let credit = store::credit(db, user.id, input.version, &v).await?;
    after_change(db, id).await?;
    after_change(db, credit).await
}

/// Cancels an issued invoice at `version` (sales staff in whose scope its customer is).
pub async fn cancel(db: &Db, user: &CurrentUser, id: i64, version: i64) -> Result<Invoice, AppError> {
    let head = store::head(db, id).await?;
    may_read(db, user, head.customer_id).await?;
    if head.status != InvoiceStatus::Issued {
        return Err(AppError::field("status", ErrCode::WrongStatus));
    }
    store::cancel(db, user.id, id, version).await?;
    after_change(db, id).await
}

/// The invoice as it is now; its order's page and its customer's card hear of it.
async fn after_change(db: &Db, id: i64) -> Result<Invoice, AppError> {
    use crate::core::events::{self, Event};
    let invoice = store::get(db, id).await?;
    let manager = crate::customers::store::manager_of(db, invoice.customer_id).await?;
    let data = serde_json::json!({"invoice_id": invoice.id, "customer_id": invoice.customer_id,
        "manager_id": manager, "order_id": invoice.order_id, "status": invoice.status});
    events::publish(db, &Event { user_id: 0, name: super::EVENT.into(), id: Some(invoice.id), data }).await;
    if let Some(order) = invoice.order_id {
        let data = serde_json::json!({"order_id": order, "customer_id": invoice.customer_id});
        events::publish(db, &Event { user_id: 0, name: crate::orders::EVENT.into(), id: Some(order), data }).await;
    }
    Ok(invoice)
}

#[cfg(test)]
mod tests {
    use super::add_days;

    #[test]
    fn due_dates() {
        assert_eq!(add_days("2026-12-25", 10).as_deref(), Some("2027-01-04"));
        assert_eq!(add_days("2028-02-28", 1).as_deref(), Some("2028-02-29"));
        assert_eq!(add_days("2026-13-01", 1), None);
    }
}

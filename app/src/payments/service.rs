//! Payments and receivables with their rules. Administrators and accountants keep the accounts and post,
//! allocate and reverse payments; whoever sees a customer's money (its manager, their sales head, every
//! accountant and administrator) reads its payments and debts; a storekeeper none. Payments to no customer
//! (suppliers) only administrators and accountants see.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::store::{self, AccountValues, PaymentHead, PaymentQuery, PaymentValues};
use super::{
    AGING_KEY, AccountFlow, AccountKind, AllocateInput, AllocationInput, CustomerMoney, DEFAULT_AGING, Direction,
    Dynamics, MAX_ALLOCATIONS, MAX_RANGE_DAYS, Method, MoneyAccount, NewMoneyAccount, NewPayment, Payment, PaymentPage,
    Period, Receivables, ReverseInput, parse_bounds, valid_bounds,
};
use crate::core::db::Db;
use crate::core::identity::{CurrentUser, Scope};
use crate::core::{AppError, Checks, ErrCode, settings};
use crate::stock::price_minor;
use crate::stock::price_service::date_or_today;

/// Refuses unless `user` keeps the money: an administrator or an accountant.
pub fn may_post(user: &CurrentUser) -> Result<(), AppError> {
    if user.role.keeps_money() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Whose money `user` sees, or `Forbidden`.
fn scope_of(user: &CurrentUser) -> Result<Scope, AppError> {
    user.money_scope().ok_or(AppError::Forbidden)
}

/// The company's bank accounts and cash desks (whoever sees money).
pub async fn accounts(db: &Db, user: &CurrentUser) -> Result<Vec<MoneyAccount>, AppError> {
    scope_of(user)?;
    store::accounts(db).await
}

/// Adds a bank account or cash desk.
pub async fn create_account(db: &Db, user: &CurrentUser, input: &NewMoneyAccount) -> Result<MoneyAccount, AppError> {
    may_post(user)?;
    let mut c = Checks::default();
    let name = c.text("name", &input.name, 100);
    let currency = crate::deals::currency(&mut c, input.currency.as_deref());
    let digits = |c: &mut Checks, field: &str, v: Option<&str>, n: usize, code: ErrCode| {
        let v: String = v?.chars().filter(|c| !c.is_whitespace()).collect();
        if v.is_empty() {
            return None;
        }
        if v.len() != n || !v.bytes().all(|b| b.is_ascii_digit()) {
            c.fail(field, code);
        }
        Some(v)
    };
    let (bank_code, account_no) = match input.kind {
        AccountKind::Cash => (None, None),
        AccountKind::Bank => (
            digits(&mut c, "bank_code", input.bank_code.as_deref(), 5, ErrCode::InvalidBankCode),
            digits(&mut c, "account_no", input.account_no.as_deref(), 20, ErrCode::InvalidBankAccount),
        ),
    };
    c.finish()?;
    let v = AccountValues { name, kind: input.kind, currency, bank_code, account_no };
    let id = store::create_account(db, &v).await?;
    store::accounts(db).await?.into_iter().find(|a| a.id == id).ok_or(AppError::NotFound)
}

/// Archives (no new payments through it) or restores an account at `version`.
pub async fn archive_account(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    version: i64,
    archived: bool,
) -> Result<(), AppError> {
    may_post(user)?;
    store::account(db, id).await?.ok_or(AppError::NotFound)?;
    store::archive_account(db, id, version, archived).await
}

/// Refuses unless `user` may read a payment of this head.
async fn may_read(db: &Db, user: &CurrentUser, head: &PaymentHead) -> Result<(), AppError> {
    match head.customer_id {
        Some(c) => crate::customers::service::money_of(db, user, c).await.map(|_| ()),
        None if scope_of(user)? == Scope::All => Ok(()),
        None => Err(AppError::Forbidden),
    }
}

/// One payment `user` may read.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Payment, AppError> {
    may_read(db, user, &store::head(db, id).await?).await?;
    store::get(db, id).await
}

/// A page of the payments `user` may read.
pub async fn list(db: &Db, user: &CurrentUser, mut q: PaymentQuery) -> Result<PaymentPage, AppError> {
    let scope = scope_of(user)?;
    q.scope = (scope != Scope::All).then_some(scope);
    if let Some(c) = q.customer_id {
        crate::customers::service::money_of(db, user, c).await?;
    }
    let mut c = Checks::default();
    for (field, v) in [("from", &mut q.from), ("to", &mut q.to)] {
        if let Some(d) = v.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            *v = crate::stock::prices::check_date(&mut c, field, d);
        } else {
            *v = None;
        }
    }
    c.finish()?;
    store::list(db, &q).await
}

/// Checks allocations of `amount_minor` from a payment of `customer` in `currency`: the invoices the
/// customer's, issued, in the currency, each amount positive and at most what is open, together at most
/// `amount_minor`. Returns the `(invoice, minor)` plan.
async fn check_allocations(
    db: &Db,
    c: &mut Checks,
    customer: i64,
    currency: &str,
    amount_minor: i64,
    given: &[AllocationInput],
) -> Result<Vec<(i64, i64)>, AppError> {
    if given.len() > MAX_ALLOCATIONS {
        c.fail("allocations", ErrCode::TooMany);
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = given.iter().map(|a| a.invoice_id).collect();
    let found: HashMap<i64, (i64, String, String, i64)> = store::invoices_open(db, &ids)
        .await?
        .into_iter()
        .map(|(id, cust, cur, status, open)| (id, (cust, cur, status, open)))
        .collect();
    let mut plan: Vec<(i64, i64)> = Vec::with_capacity(given.len());
    for (i, a) in given.iter().enumerate() {
        let at = |f: &str| format!("allocations[{i}].{f}");
        let Some((cust, cur, status, open)) = found.get(&a.invoice_id) else {
            c.fail(&at("invoice_id"), ErrCode::InvalidChoice);
            continue;
        };
        if *cust != customer || status != "issued" {
            c.fail(&at("invoice_id"), ErrCode::InvalidChoice);
            continue;
        }
        if cur != currency {
            c.fail(&at("invoice_id"), ErrCode::OtherCurrency);
            continue;
        }
        if plan.iter().any(|(id, _)| *id == a.invoice_id) {
            c.fail(&at("invoice_id"), ErrCode::AlreadyThere);
            continue;
        }
        let Some(minor) = price_minor(c, &at("amount"), a.amount) else { continue };
        if minor == 0 {
            c.fail(&at("amount"), ErrCode::OutOfRange);
        } else if minor > *open {
            c.fail(&at("amount"), ErrCode::MoreThanOpen);
        } else {
            plan.push((a.invoice_id, minor));
        }
    }
    if plan.iter().map(|(_, m)| m).sum::<i64>() > amount_minor {
        c.fail("amount", ErrCode::MoreThanPayment);
    }
    Ok(plan)
}

/// Posts a payment; money in pays invoices as [`NewPayment::allocations`] says.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewPayment) -> Result<Payment, AppError> {
    may_post(user)?;
    let mut c = Checks::default();
    let account = store::account(db, input.account_id).await?;
    let (kind, currency) = match account {
        Some((kind, currency, false)) => (kind, currency),
        _ => {
            c.fail("account_id", ErrCode::InvalidChoice);
            (AccountKind::Bank, "UZS".to_string())
        }
    };
    let method = input.method.unwrap_or(match kind {
        AccountKind::Bank => Method::Bank,
        AccountKind::Cash => Method::Cash,
    });
    let amount_minor = match price_minor(&mut c, "amount", input.amount) {
        Some(0) => {
            c.fail("amount", ErrCode::OutOfRange);
            0
        }
        Some(m) => m,
        None => 0,
    };
    let rate_micro = crate::invoices::service::rate_micro(&mut c, &currency, input.rate);
    let pay_date = date_or_today("pay_date", input.pay_date.as_deref())?;
    let customer = match input.customer_id {
        None => {
            if input.direction == Direction::In {
                c.fail("customer_id", ErrCode::Required);
            }
            None
        }
        Some(id) => match crate::customers::service::money_of(db, user, id).await {
            Err(AppError::NotFound) => {
                c.fail("customer_id", ErrCode::InvalidChoice);
                None
            }
            other => Some(other?.id),
        },
    };
    if let (Some(cust), Some(cp)) = (customer, input.counterparty_id)
        && !crate::deals::store::counterparty_of_customer(db, cust, cp).await?
    {
        c.fail("counterparty_id", ErrCode::InvalidChoice);
    }
    let party = c.opt_text("party", input.party.as_deref(), 200);
    if input.direction == Direction::Out && input.customer_id.is_none() && party.is_none() {
        c.fail("party", ErrCode::Required);
    }
    let doc_no = c.opt_text("doc_no", input.doc_no.as_deref(), 50);
    let purpose = c.opt_text("purpose", input.purpose.as_deref(), 500);
    let plan = match (&input.allocations, customer) {
        (Some(given), _) if input.direction == Direction::Out && !given.is_empty() => {
            c.fail("allocations", ErrCode::InvalidChoice);
            None
        }
        (Some(given), Some(cust)) => Some(check_allocations(db, &mut c, cust, &currency, amount_minor, given).await?),
        _ => None,
    };
    c.finish()?;
    let v = PaymentValues {
        direction: input.direction,
        method,
        account_id: input.account_id,
        customer_id: customer,
        counterparty_id: input.counterparty_id.filter(|_| customer.is_some()),
        party,
        currency,
        rate_micro,
        pay_date,
        amount_minor,
        doc_no,
        purpose,
    };
    let allocate = !matches!(&input.allocations, Some(g) if g.is_empty());
    let id = store::create(db, user.id, &v, allocate, plan).await?;
    after_change(db, id).await
}

/// Pays invoices from what an incoming payment has left (its advance): the allocations given, or
/// automatically.
pub async fn allocate(db: &Db, user: &CurrentUser, id: i64, input: &AllocateInput) -> Result<Payment, AppError> {
    may_post(user)?;
    let head = store::head(db, id).await?;
    may_read(db, user, &head).await?;
    if head.direction != Direction::In || head.reverses_id.is_some() || head.reversed {
        return Err(AppError::field("id", ErrCode::WrongStatus));
    }
    let left = head.amount_minor - head.allocated_minor;
    let customer = head.customer_id.ok_or(AppError::NotFound)?;
    let mut c = Checks::default();
    let plan = if input.allocations.is_empty() {
        None
    } else {
        Some(check_allocations(db, &mut c, customer, &head.currency, left, &input.allocations).await?)
    };
    if left == 0 {
        c.fail("amount", ErrCode::MoreThanPayment);
    }
    c.finish()?;
    store::allocate(db, user.id, &head, plan).await?;
    after_change(db, id).await
}

/// Reverses a payment (a new payment of the opposite sign; what it paid of invoices is open again).
pub async fn reverse(db: &Db, user: &CurrentUser, id: i64, input: &ReverseInput) -> Result<Payment, AppError> {
    may_post(user)?;
    let head = store::head(db, id).await?;
    may_read(db, user, &head).await?;
    if head.reverses_id.is_some() || head.reversed {
        return Err(AppError::field("id", ErrCode::WrongStatus));
    }
    let date = date_or_today("pay_date", input.pay_date.as_deref())?;
    let reversal = store::reverse(db, user.id, id, &date).await?;
    after_change(db, id).await?;
    store::get(db, reversal).await
}

/// The payment as it is now; the customer's card and open receivables hear of it (one event for the
/// payment and every invoice it touched: the pages read the invoices again themselves).
async fn after_change(db: &Db, id: i64) -> Result<Payment, AppError> {
    use crate::core::events::{self, Event};
    let p = store::get(db, id).await?;
    let manager = match p.customer_id {
        Some(c) => crate::customers::store::manager_of(db, c).await?,
        None => None,
    };
    let data = serde_json::json!({"payment_id": p.id, "customer_id": p.customer_id, "manager_id": manager,
        "account_id": p.account_id});
    events::publish(db, &Event { user_id: 0, name: super::EVENT.into(), id: Some(p.id), data }).await;
    Ok(p)
}

/// The aging bounds in force.
pub async fn bounds(db: &Db) -> Result<Vec<i64>, AppError> {
    Ok(settings::get(db, AGING_KEY).await?.map(|s| parse_bounds(&s)).unwrap_or_else(|| DEFAULT_AGING.to_vec()))
}

/// Sets the aging bounds (administrators): 1 to 6 increasing numbers of days.
pub async fn save_bounds(db: &Db, user: &CurrentUser, b: &[i64]) -> Result<Vec<i64>, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    if !valid_bounds(b) {
        return Err(AppError::field("aging_days", ErrCode::OutOfRange));
    }
    let text: Vec<String> = b.iter().map(i64::to_string).collect();
    settings::set(db, AGING_KEY, Some(&text.join(","))).await?;
    bounds(db).await
}

/// Receivables of the customers whose money `user` sees, aged as of today.
pub async fn receivables(
    db: &Db,
    user: &CurrentUser,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Receivables, AppError> {
    let scope = scope_of(user)?;
    let on = date_or_today("on", None)?;
    let bounds = bounds(db).await?;
    let (rows, totals, next_cursor) = store::receivables(db, scope, None, &on, &bounds, cursor, limit).await?;
    Ok(Receivables { on, bounds, rows, totals, next_cursor })
}

/// What a customer's card shows of its money.
pub async fn of_customer(db: &Db, user: &CurrentUser, customer_id: i64) -> Result<CustomerMoney, AppError> {
    crate::customers::service::money_of(db, user, customer_id).await?;
    let on = date_or_today("on", None)?;
    let bounds = bounds(db).await?;
    let (mut debts, totals, _) = store::receivables(db, Scope::All, Some(customer_id), &on, &bounds, None, 20).await?;
    // A customer with an advance and no debt still shows it.
    for t in totals {
        if !debts.iter().any(|d| d.currency == t.currency) && t.advance != Decimal::ZERO {
            debts.push(super::AgingRow { customer_id: Some(customer_id), ..t });
        }
    }
    let open_invoices = store::open_invoices(db, customer_id, &on, 10).await?;
    let q = PaymentQuery { customer_id: Some(customer_id), limit: 5, ..Default::default() };
    let payments = store::list(db, &q).await?.items;
    Ok(CustomerMoney { on, bounds, debts, open_invoices, payments })
}

/// Who paid, as a bank statement or a cashier names them: an invoice's number (its customer, and the
/// invoice to pay first) or a taxpayer id of 9 or 14 digits (the counterparty's customer). Returns
/// `(customer, counterparty, invoice number)`; `field` refused when nothing or several customers match.
pub async fn resolve_payer(db: &Db, field: &str, text: &str) -> Result<(i64, Option<i64>, Option<String>), AppError> {
    let text = text.trim().to_uppercase();
    if text.is_empty() {
        return Err(AppError::field(field, ErrCode::Required));
    }
    if let Some((customer, counterparty)) = store::invoice_payer(db, &text).await? {
        return Ok((customer, counterparty, Some(text)));
    }
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(digits.len(), 9 | 14) && digits.bytes().all(|b| b.is_ascii_digit()) {
        let found = store::tax_id_payers(db, &digits).await?;
        if let [(customer, counterparty)] = found[..] {
            return Ok((customer, Some(counterparty), None));
        }
        if found.len() > 1 {
            return Err(AppError::field(field, ErrCode::AmbiguousPayer));
        }
    }
    Err(AppError::field(field, ErrCode::UnknownPayer))
}

/// Which dynamics to show.
#[derive(Debug, Clone, Default)]
pub struct DynamicsQuery {
    /// UZS when absent.
    pub currency: Option<String>,
    /// Months when absent.
    pub period: Option<Period>,
    /// `YYYY-MM-DD`; by default a month, twelve weeks or a year before `to`, by the period.
    pub from: Option<String>,
    /// `YYYY-MM-DD`; today when absent.
    pub to: Option<String>,
    pub account_id: Option<i64>,
}

/// Payment dynamics (administrators and accountants): received and paid per period and per account over
/// at most [`MAX_RANGE_DAYS`], and the forecast of open invoices by their due dates for twelve periods.
pub async fn dynamics(db: &Db, user: &CurrentUser, q: &DynamicsQuery) -> Result<Dynamics, AppError> {
    use super::dynamics::{fold_periods, next_period, period_start};
    use chrono::NaiveDate;
    may_post(user)?;
    let mut c = Checks::default();
    let currency = crate::deals::currency(&mut c, q.currency.as_deref());
    let period = q.period.unwrap_or(Period::Month);
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let today = date_or_today("to", None)?;
    let to = date_or_today("to", q.to.as_deref())?;
    let to_day = day(&to).unwrap_or_default();
    let back = match period {
        Period::Day => 29,
        Period::Week => 7 * 12 - 1,
        Period::Month => 365,
    };
    let from_day = match q.from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        None => to_day - chrono::Duration::days(back),
        Some(f) => day(&date_or_today("from", Some(f))?).unwrap_or_default(),
    };
    if from_day > to_day || (to_day - from_day).num_days() > MAX_RANGE_DAYS {
        c.fail("from", ErrCode::OutOfRange);
    }
    c.finish()?;
    let from = from_day.format("%Y-%m-%d").to_string();
    let flows = store::daily_flows(db, &currency, &from, &to, q.account_id).await?;
    let mut days = Vec::with_capacity(flows.len());
    let mut accounts: Vec<AccountFlow> = Vec::new();
    for (d, id, name, dir, sum) in flows {
        let (income, outgo) = if dir == Direction::In { (sum, Decimal::ZERO) } else { (Decimal::ZERO, sum) };
        if let Some(d) = day(&d) {
            days.push((d, income, outgo));
        }
        match accounts.iter_mut().find(|a| a.account_id == id) {
            Some(a) => {
                a.income += income;
                a.outgo += outgo;
            }
            None => accounts.push(AccountFlow { account_id: id, account_name: name, income, outgo }),
        }
    }
    accounts.sort_by(|a, b| a.account_name.cmp(&b.account_name));
    let points = fold_periods(period, from_day, to_day, &days);
    // The forecast: from today's period, twelve periods on.
    let today_day = day(&today).unwrap_or_default();
    let mut end = period_start(period, today_day);
    for _ in 0..12 {
        end = next_period(period, end);
    }
    let end = end - chrono::Duration::days(1);
    let mut overdue = Decimal::ZERO;
    let mut due = Vec::new();
    for (d, open) in store::open_by_due_date(db, &currency).await? {
        match day(&d) {
            Some(d) if d < today_day => overdue += open,
            Some(d) => due.push((d, open, Decimal::ZERO)),
            None => {}
        }
    }
    let forecast = fold_periods(period, today_day, end, &due);
    Ok(Dynamics { currency, period, from, to, points, accounts, overdue, forecast })
}

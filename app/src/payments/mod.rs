//! Payments and receivables: money in from customers and out of the company through its bank accounts and
//! cash desks, allocated to invoices; what customers owe, aged by due date.
//!
//! **The ledger.** A payment is posted once and never edited; a mistake is reversed by a new payment of the
//! opposite sign (dated the day of the reversal), which also takes back what it paid of invoices. Allocations
//! are append-only the same way (`migrations/*/0031_payments.sql`).
//!
//! **Allocation.** An incoming payment pays invoices of its customer in its own currency (an account's
//! currency is the payment's): the ones given, or, unless told otherwise, automatically: first the invoices
//! whose number the purpose names, then the oldest due. No invoice is paid past its total, no payment
//! allocated past its amount (conditional updates in the posting transaction). What is left is the
//! customer's advance, applied later to new invoices the same way. Cancelling an invoice takes back what was
//! paid of it: the money is an advance again. Outgoing payments (refunds, suppliers) pay no invoices.
//!
//! **Money.** Amounts are integer minor units (two decimals) of the payment's currency; a foreign currency
//! keeps its rate to UZS on the payment's date, in millionths, as invoices do. Nothing is converted between
//! currencies: a payment in USD pays USD invoices.
//!
//! **Aging.** An open invoice (issued, not wholly paid) is *not due* until its due date, then falls into the
//! bucket of its days overdue: with the default bounds 30, 60, 90 that is 1–30, 31–60, 61–90 and 90+ days.
//! Administrators set the bounds (Settings; `company_settings` `aging_days`).
//!
//! **Dynamics** sum payments per day in SQL and fold the days into weeks (from Monday) or months in Rust
//! (`dynamics.rs`), per currency: amounts in different currencies are never added.

pub mod api;
#[cfg(feature = "ssr")]
pub mod dynamics;
pub mod page_dynamics;
pub mod page_list;
pub mod page_payment;
pub mod page_receivables;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::core::{Millis, Msg};
use crate::stock::{decimal_de, opt_decimal_de};

/// The event receivables views, payment pages, invoice pages and customer cards listen for.
pub const EVENT: &str = "payment";

/// `company_settings` key: the aging bounds in days overdue, comma-separated (`30,60,90`).
pub const AGING_KEY: &str = "aging_days";
pub const DEFAULT_AGING: [i64; 3] = [30, 60, 90];

/// The most allocations one call makes.
pub const MAX_ALLOCATIONS: usize = 500;

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal => $msg:ident,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            #[default]
            $($(#[$vm])* $v,)*
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$v,)*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s,)* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|x| x.as_str() == s)
            }

            pub fn msg(self) -> Msg {
                match self { $($name::$v => Msg::$msg,)* }
            }
        }
    };
}

str_enum! {
    /// A bank account or a cash desk of the company.
    AccountKind { Bank = "bank" => AccountBank, Cash = "cash" => AccountCash, }
}

str_enum! {
    /// Money coming in (from a customer) or going out (a refund, a supplier).
    Direction { In = "in" => DirectionIn, Out = "out" => DirectionOut, }
}

str_enum! {
    /// How the money moved.
    Method { Bank = "bank" => MethodBank, Cash = "cash" => MethodCash, Card = "card" => MethodCard, }
}

/// A bank account or cash desk of the company, with what has passed through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoneyAccount {
    pub id: i64,
    pub name: String,
    pub kind: AccountKind,
    pub currency: String,
    /// MFO, 5 digits.
    pub bank_code: Option<String>,
    /// 20 digits.
    pub account_no: Option<String>,
    pub archived: bool,
    /// In minus out, all time.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub balance: Decimal,
    pub version: i64,
}

/// A new bank account or cash desk (administrators and accountants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewMoneyAccount {
    pub name: String,
    #[serde(default)]
    pub kind: AccountKind,
    /// UZS when absent.
    #[serde(default)]
    pub currency: Option<String>,
    /// A bank account's MFO (5 digits).
    #[serde(default)]
    pub bank_code: Option<String>,
    /// A bank account's number (20 digits).
    #[serde(default)]
    pub account_no: Option<String>,
}

/// What a payment paid of one invoice (negative: taken back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub invoice_id: i64,
    pub invoice_number: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
    pub created_at: Millis,
}

/// A payment with its allocations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: i64,
    pub direction: Direction,
    pub method: Method,
    pub account_id: i64,
    pub account_name: String,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub counterparty_id: Option<i64>,
    pub counterparty_name: Option<String>,
    /// Who was paid, when not a customer (a supplier).
    pub party: Option<String>,
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub rate: Decimal,
    /// `YYYY-MM-DD`.
    pub pay_date: String,
    /// Negative for a reversal.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
    /// What it pays of invoices now.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub allocated: Decimal,
    /// What it has left for invoices to come (incoming, not reversed).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub advance: Decimal,
    pub doc_no: Option<String>,
    pub purpose: Option<String>,
    /// The payment this one reverses.
    pub reverses_id: Option<i64>,
    /// The payment that reversed this one.
    pub reversed_by: Option<i64>,
    pub created_by_name: String,
    pub created_at: Millis,
    pub allocations: Vec<Allocation>,
}

/// A payment as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PaymentSummary {
    pub id: i64,
    pub direction: Direction,
    pub method: Method,
    pub account_name: String,
    pub customer_id: Option<i64>,
    /// The customer's name, or the party paid.
    pub payer: Option<String>,
    pub pay_date: String,
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub allocated: Decimal,
    pub purpose: Option<String>,
    pub reverses_id: Option<i64>,
    pub reversed: bool,
}

/// A page of payments, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PaymentPage {
    pub items: Vec<PaymentSummary>,
    pub next_cursor: Option<String>,
}

/// An amount for one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AllocationInput {
    pub invoice_id: i64,
    #[serde(deserialize_with = "decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
}

/// A payment to post (administrators and accountants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewPayment {
    #[serde(default)]
    pub direction: Direction,
    /// By the account's kind when absent (bank or cash).
    #[serde(default)]
    pub method: Option<Method>,
    /// The company's bank account or cash desk; the payment is in its currency.
    pub account_id: i64,
    /// Who paid (required for money in) or was refunded.
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// The customer's legal entity that paid.
    #[serde(default)]
    pub counterparty_id: Option<i64>,
    /// Who was paid, when not a customer (money out).
    #[serde(default)]
    pub party: Option<String>,
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default)]
    pub pay_date: Option<String>,
    #[serde(deserialize_with = "decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub amount: Decimal,
    /// UZS for one unit of a foreign currency on the payment's date (required for one).
    #[serde(default, deserialize_with = "opt_decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub rate: Option<Decimal>,
    #[serde(default)]
    pub doc_no: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
    /// What it pays (money in): these invoices; absent: automatically (the invoices the purpose names, then
    /// the oldest due); empty: nothing now (all of it an advance).
    #[serde(default)]
    pub allocations: Option<Vec<AllocationInput>>,
}

/// What to pay of invoices from a payment's advance: these, or (empty) automatically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AllocateInput {
    #[serde(default)]
    pub allocations: Vec<AllocationInput>,
}

/// A reversal's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReverseInput {
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default)]
    pub pay_date: Option<String>,
}

/// One customer's debt in one currency, aged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgingRow {
    /// `None` in the totals.
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub currency: String,
    /// What open invoices still bill.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub open: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub not_due: Decimal,
    /// Overdue, by bucket (one more than the bounds).
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub overdue: Vec<Decimal>,
    /// Paid in and not yet allocated.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub advance: Decimal,
}

impl AgingRow {
    /// Everything past due.
    pub fn overdue_total(&self) -> Decimal {
        self.overdue.iter().sum()
    }
}

/// Receivables: who owes what, aged, largest debts first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Receivables {
    /// `YYYY-MM-DD`: the day the ages are counted to.
    pub on: String,
    /// Days overdue where each bucket ends (`[30, 60, 90]`: 1–30, 31–60, 61–90, 90+).
    pub bounds: Vec<i64>,
    pub rows: Vec<AgingRow>,
    /// Per currency, over every customer the reader may see.
    pub totals: Vec<AgingRow>,
    pub next_cursor: Option<String>,
}

/// An invoice not yet wholly paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenInvoice {
    pub id: i64,
    pub number: String,
    pub due_date: String,
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub open: Decimal,
    /// Days past the due date (0 or less: not due).
    pub days_overdue: i64,
}

/// What a customer's card shows of its money: the aged debt per currency, the open invoices, the latest
/// payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerMoney {
    pub on: String,
    pub bounds: Vec<i64>,
    pub debts: Vec<AgingRow>,
    pub open_invoices: Vec<OpenInvoice>,
    pub payments: Vec<PaymentSummary>,
}

str_enum! {
    /// How payment dynamics group days.
    Period { Day = "day" => PeriodDay, Week = "week" => PeriodWeek, Month = "month" => PeriodMonth, }
}

/// What moved in one period: `start` is its first day (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FlowPoint {
    pub start: String,
    /// Money in.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub income: Decimal,
    /// Money out.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub outgo: Decimal,
}

/// What moved through one account over the whole range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountFlow {
    pub account_id: i64,
    pub account_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub income: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub outgo: Decimal,
}

/// Payment dynamics in one currency: received and paid per period, per account, and the money open invoices
/// are expected to bring by their due dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dynamics {
    pub currency: String,
    pub period: Period,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    /// Every period of the range, oldest first (empty ones too).
    pub points: Vec<FlowPoint>,
    pub accounts: Vec<AccountFlow>,
    /// Open invoices already past due.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub overdue: Decimal,
    /// Open invoices by the period of their due date, from today's on (`outgo` zero).
    pub forecast: Vec<FlowPoint>,
}

/// The most days a dynamics range spans (a little over three years).
pub const MAX_RANGE_DAYS: i64 = 1_200;

/// Bounds an administrator may set: 1 to 6 increasing numbers of days, 1 to 3650.
pub fn valid_bounds(b: &[i64]) -> bool {
    (1..=6).contains(&b.len()) && b.iter().all(|d| (1..=3650).contains(d)) && b.windows(2).all(|w| w[0] < w[1])
}

/// Parses stored bounds (`30,60,90`); the default when malformed.
pub fn parse_bounds(s: &str) -> Vec<i64> {
    let b: Option<Vec<i64>> = s.split(',').map(|p| p.trim().parse().ok()).collect();
    b.filter(|b| valid_bounds(b)).unwrap_or_else(|| DEFAULT_AGING.to_vec())
}

/// The buckets' labels: `1–30`, `31–60`, `61–90`, `90+`.
pub fn bucket_labels(bounds: &[i64]) -> Vec<String> {
    let mut from = 1;
    let mut out = Vec::with_capacity(bounds.len() + 1);
    for b in bounds {
        out.push(format!("{from}–{b}"));
        from = b + 1;
    }
    out.push(format!("{}+", bounds.last().copied().unwrap_or(0)));
    out
}

/// The bucket of `days` overdue (`None`: not due).
pub fn bucket_of(days: i64, bounds: &[i64]) -> Option<usize> {
    (days > 0).then(|| bounds.iter().position(|b| days <= *b).unwrap_or(bounds.len()))
}

/// How an incoming payment of `amount` (minor units) pays open invoices `(id, number, open)` listed oldest
/// due first: first those whose number `purpose` names, then the rest in order, each as far as the money
/// goes. Returns `(invoice id, amount)`.
pub fn plan_allocation(amount: i64, purpose: Option<&str>, open: &[(i64, String, i64)]) -> Vec<(i64, i64)> {
    let purpose = purpose.unwrap_or_default().to_uppercase();
    let named = |n: &str| !n.is_empty() && purpose.contains(&n.to_uppercase());
    let order = open.iter().filter(|o| named(&o.1)).chain(open.iter().filter(|o| !named(&o.1)));
    let mut left = amount;
    let mut out = Vec::new();
    for (id, _, due) in order {
        if left <= 0 {
            break;
        }
        let take = left.min(*due);
        if take > 0 {
            out.push((*id, take));
            left -= take;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        let b = DEFAULT_AGING;
        assert_eq!(bucket_labels(&b), ["1–30", "31–60", "61–90", "90+"]);
        assert_eq!(bucket_of(0, &b), None);
        assert_eq!(bucket_of(-5, &b), None);
        assert_eq!(bucket_of(1, &b), Some(0));
        assert_eq!(bucket_of(30, &b), Some(0));
        assert_eq!(bucket_of(31, &b), Some(1));
        assert_eq!(bucket_of(90, &b), Some(2));
        assert_eq!(bucket_of(91, &b), Some(3));
        assert_eq!(bucket_of(5, &[7]), Some(0));
        assert_eq!(bucket_of(8, &[7]), Some(1));
        assert!(valid_bounds(&[15, 45]) && !valid_bounds(&[]) && !valid_bounds(&[30, 30]) && !valid_bounds(&[0]));
        assert!(!valid_bounds(&[1, 2, 3, 4, 5, 6, 7]));
        assert_eq!(parse_bounds("15, 45"), [15, 45]);
        assert_eq!(parse_bounds("x"), DEFAULT_AGING);
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.as_str()), Some(*d));
        }
    }

    #[test]
    fn allocation_plans() {
        let open = [
            (1, "SF-2026-000001".to_string(), 500),
            (2, "SF-2026-000002".into(), 300),
            (3, "SF-2026-000003".into(), 200),
        ];
        // Oldest first, as far as the money goes.
        assert_eq!(plan_allocation(600, None, &open), [(1, 500), (2, 100)]);
        // The invoice the purpose names first, whatever its case.
        assert_eq!(plan_allocation(600, Some("to'lov sf-2026-000003 uchun"), &open), [(3, 200), (1, 400)]);
        // More than all of them: the rest is an advance.
        assert_eq!(plan_allocation(2000, None, &open), [(1, 500), (2, 300), (3, 200)]);
        assert!(plan_allocation(0, None, &open).is_empty());
        assert!(plan_allocation(100, None, &[]).is_empty());
    }
}

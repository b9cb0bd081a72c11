//! Invoices: what a customer is billed, made from a sales order or standalone, in UZS or another currency
//! (its rate to UZS on the invoice's date kept with it), with a due date that receivables age by.
//!
//! **The rounding rule of an invoice** is the order's ([`crate::orders::line_amounts`]): a line's sum without
//! VAT is quantity × unit price × (1 − discount), exact, rounded once half away from zero to 0.01; its VAT is
//! that rounded sum × the rate, rounded once the same way; the invoice's totals are sums of its rounded lines.
//! An invoice of part of an order line is priced afresh by this rule for the part billed (so two halves may
//! differ from the whole by a cent, and each half adds up).
//!
//! **What an invoice from an order bills** unless lines are given: once any goods have shipped, what shipped
//! and is not invoiced yet, plus the services not invoiced yet; before anything shipped, all that is not
//! invoiced (an advance invoice). No order line is ever billed for more than was ordered (checked in the
//! transaction that issues the invoice).
//!
//! An invoice is issued when it is made and never edited: a mistake is cancelled (the number stays in the
//! register, marked cancelled) and a new one issued.
//!
//! **Credit notes** take part of an issued invoice back (goods returned, a price cut): quantities of its lines,
//! each priced by the same rule, except that the part that completes a line takes exactly what is left of the
//! line's sums, so an invoice credited in parts is credited to the tiyin. The invoice then owes its total less
//! what was paid and what was credited; what a credit note frees beyond what was still owed goes back to the
//! invoice's payments as the customer's advance (latest payment first), through the payments ledger's own
//! append-only rows. A credit note is numbered in its own series (`SFK-2026-000001` for prefix `SF`), owes
//! nothing itself, and may be cancelled (its invoice owes again what it took off); an invoice with live credit
//! notes is not cancelled. The order's lines are left as they are: what was shipped and invoiced stays so.

pub mod api;
pub mod credit_form;
#[cfg(feature = "ssr")]
pub mod efactura;
pub mod page_invoice;
pub mod page_list;
pub mod page_new;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::core::{Millis, Msg};
use crate::orders::{OrderLineInput, ShipLine};
use crate::stock::opt_decimal_de;

/// The event open invoice pages, order pages and customer cards listen for.
pub const EVENT: &str = "invoice";

/// `company_settings` key: the prefix of invoice numbers ([`DEFAULT_PREFIX`] when unset).
pub const PREFIX_KEY: &str = "invoice_prefix";
/// *Schyot-faktura* / *счёт-фактура*.
pub const DEFAULT_PREFIX: &str = "SF";
/// `company_settings` key: the days from an invoice's date to its due date when none is given.
pub const PAYMENT_DAYS_KEY: &str = "payment_days";
pub const DEFAULT_PAYMENT_DAYS: i64 = 10;

/// The most lines an invoice may hold.
pub const MAX_INVOICE_LINES: usize = 1_000;

/// Where an invoice is in its life (its payment is a matter of the payments allocated to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    #[default]
    Issued,
    /// Called off: it bills nothing (its number stays in the register).
    Cancelled,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 2] = [InvoiceStatus::Issued, InvoiceStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<InvoiceStatus> {
        InvoiceStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn msg(self) -> Msg {
        match self {
            InvoiceStatus::Issued => Msg::InvoiceIssued,
            InvoiceStatus::Cancelled => Msg::InvoiceCancelled,
        }
    }
}

/// An invoice, or a credit note that takes part of one back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    #[default]
    Invoice,
    CreditNote,
}

impl InvoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::CreditNote => "credit_note",
        }
    }

    pub fn parse(s: &str) -> Option<InvoiceKind> {
        [InvoiceKind::Invoice, InvoiceKind::CreditNote].into_iter().find(|k| k.as_str() == s)
    }
}

/// The printed number of a credit note: its own series behind the invoices' prefix (`SFK-2026-000003`).
pub fn credit_note_number(prefix: &str, year: i32, seq: i64) -> String {
    invoice_number(&format!("{prefix}K"), year, seq)
}

/// The printed number of an invoice (`SF-2026-000012`).
pub fn invoice_number(prefix: &str, year: i32, seq: i64) -> String {
    format!("{prefix}-{year}-{seq:06}")
}

/// A prefix an administrator may set: 1 to 10 Latin capitals or digits (it is printed and sent to the tax
/// operators as part of the number).
pub fn valid_prefix(p: &str) -> bool {
    (1..=10).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoiceLine {
    pub id: i64,
    pub line_no: i32,
    pub product_id: i64,
    pub product_name: String,
    /// The order line it bills.
    pub order_line_id: Option<i64>,
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub qty: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub price: Decimal,
    /// Percent.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub discount: Decimal,
    /// Percent; none: exempt from VAT.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub vat_rate: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub net: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub vat: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    /// How much of it live credit notes took back (in its unit); on a credit note's line, zero.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    #[serde(default)]
    pub credited: Decimal,
}

/// An invoice with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub id: i64,
    #[serde(default)]
    pub kind: InvoiceKind,
    pub number: String,
    pub status: InvoiceStatus,
    pub customer_id: i64,
    pub customer_name: String,
    pub counterparty_id: Option<i64>,
    pub counterparty_name: Option<String>,
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub manager_id: i64,
    pub manager_name: String,
    pub currency: String,
    /// UZS for one unit of the currency on the invoice's date.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub rate: Decimal,
    /// `YYYY-MM-DD`.
    pub invoice_date: String,
    pub due_date: String,
    pub contract_no: Option<String>,
    pub contract_date: Option<String>,
    pub note: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub net: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub vat: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    /// What payments have paid of it.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub paid: Decimal,
    /// What its live credit notes took off (it owes `total - paid - credited`).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    #[serde(default)]
    pub credited: Decimal,
    /// A credit note's invoice: `(id, number)`.
    #[serde(default)]
    pub credits: Option<(i64, String)>,
    /// An invoice's credit notes, live and cancelled.
    #[serde(default)]
    pub credit_notes: Vec<InvoiceSummary>,
    pub lines: Vec<InvoiceLine>,
    pub created_at: Millis,
    pub version: i64,
    pub cancelled_at: Option<Millis>,
}

/// An invoice as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoiceSummary {
    pub id: i64,
    #[serde(default)]
    pub kind: InvoiceKind,
    pub number: String,
    pub status: InvoiceStatus,
    pub customer_id: i64,
    pub customer_name: String,
    pub order_id: Option<i64>,
    pub invoice_date: String,
    pub due_date: String,
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub paid: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    #[serde(default)]
    pub credited: Decimal,
}

/// A page of invoices, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoicePage {
    pub items: Vec<InvoiceSummary>,
    pub next_cursor: Option<String>,
}

/// What every invoice states besides its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoiceTerms {
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default)]
    pub invoice_date: Option<String>,
    /// `YYYY-MM-DD`, not before the invoice's date; the company's payment days after it when absent.
    #[serde(default)]
    pub due_date: Option<String>,
    /// UZS for one unit of a foreign currency on the invoice's date (required for one; ignored for UZS).
    #[serde(default, deserialize_with = "opt_decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub rate: Option<Decimal>,
    #[serde(default)]
    pub contract_no: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub contract_date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A standalone invoice: a customer, its lines priced like an order's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewInvoice {
    pub customer_id: i64,
    #[serde(default)]
    pub counterparty_id: Option<i64>,
    /// UZS when absent.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(flatten)]
    pub terms: InvoiceTerms,
    pub lines: Vec<OrderLineInput>,
}

/// An invoice of an order: the lines given (quantities in each order line's unit), or what the module's rule
/// says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoiceFromOrder {
    #[serde(flatten)]
    pub terms: InvoiceTerms,
    #[serde(default)]
    pub lines: Vec<ShipLine>,
}

/// A credit note of an invoice: quantities of its lines (by line number, in each line's unit), or, when none
/// are given, all that is not credited yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewCreditNote {
    /// The invoice's version (409 when it changed since: a payment, another credit note).
    pub version: i64,
    /// `YYYY-MM-DD`, not before the invoice's; today when absent.
    #[serde(default)]
    pub credit_date: Option<String>,
    /// Why (goods returned, a price agreed down): printed on it.
    pub reason: String,
    #[serde(default)]
    pub lines: Vec<CreditLine>,
}

/// How much of one invoice line a credit note takes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreditLine {
    pub line_no: i32,
    /// In the line's unit, up to three decimals.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub qty: Decimal,
}

/// How invoices are numbered and when they fall due (Settings; administrators change them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvoiceSettings {
    /// 1 to 10 Latin capitals or digits (`SF` → `SF-2026-000001`).
    pub prefix: String,
    /// Days from an invoice's date to its due date when none is given (0 to 365).
    pub payment_days: i64,
}

/// What a customer card shows of its invoices: the latest, and what live invoices bill per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerInvoices {
    pub recent: Vec<InvoiceSummary>,
    pub issued_totals: Vec<(String, Decimal)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_prefixes() {
        assert_eq!(invoice_number("SF", 2026, 12), "SF-2026-000012");
        assert_eq!(credit_note_number("SF", 2026, 3), "SFK-2026-000003");
        assert!(valid_prefix("SF") && valid_prefix("INV2026"));
        assert!(!valid_prefix("") && !valid_prefix("sf") && !valid_prefix("S F") && !valid_prefix("ABCDEFGHIJK"));
        for s in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::parse(s.as_str()), Some(s));
        }
    }
}

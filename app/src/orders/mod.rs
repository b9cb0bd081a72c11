//! Sales orders: what a customer ordered (usually from a deal), priced from the customer's price list,
//! confirmed with a reservation of stock in one warehouse and shipped, partly or fully, by shipment documents
//! of the stock ledger.
//!
//! **The rounding rule of an order** (one per document kind; see [`line_amounts`]): a line's sum without VAT is
//! quantity × unit price × (1 − discount), computed exactly with `rust_decimal` and rounded once, half away
//! from zero, to the currency's minor unit (0.01); its VAT is that rounded sum × the VAT rate, rounded once the
//! same way; its sum with VAT is the two added. The order's totals are sums of the rounded lines and are never
//! rounded again, so the lines always add up to the total (12 × 300.00 at 12 %: 3,600.00 + 432.00 = 4,032.00).

pub mod api;
pub mod page_list;
pub mod page_order;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::core::modules::ModuleDef;
use crate::core::{Millis, Msg};
use crate::stock::{ProductKind, decimal_de, opt_decimal_de};

/// The sales module (switchable in Settings > Modules): orders, invoices, payments and receivables.
pub const MODULE: ModuleDef = ModuleDef {
    key: "sales",
    name: Msg::ModuleSales,
    paths: &[
        "/orders",
        "/api/v1/orders",
        "/invoices",
        "/api/v1/invoices",
        "/payments",
        "/api/v1/payments",
        "/receivables",
        "/api/v1/receivables",
        "/api/v1/money-accounts",
        "/api/v1/money",
        "/api/v1/documents",
        "/api/v1/document-templates",
        "/admin/documents",
    ],
};

/// The event open order pages and customer cards listen for.
pub const EVENT: &str = "order";

/// The most lines an order may hold.
pub const MAX_ORDER_LINES: usize = 1_000;

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Being put together: lines can change; nothing reserved.
    #[default]
    Draft,
    /// Agreed with the customer: its goods are reserved in a warehouse; shipments may go out (partly).
    Confirmed,
    /// Every line shipped.
    Shipped,
    /// Finished: what was not shipped is no longer reserved.
    Closed,
    /// Called off before anything was shipped: its reservations released.
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 5] =
        [OrderStatus::Draft, OrderStatus::Confirmed, OrderStatus::Shipped, OrderStatus::Closed, OrderStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Draft => "draft",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Closed => "closed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn msg(self) -> Msg {
        match self {
            OrderStatus::Draft => Msg::OrderDraft,
            OrderStatus::Confirmed => Msg::OrderConfirmed,
            OrderStatus::Shipped => Msg::OrderShipped,
            OrderStatus::Closed => Msg::OrderClosed,
            OrderStatus::Cancelled => Msg::OrderCancelled,
        }
    }

    /// Still to be worked on (shown first, counted in the customer's panel).
    pub fn is_open(self) -> bool {
        matches!(self, OrderStatus::Draft | OrderStatus::Confirmed)
    }
}

/// The printed number of an order (`ZK-2026-000012`: *zakaz*, the word both languages of the region use).
pub fn order_number(year: i32, seq: i64) -> String {
    format!("ZK-{year}-{seq:06}")
}

/// A line's amounts in minor units: `(sum without VAT, VAT, sum with VAT)`, by the rule in the module's notes.
/// `qty_milli` thousandths of the line's unit at `price_minor` per unit, `discount_bp` and `vat_bp` in basis
/// points (`None`: exempt).
pub fn line_amounts(qty_milli: i64, price_minor: i64, discount_bp: i32, vat_bp: Option<i32>) -> (i64, i64, i64) {
    let round = |d: Decimal| d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let exact =
        Decimal::new(qty_milli, 3) * Decimal::from(price_minor) * (Decimal::ONE - Decimal::new(discount_bp.into(), 4));
    let net = i64::try_from(round(exact)).unwrap_or(i64::MAX);
    let vat = vat_bp.map_or(0, |bp| i64::try_from(round(Decimal::from(net) * Decimal::new(bp.into(), 4))).unwrap_or(0));
    (net, vat, net + vat)
}

/// A line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub id: i64,
    pub line_no: i32,
    pub product_id: i64,
    pub product_name: String,
    pub kind: ProductKind,
    pub unit: String,
    /// In the line's unit.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub qty: Decimal,
    /// Per line unit, in the order's currency.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub price: Decimal,
    /// What the price list said (none: it had no price).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub list_price: Option<Decimal>,
    /// Why the price differs from the list's.
    pub price_reason: Option<String>,
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
    /// Reserved now, in the line's unit.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub reserved: Decimal,
    /// Shipped so far, in the line's unit.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub shipped: Decimal,
    /// Billed by live invoices, in the line's unit.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub invoiced: Decimal,
}

impl OrderLine {
    /// What is still to ship, in the line's unit.
    pub fn remaining(&self) -> Decimal {
        if self.kind == ProductKind::Service { Decimal::ZERO } else { (self.qty - self.shipped).max(Decimal::ZERO) }
    }
}

/// A shipment document made from an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderShipmentRef {
    pub id: i64,
    pub number: String,
    pub status: crate::stock::DocStatus,
    pub doc_at: Millis,
}

/// An order with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Order {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub customer_id: i64,
    pub customer_name: String,
    pub counterparty_id: Option<i64>,
    pub counterparty_name: Option<String>,
    pub deal_id: Option<i64>,
    pub deal_title: Option<String>,
    pub manager_id: i64,
    pub manager_name: String,
    pub currency: String,
    /// `YYYY-MM-DD`: the day the prices are taken on.
    pub order_date: String,
    pub warehouse_id: Option<i64>,
    pub warehouse_name: Option<String>,
    pub note: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub net: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub vat: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    pub lines: Vec<OrderLine>,
    pub shipments: Vec<OrderShipmentRef>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
    pub confirmed_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub cancelled_at: Option<Millis>,
}

impl Order {
    /// Whether some goods are still to ship.
    pub fn has_remaining(&self) -> bool {
        self.lines.iter().any(|l| l.remaining() > Decimal::ZERO)
    }

    /// Whether anything was shipped.
    pub fn has_shipped(&self) -> bool {
        self.lines.iter().any(|l| l.shipped > Decimal::ZERO)
    }
}

/// An order as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub customer_id: i64,
    pub customer_name: String,
    pub manager_name: String,
    pub order_date: String,
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total: Decimal,
    pub lines: i64,
    pub updated_at: Millis,
}

/// A page of orders, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderPage {
    pub items: Vec<OrderSummary>,
    pub next_cursor: Option<String>,
}

/// A line as it is entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLineInput {
    pub product_id: i64,
    /// The product's base unit when absent, else one of its extra units.
    #[serde(default)]
    pub unit: Option<String>,
    /// A decimal string (`"12.5"`), in the line's unit.
    #[serde(deserialize_with = "decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub qty: Decimal,
    /// Per line unit; the customer's price list's on the order's date when absent.
    #[serde(default, deserialize_with = "opt_decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub price: Option<Decimal>,
    /// Required when `price` differs from the list's.
    #[serde(default)]
    pub price_reason: Option<String>,
    /// Percent, 0 to 100, two decimals at most.
    #[serde(default, deserialize_with = "opt_decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub discount: Option<Decimal>,
}

/// A new order (a draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewOrder {
    pub customer_id: i64,
    /// One of the customer's counterparties (the legal entity that signs).
    #[serde(default)]
    pub counterparty_id: Option<i64>,
    #[serde(default)]
    pub deal_id: Option<i64>,
    /// UZS when absent.
    #[serde(default)]
    pub currency: Option<String>,
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default)]
    pub order_date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub lines: Vec<OrderLineInput>,
}

/// A draft's new header and lines (all of them: the lines given replace the old ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderPatch {
    pub version: i64,
    #[serde(default)]
    pub counterparty_id: Option<i64>,
    /// `YYYY-MM-DD`; unchanged when absent.
    #[serde(default)]
    pub order_date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub lines: Vec<OrderLineInput>,
}

/// Confirms a draft, reserving its goods in `warehouse_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderConfirm {
    pub version: i64,
    pub warehouse_id: i64,
}

/// How much of one line to ship, in the line's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShipLine {
    pub line_id: i64,
    #[serde(deserialize_with = "decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub qty: Decimal,
}

/// A shipment of a confirmed order: the lines given (none: everything still to ship).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderShipment {
    pub version: i64,
    #[serde(default)]
    pub lines: Vec<ShipLine>,
}

/// What the customer card's panel shows: the latest orders and what is still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerOrders {
    pub recent: Vec<OrderSummary>,
    /// Open orders (draft or confirmed) and their totals per currency.
    pub open: i64,
    pub open_totals: Vec<(String, Decimal)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_once_each() {
        // The e-invoice example: 12 × 300.00 at 12 %.
        assert_eq!(line_amounts(12_000, 30_000, 0, Some(1200)), (360_000, 43_200, 403_200));
        // Exempt lines carry no VAT.
        assert_eq!(line_amounts(12_000, 30_000, 0, None), (360_000, 0, 360_000));
        // 3 × 0.35 less 50 % = 0.525 → 0.53 (half away from zero); VAT 12 % of 0.53 = 0.0636 → 0.06.
        assert_eq!(line_amounts(3_000, 35, 5000, Some(1200)), (53, 6, 59));
        // A third of a unit: 0.333 × 10.00 = 3.33; the discount applies before rounding.
        assert_eq!(line_amounts(333, 1_000, 0, Some(1200)), (333, 40, 373));
        assert_eq!(line_amounts(1_000, 999, 1000, Some(0)), (899, 0, 899));
        // A full discount leaves nothing.
        assert_eq!(line_amounts(5_000, 12_345, 10_000, Some(1200)), (0, 0, 0));
    }

    #[test]
    fn totals_are_sums_of_rounded_lines() {
        // Three lines of 0.001 × 5.00 = 0.005 round to 0.01 each: the total is 0.03, not round(0.015) = 0.02.
        let lines: Vec<_> = (0..3).map(|_| line_amounts(1, 500, 0, None)).collect();
        assert_eq!(lines.iter().map(|l| l.0).sum::<i64>(), 3);
    }

    #[test]
    fn numbers_and_statuses() {
        assert_eq!(order_number(2026, 12), "ZK-2026-000012");
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        assert!(OrderStatus::Confirmed.is_open() && !OrderStatus::Shipped.is_open());
    }
}

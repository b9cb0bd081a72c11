//! Price lists: retail, wholesale, a customer group's own, each in one currency, with each product's price
//! valid from a date. A customer buys from their own list (when one is set) and otherwise from the default
//! list of the currency; [`super::price_service::price_for`] is the one place that decides.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::core::{Checks, ErrCode, Millis};

/// The most prices one request may set (a whole catalog moves in through the import).
pub const MAX_PRICES: usize = 5_000;
/// The most customers one assignment may name.
pub const MAX_ASSIGN: usize = 1_000;

/// A price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PriceList {
    pub id: i64,
    pub name: String,
    /// ISO code: every price of the list is in it.
    pub currency: String,
    /// The currency's default list: the prices of customers without a list of their own.
    pub is_default: bool,
    /// Customers who buy from this list.
    pub customers: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
    pub archived_at: Option<Millis>,
}

/// A new price list, or (with `version`) the whole new state of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PriceListInput {
    /// Required when changing a list: the version read.
    #[serde(default)]
    pub version: Option<i64>,
    pub name: String,
    /// UZS when left out.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub is_default: bool,
}

impl PriceListInput {
    /// The name trimmed and the currency upper-cased, or the field errors.
    pub fn validate(&self) -> Result<(String, String), crate::core::AppError> {
        let mut c = Checks::default();
        let name = c.text("name", &self.name, 120);
        let currency = crate::deals::currency(&mut c, self.currency.as_deref());
        c.finish()?;
        Ok((name, currency))
    }
}

/// A product's price in a list, valid from a date until the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Price {
    pub price_list_id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub sku: Option<String>,
    /// Per base unit of the product.
    pub unit: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub price: Decimal,
    pub set_at: Millis,
}

/// A page of prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PricePage {
    pub items: Vec<Price>,
    pub next_cursor: Option<String>,
}

/// One price to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewPrice {
    pub product_id: i64,
    /// `YYYY-MM-DD`; today (the company's calendar) when left out.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// Per base unit, in the list's currency, up to two decimals.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    #[serde(deserialize_with = "super::decimal_de")]
    pub price: Decimal,
}

/// Prices to set in one list, all or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewPrices {
    pub items: Vec<NewPrice>,
}

/// Customers to move onto a list (`price_list_id`), or back to the default one (`null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PriceListAssign {
    #[serde(default)]
    pub price_list_id: Option<i64>,
    pub customer_ids: Vec<i64>,
}

/// The price a customer pays for a product on a date, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PriceQuote {
    pub product_id: i64,
    pub price_list_id: i64,
    pub price_list_name: String,
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub price: Decimal,
    /// The date the price holds from (`YYYY-MM-DD`).
    pub valid_from: String,
}

/// A `YYYY-MM-DD` date as it is stored, refusing anything else (and impossible days such as 2026-02-30).
pub fn check_date(checks: &mut Checks, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    // ASCII first: the slices below are by byte.
    let ok = v.len() == 10
        && v.is_ascii()
        && v.as_bytes()[4] == b'-'
        && v.as_bytes()[7] == b'-'
        && matches!(
            (v[0..4].parse::<i32>(), v[5..7].parse::<u32>(), v[8..10].parse::<u32>()),
            (Ok(y), Ok(m), Ok(d)) if (1900..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in(y, m)
        );
    if ok {
        Some(v.to_string())
    } else {
        checks.fail(field, ErrCode::InvalidDate);
        None
    }
}

fn days_in(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_to_the_day() {
        for (v, ok) in [
            ("2026-12-06", true),
            ("2024-02-29", true),
            ("2026-02-29", false),
            ("2026-13-01", false),
            ("2026-1-01", false),
            ("06.12.2026", false),
            ("2026-12-06T00:00", false),
            ("2ü6-ü-06", false),
            ("", false),
        ] {
            let mut c = Checks::default();
            assert_eq!(check_date(&mut c, "d", v).is_some(), ok, "{v}");
        }
    }
}

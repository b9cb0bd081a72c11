//! Stock: the catalog (products and services), warehouses, stock documents (receipt, shipment, transfer,
//! write-off, inventory count) and the append-only ledger they post to, with balances kept beside it.
//!
//! Quantities are stored as integer thousandths of a product's base unit, money as integer tiyin; the rules
//! that turn them into each other (unit conversion, moving-average cost) are plain functions here, compiled
//! for the server and the browser and unit-tested below. Rounding, everywhere in stock: half away from zero,
//! to 0.001 of the base unit for quantities and to one tiyin for values.

pub mod api;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod dashboard_store;
pub mod groups;
pub mod page_catalog;
pub mod page_dashboard;
pub mod page_documents;
pub mod page_groups;
pub mod page_prices;
pub mod page_warehouses;
pub mod photos;
#[cfg(feature = "ssr")]
pub mod price_service;
#[cfg(feature = "ssr")]
pub mod price_store;
pub mod prices;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::core::modules::ModuleDef;
use crate::core::{Checks, ErrCode, Millis, Msg};
use crate::custom_fields::{CheckedValues, CustomField, CustomValues};

/// The stock module (switchable in Settings > Modules): the catalog, prices, warehouses and their documents.
pub const MODULE: ModuleDef = ModuleDef {
    key: "stock",
    name: Msg::ModuleStock,
    paths: &[
        "/stock",
        "/api/v1/products",
        "/api/v1/product-groups",
        "/api/v1/exports/products",
        "/api/v1/price-lists",
        "/api/v1/prices",
        "/api/v1/warehouses",
        "/api/v1/stock-documents",
        "/api/v1/stock",
    ],
};

/// What an empty stock list shows.
pub(crate) fn nothing_yet() -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <p class="muted">{crate::ui::t(Msg::NothingToShow)}</p> }.into_any()
}

/// Thousandths: the scale of every stored quantity.
pub const QTY_SCALE: u32 = 3;
/// The largest quantity a line may carry (a billion base units).
pub const MAX_QTY: i64 = 1_000_000_000;
/// The largest price per unit (a trillion, in the company's currency).
pub const MAX_PRICE: i64 = 1_000_000_000_000;
/// The most lines a document may hold (an inventory count of a big warehouse).
pub const MAX_LINES: usize = 10_000;
/// The company's accounting currency: stock is valued in it.
pub const STOCK_CURRENCY: &str = "UZS";
/// `company_settings` key: documents dated before this moment (epoch ms) can no longer be posted or cancelled.
pub const CLOSED_UNTIL: &str = "stock_closed_until";

/// A quantity in thousandths, refusing over-precise, absurd and (unless `signed`) negative ones.
pub fn qty_milli(checks: &mut Checks, field: &str, q: Decimal, signed: bool) -> Option<i64> {
    fixed(checks, field, q, QTY_SCALE, MAX_QTY, signed)
}

/// A price in tiyin (two decimals), refusing negative, over-precise and absurd ones.
pub fn price_minor(checks: &mut Checks, field: &str, price: Decimal) -> Option<i64> {
    fixed(checks, field, price, 2, MAX_PRICE, false)
}

/// `v` as an integer of `scale` decimals, at most `max` whole units either way.
fn fixed(checks: &mut Checks, field: &str, v: Decimal, scale: u32, max: i64, signed: bool) -> Option<i64> {
    if !signed && v.is_sign_negative() && !v.is_zero() {
        checks.fail(field, ErrCode::OutOfRange);
        return None;
    }
    let unit = 10_i64.pow(scale);
    let m = v * Decimal::from(unit);
    if m.fract() != Decimal::ZERO {
        checks.fail(field, ErrCode::TooPrecise);
        return None;
    }
    match i64::try_from(m.trunc()) {
        Ok(n) if n.abs() <= max * unit => Some(n),
        _ => {
            checks.fail(field, ErrCode::TooLarge);
            None
        }
    }
}

/// Thousandths back to a decimal quantity.
pub fn qty_of(milli: i64) -> Decimal {
    Decimal::new(milli, QTY_SCALE).normalize()
}

/// Tiyin back to a decimal amount of sums.
pub fn money_of(minor: i64) -> Decimal {
    Decimal::new(minor, 2).normalize()
}

/// `n / d` rounded half away from zero (`d > 0`).
pub fn div_round(n: i128, d: i128) -> i64 {
    let q = n / d;
    let r = n % d;
    let q = if 2 * r.abs() >= d { q + n.signum() } else { q };
    q.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// A line's quantity in the base unit: `qty_milli` of a unit worth `factor_milli` thousandths of it.
pub fn to_base(qty_milli: i64, factor_milli: i64) -> i64 {
    div_round(qty_milli as i128 * factor_milli as i128, 1000)
}

/// The value of `qty_milli` at `unit_price_minor` per (line) unit.
pub fn line_value(qty_milli: i64, unit_price_minor: i64) -> i64 {
    div_round(qty_milli as i128 * unit_price_minor as i128, 1000)
}

/// One item in one warehouse: what is there and what it is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stock {
    pub on_hand_milli: i64,
    pub value_minor: i64,
    /// Tiyin per base unit, as of the last receipt.
    pub avg_cost_minor: i64,
}

impl Stock {
    /// Goods coming in worth `value_minor`; the moving average follows.
    pub fn receive(self, base_milli: i64, value_minor: i64) -> Stock {
        let on_hand_milli = self.on_hand_milli + base_milli;
        let value_minor = self.value_minor + value_minor;
        let avg_cost_minor = if on_hand_milli > 0 {
            div_round(value_minor as i128 * 1000, on_hand_milli as i128)
        } else if base_milli > 0 {
            div_round(value_minor as i128 * 1000, base_milli as i128).max(0)
        } else {
            self.avg_cost_minor
        };
        Stock { on_hand_milli, value_minor, avg_cost_minor }
    }

    /// The value of `base_milli` leaving: its share of what is there at the moving average; the whole value
    /// when all of it leaves (no tiyin left behind), and the last average for what goes below zero.
    pub fn outgoing_value(self, base_milli: i64) -> i64 {
        if self.on_hand_milli <= 0 {
            return div_round(base_milli as i128 * self.avg_cost_minor as i128, 1000);
        }
        if base_milli <= self.on_hand_milli {
            return div_round(self.value_minor as i128 * base_milli as i128, self.on_hand_milli as i128);
        }
        let beyond = base_milli - self.on_hand_milli;
        self.value_minor + div_round(beyond as i128 * self.avg_cost_minor as i128, 1000)
    }

    /// After `base_milli` left, valued at `value_minor`.
    pub fn issue(self, base_milli: i64, value_minor: i64) -> Stock {
        Stock {
            on_hand_milli: self.on_hand_milli - base_milli,
            value_minor: self.value_minor - value_minor,
            avg_cost_minor: self.avg_cost_minor,
        }
    }
}

/// Goods or a service (services never enter a warehouse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    #[default]
    Goods,
    Service,
}

impl ProductKind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::Goods => "goods",
            ProductKind::Service => "service",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<ProductKind> {
        [ProductKind::Goods, ProductKind::Service].into_iter().find(|k| k.as_str() == s)
    }

    /// Its name in the UI (and in the catalog's files).
    pub fn msg(self) -> Msg {
        match self {
            ProductKind::Goods => Msg::KindGoods,
            ProductKind::Service => Msg::KindService,
        }
    }
}

/// The VAT rates a product may carry: `"12"` (the standard rate, the default), `"0"`, or `"exempt"`;
/// stored as basis points (NULL: exempt), so another rate is a new entry here, not a migration.
pub const VAT_RATES: &[(&str, Option<i32>)] = &[("12", Some(1200)), ("0", Some(0)), ("exempt", None)];

/// The API's name of a stored VAT rate.
pub fn vat_name(bp: Option<i32>) -> String {
    VAT_RATES
        .iter()
        .find(|(_, v)| *v == bp)
        .map_or_else(|| format!("{}", bp.unwrap_or_default() / 100), |(n, _)| (*n).into())
}

/// Another unit of a product: `factor` base units each (a box of 12 pieces: `factor = "12"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductUnit {
    pub unit: String,
    #[serde(deserialize_with = "decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub factor: Decimal,
}

/// A product or service of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: i64,
    pub kind: ProductKind,
    pub name: String,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub sku: Option<String>,
    pub group_id: Option<i64>,
    pub base_unit: String,
    pub units: Vec<ProductUnit>,
    pub barcodes: Vec<String>,
    /// MXIK / IKPU classifier code (17 digits).
    pub mxik: Option<String>,
    pub package_code: Option<String>,
    /// `"12"`, `"0"` or `"exempt"`.
    pub vat: String,
    /// Kilograms.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub weight_kg: Option<Decimal>,
    /// Custom field values by key (fields of entity `product`).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    #[serde(default)]
    pub custom: CustomValues,
    /// The entity tag of the product's photo (`/api/v1/products/{id}/photo`), if it has one: it changes with
    /// the photo.
    #[serde(default)]
    pub photo_etag: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
    pub archived_at: Option<Millis>,
}

/// A new product, or (with `version`) the whole new state of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductInput {
    /// Required when changing a product: the version read.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub kind: ProductKind,
    pub name: String,
    #[serde(default)]
    pub name_ru: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub group_id: Option<i64>,
    /// Defaults to `pcs`.
    #[serde(default)]
    pub base_unit: Option<String>,
    #[serde(default)]
    pub units: Vec<ProductUnit>,
    #[serde(default)]
    pub barcodes: Vec<String>,
    #[serde(default)]
    pub mxik: Option<String>,
    #[serde(default)]
    pub package_code: Option<String>,
    /// `"12"` (default), `"0"` or `"exempt"`.
    #[serde(default)]
    pub vat: Option<String>,
    #[serde(default, deserialize_with = "opt_decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub weight_kg: Option<Decimal>,
    /// Custom field values to set, by key (`null` clears one); others stay. Required ones must be given
    /// when the product is made.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    #[serde(default)]
    pub custom: Option<CustomValues>,
}

/// A product's checked values, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductValues {
    pub kind: ProductKind,
    pub name: String,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub sku: Option<String>,
    pub group_id: Option<i64>,
    pub base_unit: String,
    /// `(unit, factor_milli)`.
    pub units: Vec<(String, i64)>,
    pub barcodes: Vec<String>,
    pub mxik: Option<String>,
    pub package_code: Option<String>,
    pub vat_bp: Option<i32>,
    pub weight_grams: Option<i64>,
    /// Checked custom field values to write (only the fields given).
    pub custom: CheckedValues,
}

impl ProductValues {
    /// The catalog's order: the name, lower-cased (by Rust, for Cyrillic too).
    pub fn sort_key(&self) -> String {
        self.name.to_lowercase()
    }

    /// What the catalog's search looks in: the names in every language and the SKU, lower-cased.
    pub fn search_text(&self) -> String {
        [Some(&self.name), self.name_ru.as_ref(), self.name_en.as_ref(), self.sku.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| s.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl ProductInput {
    /// Checks every field, custom ones against `defs` (the products' field definitions; required ones when
    /// the product is made, that is without `version`); each refusal names its field.
    pub fn validate(&self, defs: &[CustomField]) -> Result<ProductValues, crate::core::AppError> {
        let mut c = Checks::default();
        let name = c.text("name", &self.name, 200);
        let name_ru = c.opt_text("name_ru", self.name_ru.as_deref(), 200);
        let name_en = c.opt_text("name_en", self.name_en.as_deref(), 200);
        let sku = c.opt_text("sku", self.sku.as_deref(), 64);
        let base_unit = c.opt_text("base_unit", self.base_unit.as_deref(), 20).unwrap_or_else(|| "pcs".into());
        let mut units = Vec::new();
        for u in &self.units {
            let unit = c.text("units", &u.unit, 20);
            if unit.eq_ignore_ascii_case(&base_unit)
                || units.iter().any(|(n, _): &(String, i64)| n.eq_ignore_ascii_case(&unit))
            {
                c.fail("units", ErrCode::AlreadyThere);
            }
            match qty_milli(&mut c, "units", u.factor, false) {
                Some(0) => c.fail("units", ErrCode::OutOfRange),
                Some(f) => units.push((unit, f)),
                None => {}
            }
        }
        if units.len() > 20 {
            c.fail("units", ErrCode::TooMany);
        }
        let mut barcodes: Vec<String> = Vec::new();
        for b in &self.barcodes {
            let b = b.trim();
            if b.is_empty() || b.len() > 64 || !b.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') {
                c.fail("barcodes", ErrCode::InvalidChoice);
            } else if !barcodes.iter().any(|x| x == b) {
                barcodes.push(b.to_string());
            }
        }
        if barcodes.len() > 20 {
            c.fail("barcodes", ErrCode::TooMany);
        }
        let mxik = c.opt_text("mxik", self.mxik.as_deref(), 17);
        if mxik.as_ref().is_some_and(|m| m.len() != 17 || !m.chars().all(|ch| ch.is_ascii_digit())) {
            c.fail("mxik", ErrCode::InvalidMxik);
        }
        let package_code = c.opt_text("package_code", self.package_code.as_deref(), 20);
        if package_code.as_ref().is_some_and(|m| !m.chars().all(|ch| ch.is_ascii_digit())) {
            c.fail("package_code", ErrCode::NotANumber);
        }
        let vat = self.vat.as_deref().map(str::trim).filter(|v| !v.is_empty()).unwrap_or("12");
        let vat = vat.trim_end_matches('%');
        let vat_bp = match VAT_RATES.iter().find(|(n, _)| *n == vat) {
            Some((_, bp)) => *bp,
            None => {
                c.fail("vat", ErrCode::InvalidChoice);
                None
            }
        };
        let weight_grams = self.weight_kg.and_then(|w| qty_milli(&mut c, "weight_kg", w, false));
        let custom = crate::custom_fields::check_values(
            &mut c,
            defs,
            self.custom.as_ref().unwrap_or(&CustomValues::new()),
            self.version.is_none(),
        );
        c.finish()?;
        Ok(ProductValues {
            kind: self.kind,
            name,
            name_ru,
            name_en,
            sku,
            group_id: self.group_id,
            base_unit,
            units,
            barcodes,
            mxik,
            package_code,
            vat_bp,
            weight_grams,
            custom,
        })
    }
}

/// A page of products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductPage {
    pub items: Vec<Product>,
    pub next_cursor: Option<String>,
}

/// A warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Warehouse {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub responsible_id: Option<i64>,
    pub responsible_name: Option<String>,
    /// Whether shipments may take stock below zero here (refused by default).
    pub allow_negative: bool,
    /// The storekeepers who post its documents.
    pub keepers: Vec<i64>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
    pub archived_at: Option<Millis>,
}

/// A new warehouse, or (with `version`) the whole new state of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WarehouseInput {
    /// Required when changing a warehouse: the version read.
    #[serde(default)]
    pub version: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub responsible_id: Option<i64>,
    #[serde(default)]
    pub allow_negative: bool,
    #[serde(default)]
    pub keepers: Vec<i64>,
}

/// What a stock document does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Receipt,
    Shipment,
    Transfer,
    WriteOff,
    Inventory,
}

impl DocKind {
    pub const ALL: [DocKind; 5] =
        [DocKind::Receipt, DocKind::Shipment, DocKind::Transfer, DocKind::WriteOff, DocKind::Inventory];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Receipt => "receipt",
            DocKind::Shipment => "shipment",
            DocKind::Transfer => "transfer",
            DocKind::WriteOff => "write_off",
            DocKind::Inventory => "inventory",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind's name.
    pub fn msg(self) -> Msg {
        match self {
            DocKind::Receipt => Msg::DocReceipt,
            DocKind::Shipment => Msg::DocShipment,
            DocKind::Transfer => Msg::DocTransfer,
            DocKind::WriteOff => Msg::DocWriteOff,
            DocKind::Inventory => Msg::DocInventory,
        }
    }

    /// The number's prefix (Uzbek initials: Kirim, CHiqim, KOʻchirish, Hisobdan chiqarish, INventarizatsiya).
    pub fn prefix(self) -> &'static str {
        match self {
            DocKind::Receipt => "KR",
            DocKind::Shipment => "CH",
            DocKind::Transfer => "KO",
            DocKind::WriteOff => "HC",
            DocKind::Inventory => "IN",
        }
    }

    /// The printed number of the `seq`-th document of its kind in `year`.
    pub fn number(self, year: i32, seq: i64) -> String {
        format!("{}-{year}-{seq:06}", self.prefix())
    }
}

/// Where a document is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    Draft,
    /// A transfer that left its warehouse and has not arrived.
    InTransit,
    Posted,
    Cancelled,
}

impl DocStatus {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::Draft => "draft",
            DocStatus::InTransit => "in_transit",
            DocStatus::Posted => "posted",
            DocStatus::Cancelled => "cancelled",
        }
    }

    /// The status's name.
    pub fn msg(self) -> Msg {
        match self {
            DocStatus::Draft => Msg::StatusDraft,
            DocStatus::InTransit => Msg::InTransit,
            DocStatus::Posted => Msg::StatusPosted,
            DocStatus::Cancelled => Msg::StatusCancelled,
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<DocStatus> {
        [DocStatus::Draft, DocStatus::InTransit, DocStatus::Posted, DocStatus::Cancelled]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One line of a stock document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DocLine {
    pub line_no: i32,
    pub product_id: i64,
    pub product_name: String,
    pub unit: String,
    /// In the line's unit (an inventory count: the quantity counted).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub qty: Decimal,
    /// The same in the product's base unit.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub base_qty: Decimal,
    /// A receipt's price per line unit (UZS).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub unit_cost: Option<Decimal>,
    /// An inventory count's expected quantity (base unit), fixed when it was posted.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub expected: Option<Decimal>,
}

/// A stock document with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockDocument {
    pub id: i64,
    pub kind: DocKind,
    pub number: String,
    pub status: DocStatus,
    pub warehouse_id: i64,
    pub warehouse_name: String,
    pub to_warehouse_id: Option<i64>,
    pub to_warehouse_name: Option<String>,
    pub customer_id: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    /// When the goods moved (epoch ms).
    pub doc_at: Millis,
    pub lines: Vec<DocLine>,
    pub created_by: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
    pub posted_at: Option<Millis>,
    pub received_at: Option<Millis>,
    pub cancelled_at: Option<Millis>,
    /// A shipment made from a sales order: the order.
    #[serde(default)]
    pub order_id: Option<i64>,
}

/// A document as a list shows it (no lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DocSummary {
    pub id: i64,
    pub kind: DocKind,
    pub number: String,
    pub status: DocStatus,
    pub warehouse_id: i64,
    pub warehouse_name: String,
    pub to_warehouse_id: Option<i64>,
    pub doc_at: Millis,
    pub lines: i64,
    pub updated_at: Millis,
    pub version: i64,
}

/// A page of documents, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DocPage {
    pub items: Vec<DocSummary>,
    pub next_cursor: Option<String>,
}

/// A line of a new document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewDocLine {
    pub product_id: i64,
    /// The product's base unit when absent, else one of its extra units.
    #[serde(default)]
    pub unit: Option<String>,
    /// A decimal string (`"12.5"`); an inventory count gives the quantity counted.
    #[serde(deserialize_with = "decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub qty: Decimal,
    /// Receipts: the price per line unit (UZS), required.
    #[serde(default, deserialize_with = "opt_decimal_de")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub unit_cost: Option<Decimal>,
}

/// A new stock document: a draft, posted later (or at once with `post`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewStockDocument {
    pub kind: DocKind,
    pub warehouse_id: i64,
    /// Transfers: where the goods go.
    #[serde(default)]
    pub to_warehouse_id: Option<i64>,
    /// Shipments: to whom (optional).
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// Write-offs: why (required).
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// When the goods moved (epoch ms); now when absent.
    #[serde(default)]
    pub doc_at: Option<Millis>,
    pub lines: Vec<NewDocLine>,
    /// Post it in the same call.
    #[serde(default)]
    pub post: bool,
}

/// An item's stock in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Balance {
    pub warehouse_id: i64,
    pub warehouse_name: String,
    pub product_id: i64,
    pub product_name: String,
    pub sku: Option<String>,
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub on_hand: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub reserved: Decimal,
    /// UZS.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub value: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub min: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub reorder: Option<Decimal>,
    pub last_out_at: Option<Millis>,
}

/// An item's minimum in a warehouse and how much to reorder when it falls below (`null` clears either).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockLimits {
    pub warehouse_id: i64,
    pub product_id: i64,
    /// In the base unit.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    #[serde(default, deserialize_with = "opt_decimal_de")]
    pub min: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    #[serde(default, deserialize_with = "opt_decimal_de")]
    pub reorder: Option<Decimal>,
}

/// A page of balances, by warehouse and product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BalancePage {
    pub items: Vec<Balance>,
    pub next_cursor: Option<String>,
}

/// An item's turnover in a warehouse over a period: its stock at the start, what came in and what went
/// out (a cancellation nets out of what it cancels), its stock at the end, and when it last went out.
/// Quantities in the base unit; `opening + incoming - outgoing = closing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Turnover {
    pub warehouse_id: i64,
    pub warehouse_name: String,
    pub product_id: i64,
    pub product_name: String,
    pub sku: Option<String>,
    pub unit: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub opening: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub incoming: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub outgoing: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub closing: Decimal,
    /// The last outgoing movement ever (not only in the period): slow movers have none for long.
    pub last_out_at: Option<Millis>,
}

/// A page of turnover rows, by warehouse and product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TurnoverPage {
    pub items: Vec<Turnover>,
    pub next_cursor: Option<String>,
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Movement {
    pub id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub warehouse_id: i64,
    /// Signed, in the base unit.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub qty: Decimal,
    /// Signed, UZS.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub value: Decimal,
    pub document_id: i64,
    pub document_number: String,
    pub document_kind: DocKind,
    pub at: Millis,
    pub posted_at: Millis,
    /// The movement this one reverses (a cancellation's rows).
    pub reverses: Option<i64>,
}

/// A page of movements, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MovementPage {
    pub items: Vec<Movement>,
    pub next_cursor: Option<String>,
}

/// Reads a decimal given as a JSON string (`"12.5"`) or number.
pub(crate) fn decimal_de<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    opt_decimal_de(d)?.ok_or_else(|| serde::de::Error::custom("a quantity is required"))
}

/// Reads an optional decimal given as a JSON string or number.
pub(crate) fn opt_decimal_de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    use serde::de::Error;
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => s.trim().parse().map(Some).map_err(D::Error::custom),
        Some(serde_json::Value::Number(n)) => n.to_string().parse().map(Some).map_err(D::Error::custom),
        Some(_) => Err(D::Error::custom("a decimal must be a string or a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn rounding_is_half_away_from_zero() {
        for (n, d, q) in [(5, 10, 1), (4, 10, 0), (-5, 10, -1), (-4, 10, 0), (15, 10, 2), (25, 10, 3), (7, 7, 1)] {
            assert_eq!(div_round(n, d), q, "{n}/{d}");
        }
    }

    #[test]
    fn units_convert_to_the_base_unit() {
        // 1.5 boxes of 12 = 18 pieces; a third of a kilo box of 0.333 kg.
        assert_eq!(to_base(1500, 12_000), 18_000);
        assert_eq!(to_base(1, 333), 0);
        assert_eq!(to_base(2, 333), 1);
        assert_eq!(line_value(2500, 10_000), 25_000);
    }

    #[test]
    fn quantities_are_thousandths() {
        let mut c = Checks::default();
        assert_eq!(qty_milli(&mut c, "q", Decimal::from_str("12.345").unwrap(), false), Some(12_345));
        assert_eq!(qty_milli(&mut c, "q", Decimal::from_str("0.0001").unwrap(), false), None);
        assert_eq!(qty_milli(&mut c, "q", Decimal::from_str("-1").unwrap(), false), None);
        assert_eq!(qty_milli(&mut c, "q", Decimal::from_str("-1").unwrap(), true), Some(-1000));
        assert_eq!(qty_milli(&mut c, "q", Decimal::from_str("1e12").unwrap(), false), None);
        let codes: Vec<ErrCode> = c.into_fields().into_iter().map(|f| f.code).collect();
        assert_eq!(codes, [ErrCode::TooPrecise, ErrCode::OutOfRange, ErrCode::TooLarge]);
        assert_eq!(qty_of(18_000).to_string(), "18");
        assert_eq!(qty_of(1_500).to_string(), "1.5");
    }

    #[test]
    fn moving_average_cost() {
        // 10 at 1,000.00 and 10 at 2,000.00: 20 worth 30,000.00, 1,500.00 each.
        let s = Stock::default().receive(10_000, 1_000_000).receive(10_000, 2_000_000);
        assert_eq!(s, Stock { on_hand_milli: 20_000, value_minor: 3_000_000, avg_cost_minor: 150_000 });
        // A third leaves: its share of the value, rounded to a tiyin.
        let out = Stock { on_hand_milli: 3_000, value_minor: 100, avg_cost_minor: 33 }.outgoing_value(1_000);
        assert_eq!(out, 33);
        // The last of it takes exactly what is left: no tiyin stays behind with no goods.
        let s = Stock { on_hand_milli: 3_000, value_minor: 100, avg_cost_minor: 33 };
        let v1 = s.outgoing_value(1_000);
        let s = s.issue(1_000, v1);
        let v2 = s.outgoing_value(2_000);
        assert_eq!(s.issue(2_000, v2), Stock { on_hand_milli: 0, value_minor: 0, avg_cost_minor: 33 });
        // Below zero (where allowed), at the last average.
        let s = Stock { on_hand_milli: 1_000, value_minor: 150_000, avg_cost_minor: 150_000 };
        assert_eq!(s.outgoing_value(3_000), 450_000);
        assert_eq!(
            Stock { on_hand_milli: -2_000, value_minor: -300_000, avg_cost_minor: 150_000 }.outgoing_value(1_000),
            150_000
        );
    }

    #[test]
    fn products_are_checked() {
        let ok = ProductInput {
            name: "Stul".into(),
            units: vec![ProductUnit { unit: "box".into(), factor: Decimal::from(12) }],
            mxik: Some("10000000000000001".into()),
            vat: Some("12%".into()),
            ..Default::default()
        };
        let v = ok.validate(&[]).unwrap();
        assert_eq!((v.base_unit.as_str(), v.units[0].1, v.vat_bp), ("pcs", 12_000, Some(1200)));
        let bad = ProductInput { name: " ".into(), mxik: Some("123".into()), vat: Some("15".into()), ..ok };
        let e = bad.validate(&[]).unwrap_err();
        assert_eq!(e.field_codes("name"), [ErrCode::Required]);
        assert_eq!(e.field_codes("mxik"), [ErrCode::InvalidMxik]);
        assert_eq!(e.field_codes("vat"), [ErrCode::InvalidChoice]);
        assert_eq!(DocKind::Receipt.number(2026, 12), "KR-2026-000012");
        assert_eq!(vat_name(None), "exempt");
    }
}

//! Server functions for the order pages, the customer card's panel and the deal page: thin shims over the
//! service. Each form works as a plain form post too.
// A server function takes a form's fields as its arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::{CustomerOrders, Order, OrderPage};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// An order with what the reader may do to it, and the warehouses it may be confirmed in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderView {
    pub order: Order,
    /// Change the draft, confirm, cancel, close (sales staff in whose scope the customer is).
    pub may_edit: bool,
    /// Ship it (administrators, the keepers of its warehouse).
    pub may_ship: bool,
    /// Invoice it (whoever sees its customer's money: sales staff, accountants, administrators).
    pub may_invoice: bool,
    pub warehouses: Vec<crate::stock::dashboard::WarehouseChoice>,
    /// The customer's counterparties: `(id, legal name)`.
    pub counterparties: Vec<(i64, String)>,
}

/// A form's decimal (spaces dropped, a comma as the decimal point); `NotANumber` as `field`.
#[cfg(feature = "ssr")]
pub(crate) fn decimal(field: &str, v: Option<&str>) -> Result<Option<rust_decimal::Decimal>, AppError> {
    match v.map(|v| v.replace([' ', '\u{a0}'], "").replace(',', ".")).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AppError::field(field, crate::core::ErrCode::NotANumber)),
    }
}

/// A page of orders, newest first: all, open ones or one status, by a part of the number.
#[server(prefix = "/rpc", endpoint = "orders/list")]
pub async fn orders_page(
    status: Option<String>,
    number: Option<String>,
    cursor: Option<String>,
) -> Result<OrderPage, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let q = super::store::OrderQuery {
            status: status.as_deref().and_then(super::OrderStatus::parse),
            open: status.as_deref() == Some("open"),
            number,
            cursor,
            limit: 30,
            ..Default::default()
        };
        super::service::list(&db, ctx.user()?, q).await
    };
    run.await.inspect_err(set_status)
}

/// One order with what the reader may do to it.
#[server(prefix = "/rpc", endpoint = "orders/get")]
pub async fn load_order(id: i64) -> Result<OrderView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let order = super::service::get(&db, user, id).await?;
        // As the service's rule: sales staff, not the storekeeper nor the accountant.
        use crate::core::identity::Role;
        let may_edit = !matches!(user.role, Role::Storekeeper | Role::Accountant);
        let may_ship = match (order.warehouse_id, crate::stock::service::postable(&db, user).await?) {
            (Some(_), None) => true,
            (Some(w), Some(mine)) => mine.contains(&w),
            (None, _) => false,
        };
        let (all, _) = crate::stock::store::warehouses(&db, None, Default::default(), None, 200).await?;
        let warehouses =
            all.iter().map(|w| crate::stock::dashboard::WarehouseChoice { id: w.id, name: w.name.clone() }).collect();
        let counterparties = crate::counterparties::store::list_for_customer(&db, order.customer_id)
            .await?
            .current
            .into_iter()
            .map(|c| (c.id, c.legal_name))
            .collect();
        let may_invoice = user.money_scope().is_some();
        Ok(OrderView { order, may_edit, may_ship, may_invoice, warehouses, counterparties })
    };
    run.await.inspect_err(set_status)
}

/// Makes a draft order for a customer (or from a deal: its customer, counterparty and manager) and opens it.
#[server(prefix = "/rpc", endpoint = "orders/create")]
pub async fn create_order(customer: Option<String>, deal: Option<String>) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let deal = crate::stock::store::opt_id("deal", deal.as_deref().map(str::trim))?;
        let order = match deal {
            Some(d) => super::service::create_from_deal(&db, user, d).await?,
            None => {
                let customer = crate::stock::store::opt_id("customer", customer.as_deref().map(str::trim))?
                    .ok_or_else(|| AppError::field("customer", crate::core::ErrCode::Required))?;
                let input = super::NewOrder { customer_id: customer, ..Default::default() };
                super::service::create(&db, user, &input)
                    .await
                    .map_err(|e| e.renamed(&[("customer_id", "customer")]))?
            }
        };
        leptos_axum::redirect(&format!("/orders/{}", order.id));
        Ok(order.id)
    };
    run.await.inspect_err(set_status)
}

/// The draft's lines as inputs again: a line still at its list's price follows the list (priced anew on the
/// order's date); a changed price stays with its reason.
#[cfg(feature = "ssr")]
fn inputs_of(order: &Order) -> Vec<super::OrderLineInput> {
    order
        .lines
        .iter()
        .map(|l| super::OrderLineInput {
            product_id: l.product_id,
            unit: Some(l.unit.clone()),
            qty: l.qty,
            price: (l.list_price != Some(l.price)).then_some(l.price),
            price_reason: l.price_reason.clone(),
            discount: Some(l.discount),
        })
        .collect()
}

/// Adds a line to a draft (the product by barcode, SKU or name; the price from the list unless given).
#[server(prefix = "/rpc", endpoint = "orders/add-line")]
pub async fn add_order_line(
    id: i64,
    version: i64,
    product: String,
    qty: String,
    unit: Option<String>,
    price: Option<String>,
    price_reason: Option<String>,
    discount: Option<String>,
) -> Result<(), AppError> {
    use crate::core::{Checks, ErrCode};
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let order = super::service::get(&db, user, id).await?;
        let mut c = Checks::default();
        let product_id = match product.trim() {
            "" => {
                c.fail("product", ErrCode::Required);
                0
            }
            code => match crate::stock::service::product_by_code(&db, code).await? {
                Ok(id) => id,
                Err(code) => {
                    c.fail("product", code);
                    0
                }
            },
        };
        let qty = match decimal("qty", Some(&qty)) {
            Ok(Some(q)) => q,
            Ok(None) => {
                c.fail("qty", ErrCode::Required);
                Default::default()
            }
            Err(_) => {
                c.fail("qty", ErrCode::NotANumber);
                Default::default()
            }
        };
        let price = decimal("price", price.as_deref());
        let discount = decimal("discount", discount.as_deref());
        for (f, r) in [("price", &price), ("discount", &discount)] {
            if r.is_err() {
                c.fail(f, ErrCode::NotANumber);
            }
        }
        c.finish()?;
        let mut lines = inputs_of(&order);
        let n = lines.len();
        lines.push(super::OrderLineInput {
            product_id,
            unit,
            qty,
            price: price.ok().flatten(),
            price_reason,
            discount: discount.ok().flatten(),
        });
        let patch = super::OrderPatch {
            version,
            counterparty_id: order.counterparty_id,
            order_date: Some(order.order_date.clone()),
            note: order.note.clone(),
            lines,
        };
        let names: Vec<(String, String)> = ["product_id", "unit", "qty", "price", "price_reason", "discount"]
            .iter()
            .map(|f| (format!("lines[{n}].{f}"), if *f == "product_id" { "product".into() } else { f.to_string() }))
            .collect();
        let pairs: Vec<(&str, &str)> = names.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        super::service::update(&db, user, id, &patch).await.map_err(|e| e.renamed(&pairs))?;
        leptos_axum::redirect(&format!("/orders/{id}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// Removes a line from a draft.
#[server(prefix = "/rpc", endpoint = "orders/remove-line")]
pub async fn remove_order_line(id: i64, version: i64, line: i64) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let order = super::service::get(&db, user, id).await?;
        let keep: Vec<bool> = order.lines.iter().map(|l| l.id != line).collect();
        let lines = inputs_of(&order).into_iter().zip(keep).filter_map(|(l, k)| k.then_some(l)).collect();
        let patch = super::OrderPatch {
            version,
            counterparty_id: order.counterparty_id,
            order_date: Some(order.order_date.clone()),
            note: order.note.clone(),
            lines,
        };
        super::service::update(&db, user, id, &patch).await?;
        leptos_axum::redirect(&format!("/orders/{id}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// Changes a draft's counterparty, date and note (its lines stay; prices following the list are taken on
/// the new date).
#[server(prefix = "/rpc", endpoint = "orders/save-head")]
pub async fn save_order_head(
    id: i64,
    version: i64,
    counterparty: Option<String>,
    order_date: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let order = super::service::get(&db, user, id).await?;
        let patch = super::OrderPatch {
            version,
            counterparty_id: crate::stock::store::opt_id("counterparty", counterparty.as_deref().map(str::trim))?,
            order_date,
            note,
            lines: inputs_of(&order),
        };
        super::service::update(&db, user, id, &patch)
            .await
            .map_err(|e| e.renamed(&[("counterparty_id", "counterparty")]))?;
        leptos_axum::redirect(&format!("/orders/{id}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// Confirms (`act`: `confirm`, with `warehouse`), cancels (`cancel`) or closes (`close`) an order at `version`.
#[server(prefix = "/rpc", endpoint = "orders/act")]
pub async fn act_on_order(id: i64, version: i64, act: String, warehouse: Option<String>) -> Result<(), AppError> {
    use super::OrderStatus;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        match act.as_str() {
            "confirm" => {
                let warehouse_id = crate::stock::store::opt_id("warehouse", warehouse.as_deref().map(str::trim))?
                    .ok_or_else(|| AppError::field("warehouse", crate::core::ErrCode::Required))?;
                let input = super::OrderConfirm { version, warehouse_id };
                super::service::confirm(&db, user, id, &input)
                    .await
                    .map_err(|e| e.renamed(&[("warehouse_id", "warehouse")]))?;
            }
            "cancel" => {
                super::service::finish(&db, user, id, version, OrderStatus::Cancelled).await?;
            }
            "close" => {
                super::service::finish(&db, user, id, version, OrderStatus::Closed).await?;
            }
            _ => return Err(AppError::field("act", crate::core::ErrCode::InvalidChoice)),
        }
        leptos_axum::redirect(&format!("/orders/{id}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// What [`keyed_quantities`] reads: `(key, quantity)` pairs and `(API field, form field)` names.
#[cfg(feature = "ssr")]
pub(crate) type Keyed<K> = (Vec<(K, rust_decimal::Decimal)>, Vec<(String, String)>);

/// A form's `qty[KEY]` fields: `(key, quantity)` of those given and not zero, in key order, and for each the
/// name its errors come back under (`lines[i].qty`) with the form field's (`qty[KEY]`), to rename them by.
/// A key that is no `K` or a quantity that is no number fails in `c`.
#[cfg(feature = "ssr")]
pub(crate) fn keyed_quantities<K: std::str::FromStr>(
    c: &mut crate::core::Checks,
    qty: Option<std::collections::BTreeMap<String, String>>,
) -> Keyed<K> {
    use crate::core::ErrCode;
    let (mut out, mut names) = (Vec::new(), Vec::new());
    for (key, value) in qty.unwrap_or_default() {
        let Ok(k) = key.parse::<K>() else {
            c.fail("qty", ErrCode::InvalidChoice);
            continue;
        };
        match decimal(&format!("qty[{key}]"), Some(&value)) {
            Ok(Some(q)) if !q.is_zero() => {
                names.push((format!("lines[{}].qty", out.len()), format!("qty[{key}]")));
                out.push((k, q));
            }
            Ok(_) => {}
            Err(_) => c.fail(&format!("qty[{key}]"), ErrCode::NotANumber),
        }
    }
    (out, names)
}

/// Ships a confirmed order: `qty[LINE_ID]` per line (in the line's unit; empty or zero: not now).
#[server(prefix = "/rpc", endpoint = "orders/ship")]
pub async fn ship_order(
    id: i64,
    version: i64,
    qty: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), AppError> {
    use crate::core::{Checks, ErrCode};
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let mut c = Checks::default();
        let (given, names) = keyed_quantities::<i64>(&mut c, qty);
        let lines: Vec<_> = given.into_iter().map(|(line_id, qty)| super::ShipLine { line_id, qty }).collect();
        if lines.is_empty() && c.is_empty() {
            c.fail("lines", ErrCode::NothingToShip);
        }
        c.finish()?;
        let pairs: Vec<(&str, &str)> = names.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let input = super::OrderShipment { version, lines };
        super::service::ship(&db, user, id, &input).await.map_err(|e| e.renamed(&pairs))?;
        leptos_axum::redirect(&format!("/orders/{id}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// What a customer's card shows of its orders.
#[server(prefix = "/rpc", endpoint = "orders/of-customer")]
pub async fn orders_of_customer(customer: i64) -> Result<CustomerOrders, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::of_customer(&db, ctx.user()?, customer).await
    };
    run.await.inspect_err(set_status)
}

/// A deal's live order, if it has one.
#[server(prefix = "/rpc", endpoint = "orders/of-deal")]
pub async fn deal_order(deal: i64) -> Result<Option<super::OrderSummary>, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        crate::deals::service::get(&db, user, deal).await?;
        let q = super::store::OrderQuery { deal_id: Some(deal), limit: 5, ..Default::default() };
        let page = super::store::list(&db, &q).await?;
        Ok(page.items.into_iter().find(|o| o.status != super::OrderStatus::Cancelled))
    };
    run.await.inspect_err(set_status)
}

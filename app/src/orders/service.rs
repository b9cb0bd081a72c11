//! Sales orders with their rules. Whoever sees a customer's money sees its orders (an accountant all of
//! them); managers, sales heads and administrators make and change them for the customers in their scope; a
//! storekeeper sees the orders confirmed in the warehouses they keep and ships them, like an administrator
//! (the stock rule: only they post).

use rust_decimal::Decimal;

use super::store::{self, LineValues, OrderHead, OrderQuery, OrderValues};
use super::{
    CustomerOrders, MAX_ORDER_LINES, NewOrder, Order, OrderConfirm, OrderLineInput, OrderPage, OrderPatch,
    OrderShipment, OrderStatus, line_amounts,
};
use crate::core::db::Db;
use crate::core::identity::{CurrentUser, Role};
use crate::core::{AppError, Checks, ErrCode, now_millis};
use crate::stock::service::{products_of, unit_of};
use crate::stock::{DocKind, div_round, price_minor, qty_milli, to_base};

/// Refuses unless `user` may read an order of this head: whoever sees its customer, and the storekeepers of
/// the warehouse a confirmed order reserves in.
async fn may_read(db: &Db, user: &CurrentUser, head: &OrderHead) -> Result<(), AppError> {
    if user.role == Role::Storekeeper {
        let mine = crate::stock::store::kept_by(db, user.id).await?;
        return match head.warehouse_id {
            Some(w) if head.status != OrderStatus::Draft && mine.contains(&w) => Ok(()),
            _ => Err(AppError::Forbidden),
        };
    }
    crate::customers::service::money_of(db, user, head.customer_id).await.map(|_| ())
}

/// Refuses unless `user` may change orders of `customer_id`: sales staff in whose scope it is.
async fn may_edit(db: &Db, user: &CurrentUser, customer_id: i64) -> Result<crate::customers::Customer, AppError> {
    if matches!(user.role, Role::Storekeeper | Role::Accountant) {
        return Err(AppError::Forbidden);
    }
    crate::customers::service::get(db, user, customer_id).await
}

/// One order `user` may read.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Order, AppError> {
    may_read(db, user, &store::head(db, id).await?).await?;
    store::get(db, id).await
}

/// A page of the orders `user` may read.
pub async fn list(db: &Db, user: &CurrentUser, mut q: OrderQuery) -> Result<OrderPage, AppError> {
    if user.role == Role::Storekeeper {
        q.warehouses = Some(crate::stock::store::kept_by(db, user.id).await?);
    } else {
        q.scope = user.money_scope();
    }
    if let Some(c) = q.customer_id {
        crate::customers::service::money_of(db, user, c).await?;
    }
    store::list(db, &q).await
}

/// What a customer's card shows of its orders.
pub async fn of_customer(db: &Db, user: &CurrentUser, customer_id: i64) -> Result<CustomerOrders, AppError> {
    crate::customers::service::get(db, user, customer_id).await?;
    let q = OrderQuery { customer_id: Some(customer_id), limit: 5, ..Default::default() };
    let recent = store::list(db, &q).await?.items;
    let (open, open_totals) = store::open_totals(db, customer_id).await?;
    Ok(CustomerOrders { recent, open, open_totals })
}

/// Checks and prices `inputs` for `customer_id` in `currency` on `on`: goods and services of the catalog in
/// one of their units, positive quantities, the price of the customer's list (or the currency's default list)
/// unless one is given, with a reason when it differs; discounts of 0–100 %; VAT from the product.
pub(crate) async fn price_lines(
    db: &Db,
    c: &mut Checks,
    customer_id: i64,
    currency: &str,
    on: &str,
    inputs: &[OrderLineInput],
) -> Result<Vec<LineValues>, AppError> {
    if inputs.len() > MAX_ORDER_LINES {
        c.fail("lines", ErrCode::TooMany);
        return Ok(Vec::new());
    }
    let products = products_of(db, inputs.iter().map(|l| l.product_id)).await?;
    let mut lists = Vec::new();
    lists.extend(crate::stock::price_store::customer_list(db, customer_id).await?);
    lists.extend(crate::stock::price_store::default_list(db, currency).await?);
    let mut out = Vec::with_capacity(inputs.len());
    for (i, l) in inputs.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let Some((_, base_unit, units, vat_bp)) = products.get(&l.product_id) else {
            c.fail(&at("product_id"), ErrCode::InvalidChoice);
            continue;
        };
        let Some((unit, factor_milli)) = unit_of(base_unit, units, l.unit.as_deref()) else {
            c.fail(&at("unit"), ErrCode::UnknownUnit);
            continue;
        };
        let Some(qty) = qty_milli(c, &at("qty"), l.qty, false) else { continue };
        if qty == 0 {
            c.fail(&at("qty"), ErrCode::OutOfRange);
            continue;
        }
        let base_milli = to_base(qty, factor_milli);
        if base_milli == 0 {
            c.fail(&at("qty"), ErrCode::TooPrecise);
            continue;
        }
        let quote = crate::stock::price_store::quote(db, l.product_id, &lists, Some(currency), on).await?;
        // The list prices the base unit; a box of 12 costs 12 of them.
        let list_price = quote.and_then(|q| {
            let minor = i64::try_from((q.price * Decimal::ONE_HUNDRED).trunc()).ok()?;
            Some(div_round(minor as i128 * factor_milli as i128, 1000))
        });
        let reason = c.opt_text(&at("price_reason"), l.price_reason.as_deref(), 500);
        let price = match (l.price, list_price) {
            (Some(p), _) => match price_minor(c, &at("price"), p) {
                Some(p) => p,
                None => continue,
            },
            (None, Some(p)) => p,
            (None, None) => {
                c.fail(&at("price"), ErrCode::Required);
                continue;
            }
        };
        if Some(price) != list_price && reason.is_none() {
            c.fail(&at("price_reason"), ErrCode::PriceReasonRequired);
            continue;
        }
        let discount_bp = match l.discount {
            None => 0,
            Some(d) if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED => {
                c.fail(&at("discount"), ErrCode::OutOfRange);
                continue;
            }
            Some(d) if (d * Decimal::ONE_HUNDRED).fract() != Decimal::ZERO => {
                c.fail(&at("discount"), ErrCode::TooPrecise);
                continue;
            }
            Some(d) => i32::try_from((d * Decimal::ONE_HUNDRED).trunc()).unwrap_or(0),
        };
        let (net_minor, vat_minor, total_minor) = line_amounts(qty, price, discount_bp, *vat_bp);
        out.push(LineValues {
            product_id: l.product_id,
            unit,
            factor_milli,
            qty_milli: qty,
            base_milli,
            price_minor: price,
            list_price_minor: list_price,
            price_reason: if Some(price) == list_price { None } else { reason },
            discount_bp,
            vat_bp: *vat_bp,
            net_minor,
            vat_minor,
            total_minor,
        });
    }
    Ok(out)
}

/// A counterparty an order may name: one of its customer's.
async fn check_counterparty(db: &Db, c: &mut Checks, customer_id: i64, id: Option<i64>) -> Result<(), AppError> {
    if let Some(cp) = id
        && !crate::deals::store::counterparty_of_customer(db, customer_id, cp).await?
    {
        c.fail("counterparty_id", ErrCode::InvalidChoice);
    }
    Ok(())
}

/// Makes a draft order.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewOrder) -> Result<Order, AppError> {
    let customer = match may_edit(db, user, input.customer_id).await {
        Err(AppError::NotFound) => return Err(AppError::field("customer_id", ErrCode::InvalidChoice)),
        other => other?,
    };
    let mut c = Checks::default();
    let mut manager = customer.manager_id;
    if let Some(d) = input.deal_id {
        match crate::deals::service::get(db, user, d).await {
            Ok(deal) if deal.customer_id != customer.id => c.fail("deal_id", ErrCode::InvalidChoice),
            Ok(deal) if deal.status == crate::deals::DealStatus::Lost => c.fail("deal_id", ErrCode::LostDeal),
            Ok(deal) => manager = deal.manager_id,
            Err(AppError::NotFound | AppError::Forbidden) => c.fail("deal_id", ErrCode::InvalidChoice),
            Err(e) => return Err(e),
        }
    }
    check_counterparty(db, &mut c, customer.id, input.counterparty_id).await?;
    let currency = crate::deals::currency(&mut c, input.currency.as_deref());
    let order_date = crate::stock::price_service::date_or_today("order_date", input.order_date.as_deref())?;
    let note = c.opt_text("note", input.note.as_deref(), 2000);
    let lines = price_lines(db, &mut c, customer.id, &currency, &order_date, &input.lines).await?;
    c.finish()?;
    let v = OrderValues {
        customer_id: customer.id,
        counterparty_id: input.counterparty_id,
        deal_id: input.deal_id,
        manager_id: manager,
        currency,
        order_date,
        note,
        lines,
    };
    let id = store::create(db, user.id, &v).await?;
    after_change(db, id).await
}

/// Makes a draft order from a deal: its customer, counterparty, manager and currency.
pub async fn create_from_deal(db: &Db, user: &CurrentUser, deal_id: i64) -> Result<Order, AppError> {
    let deal = crate::deals::service::get(db, user, deal_id).await?;
    let input = NewOrder {
        customer_id: deal.customer_id,
        counterparty_id: deal.counterparty_id,
        deal_id: Some(deal.id),
        currency: Some(deal.currency.clone()),
        ..Default::default()
    };
    create(db, user, &input).await
}

/// Replaces a draft's counterparty, date, note and lines at `patch.version`.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &OrderPatch) -> Result<Order, AppError> {
    let head = store::head(db, id).await?;
    may_edit(db, user, head.customer_id).await?;
    if head.status != OrderStatus::Draft {
        return Err(AppError::field("status", ErrCode::WrongStatus));
    }
    if head.version != patch.version {
        return Err(AppError::Conflict);
    }
    let current = store::get(db, id).await?;
    let mut c = Checks::default();
    check_counterparty(db, &mut c, head.customer_id, patch.counterparty_id).await?;
    let order_date = match patch.order_date.as_deref() {
        Some(d) => crate::stock::price_service::date_or_today("order_date", Some(d))?,
        None => current.order_date.clone(),
    };
    let note = c.opt_text("note", patch.note.as_deref(), 2000);
    let lines = price_lines(db, &mut c, head.customer_id, &current.currency, &order_date, &patch.lines).await?;
    c.finish()?;
    store::update_draft(db, id, patch.version, patch.counterparty_id, &order_date, note.as_deref(), &lines).await?;
    after_change(db, id).await
}

/// Confirms a draft with at least one line, reserving its goods in a live warehouse.
pub async fn confirm(db: &Db, user: &CurrentUser, id: i64, input: &OrderConfirm) -> Result<Order, AppError> {
    let head = store::head(db, id).await?;
    may_edit(db, user, head.customer_id).await?;
    if head.status != OrderStatus::Draft {
        return Err(AppError::field("status", ErrCode::WrongStatus));
    }
    let mut c = Checks::default();
    match crate::stock::store::warehouse(db, input.warehouse_id).await {
        Ok(w) if w.archived_at.is_none() => {}
        Ok(_) | Err(AppError::NotFound) => c.fail("warehouse_id", ErrCode::InvalidChoice),
        Err(e) => return Err(e),
    }
    if store::get(db, id).await?.lines.is_empty() {
        c.fail("lines", ErrCode::Required);
    }
    c.finish()?;
    store::confirm(db, user.id, id, input.version, input.warehouse_id).await?;
    announce_stock(db, input.warehouse_id).await;
    after_change(db, id).await
}

/// Ships a confirmed order (the lines given, or everything still to ship) from its warehouse: a shipment
/// document of the stock ledger, posted at once; its posting releases the reservation.
pub async fn ship(db: &Db, user: &CurrentUser, id: i64, input: &OrderShipment) -> Result<Order, AppError> {
    let order = get(db, user, id).await?;
    let may = match crate::stock::service::postable(db, user).await? {
        None => true,
        Some(mine) => order.warehouse_id.is_some_and(|w| mine.contains(&w)),
    };
    if !may {
        return Err(AppError::Forbidden);
    }
    let Some(warehouse) = order.warehouse_id.filter(|_| order.status == OrderStatus::Confirmed) else {
        return Err(AppError::field("status", ErrCode::WrongStatus));
    };
    if order.version != input.version {
        return Err(AppError::Conflict);
    }
    let open = store::lines_to_ship(db, id).await?;
    let mut c = Checks::default();
    let mut lines = Vec::new();
    let line = |line_id, product_id, unit: &str, factor_milli, qty_milli, base_milli| crate::stock::store::LineValues {
        product_id,
        unit: unit.to_string(),
        factor_milli,
        qty_milli,
        base_milli,
        unit_cost_minor: None,
        order_line_id: Some(line_id),
    };
    if input.lines.is_empty() {
        for (line_id, product, unit, factor, ordered, shipped) in &open {
            let left = ordered - shipped;
            if left > 0 {
                let qty = div_round(left as i128 * 1000, *factor as i128);
                lines.push(line(*line_id, *product, unit, *factor, qty, left));
            }
        }
    }
    for (i, s) in input.lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let Some((line_id, product, unit, factor, ordered, shipped)) = open.iter().find(|o| o.0 == s.line_id) else {
            c.fail(&at("line_id"), ErrCode::InvalidChoice);
            continue;
        };
        let Some(qty) = qty_milli(&mut c, &at("qty"), s.qty, false) else { continue };
        if qty == 0 {
            continue;
        }
        let base = to_base(qty, *factor);
        let already: i64 = lines.iter().filter(|l| l.order_line_id == Some(*line_id)).map(|l| l.base_milli).sum();
        if base + already > ordered - shipped {
            c.fail(&at("qty"), ErrCode::MoreThanOrdered);
            continue;
        }
        lines.push(line(*line_id, *product, unit, *factor, qty, base));
    }
    if lines.is_empty() && c.is_empty() {
        c.fail("lines", ErrCode::NothingToShip);
    }
    c.finish()?;
    let v = crate::stock::store::DocValues {
        kind: DocKind::Shipment,
        warehouse_id: warehouse,
        to_warehouse_id: None,
        customer_id: Some(order.customer_id),
        reason: None,
        note: Some(order.number.clone()),
        doc_at: now_millis(),
        lines,
        order_id: Some(id),
    };
    let doc = crate::stock::store::create_document(db, user.id, &v).await?;
    if let Err(e) = crate::stock::store::transition(db, user.id, doc, 1, crate::stock::store::Transition::Post).await {
        crate::stock::store::delete_draft(db, doc).await?;
        return Err(e);
    }
    let posted = crate::stock::store::document(db, doc).await?;
    crate::stock::service::announce(db, &posted).await;
    after_change(db, id).await
}

/// Cancels (nothing shipped yet) or closes an order at `version`, releasing what it still reserves.
pub async fn finish(db: &Db, user: &CurrentUser, id: i64, version: i64, to: OrderStatus) -> Result<Order, AppError> {
    let head = store::head(db, id).await?;
    may_edit(db, user, head.customer_id).await?;
    let allowed = match to {
        OrderStatus::Cancelled => head.status.is_open(),
        OrderStatus::Closed => matches!(head.status, OrderStatus::Confirmed | OrderStatus::Shipped),
        _ => false,
    };
    if !allowed {
        return Err(AppError::field("status", ErrCode::WrongStatus));
    }
    store::finish(db, user.id, id, version, to).await?;
    if let Some(w) = head.warehouse_id {
        announce_stock(db, w).await;
    }
    after_change(db, id).await
}

/// Tells open stock pages that a warehouse's reservations changed.
async fn announce_stock(db: &Db, warehouse: i64) {
    use crate::core::events::{self, Event};
    let data = serde_json::json!({"document_id": null, "warehouses": [warehouse], "products": []});
    events::publish(db, &Event { user_id: 0, name: crate::stock::service::EVENT.into(), id: None, data }).await;
}

/// The order as it is now; its deal's board and page hear of the deal's new amount.
async fn after_change(db: &Db, id: i64) -> Result<Order, AppError> {
    let order = store::get(db, id).await?;
    if let Some(d) = order.deal_id
        && let Ok(deal) = crate::deals::store::get(db, d).await
    {
        crate::deals::service::announce(db, &deal).await;
    }
    use crate::core::events::{self, Event};
    let data = serde_json::json!({"order_id": order.id, "customer_id": order.customer_id, "status": order.status});
    events::publish(db, &Event { user_id: 0, name: super::EVENT.into(), id: Some(order.id), data }).await;
    Ok(order)
}

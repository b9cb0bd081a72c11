//! The SQL of sales orders, written once for both databases. Reservations live in `stock_balances`
//! (`reserved_milli`) and on each order line; a confirmation adds them, a shipment, a cancellation or a close
//! takes them away, each in the transaction that changes the order.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Order, OrderLine, OrderPage, OrderShipmentRef, OrderStatus, OrderSummary, order_number};
use crate::core::db::{BeginWrite, Db, Rows, V};
use crate::core::error::Shortage;
use crate::core::{AppError, ErrCode, now_millis};
use crate::db_run;
use crate::stock::store::{cut_page, opt_id};
use crate::stock::{DocStatus, ProductKind, money_of, qty_of};

/// A checked line, priced and rounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineValues {
    pub product_id: i64,
    pub unit: String,
    pub factor_milli: i64,
    pub qty_milli: i64,
    pub base_milli: i64,
    pub price_minor: i64,
    pub list_price_minor: Option<i64>,
    pub price_reason: Option<String>,
    pub discount_bp: i32,
    pub vat_bp: Option<i32>,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub total_minor: i64,
}

/// A checked new order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderValues {
    pub customer_id: i64,
    pub counterparty_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub manager_id: i64,
    pub currency: String,
    pub order_date: String,
    pub note: Option<String>,
    pub lines: Vec<LineValues>,
}

/// An order's totals: the sums of its rounded lines `(net, VAT, total)`.
fn totals(lines: &[LineValues]) -> (i64, i64, i64) {
    lines.iter().fold((0, 0, 0), |(n, v, t), l| (n + l.net_minor, v + l.vat_minor, t + l.total_minor))
}

/// Writes `lines` of order `$id` and its totals, and carries the total to its deal (the deal's amount follows
/// its order's once it has lines), inside the open transaction `$tx`.
macro_rules! write_lines {
    ($db:expr, $tx:expr, $id:expr, $deal:expr, $currency:expr, $lines:expr, $now:expr) => {{
        let lines: &[LineValues] = $lines;
        let mut rows = Rows::new(
            $db,
            "INSERT INTO sales_order_lines (order_id, line_no, product_id, unit, factor_milli, qty_milli, base_milli, \
             price_minor, list_price_minor, price_reason, discount_bp, vat_bp, net_minor, vat_minor, total_minor)",
            15,
        );
        for (i, l) in lines.iter().enumerate() {
            rows.push([
                V::I($id),
                V::I(i as i64 + 1),
                V::I(l.product_id),
                V::S(l.unit.clone()),
                V::I(l.factor_milli),
                V::I(l.qty_milli),
                V::I(l.base_milli),
                V::I(l.price_minor),
                l.list_price_minor.into(),
                l.price_reason.clone().into(),
                V::I(l.discount_bp.into()),
                l.vat_bp.map(i64::from).into(),
                V::I(l.net_minor),
                V::I(l.vat_minor),
                V::I(l.total_minor),
            ]);
        }
        crate::insert_rows!($tx, rows);
        let (net, vat, total) = totals(lines);
        sqlx::query("UPDATE sales_orders SET net_minor = $1, vat_minor = $2, total_minor = $3 WHERE id = $4")
            .bind(net)
            .bind(vat)
            .bind(total)
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        if let Some(deal) = $deal
            && !lines.is_empty()
        {
            sqlx::query(
                "UPDATE deals SET amount = $1, currency = $2, updated_at = $3, version = version + 1 WHERE id = $4",
            )
            .bind(total)
            .bind($currency)
            .bind($now)
            .bind(deal)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// Saves a draft with the next number of its year; returns its id.
pub async fn create(db: &Db, user_id: i64, v: &OrderValues) -> Result<i64, AppError> {
    let now = now_millis();
    let year: i32 = v.order_date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO stock_numbers (kind, year, last) VALUES ('order', $1, 1) \
             ON CONFLICT (kind, year) DO UPDATE SET last = stock_numbers.last + 1 RETURNING last")
            .bind(year).fetch_one(&mut *tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sales_orders (year, seq, number, customer_id, counterparty_id, deal_id, manager_id, currency, \
             order_date, note, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id")
            .bind(year).bind(seq).bind(order_number(year, seq)).bind(v.customer_id).bind(v.counterparty_id)
            .bind(v.deal_id).bind(v.manager_id).bind(&v.currency).bind(&v.order_date).bind(&v.note).bind(user_id)
            .bind(now).fetch_one(&mut *tx).await
            .map_err(|e| if crate::core::db::is_unique_violation(&e) {
                AppError::field("deal_id", ErrCode::OrderExists)
            } else {
                e.into()
            })?;
        write_lines!(db, tx, id, v.deal_id, &v.currency, &v.lines, now);
        crate::audit!(tx, v.customer_id, "order", id, "created", &[], user_id, now)?;
        tx.commit().await?;
        Ok(id)
    })
}

/// Replaces a draft's header fields and lines if `version` is current.
pub async fn update_draft(
    db: &Db,
    id: i64,
    version: i64,
    counterparty_id: Option<i64>,
    order_date: &str,
    note: Option<&str>,
    lines: &[LineValues],
) -> Result<(), AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let row: Option<(Option<i64>, String)> = sqlx::query_as(
            "UPDATE sales_orders SET counterparty_id = $1, order_date = $2, note = $3, updated_at = $4, version = version + 1 \
             WHERE id = $5 AND version = $6 AND status = 'draft' RETURNING deal_id, currency")
            .bind(counterparty_id).bind(order_date).bind(note).bind(now).bind(id).bind(version)
            .fetch_optional(&mut *tx).await?;
        let Some((deal, currency)) = row else { return Err(AppError::Conflict) };
        sqlx::query("DELETE FROM sales_order_lines WHERE order_id = $1").bind(id).execute(&mut *tx).await?;
        write_lines!(db, tx, id, deal, &currency, lines, now);
        tx.commit().await?;
        Ok(())
    })
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    id: i64,
    number: String,
    status: String,
    customer_id: i64,
    customer_name: String,
    counterparty_id: Option<i64>,
    counterparty_name: Option<String>,
    deal_id: Option<i64>,
    deal_title: Option<String>,
    manager_id: i64,
    manager_name: String,
    currency: String,
    order_date: String,
    warehouse_id: Option<i64>,
    warehouse_name: Option<String>,
    note: Option<String>,
    net_minor: i64,
    vat_minor: i64,
    total_minor: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
    confirmed_at: Option<i64>,
    closed_at: Option<i64>,
    cancelled_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    line_no: i32,
    product_id: i64,
    product_name: String,
    kind: String,
    unit: String,
    factor_milli: i64,
    qty_milli: i64,
    price_minor: i64,
    list_price_minor: Option<i64>,
    price_reason: Option<String>,
    discount_bp: i32,
    vat_bp: Option<i32>,
    net_minor: i64,
    vat_minor: i64,
    total_minor: i64,
    reserved_milli: i64,
    shipped_milli: i64,
    invoiced_milli: i64,
}

/// Base-unit thousandths back in a line's unit.
pub(crate) fn in_unit(base_milli: i64, factor_milli: i64) -> Decimal {
    qty_of(crate::stock::div_round(base_milli as i128 * 1000, factor_milli.max(1) as i128))
}

/// Basis points as a percentage.
pub(crate) fn percent(bp: i32) -> Decimal {
    Decimal::new(bp.into(), 2).normalize()
}

/// Who an order belongs to and where it is: what the permission checks read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderHead {
    pub customer_id: i64,
    pub status: OrderStatus,
    pub warehouse_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub version: i64,
}

/// The head of an order, or `NotFound`.
pub async fn head(db: &Db, id: i64) -> Result<OrderHead, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        customer_id: i64,
        status: String,
        warehouse_id: Option<i64>,
        deal_id: Option<i64>,
        version: i64,
    }
    let sql = "SELECT customer_id, status, warehouse_id, deal_id, version FROM sales_orders WHERE id = $1";
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let r = row.ok_or(AppError::NotFound)?;
    let status = OrderStatus::parse(&r.status).ok_or(AppError::NotFound)?;
    Ok(OrderHead {
        customer_id: r.customer_id,
        status,
        warehouse_id: r.warehouse_id,
        deal_id: r.deal_id,
        version: r.version,
    })
}

/// One order with its lines and shipments, or `NotFound`.
pub async fn get(db: &Db, id: i64) -> Result<Order, AppError> {
    let sql = "SELECT o.id, o.number, o.status, o.customer_id, c.name AS customer_name, o.counterparty_id, \
               cp.legal_name AS counterparty_name, o.deal_id, d.title AS deal_title, o.manager_id, u.name AS manager_name, \
               o.currency, o.order_date, o.warehouse_id, w.name AS warehouse_name, o.note, o.net_minor, o.vat_minor, \
               o.total_minor, o.created_at, o.updated_at, o.version, o.confirmed_at, o.closed_at, o.cancelled_at \
               FROM sales_orders o JOIN customers c ON c.id = o.customer_id JOIN users u ON u.id = o.manager_id \
               LEFT JOIN counterparties cp ON cp.id = o.counterparty_id LEFT JOIN deals d ON d.id = o.deal_id \
               LEFT JOIN warehouses w ON w.id = o.warehouse_id WHERE o.id = $1";
    let h: Option<HeadRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let h = h.ok_or(AppError::NotFound)?;
    let sql = "SELECT l.id, l.line_no, l.product_id, p.name AS product_name, p.kind, l.unit, l.factor_milli, l.qty_milli, \
               l.price_minor, l.list_price_minor, l.price_reason, l.discount_bp, l.vat_bp, l.net_minor, l.vat_minor, \
               l.total_minor, l.reserved_milli, l.shipped_milli, l.invoiced_milli FROM sales_order_lines l \
               JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 ORDER BY l.line_no";
    let lines: Vec<LineRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    let sql = "SELECT id, number, status, doc_at FROM stock_documents WHERE order_id = $1 ORDER BY id";
    let docs: Vec<(i64, String, String, i64)> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    Ok(Order {
        id: h.id,
        number: h.number,
        status: OrderStatus::parse(&h.status).ok_or(AppError::NotFound)?,
        customer_id: h.customer_id,
        customer_name: h.customer_name,
        counterparty_id: h.counterparty_id,
        counterparty_name: h.counterparty_name,
        deal_id: h.deal_id,
        deal_title: h.deal_title,
        manager_id: h.manager_id,
        manager_name: h.manager_name,
        currency: h.currency,
        order_date: h.order_date,
        warehouse_id: h.warehouse_id,
        warehouse_name: h.warehouse_name,
        note: h.note,
        net: money_of(h.net_minor),
        vat: money_of(h.vat_minor),
        total: money_of(h.total_minor),
        lines: lines
            .into_iter()
            .map(|l| OrderLine {
                id: l.id,
                line_no: l.line_no,
                product_id: l.product_id,
                product_name: l.product_name,
                kind: ProductKind::parse(&l.kind).unwrap_or_default(),
                unit: l.unit,
                qty: qty_of(l.qty_milli),
                price: money_of(l.price_minor),
                list_price: l.list_price_minor.map(money_of),
                price_reason: l.price_reason,
                discount: percent(l.discount_bp),
                vat_rate: l.vat_bp.map(percent),
                net: money_of(l.net_minor),
                vat: money_of(l.vat_minor),
                total: money_of(l.total_minor),
                reserved: in_unit(l.reserved_milli, l.factor_milli),
                shipped: in_unit(l.shipped_milli, l.factor_milli),
                invoiced: in_unit(l.invoiced_milli, l.factor_milli),
            })
            .collect(),
        shipments: docs
            .into_iter()
            .filter_map(|(id, number, status, doc_at)| {
                Some(OrderShipmentRef { id, number, status: DocStatus::parse(&status)?, doc_at })
            })
            .collect(),
        created_at: h.created_at,
        updated_at: h.updated_at,
        version: h.version,
        confirmed_at: h.confirmed_at,
        closed_at: h.closed_at,
        cancelled_at: h.cancelled_at,
    })
}

/// Which orders a list shows.
#[derive(Debug, Clone, Default)]
pub struct OrderQuery {
    /// The reader's scope over the customers' managers.
    pub scope: Option<crate::core::identity::Scope>,
    /// A storekeeper's warehouses: only orders confirmed there (and later).
    pub warehouses: Option<Vec<i64>>,
    pub customer_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub status: Option<OrderStatus>,
    /// Open orders only (draft or confirmed).
    pub open: bool,
    /// A part of the number.
    pub number: Option<String>,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page of orders, newest first.
pub async fn list(db: &Db, q: &OrderQuery) -> Result<OrderPage, AppError> {
    use crate::customers::store::{Arg, bind_args, push_cond};
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        number: String,
        status: String,
        customer_id: i64,
        customer_name: String,
        manager_name: String,
        order_date: String,
        currency: String,
        total_minor: i64,
        lines: i64,
        updated_at: i64,
    }
    let mut sql = "SELECT o.id, o.number, o.status, o.customer_id, c.name AS customer_name, u.name AS manager_name, \
                   o.order_date, o.currency, o.total_minor, \
                   (SELECT COUNT(*) FROM sales_order_lines l WHERE l.order_id = o.id) AS lines, o.updated_at \
                   FROM sales_orders o JOIN customers c ON c.id = o.customer_id JOIN users u ON u.id = o.manager_id \
                   WHERE 1 = 1"
        .to_string();
    let mut args = Vec::new();
    if let Some(scope) = q.scope {
        crate::customers::store::scope_sql(scope, &mut sql, &mut args);
    }
    if let Some(ws) = &q.warehouses {
        if ws.is_empty() {
            return Ok(OrderPage { items: Vec::new(), next_cursor: None });
        }
        let a = crate::core::db::placeholders_after(args.len(), ws.len());
        args.extend(ws.iter().map(|i| Arg::I(*i)));
        sql.push_str(&format!(" AND o.status <> 'draft' AND o.warehouse_id IN ({a})"));
    }
    if let Some(c) = q.customer_id {
        push_cond(&mut sql, &mut args, " AND o.customer_id = #", Arg::I(c));
    }
    if let Some(d) = q.deal_id {
        push_cond(&mut sql, &mut args, " AND o.deal_id = #", Arg::I(d));
    }
    if let Some(s) = q.status {
        push_cond(&mut sql, &mut args, " AND o.status = #", Arg::S(s.as_str().into()));
    }
    if q.open {
        sql.push_str(" AND o.status IN ('draft', 'confirmed')");
    }
    if let Some(n) = q.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let escaped = crate::core::db::like_escape(&n.to_uppercase());
        push_cond(&mut sql, &mut args, " AND o.number LIKE # ESCAPE '\\'", Arg::S(format!("%{escaped}%")));
    }
    if let Some(id) = opt_id("cursor", q.cursor.as_deref())? {
        push_cond(&mut sql, &mut args, " AND o.id < #", Arg::I(id));
    }
    let limit = q.limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    sql.push_str(&format!(" ORDER BY o.id DESC LIMIT {}", limit + 1));
    let mut rows: Vec<Row> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next_cursor = cut_page(&mut rows, limit, |r| r.id.to_string());
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(OrderSummary {
                id: r.id,
                number: r.number,
                status: OrderStatus::parse(&r.status)?,
                customer_id: r.customer_id,
                customer_name: r.customer_name,
                manager_name: r.manager_name,
                order_date: r.order_date,
                currency: r.currency,
                total: money_of(r.total_minor),
                lines: r.lines,
                updated_at: r.updated_at,
            })
        })
        .collect();
    Ok(OrderPage { items, next_cursor })
}

/// A customer's open orders: how many, and their totals per currency.
pub async fn open_totals(db: &Db, customer_id: i64) -> Result<(i64, Vec<(String, Decimal)>), AppError> {
    let sql = "SELECT currency, COUNT(*), CAST(SUM(total_minor) AS BIGINT) FROM sales_orders \
               WHERE customer_id = $1 AND status IN ('draft', 'confirmed') GROUP BY currency ORDER BY currency";
    let rows: Vec<(String, i64, i64)> = db_run!(db, p => sqlx::query_as(sql).bind(customer_id).fetch_all(p).await)?;
    Ok((rows.iter().map(|r| r.1).sum(), rows.into_iter().map(|(c, _, s)| (c, money_of(s))).collect()))
}

/// Confirms a draft at `version`: reserves its goods in `warehouse` (refusing a shortage of what is on hand
/// and not reserved by other orders, unless the warehouse allows negative stock), all in one transaction.
pub async fn confirm(db: &Db, user_id: i64, id: i64, version: i64, warehouse: i64) -> Result<(), AppError> {
    let now = now_millis();
    let pg = db.is_postgres();
    let sql = "SELECT allow_negative FROM warehouses WHERE id = $1";
    let allow_negative: bool = db_run!(db, p => sqlx::query_scalar(sql).bind(warehouse).fetch_one(p).await)?;
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let customer: Option<i64> = sqlx::query_scalar(
            "UPDATE sales_orders SET status = 'confirmed', warehouse_id = $1, confirmed_at = $2, updated_at = $2, \
             version = version + 1 WHERE id = $3 AND version = $4 AND status = 'draft' RETURNING customer_id")
            .bind(warehouse).bind(now).bind(id).bind(version).fetch_optional(&mut *tx).await?;
        let Some(customer) = customer else { return Err(AppError::Conflict) };
        let lines: Vec<(i64, i32, i64, String, String, i64)> = sqlx::query_as(
            "SELECT l.id, l.line_no, l.product_id, p.name, p.base_unit, l.base_milli FROM sales_order_lines l \
             JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 AND p.kind = 'goods' ORDER BY l.product_id, l.id")
            .bind(id).fetch_all(&mut *tx).await?;
        let mut wanted: BTreeMap<i64, (i64, i32, String, String)> = BTreeMap::new();
        for (_, line_no, product, name, unit, base) in &lines {
            let w = wanted.entry(*product).or_insert_with(|| (0, *line_no, name.clone(), unit.clone()));
            w.0 += base;
        }
        let mut shortages = Vec::new();
        // Balance rows in product order, locked (PostgreSQL) in the same order as postings lock them.
        for (product, (want, line_no, name, unit)) in &wanted {
            sqlx::query("INSERT INTO stock_balances (warehouse_id, product_id, updated_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(warehouse).bind(product).bind(now).execute(&mut *tx).await?;
            let sql = if pg {
                "SELECT on_hand_milli, reserved_milli FROM stock_balances WHERE warehouse_id = $1 AND product_id = $2 FOR UPDATE"
            } else {
                "SELECT on_hand_milli, reserved_milli FROM stock_balances WHERE warehouse_id = $1 AND product_id = $2"
            };
            let (on_hand, reserved): (i64, i64) = sqlx::query_as(sql).bind(warehouse).bind(product).fetch_one(&mut *tx).await?;
            let available = on_hand - reserved;
            if !allow_negative && *want > available {
                shortages.push(Shortage {
                    line_no: *line_no,
                    product_id: *product,
                    product_name: name.clone(),
                    unit: unit.clone(),
                    available: qty_of(available.max(0)).to_string(),
                    wanted: qty_of(*want).to_string(),
                });
                continue;
            }
            sqlx::query("UPDATE stock_balances SET reserved_milli = reserved_milli + $1, updated_at = $2 \
                         WHERE warehouse_id = $3 AND product_id = $4")
                .bind(want).bind(now).bind(warehouse).bind(product).execute(&mut *tx).await?;
        }
        if !shortages.is_empty() {
            shortages.sort_by_key(|s| s.line_no);
            return Err(AppError::Shortage { items: shortages });
        }
        for (line, _, _, _, _, base) in &lines {
            sqlx::query("UPDATE sales_order_lines SET reserved_milli = $1 WHERE id = $2")
                .bind(base).bind(line).execute(&mut *tx).await?;
        }
        crate::audit!(tx, customer, "order", id, "confirmed", &[], user_id, now)?;
        tx.commit().await?;
        Ok(())
    })
}

/// Ends an order at `version`: `Cancelled` (from a draft, or confirmed with nothing shipped) or `Closed`
/// (confirmed or shipped); what is still reserved is released in the same transaction.
pub async fn finish(db: &Db, user_id: i64, id: i64, version: i64, to: OrderStatus) -> Result<(), AppError> {
    let now = now_millis();
    let (action, from): (&str, &str) = match to {
        OrderStatus::Cancelled => ("cancelled", "('draft', 'confirmed')"),
        OrderStatus::Closed => ("closed", "('confirmed', 'shipped')"),
        _ => return Err(AppError::field("status", ErrCode::WrongStatus)),
    };
    let sql = format!(
        "UPDATE sales_orders SET status = $1, updated_at = $2, version = version + 1, \
         cancelled_at = CASE WHEN $1 = 'cancelled' THEN $2 ELSE cancelled_at END, \
         closed_at = CASE WHEN $1 = 'closed' THEN $2 ELSE closed_at END \
         WHERE id = $3 AND version = $4 AND status IN {from} RETURNING customer_id, warehouse_id"
    );
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(&sql)
            .bind(to.as_str()).bind(now).bind(id).bind(version).fetch_optional(&mut *tx).await?;
        let Some((customer, warehouse)) = row else { return Err(AppError::Conflict) };
        if to == OrderStatus::Cancelled {
            let shipped: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales_order_lines WHERE order_id = $1 AND shipped_milli > 0")
                .bind(id).fetch_one(&mut *tx).await?;
            if shipped > 0 {
                return Err(AppError::field("status", ErrCode::AlreadyShipped));
            }
        }
        let held: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT id, product_id, reserved_milli FROM sales_order_lines WHERE order_id = $1 AND reserved_milli > 0 \
             ORDER BY product_id, id")
            .bind(id).fetch_all(&mut *tx).await?;
        for (line, product, reserved) in &held {
            if let Some(w) = warehouse {
                sqlx::query("UPDATE stock_balances SET reserved_milli = reserved_milli - $1, updated_at = $2 \
                             WHERE warehouse_id = $3 AND product_id = $4")
                    .bind(reserved).bind(now).bind(w).bind(product).execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE sales_order_lines SET reserved_milli = 0 WHERE id = $1").bind(line).execute(&mut *tx).await?;
        }
        crate::audit!(tx, customer, "order", id, action, &[], user_id, now)?;
        tx.commit().await?;
        Ok(())
    })
}

/// Inside the stock posting's transaction `$tx`: what a shipment of order `$order` (from `$warehouse`) does to
/// the order. `$moves` are `(order line, product, base qty)`. Shipping (`$shipped` true) adds to each line's
/// shipped quantity (never past what was ordered) and releases as much of its reservation; the order is
/// `shipped` once every line of goods is. A cancelled shipment (`false`) takes it back and reserves the goods
/// again while the order is still open. Evaluates to `Result<(), AppError>`.
#[macro_export]
macro_rules! order_shipment {
    ($tx:expr, $order:expr, $warehouse:expr, $moves:expr, $shipped:expr, $now:expr) => {{
        let moves: &[(i64, i64, i64)] = $moves;
        let status: Option<String> = sqlx::query_scalar(
            "UPDATE sales_orders SET updated_at = $1, version = version + 1 WHERE id = $2 RETURNING status")
            .bind($now).bind($order).fetch_optional(&mut *$tx).await?;
        let status = status.unwrap_or_default();
        let open = status == "confirmed" || status == "shipped";
        if $shipped && status != "confirmed" {
            Err($crate::core::AppError::field("status", $crate::core::ErrCode::WrongStatus))
        } else {
            let mut refused = None;
            for (i, (line, product, base)) in moves.iter().enumerate() {
                let row: Option<(i64, i64, i64)> = sqlx::query_as(
                    "SELECT base_milli, shipped_milli, reserved_milli FROM sales_order_lines WHERE id = $1 AND order_id = $2")
                    .bind(line).bind($order).fetch_optional(&mut *$tx).await?;
                let Some((ordered, shipped, reserved)) = row else {
                    refused = Some($crate::core::AppError::field(&format!("lines[{i}].line_id"), $crate::core::ErrCode::InvalidChoice));
                    break;
                };
                let (new_shipped, new_reserved) = if $shipped {
                    (shipped + base, reserved - (*base).min(reserved))
                } else {
                    (shipped - base, if open { reserved + base } else { reserved })
                };
                if new_shipped > ordered || new_shipped < 0 {
                    refused = Some($crate::core::AppError::field(&format!("lines[{i}].qty"), $crate::core::ErrCode::MoreThanOrdered));
                    break;
                }
                sqlx::query("UPDATE sales_order_lines SET shipped_milli = $1, reserved_milli = $2 WHERE id = $3")
                    .bind(new_shipped).bind(new_reserved).bind(line).execute(&mut *$tx).await?;
                if new_reserved != reserved {
                    sqlx::query("UPDATE stock_balances SET reserved_milli = reserved_milli + $1 WHERE warehouse_id = $2 AND product_id = $3")
                        .bind(new_reserved - reserved).bind($warehouse).bind(product).execute(&mut *$tx).await?;
                }
            }
            match refused {
                Some(e) => Err(e),
                None if open => {
                    let left: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM sales_order_lines l JOIN products p ON p.id = l.product_id \
                         WHERE l.order_id = $1 AND p.kind = 'goods' AND l.shipped_milli < l.base_milli")
                        .bind($order).fetch_one(&mut *$tx).await?;
                    sqlx::query("UPDATE sales_orders SET status = $1 WHERE id = $2")
                        .bind(if left == 0 { "shipped" } else { "confirmed" }).bind($order).execute(&mut *$tx).await?;
                    Ok(())
                }
                None => Ok(()),
            }
        }
    }};
}

/// The lines of an order as a shipment needs them: `(line id, product, unit, factor, base ordered, base shipped)`.
pub async fn lines_to_ship(db: &Db, id: i64) -> Result<Vec<(i64, i64, String, i64, i64, i64)>, AppError> {
    let sql = "SELECT l.id, l.product_id, l.unit, l.factor_milli, l.base_milli, l.shipped_milli FROM sales_order_lines l \
               JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 AND p.kind = 'goods' ORDER BY l.line_no";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?)
}

//! Stock operations with their rules. Everyone signed in sees the catalog, the stock and the ledger (a
//! manager promises goods from it); administrators and storekeepers keep the catalog; administrators set up
//! warehouses; a storekeeper reads and posts the documents of the warehouses they keep, an administrator
//! those of every warehouse, and nobody else posts.

use std::collections::BTreeMap;

use super::store::{self, DocValues, LineValues, Transition};
use super::{
    DocKind, DocStatus, MAX_LINES, NewStockDocument, Product, ProductInput, ProductKind, StockDocument, Warehouse,
    WarehouseInput, qty_milli, to_base,
};
use crate::core::db::Db;
use crate::core::identity::{CurrentUser, Role};
use crate::core::{AppError, Checks, ErrCode, Millis, now_millis};
use crate::db_run;

/// Refuses unless `user` keeps the catalog (products, groups, their import).
pub fn catalog_keeper(user: &CurrentUser) -> Result<(), AppError> {
    if user.role.keeps_catalog() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The warehouses whose documents `user` may read: a storekeeper's own; `None` (all of them) for the rest.
pub async fn warehouses_of(db: &Db, user: &CurrentUser) -> Result<Option<Vec<i64>>, AppError> {
    if user.role == Role::Storekeeper { Ok(Some(store::kept_by(db, user.id).await?)) } else { Ok(None) }
}

/// Whether a user reading `mine` (see [`warehouses_of`]) may read a document of these warehouses.
fn may_read(mine: &Option<Vec<i64>>, warehouse: i64, to: Option<i64>) -> bool {
    mine.as_ref().is_none_or(|m| m.contains(&warehouse) || to.is_some_and(|t| m.contains(&t)))
}

/// Refuses unless `user` (reading `mine`) may post documents of `warehouse`: administrators anywhere,
/// storekeepers at their own warehouses, nobody else.
fn check_poster(user: &CurrentUser, mine: &Option<Vec<i64>>, warehouse: i64) -> Result<(), AppError> {
    let may = match user.role {
        Role::Admin => true,
        Role::Storekeeper => mine.as_ref().is_some_and(|m| m.contains(&warehouse)),
        Role::Manager | Role::SalesHead | Role::Accountant => false,
    };
    if may { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Creates a product.
pub async fn create_product(db: &Db, user: &CurrentUser, input: &ProductInput) -> Result<Product, AppError> {
    catalog_keeper(user)?;
    let v = input.validate(&store::product_fields(db).await?)?;
    check_group(db, v.group_id).await?;
    let id = store::create_product(db, user.id, &v).await?;
    store::product(db, id).await
}

/// Replaces a product's fields at `input.version`.
pub async fn update_product(db: &Db, user: &CurrentUser, id: i64, input: &ProductInput) -> Result<Product, AppError> {
    catalog_keeper(user)?;
    store::product(db, id).await?;
    let version = input.version.ok_or_else(|| AppError::field("version", ErrCode::Required))?;
    let v = input.validate(&store::product_fields(db).await?)?;
    check_group(db, v.group_id).await?;
    store::update_product(db, id, version, &v).await?;
    store::product(db, id).await
}

/// Archives or restores a product at `version`.
pub async fn archive_product(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    version: i64,
    archived: bool,
) -> Result<Product, AppError> {
    catalog_keeper(user)?;
    store::product(db, id).await?;
    store::set_product_archived(db, id, version, archived.then(now_millis)).await?;
    store::product(db, id).await
}

async fn check_group(db: &Db, group: Option<i64>) -> Result<(), AppError> {
    let Some(g) = group else { return Ok(()) };
    let sql = "SELECT COUNT(*) FROM product_groups WHERE id = $1";
    let n: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(g).fetch_one(p).await)?;
    if n == 1 { Ok(()) } else { Err(AppError::field("group_id", ErrCode::InvalidChoice)) }
}

/// Creates (`id: None`) or changes a warehouse (administrators).
pub async fn save_warehouse(
    db: &Db,
    user: &CurrentUser,
    id: Option<i64>,
    input: &WarehouseInput,
) -> Result<Warehouse, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    if let Some(id) = id {
        store::warehouse(db, id).await?;
        if input.version.is_none() {
            return Err(AppError::field("version", ErrCode::Required));
        }
    }
    let mut c = Checks::default();
    c.text("name", &input.name, 120);
    c.opt_text("address", input.address.as_deref(), 500);
    let staff = active_users(db).await?;
    if input.responsible_id.is_some_and(|r| !staff.contains(&r)) {
        c.fail("responsible_id", ErrCode::InvalidChoice);
    }
    if input.keepers.iter().any(|k| !staff.contains(k)) {
        c.fail("keepers", ErrCode::InvalidChoice);
    }
    if input.keepers.len() > 100 {
        c.fail("keepers", ErrCode::TooMany);
    }
    c.finish()?;
    let id = store::save_warehouse(db, id, input).await?;
    store::warehouse(db, id).await
}

/// Closes the stock period before `until` (epoch ms), or opens it again (`None`); administrators only.
/// Nothing dated before it is posted or cancelled afterwards. A date more than a day ahead is refused: it
/// would stop today's work.
pub async fn set_closed_until(db: &Db, user: &CurrentUser, until: Option<Millis>) -> Result<Option<Millis>, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    if until.is_some_and(|u| !(946_684_800_000..=now_millis() + 86_400_000).contains(&u)) {
        return Err(AppError::field("closed_until", ErrCode::InvalidDate));
    }
    let value = until.map(|u| u.to_string());
    crate::core::settings::set(db, super::CLOSED_UNTIL, value.as_deref()).await?;
    store::closed_until(db).await
}

async fn active_users(db: &Db) -> Result<Vec<i64>, AppError> {
    let sql = "SELECT id FROM users WHERE active";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).fetch_all(p).await)?)
}

/// A warehouse a document may name: it exists and is not archived.
async fn live_warehouse(db: &Db, c: &mut Checks, field: &str, id: i64) -> Result<(), AppError> {
    match store::warehouse(db, id).await {
        Ok(w) if w.archived_at.is_none() => {}
        Ok(_) | Err(AppError::NotFound) => c.fail(field, ErrCode::InvalidChoice),
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Checks a new document: its warehouses, its lines (goods of the catalog, in one of their units, positive
/// quantities, receipts with a price), its date (not in the closed period).
async fn validate(db: &Db, input: &NewStockDocument) -> Result<DocValues, AppError> {
    let mut c = Checks::default();
    live_warehouse(db, &mut c, "warehouse_id", input.warehouse_id).await?;
    let to_warehouse_id = match (input.kind, input.to_warehouse_id) {
        (DocKind::Transfer, None) => {
            c.fail("to_warehouse_id", ErrCode::Required);
            None
        }
        (DocKind::Transfer, Some(t)) if t == input.warehouse_id => {
            c.fail("to_warehouse_id", ErrCode::SameWarehouse);
            None
        }
        (DocKind::Transfer, Some(t)) => {
            live_warehouse(db, &mut c, "to_warehouse_id", t).await?;
            Some(t)
        }
        (_, None) => None,
        (_, Some(_)) => {
            c.fail("to_warehouse_id", ErrCode::InvalidChoice);
            None
        }
    };
    let customer_id = match (input.kind, input.customer_id) {
        (DocKind::Shipment, Some(id)) => {
            let sql = "SELECT COUNT(*) FROM customers WHERE id = $1 AND archived_at IS NULL";
            let n: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(id).fetch_one(p).await)?;
            if n != 1 {
                c.fail("customer_id", ErrCode::InvalidChoice);
            }
            Some(id)
        }
        (_, None) => None,
        (_, Some(_)) => {
            c.fail("customer_id", ErrCode::InvalidChoice);
            None
        }
    };
    let reason = c.opt_text("reason", input.reason.as_deref(), 500);
    if input.kind == DocKind::WriteOff && reason.is_none() {
        c.fail("reason", ErrCode::Required);
    }
    let note = c.opt_text("note", input.note.as_deref(), 2000);
    let doc_at = input.doc_at.unwrap_or_else(now_millis);
    if !(0..=now_millis() + 366 * 86_400_000).contains(&doc_at) {
        c.fail("doc_at", ErrCode::OutOfRange);
    } else if store::closed_until(db).await?.is_some_and(|closed| doc_at < closed) {
        c.fail("doc_at", ErrCode::PeriodClosed);
    }
    if input.lines.is_empty() {
        c.fail("lines", ErrCode::Required);
    } else if input.lines.len() > MAX_LINES {
        c.fail("lines", ErrCode::TooMany);
    }
    let products = products_of(db, input.lines.iter().map(|l| l.product_id)).await?;
    let mut lines = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().take(MAX_LINES).enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let Some((kind, base_unit, units, _)) = products.get(&l.product_id) else {
            c.fail(&at("product_id"), ErrCode::InvalidChoice);
            continue;
        };
        if *kind != ProductKind::Goods {
            c.fail(&at("product_id"), ErrCode::ServiceNotStocked);
            continue;
        }
        let Some((unit, factor_milli)) = unit_of(base_unit, units, l.unit.as_deref()) else {
            c.fail(&at("unit"), ErrCode::UnknownUnit);
            continue;
        };
        let Some(qty) = qty_milli(&mut c, &at("qty"), l.qty, false) else { continue };
        if qty == 0 && input.kind != DocKind::Inventory {
            c.fail(&at("qty"), ErrCode::OutOfRange);
            continue;
        }
        let unit_cost_minor = match (input.kind, l.unit_cost) {
            (DocKind::Receipt, None) => {
                c.fail(&at("unit_cost"), ErrCode::Required);
                continue;
            }
            (DocKind::Receipt, Some(p)) => super::price_minor(&mut c, &at("unit_cost"), p),
            (_, None) => None,
            (_, Some(_)) => {
                c.fail(&at("unit_cost"), ErrCode::InvalidChoice);
                continue;
            }
        };
        let base_milli = to_base(qty, factor_milli);
        if base_milli == 0 && qty != 0 {
            c.fail(&at("qty"), ErrCode::TooPrecise);
            continue;
        }
        lines.push(LineValues {
            product_id: l.product_id,
            unit,
            factor_milli,
            qty_milli: qty,
            base_milli,
            unit_cost_minor,
            order_line_id: None,
        });
    }
    if input.kind == DocKind::Inventory {
        let mut seen = std::collections::BTreeSet::new();
        if !lines.iter().all(|l| seen.insert(l.product_id)) {
            c.fail("lines", ErrCode::AlreadyThere);
        }
    }
    c.finish()?;
    Ok(DocValues {
        kind: input.kind,
        warehouse_id: input.warehouse_id,
        to_warehouse_id,
        customer_id,
        reason,
        note,
        doc_at,
        lines,
        order_id: None,
    })
}

/// The unit a line names (`None` or empty: the base unit) as the product spells it, and its factor in
/// thousandths of the base unit; `None` when the product has no such unit.
pub fn unit_of(base_unit: &str, units: &[(String, i64)], asked: Option<&str>) -> Option<(String, i64)> {
    let unit = asked.map(str::trim).filter(|u| !u.is_empty()).unwrap_or(base_unit);
    if unit.eq_ignore_ascii_case(base_unit) {
        return Some((base_unit.to_string(), 1000));
    }
    units.iter().find(|(u, _)| u.eq_ignore_ascii_case(unit)).map(|(u, f)| (u.clone(), *f))
}

/// What a document's line needs of a product: its kind, base unit, extra units `(unit, factor_milli)` and VAT
/// in basis points (`None`: exempt).
pub type LineProduct = (ProductKind, String, Vec<(String, i64)>, Option<i32>);

/// [`LineProduct`]s of the products `ids` that are not archived.
pub async fn products_of(db: &Db, ids: impl Iterator<Item = i64>) -> Result<BTreeMap<i64, LineProduct>, AppError> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let list = crate::core::db::placeholders(chunk.len());
        let sql =
            format!("SELECT id, kind, base_unit, vat_bp FROM products WHERE archived_at IS NULL AND id IN ({list})");
        let rows: Vec<(i64, String, String, Option<i32>)> = db_run!(db, p => {
            let mut q = sqlx::query_as(&sql);
            for id in chunk { q = q.bind(id); }
            q.fetch_all(p).await
        })?;
        for (id, kind, unit, vat) in rows {
            out.insert(id, (ProductKind::parse(&kind).unwrap_or_default(), unit, Vec::new(), vat));
        }
        let sql = format!("SELECT product_id, unit, factor_milli FROM product_units WHERE product_id IN ({list})");
        let rows: Vec<(i64, String, i64)> = db_run!(db, p => {
            let mut q = sqlx::query_as(&sql);
            for id in chunk { q = q.bind(id); }
            q.fetch_all(p).await
        })?;
        for (id, unit, f) in rows {
            if let Some(p) = out.get_mut(&id) {
                p.2.push((unit, f));
            }
        }
    }
    Ok(out)
}

/// Creates a document (a draft; posted at once with `post`, and then nothing stays when the posting is
/// refused).
pub async fn create_document(db: &Db, user: &CurrentUser, input: &NewStockDocument) -> Result<StockDocument, AppError> {
    check_poster(user, &warehouses_of(db, user).await?, input.warehouse_id)?;
    let v = validate(db, input).await?;
    let id = store::create_document(db, user.id, &v).await?;
    if input.post {
        // A new draft is at version 1.
        if let Err(e) = store::transition(db, user.id, id, 1, Transition::Post).await {
            store::delete_draft(db, id).await?;
            return Err(e);
        }
        let doc = store::document(db, id).await?;
        announce(db, &doc).await;
        return Ok(doc);
    }
    store::document(db, id).await
}

/// The event open dashboards and stock lists listen for.
pub const EVENT: &str = "stock";

/// Tells every open dashboard (on every app server) that a document moved stock: its warehouses and the
/// first products it moved, for the "just changed" marks. It carries no quantities: each page reads its
/// own view again.
pub async fn announce(db: &Db, doc: &StockDocument) {
    let mut warehouses = vec![doc.warehouse_id];
    warehouses.extend(doc.to_warehouse_id);
    let mut products: Vec<i64> = doc.lines.iter().map(|l| l.product_id).collect();
    products.sort_unstable();
    products.dedup();
    products.truncate(200);
    let data = serde_json::json!({"document_id": doc.id, "number": doc.number, "status": doc.status,
        "warehouses": warehouses, "products": products});
    publish(db, data).await;
}

/// Sends a `stock` event to every app server.
async fn publish(db: &Db, data: serde_json::Value) {
    use crate::core::events::{self, Event};
    events::publish(db, &Event { user_id: 0, name: EVENT.into(), id: None, data }).await;
}

/// One document `user` may read.
pub async fn document(db: &Db, user: &CurrentUser, id: i64) -> Result<StockDocument, AppError> {
    let doc = store::document(db, id).await?;
    if may_read(&warehouses_of(db, user).await?, doc.warehouse_id, doc.to_warehouse_id) {
        Ok(doc)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Posts a draft, receives a transfer, or cancels a document, at `version`.
pub async fn transition(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    version: i64,
    what: Transition,
) -> Result<StockDocument, AppError> {
    // Its header decides who may; the lines are read once, by the posting itself.
    let doc = store::places(db, id).await?;
    let mine = warehouses_of(db, user).await?;
    if !may_read(&mine, doc.warehouse_id, doc.to_warehouse_id) {
        return Err(AppError::Forbidden);
    }
    // A transfer is received by the keeper of where it arrives; the rest by the keeper of where it starts.
    let place = match what {
        Transition::Receive => doc.to_warehouse_id.unwrap_or(doc.warehouse_id),
        _ => doc.warehouse_id,
    };
    check_poster(user, &mine, place)?;
    if what == Transition::Cancel && doc.kind == DocKind::Transfer && doc.status == DocStatus::Posted {
        check_poster(user, &mine, doc.to_warehouse_id.unwrap_or(doc.warehouse_id))?;
    }
    store::transition(db, user.id, id, version, what).await?;
    let doc = store::document(db, id).await?;
    announce(db, &doc).await;
    Ok(doc)
}

/// A page of the documents `user` may read.
pub async fn documents(db: &Db, user: &CurrentUser, mut q: store::DocQuery) -> Result<super::DocPage, AppError> {
    q.warehouses = warehouses_of(db, user).await?;
    store::documents(db, &q).await
}

/// Sets an item's minimum and reorder quantity in a warehouse (administrators, and the warehouse's
/// storekeepers); the item's balance as it is then.
pub async fn set_limits(db: &Db, user: &CurrentUser, input: &super::StockLimits) -> Result<super::Balance, AppError> {
    store::warehouse(db, input.warehouse_id).await?;
    check_poster(user, &warehouses_of(db, user).await?, input.warehouse_id)?;
    let mut c = Checks::default();
    let product = match store::product(db, input.product_id).await {
        Ok(p) => Some(p),
        Err(AppError::NotFound) => {
            c.fail("product_id", ErrCode::InvalidChoice);
            None
        }
        Err(e) => return Err(e),
    };
    if product.is_some_and(|p| p.kind == ProductKind::Service) {
        c.fail("product_id", ErrCode::ServiceNotStocked);
    }
    let min = input.min.and_then(|m| qty_milli(&mut c, "min", m, false));
    let reorder = input.reorder.and_then(|r| qty_milli(&mut c, "reorder", r, false));
    c.finish()?;
    store::set_limits(db, input.warehouse_id, input.product_id, min, reorder).await?;
    let data =
        serde_json::json!({"document_id": null, "warehouses": [input.warehouse_id], "products": [input.product_id]});
    publish(db, data).await;
    let q = store::BalanceQuery {
        warehouse_id: Some(input.warehouse_id),
        product_id: Some(input.product_id),
        limit: 1,
        ..Default::default()
    };
    store::balances(db, &q).await?.items.into_iter().next().ok_or(AppError::NotFound)
}

/// The warehouses `user` may post documents of: `None` for all (administrators), else their own (none for
/// managers and sales heads).
pub async fn postable(db: &Db, user: &CurrentUser) -> Result<Option<Vec<i64>>, AppError> {
    match user.role {
        Role::Admin => Ok(None),
        Role::Storekeeper => Ok(Some(store::kept_by(db, user.id).await?)),
        Role::Manager | Role::SalesHead | Role::Accountant => Ok(Some(Vec::new())),
    }
}

/// The product a storekeeper typed or scanned: the one whose barcode or SKU it is, else the one product
/// whose name holds it; an error code when none or several match.
pub async fn product_by_code(db: &Db, code: &str) -> Result<Result<i64, ErrCode>, AppError> {
    let code = code.trim();
    let q = store::ProductQuery { search: Some(code.to_string()), limit: 10, ..Default::default() };
    let found = store::products(db, &q).await?.items;
    let exact = found.iter().find(|p| {
        p.sku.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(code)) || p.barcodes.iter().any(|b| b == code)
    });
    Ok(match (exact, found.as_slice()) {
        (Some(p), _) => Ok(p.id),
        (None, [only]) => Ok(only.id),
        (None, []) => Err(ErrCode::UnknownProduct),
        (None, _) => Err(ErrCode::AmbiguousProduct),
    })
}

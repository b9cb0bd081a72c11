//! SQL for the catalog, warehouses, stock documents and the ledger, on both databases.
//!
//! Posting is one write transaction: the document's status moves first (so two posters of one document
//! cannot both pass), the balances it touches are locked in a fixed order (warehouse, then product: no
//! deadlock between documents posted at once), the rules in [`super::Stock`] value every line, a shortage
//! refuses the whole document, and the movements, balances and the day's value change are written together.

use std::collections::BTreeMap;

use super::{
    Balance, BalancePage, DocKind, DocLine, DocPage, DocStatus, DocSummary, Movement, MovementPage, Product,
    ProductKind, ProductPage, ProductUnit, ProductValues, Stock, StockDocument, Warehouse, WarehouseInput, money_of,
    qty_of, vat_name,
};
use crate::core::db::{BeginWrite, Db, Rows, V, is_unique_violation};
use crate::core::error::Shortage;
use crate::core::{AppError, ErrCode, Millis, now_millis};
use crate::db_run;

// ---------------------------------------------------------------------------------------------------------
// Catalog

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: i64,
    kind: String,
    name: String,
    name_ru: Option<String>,
    name_en: Option<String>,
    sku: Option<String>,
    group_id: Option<i64>,
    base_unit: String,
    mxik: Option<String>,
    package_code: Option<String>,
    vat_bp: Option<i32>,
    weight_grams: Option<i64>,
    sort_key: String,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
    photo_etag: Option<String>,
}

const PRODUCT: &str = "SELECT id, kind, name, name_ru, name_en, sku, group_id, base_unit, mxik, package_code, vat_bp, \
    weight_grams, sort_key, created_at, updated_at, version, archived_at, \
    (SELECT ph.etag FROM product_photos ph WHERE ph.product_id = products.id) AS photo_etag FROM products";

impl ProductRow {
    fn into_product(self, extras: &mut Extras) -> Product {
        let id = self.id;
        Product {
            id: self.id,
            kind: ProductKind::parse(&self.kind).unwrap_or_default(),
            name: self.name,
            name_ru: self.name_ru,
            name_en: self.name_en,
            sku: self.sku,
            group_id: self.group_id,
            base_unit: self.base_unit,
            units: extras.units.remove(&id).unwrap_or_default(),
            barcodes: extras.codes.remove(&id).unwrap_or_default(),
            mxik: self.mxik,
            package_code: self.package_code,
            vat: vat_name(self.vat_bp),
            weight_kg: self.weight_grams.map(qty_of),
            custom: extras.custom.remove(&id).unwrap_or_default(),
            photo_etag: self.photo_etag,
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
            archived_at: self.archived_at,
        }
    }
}

/// The products' custom field definitions.
pub async fn product_fields(db: &Db) -> Result<Vec<crate::custom_fields::CustomField>, AppError> {
    crate::custom_fields::store::list(db, crate::custom_fields::FieldEntity::Product).await
}

/// What products keep in other tables: units, barcodes and custom field values, by product.
#[derive(Default)]
struct Extras {
    units: BTreeMap<i64, Vec<ProductUnit>>,
    codes: BTreeMap<i64, Vec<String>>,
    custom: std::collections::HashMap<i64, crate::custom_fields::CustomValues>,
}

/// The extras of products `ids`.
async fn product_extras(db: &Db, ids: &[i64]) -> Result<Extras, AppError> {
    let mut units: BTreeMap<i64, Vec<ProductUnit>> = BTreeMap::new();
    let mut codes: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(Extras::default());
    }
    let list = crate::core::db::placeholders(ids.len());
    let sql = format!(
        "SELECT product_id, unit, factor_milli FROM product_units WHERE product_id IN ({list}) ORDER BY product_id, unit"
    );
    let rows: Vec<(i64, String, i64)> = db_run!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for id in ids { q = q.bind(id); }
        q.fetch_all(p).await
    })?;
    for (id, unit, f) in rows {
        units.entry(id).or_default().push(ProductUnit { unit, factor: qty_of(f) });
    }
    let sql = format!(
        "SELECT product_id, barcode FROM product_barcodes WHERE product_id IN ({list}) ORDER BY product_id, barcode"
    );
    let rows: Vec<(i64, String)> = db_run!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for id in ids { q = q.bind(id); }
        q.fetch_all(p).await
    })?;
    for (id, code) in rows {
        codes.entry(id).or_default().push(code);
    }
    let custom = crate::custom_fields::store::values(db, &product_fields(db).await?, ids).await?;
    Ok(Extras { units, codes, custom })
}

/// One product, or `NotFound`.
pub async fn product(db: &Db, id: i64) -> Result<Product, AppError> {
    let sql = format!("{PRODUCT} WHERE id = $1");
    let row: ProductRow =
        db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?.ok_or(AppError::NotFound)?;
    Ok(row.into_product(&mut product_extras(db, &[id]).await?))
}

/// Which products a list shows.
#[derive(Debug, Clone, Default)]
pub struct ProductQuery {
    /// A part of the name, or an exact SKU or barcode.
    pub search: Option<String>,
    pub group_id: Option<i64>,
    pub archived: crate::core::archive::Archived,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page of products by name.
pub async fn products(db: &Db, q: &ProductQuery) -> Result<ProductPage, AppError> {
    use crate::customers::store::{Arg, bind_args};
    let mut sql = format!("{PRODUCT} WHERE 1 = 1");
    let mut args: Vec<Arg> = Vec::new();
    sql.push_str(&q.archived.sql("products"));
    if let Some(g) = q.group_id {
        push_in(&mut sql, &mut args, "group_id", super::groups::Tree::load(db).await?.subtree(g));
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let like = format!("%{}%", crate::core::db::like_escape(&s.to_lowercase()));
        args.push(Arg::S(like));
        args.push(Arg::S(s.to_string()));
        let (a, b) = (args.len() - 1, args.len());
        sql.push_str(&format!(
            " AND (search_text LIKE ${a} ESCAPE '\\' OR id IN (SELECT product_id FROM product_barcodes WHERE barcode = ${b}))"
        ));
    }
    if let Some(c) = q.cursor.as_deref().filter(|c| !c.is_empty()) {
        let (name, id) = parse_name_cursor(c).ok_or_else(|| AppError::field("cursor", ErrCode::InvalidChoice))?;
        args.push(Arg::S(name));
        args.push(Arg::I(id));
        let (a, b) = (args.len() - 1, args.len());
        sql.push_str(&format!(" AND (sort_key, id) > (${a}, ${b})"));
    }
    let limit = q.limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    sql.push_str(&format!(" ORDER BY sort_key, id LIMIT {}", limit + 1));
    let mut rows: Vec<ProductRow> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next_cursor = cut_page(&mut rows, limit, |r| name_cursor(&r.sort_key, r.id));
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut extras = product_extras(db, &ids).await?;
    let items = rows.into_iter().map(|r| r.into_product(&mut extras)).collect();
    Ok(ProductPage { items, next_cursor })
}

/// Adds ` AND {col} IN (…)` over `ids` to a query built with numbered placeholders.
fn push_in(sql: &mut String, args: &mut Vec<crate::customers::store::Arg>, col: &str, ids: Vec<i64>) {
    let marks = crate::core::db::placeholders_after(args.len(), ids.len());
    args.extend(ids.into_iter().map(crate::customers::store::Arg::I));
    sql.push_str(&format!(" AND {col} IN ({marks})"));
}

/// Cuts `rows` (read with one row past `limit`) to the page and gives the cursor after its last row when
/// more follow: every list here pages this way.
pub(crate) fn cut_page<T>(rows: &mut Vec<T>, limit: i64, cursor: impl Fn(&T) -> String) -> Option<String> {
    if rows.len() as i64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(cursor)
}

/// An id given as text (a cursor, a form's choice): `None` when empty, refused as `field` when not a number.
pub fn opt_id(field: &str, v: Option<&str>) -> Result<Option<i64>, AppError> {
    match v.filter(|s| !s.is_empty()) {
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| AppError::field(field, ErrCode::InvalidChoice)),
        None => Ok(None),
    }
}

/// `id.` and the lower-cased name in URL-safe base64: opaque to callers.
fn name_cursor(name: &str, id: i64) -> String {
    use base64::Engine;
    format!("{id}.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(name))
}

fn parse_name_cursor(c: &str) -> Option<(String, i64)> {
    use base64::Engine;
    let (id, name) = c.split_once('.')?;
    let name = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(name).ok()?;
    Some((String::from_utf8(name).ok()?, id.parse().ok()?))
}

/// The refusal a unique index gives: a taken SKU or barcode.
pub(crate) fn taken(err: sqlx::Error) -> AppError {
    if is_unique_violation(&err) {
        let text = err.to_string();
        if text.contains("barcode") {
            AppError::field("barcodes", ErrCode::BarcodeTaken)
        } else {
            AppError::field("sku", ErrCode::SkuTaken)
        }
    } else {
        AppError::from(err)
    }
}

/// Inserts a product with its units and barcodes on the open transaction `$tx` (`?` inside); the id. A taken
/// SKU or barcode is the field's error.
macro_rules! insert_product {
    ($tx:expr, $user_id:expr, $v:expr, $now:expr) => {{
        let v: &$crate::stock::ProductValues = $v;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO products (kind, name, name_ru, name_en, sku, group_id, base_unit, mxik, package_code, vat_bp, \
             weight_grams, created_by, created_at, updated_at, sort_key, search_text) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15) RETURNING id",
        )
        .bind(v.kind.as_str())
        .bind(&v.name)
        .bind(&v.name_ru)
        .bind(&v.name_en)
        .bind(&v.sku)
        .bind(v.group_id)
        .bind(&v.base_unit)
        .bind(&v.mxik)
        .bind(&v.package_code)
        .bind(v.vat_bp)
        .bind(v.weight_grams)
        .bind($user_id)
        .bind($now)
        .bind(v.sort_key())
        .bind(v.search_text())
        .fetch_one(&mut *$tx)
        .await
        .map_err($crate::stock::store::taken)?;
        for (unit, f) in &v.units {
            sqlx::query("INSERT INTO product_units (product_id, unit, factor_milli) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(unit)
                .bind(f)
                .execute(&mut *$tx)
                .await?;
        }
        for code in &v.barcodes {
            sqlx::query("INSERT INTO product_barcodes (barcode, product_id) VALUES ($1, $2)")
                .bind(code)
                .bind(id)
                .execute(&mut *$tx)
                .await
                .map_err($crate::stock::store::taken)?;
        }
        $crate::save_custom!($tx, id, &v.custom)?;
        id
    }};
}
pub(crate) use insert_product;

/// Creates a product; returns its id.
pub async fn create_product(db: &Db, user_id: i64, v: &ProductValues) -> Result<i64, AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id = insert_product!(tx, user_id, v, now);
        tx.commit().await?;
        Ok(id)
    })
}

/// Saves a product's new state if `version` is current (`Conflict` otherwise). The base unit of goods that
/// have moved cannot change: their ledger counts in it.
pub async fn update_product(db: &Db, id: i64, version: i64, v: &ProductValues) -> Result<(), AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let moved: Option<(String,)> = sqlx::query_as(
            "SELECT p.base_unit FROM products p WHERE p.id = $1 AND EXISTS (SELECT 1 FROM stock_movements m WHERE m.product_id = p.id)")
            .bind(id).fetch_optional(&mut *tx).await?;
        if moved.is_some_and(|(u,)| u != v.base_unit) {
            return Err(AppError::field("base_unit", ErrCode::UnitInUse));
        }
        let n = sqlx::query(
            "UPDATE products SET kind = $1, name = $2, name_ru = $3, name_en = $4, sku = $5, group_id = $6, base_unit = $7, \
             mxik = $8, package_code = $9, vat_bp = $10, weight_grams = $11, updated_at = $12, version = version + 1, \
             sort_key = $15, search_text = $16 WHERE id = $13 AND version = $14")
            .bind(v.kind.as_str()).bind(&v.name).bind(&v.name_ru).bind(&v.name_en).bind(&v.sku).bind(v.group_id)
            .bind(&v.base_unit).bind(&v.mxik).bind(&v.package_code).bind(v.vat_bp).bind(v.weight_grams).bind(now)
            .bind(id).bind(version).bind(v.sort_key()).bind(v.search_text())
            .execute(&mut *tx).await.map_err(taken)?.rows_affected();
        if n != 1 {
            return Err(AppError::Conflict);
        }
        sqlx::query("DELETE FROM product_units WHERE product_id = $1").bind(id).execute(&mut *tx).await?;
        for (unit, f) in &v.units {
            sqlx::query("INSERT INTO product_units (product_id, unit, factor_milli) VALUES ($1, $2, $3)")
                .bind(id).bind(unit).bind(f).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM product_barcodes WHERE product_id = $1").bind(id).execute(&mut *tx).await?;
        for code in &v.barcodes {
            sqlx::query("INSERT INTO product_barcodes (barcode, product_id) VALUES ($1, $2)")
                .bind(code).bind(id).execute(&mut *tx).await.map_err(taken)?;
        }
        crate::save_custom!(tx, id, &v.custom)?;
        tx.commit().await?;
        Ok(())
    })
}

/// Archives (`Some(now)`) or restores (`None`) a product if `version` is current.
pub async fn set_product_archived(db: &Db, id: i64, version: i64, at: Option<Millis>) -> Result<(), AppError> {
    let sql =
        "UPDATE products SET archived_at = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4";
    let n = db_run!(db, p => sqlx::query(sql).bind(at).bind(now_millis()).bind(id).bind(version).execute(p).await
        .map(|r| r.rows_affected()))?;
    if n == 1 { Ok(()) } else { Err(AppError::Conflict) }
}

// ---------------------------------------------------------------------------------------------------------
// Warehouses

#[derive(sqlx::FromRow)]
struct WarehouseRow {
    id: i64,
    name: String,
    address: Option<String>,
    responsible_id: Option<i64>,
    responsible_name: Option<String>,
    allow_negative: bool,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
}

const WAREHOUSE: &str = "SELECT w.id, w.name, w.address, w.responsible_id, u.name AS responsible_name, w.allow_negative, \
    w.created_at, w.updated_at, w.version, w.archived_at FROM warehouses w LEFT JOIN users u ON u.id = w.responsible_id";

async fn keepers_of(db: &Db, ids: &[i64]) -> Result<BTreeMap<i64, Vec<i64>>, AppError> {
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT warehouse_id, user_id FROM warehouse_keepers WHERE warehouse_id IN ({}) ORDER BY warehouse_id, user_id",
        crate::core::db::placeholders(ids.len())
    );
    let rows: Vec<(i64, i64)> = db_run!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for id in ids { q = q.bind(id); }
        q.fetch_all(p).await
    })?;
    for (w, u) in rows {
        out.entry(w).or_default().push(u);
    }
    Ok(out)
}

fn warehouse_of(r: WarehouseRow, keepers: Vec<i64>) -> Warehouse {
    Warehouse {
        id: r.id,
        name: r.name,
        address: r.address,
        responsible_id: r.responsible_id,
        responsible_name: r.responsible_name,
        allow_negative: r.allow_negative,
        keepers,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
        archived_at: r.archived_at,
    }
}

/// One warehouse, or `NotFound`.
pub async fn warehouse(db: &Db, id: i64) -> Result<Warehouse, AppError> {
    let sql = format!("{WAREHOUSE} WHERE w.id = $1");
    let row: WarehouseRow =
        db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?.ok_or(AppError::NotFound)?;
    let mut k = keepers_of(db, &[id]).await?;
    Ok(warehouse_of(row, k.remove(&id).unwrap_or_default()))
}

/// A page of warehouses by id (`only`: just these).
pub async fn warehouses(
    db: &Db,
    only: Option<&[i64]>,
    archived: crate::core::archive::Archived,
    after: Option<i64>,
    limit: i64,
) -> Result<(Vec<Warehouse>, Option<String>), AppError> {
    use crate::customers::store::{Arg, bind_args, push_cond};
    let mut sql = format!("{WAREHOUSE} WHERE 1 = 1");
    let mut args = Vec::new();
    sql.push_str(&archived.sql("w"));
    if let Some(only) = only {
        if only.is_empty() {
            return Ok((Vec::new(), None));
        }
        let list = crate::core::db::placeholders_after(args.len(), only.len());
        args.extend(only.iter().map(|i| Arg::I(*i)));
        sql.push_str(&format!(" AND w.id IN ({list})"));
    }
    if let Some(a) = after {
        push_cond(&mut sql, &mut args, " AND w.id > #", Arg::I(a));
    }
    let limit = limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    sql.push_str(&format!(" ORDER BY w.id LIMIT {}", limit + 1));
    let mut rows: Vec<WarehouseRow> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next = cut_page(&mut rows, limit, |r| r.id.to_string());
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut k = keepers_of(db, &ids).await?;
    Ok((
        rows.into_iter()
            .map(|r| {
                let id = r.id;
                warehouse_of(r, k.remove(&id).unwrap_or_default())
            })
            .collect(),
        next,
    ))
}

/// The warehouses whose storekeeper `user_id` is (named so, or responsible).
pub async fn kept_by(db: &Db, user_id: i64) -> Result<Vec<i64>, AppError> {
    let sql = "SELECT warehouse_id FROM warehouse_keepers WHERE user_id = $1 \
               UNION SELECT id FROM warehouses WHERE responsible_id = $1 ORDER BY 1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).fetch_all(p).await)?)
}

/// Creates (`id: None`) or changes a warehouse at `input.version`; returns its id.
pub async fn save_warehouse(db: &Db, id: Option<i64>, input: &WarehouseInput) -> Result<i64, AppError> {
    let now = now_millis();
    let name_taken = |e: sqlx::Error| {
        if is_unique_violation(&e) { AppError::field("name", ErrCode::NameTaken) } else { AppError::from(e) }
    };
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id = match id {
            None => sqlx::query_scalar(
                "INSERT INTO warehouses (name, address, responsible_id, allow_negative, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
                .bind(input.name.trim()).bind(&input.address).bind(input.responsible_id).bind(input.allow_negative).bind(now)
                .fetch_one(&mut *tx).await.map_err(name_taken)?,
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE warehouses SET name = $1, address = $2, responsible_id = $3, allow_negative = $4, updated_at = $5, \
                     version = version + 1 WHERE id = $6 AND version = $7")
                    .bind(input.name.trim()).bind(&input.address).bind(input.responsible_id).bind(input.allow_negative)
                    .bind(now).bind(id).bind(input.version.unwrap_or_default())
                    .execute(&mut *tx).await.map_err(name_taken)?.rows_affected();
                if n != 1 {
                    return Err(AppError::Conflict);
                }
                sqlx::query("DELETE FROM warehouse_keepers WHERE warehouse_id = $1").bind(id).execute(&mut *tx).await?;
                id
            }
        };
        for k in &input.keepers {
            sqlx::query("INSERT INTO warehouse_keepers (warehouse_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id).bind(k).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

// ---------------------------------------------------------------------------------------------------------
// Documents

/// A checked line of a new document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineValues {
    pub product_id: i64,
    pub unit: String,
    pub factor_milli: i64,
    pub qty_milli: i64,
    pub base_milli: i64,
    pub unit_cost_minor: Option<i64>,
    /// A shipment of an order: the order line it ships.
    pub order_line_id: Option<i64>,
}

/// A checked new document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocValues {
    pub kind: DocKind,
    pub warehouse_id: i64,
    pub to_warehouse_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub doc_at: Millis,
    pub lines: Vec<LineValues>,
    /// A shipment of an order: the order (its posting ships the order's lines).
    pub order_id: Option<i64>,
}

/// The year of `at` in the company's zone (documents are numbered per year).
fn year_of(at: Millis) -> i32 {
    crate::core::format::Civil::at_offset(at, crate::core::zone::company().offset_at(at)).year as i32
}

/// Saves a draft with the next number of its kind and year; returns its id.
pub async fn create_document(db: &Db, user_id: i64, v: &DocValues) -> Result<i64, AppError> {
    let now = now_millis();
    let year = year_of(v.doc_at);
    let mut lines = Rows::new(
        db,
        "INSERT INTO stock_document_lines (document_id, line_no, product_id, unit, factor_milli, qty_milli, base_milli, unit_cost_minor, order_line_id)",
        9,
    );
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO stock_numbers (kind, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (kind, year) DO UPDATE SET last = stock_numbers.last + 1 RETURNING last")
            .bind(v.kind.as_str()).bind(year).fetch_one(&mut *tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stock_documents (kind, year, seq, number, warehouse_id, to_warehouse_id, customer_id, reason, note, \
             doc_at, created_by, created_at, updated_at, order_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id")
            .bind(v.kind.as_str()).bind(year).bind(seq).bind(v.kind.number(year, seq)).bind(v.warehouse_id)
            .bind(v.to_warehouse_id).bind(v.customer_id).bind(&v.reason).bind(&v.note).bind(v.doc_at).bind(user_id).bind(now)
            .bind(v.order_id).fetch_one(&mut *tx).await?;
        for (i, l) in v.lines.iter().enumerate() {
            lines.push([V::I(id), V::I(i as i64 + 1), V::I(l.product_id), V::S(l.unit.clone()), V::I(l.factor_milli),
                V::I(l.qty_milli), V::I(l.base_milli), l.unit_cost_minor.into(), l.order_line_id.into()]);
        }
        crate::insert_rows!(tx, lines);
        tx.commit().await?;
        Ok(id)
    })
}

#[derive(sqlx::FromRow)]
struct DocRow {
    id: i64,
    kind: String,
    number: String,
    status: String,
    warehouse_id: i64,
    warehouse_name: String,
    to_warehouse_id: Option<i64>,
    to_warehouse_name: Option<String>,
    customer_id: Option<i64>,
    reason: Option<String>,
    note: Option<String>,
    doc_at: i64,
    created_by: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
    posted_at: Option<i64>,
    received_at: Option<i64>,
    cancelled_at: Option<i64>,
    order_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    line_no: i32,
    product_id: i64,
    product_name: String,
    unit: String,
    qty_milli: i64,
    base_milli: i64,
    unit_cost_minor: Option<i64>,
    expected_milli: Option<i64>,
    order_line_id: Option<i64>,
}

/// One document with its lines, or `NotFound`.
pub async fn document(db: &Db, id: i64) -> Result<StockDocument, AppError> {
    let (d, lines) = document_rows(db, id).await?;
    Ok(StockDocument {
        id: d.id,
        kind: DocKind::parse(&d.kind).ok_or(AppError::NotFound)?,
        number: d.number,
        status: DocStatus::parse(&d.status).ok_or(AppError::NotFound)?,
        warehouse_id: d.warehouse_id,
        warehouse_name: d.warehouse_name,
        to_warehouse_id: d.to_warehouse_id,
        to_warehouse_name: d.to_warehouse_name,
        customer_id: d.customer_id,
        reason: d.reason,
        note: d.note,
        doc_at: d.doc_at,
        lines: lines
            .into_iter()
            .map(|l| DocLine {
                line_no: l.line_no,
                product_id: l.product_id,
                product_name: l.product_name,
                unit: l.unit,
                qty: qty_of(l.qty_milli),
                base_qty: qty_of(l.base_milli),
                unit_cost: l.unit_cost_minor.map(money_of),
                expected: l.expected_milli.map(qty_of),
            })
            .collect(),
        created_by: d.created_by,
        created_at: d.created_at,
        updated_at: d.updated_at,
        version: d.version,
        posted_at: d.posted_at,
        received_at: d.received_at,
        cancelled_at: d.cancelled_at,
        order_id: d.order_id,
    })
}

const DOC: &str = "SELECT d.id, d.kind, d.number, d.status, d.warehouse_id, w.name AS warehouse_name, d.to_warehouse_id, \
    t.name AS to_warehouse_name, d.customer_id, d.reason, d.note, d.doc_at, d.created_by, d.created_at, d.updated_at, \
    d.version, d.posted_at, d.received_at, d.cancelled_at, d.order_id FROM stock_documents d JOIN warehouses w ON w.id = d.warehouse_id \
    LEFT JOIN warehouses t ON t.id = d.to_warehouse_id";

async fn document_rows(db: &Db, id: i64) -> Result<(DocRow, Vec<LineRow>), AppError> {
    let sql = format!("{DOC} WHERE d.id = $1");
    let d: DocRow =
        db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?.ok_or(AppError::NotFound)?;
    let sql = "SELECT l.id, l.line_no, l.product_id, p.name AS product_name, l.unit, l.qty_milli, l.base_milli, \
               l.unit_cost_minor, l.expected_milli, l.order_line_id FROM stock_document_lines l JOIN products p ON p.id = l.product_id \
               WHERE l.document_id = $1 ORDER BY l.line_no";
    let lines: Vec<LineRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    Ok((d, lines))
}

/// A document's kind, status and warehouses: what decides who may act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocPlaces {
    pub kind: DocKind,
    pub status: DocStatus,
    pub warehouse_id: i64,
    pub to_warehouse_id: Option<i64>,
}

/// A document's [`DocPlaces`], or `NotFound`.
pub async fn places(db: &Db, id: i64) -> Result<DocPlaces, AppError> {
    let sql = "SELECT kind, status, warehouse_id, to_warehouse_id FROM stock_documents WHERE id = $1";
    let row: Option<(String, String, i64, Option<i64>)> =
        db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let (kind, status, warehouse_id, to_warehouse_id) = row.ok_or(AppError::NotFound)?;
    Ok(DocPlaces {
        kind: DocKind::parse(&kind).ok_or(AppError::NotFound)?,
        status: DocStatus::parse(&status).ok_or(AppError::NotFound)?,
        warehouse_id,
        to_warehouse_id,
    })
}

/// Which documents a list shows.
#[derive(Debug, Clone, Default)]
pub struct DocQuery {
    /// Only documents from or to these warehouses (a storekeeper's); `None`: all.
    pub warehouses: Option<Vec<i64>>,
    pub warehouse_id: Option<i64>,
    pub kind: Option<DocKind>,
    pub status: Option<DocStatus>,
    /// Only documents posted at or after this moment.
    pub posted_since: Option<Millis>,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page of documents, newest first.
pub async fn documents(db: &Db, q: &DocQuery) -> Result<DocPage, AppError> {
    use crate::customers::store::{Arg, bind_args, push_cond};
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        kind: String,
        number: String,
        status: String,
        warehouse_id: i64,
        warehouse_name: String,
        to_warehouse_id: Option<i64>,
        doc_at: i64,
        lines: i64,
        updated_at: i64,
        version: i64,
    }
    let mut sql = "SELECT d.id, d.kind, d.number, d.status, d.warehouse_id, w.name AS warehouse_name, d.to_warehouse_id, \
                   d.doc_at, (SELECT COUNT(*) FROM stock_document_lines l WHERE l.document_id = d.id) AS lines, d.updated_at, \
                   d.version FROM stock_documents d JOIN warehouses w ON w.id = d.warehouse_id WHERE 1 = 1"
        .to_string();
    let mut args = Vec::new();
    if let Some(ws) = &q.warehouses {
        if ws.is_empty() {
            return Ok(DocPage { items: Vec::new(), next_cursor: None });
        }
        let a = crate::core::db::placeholders_after(args.len(), ws.len());
        args.extend(ws.iter().map(|i| Arg::I(*i)));
        let b = crate::core::db::placeholders_after(args.len(), ws.len());
        args.extend(ws.iter().map(|i| Arg::I(*i)));
        sql.push_str(&format!(" AND (d.warehouse_id IN ({a}) OR d.to_warehouse_id IN ({b}))"));
    }
    if let Some(w) = q.warehouse_id {
        args.push(Arg::I(w));
        let n = args.len();
        sql.push_str(&format!(" AND (d.warehouse_id = ${n} OR d.to_warehouse_id = ${n})"));
    }
    if let Some(k) = q.kind {
        push_cond(&mut sql, &mut args, " AND d.kind = #", Arg::S(k.as_str().into()));
    }
    if let Some(s) = q.status {
        push_cond(&mut sql, &mut args, " AND d.status = #", Arg::S(s.as_str().into()));
    }
    if let Some(since) = q.posted_since {
        push_cond(&mut sql, &mut args, " AND d.posted_at >= #", Arg::I(since));
    }
    if let Some(id) = opt_id("cursor", q.cursor.as_deref())? {
        push_cond(&mut sql, &mut args, " AND d.id < #", Arg::I(id));
    }
    let limit = q.limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    sql.push_str(&format!(" ORDER BY d.id DESC LIMIT {}", limit + 1));
    let mut rows: Vec<Row> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next_cursor = cut_page(&mut rows, limit, |r| r.id.to_string());
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(DocSummary {
                id: r.id,
                kind: DocKind::parse(&r.kind)?,
                number: r.number,
                status: DocStatus::parse(&r.status)?,
                warehouse_id: r.warehouse_id,
                warehouse_name: r.warehouse_name,
                to_warehouse_id: r.to_warehouse_id,
                doc_at: r.doc_at,
                lines: r.lines,
                updated_at: r.updated_at,
                version: r.version,
            })
        })
        .collect();
    Ok(DocPage { items, next_cursor })
}

/// A movement about to be written.
struct NewMove {
    product_id: i64,
    qty_milli: i64,
    value_minor: i64,
    line_id: Option<i64>,
    reverses: Option<i64>,
}

/// What a phase of a document does to one warehouse: lines of goods coming in (with their value) or going
/// out.
enum Step {
    /// `(line id, product, base qty, value)`: goods coming in.
    In(i64, i64, i64, i64),
    /// `(line id, product, base qty)`: goods going out.
    Out(i64, i64, i64),
    /// `(line id, product, counted)`: an inventory line; the difference to what is there comes in or goes out.
    Count(i64, i64, i64),
    /// The reversal of a movement: `(movement id, product, qty, value)` negated.
    Reverse(i64, i64, i64, i64),
}

impl Step {
    fn product(&self) -> i64 {
        match self {
            Step::In(_, p, _, _) | Step::Out(_, p, _) | Step::Count(_, p, _) | Step::Reverse(_, p, _, _) => *p,
        }
    }
}

/// Applies `steps` to `warehouse`'s balances inside an open transaction `$tx` of either backend: locks the
/// balances in product order, values each step, refuses a shortage (unless the warehouse allows negative
/// stock), writes the movements, the balances and the day's value change. Evaluates to
/// `Result<Vec<(line id, value)>, AppError>`: the value each line moved (transfers carry it to the other end).
macro_rules! apply_steps {
    ($db:expr, $tx:expr, $pg:expr, $doc_id:expr, $warehouse:expr, $allow_negative:expr, $at:expr, $now:expr, $steps:expr, $names:expr) => {{
        let steps: &[Step] = $steps;
        let mut products: Vec<i64> = steps.iter().map(Step::product).collect();
        products.sort_unstable();
        products.dedup();
        // Missing balance rows first (in order), then every row locked in the same order: documents posted at
        // once wait for each other instead of deadlocking.
        for chunk in products.chunks(500) {
            let values: Vec<String> = (0..chunk.len()).map(|i| format!("($1, ${}, $2)", i + 3)).collect();
            let sql = format!(
                "INSERT INTO stock_balances (warehouse_id, product_id, updated_at) VALUES {} ON CONFLICT DO NOTHING",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql).bind($warehouse).bind($now);
            for p in chunk { q = q.bind(p); }
            q.execute(&mut *$tx).await?;
        }
        let mut stock: BTreeMap<i64, Stock> = BTreeMap::new();
        for chunk in products.chunks(500) {
            let sql = format!(
                "SELECT product_id, on_hand_milli, value_minor, avg_cost_minor FROM stock_balances \
                 WHERE warehouse_id = $1 AND product_id IN ({}) ORDER BY product_id{}",
                crate::core::db::placeholders_after(1, chunk.len()),
                if $pg { " FOR UPDATE" } else { "" }
            );
            let mut q = sqlx::query_as::<_, (i64, i64, i64, i64)>(&sql).bind($warehouse);
            for p in chunk { q = q.bind(p); }
            for (p, on_hand_milli, value_minor, avg_cost_minor) in q.fetch_all(&mut *$tx).await? {
                stock.insert(p, Stock { on_hand_milli, value_minor, avg_cost_minor });
            }
        }
        let before = stock.clone();
        let mut moves: Vec<NewMove> = Vec::new();
        let mut outgoing: BTreeMap<i64, i64> = BTreeMap::new();
        let mut expected: Vec<(i64, i64)> = Vec::new();
        for step in steps {
            let s = stock.entry(step.product()).or_default();
            match *step {
                Step::In(line, product, qty, value) => {
                    *s = s.receive(qty, value);
                    moves.push(NewMove { product_id: product, qty_milli: qty, value_minor: value, line_id: Some(line), reverses: None });
                }
                Step::Out(line, product, qty) => {
                    let value = s.outgoing_value(qty);
                    *s = s.issue(qty, value);
                    *outgoing.entry(product).or_default() += qty;
                    moves.push(NewMove { product_id: product, qty_milli: -qty, value_minor: -value, line_id: Some(line), reverses: None });
                }
                Step::Count(line, product, counted) => {
                    expected.push((line, s.on_hand_milli));
                    let diff = counted - s.on_hand_milli;
                    if diff > 0 {
                        let value = super::div_round(diff as i128 * s.avg_cost_minor as i128, 1000);
                        *s = s.receive(diff, value);
                        moves.push(NewMove { product_id: product, qty_milli: diff, value_minor: value, line_id: Some(line), reverses: None });
                    } else if diff < 0 {
                        let value = s.outgoing_value(-diff);
                        *s = s.issue(-diff, value);
                        moves.push(NewMove { product_id: product, qty_milli: diff, value_minor: -value, line_id: Some(line), reverses: None });
                    }
                }
                Step::Reverse(movement, product, qty, value) => {
                    if qty > 0 {
                        *s = s.issue(qty, value);
                        *outgoing.entry(product).or_default() += qty;
                    } else {
                        *s = s.receive(-qty, -value);
                    }
                    moves.push(NewMove { product_id: product, qty_milli: -qty, value_minor: -value, line_id: None, reverses: Some(movement) });
                }
            }
        }
        let shortages: Vec<Shortage> = if $allow_negative {
            Vec::new()
        } else {
            outgoing
                .iter()
                .filter(|(p, _)| stock.get(p).is_some_and(|s| s.on_hand_milli < 0))
                .map(|(p, wanted)| {
                    let (name, unit, line_no) = $names.get(p).cloned().unwrap_or_default();
                    Shortage {
                        line_no,
                        product_id: *p,
                        product_name: name,
                        unit,
                        available: qty_of(before.get(p).map_or(0, |s| s.on_hand_milli).max(0)).to_string(),
                        wanted: qty_of(*wanted).to_string(),
                    }
                })
                .collect()
        };
        if shortages.is_empty() {
            let mut rows = Rows::new($db,
                "INSERT INTO stock_movements (product_id, warehouse_id, qty_milli, value_minor, document_id, line_id, at, posted_at, reverses)",
                9,
            );
            for m in &moves {
                rows.push([V::I(m.product_id), V::I($warehouse), V::I(m.qty_milli), V::I(m.value_minor), V::I($doc_id),
                    m.line_id.into(), V::I($at), V::I($now), m.reverses.into()]);
            }
            crate::insert_rows!($tx, rows);
            // The changed balances, 500 to a statement (one round trip for a 100-line document, not 100):
            // `(product, on hand, value, average, came in, went out)`.
            let changed: Vec<(i64, Stock, bool, bool)> = stock
                .iter()
                .filter_map(|(p, s)| {
                    let b = before.get(p).copied().unwrap_or_default();
                    let out = outgoing.contains_key(p);
                    (*s != b || out).then_some((*p, *s, s.on_hand_milli > b.on_hand_milli, out))
                })
                .collect();
            for chunk in changed.chunks(500) {
                let rows: Vec<String> = (0..chunk.len())
                    .map(|i| {
                        let n = 2 + i * 6;
                        format!(
                            "SELECT CAST(${} AS BIGINT) AS p, CAST(${} AS BIGINT) AS q, CAST(${} AS BIGINT) AS val, \
                             CAST(${} AS BIGINT) AS avg, CAST(${} AS BIGINT) AS came_in, CAST(${} AS BIGINT) AS went_out",
                            n + 1, n + 2, n + 3, n + 4, n + 5, n + 6
                        )
                    })
                    .collect();
                let sql = format!(
                    "UPDATE stock_balances SET on_hand_milli = v.q, value_minor = v.val, avg_cost_minor = v.avg, updated_at = $1, \
                     last_in_at = CASE WHEN v.came_in = 1 THEN $1 ELSE stock_balances.last_in_at END, \
                     last_out_at = CASE WHEN v.went_out = 1 THEN $1 ELSE stock_balances.last_out_at END \
                     FROM ({}) AS v WHERE stock_balances.warehouse_id = $2 AND stock_balances.product_id = v.p",
                    rows.join(" UNION ALL ")
                );
                let mut q = sqlx::query(&sql).bind($now).bind($warehouse);
                for (p, s, came_in, went_out) in chunk {
                    q = q.bind(p).bind(s.on_hand_milli).bind(s.value_minor).bind(s.avg_cost_minor)
                        .bind(i64::from(*came_in)).bind(i64::from(*went_out));
                }
                q.execute(&mut *$tx).await?;
            }
            let delta: i64 = moves.iter().map(|m| m.value_minor).sum();
            sqlx::query(
                "INSERT INTO stock_daily (warehouse_id, day, value_minor) VALUES ($1, $2, $3) \
                 ON CONFLICT (warehouse_id, day) DO UPDATE SET value_minor = stock_daily.value_minor + excluded.value_minor")
                .bind($warehouse).bind(crate::core::format::day_start_in(&crate::core::zone::company(), $at)).bind(delta).execute(&mut *$tx).await?;
            for (line, e) in &expected {
                sqlx::query("UPDATE stock_document_lines SET expected_milli = $1 WHERE id = $2")
                    .bind(e).bind(line).execute(&mut *$tx).await?;
            }
            let mut values: Vec<(i64, i64)> = Vec::new();
            for m in &moves {
                if let Some(l) = m.line_id {
                    values.push((l, m.value_minor));
                }
            }
            Ok(values)
        } else {
            Err(AppError::Shortage { items: shortages })
        }
    }};
}

/// The company's closed period: nothing dated before it is posted or cancelled.
pub async fn closed_until(db: &Db) -> Result<Option<Millis>, AppError> {
    Ok(crate::core::settings::get(db, super::CLOSED_UNTIL).await?.and_then(|v| v.parse().ok()))
}

/// What a posting or cancellation changes: the document's new status and who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// A draft posted (a transfer leaves its warehouse: in transit).
    Post,
    /// A transfer in transit arrives.
    Receive,
    /// A posted (or in-transit) document undone by reversing rows.
    Cancel,
}

/// Moves `doc` (read at `version`) through `what` in one transaction; see the module's notes.
pub async fn transition(db: &Db, user_id: i64, id: i64, version: i64, what: Transition) -> Result<(), AppError> {
    let (d, lines) = document_rows(db, id).await?;
    let kind = DocKind::parse(&d.kind).ok_or(AppError::NotFound)?;
    let status = DocStatus::parse(&d.status).ok_or(AppError::NotFound)?;
    if d.version != version {
        return Err(AppError::Conflict);
    }
    let (from, to) = match (what, kind, status) {
        (Transition::Post, DocKind::Transfer, DocStatus::Draft) => (DocStatus::Draft, DocStatus::InTransit),
        (Transition::Post, _, DocStatus::Draft) => (DocStatus::Draft, DocStatus::Posted),
        (Transition::Receive, DocKind::Transfer, DocStatus::InTransit) => (DocStatus::InTransit, DocStatus::Posted),
        (Transition::Cancel, _, DocStatus::Posted | DocStatus::InTransit | DocStatus::Draft) => {
            (status, DocStatus::Cancelled)
        }
        _ => return Err(AppError::field("status", ErrCode::WrongStatus)),
    };
    if (from != DocStatus::Draft || what == Transition::Post)
        && let Some(closed) = closed_until(db).await?
        && d.doc_at < closed
    {
        return Err(AppError::field("doc_at", ErrCode::PeriodClosed));
    }
    let now = now_millis();
    let names: BTreeMap<i64, (String, String, i32)> = {
        let mut m = BTreeMap::new();
        for l in &lines {
            m.entry(l.product_id).or_insert_with(|| (l.product_name.clone(), l.unit.clone(), l.line_no));
        }
        m
    };
    let negative = |w: i64| async move {
        let sql = "SELECT allow_negative FROM warehouses WHERE id = $1";
        let v: bool = db_run!(db, p => sqlx::query_scalar(sql).bind(w).fetch_one(p).await)?;
        Ok::<bool, AppError>(v)
    };
    let source_negative = negative(d.warehouse_id).await?;
    let target = d.to_warehouse_id.unwrap_or(d.warehouse_id);
    let target_negative = negative(target).await?;
    // The movements a cancellation reverses, by warehouse.
    let existing: Vec<(i64, i64, i64, i64, i64, Option<i64>)> =
        if what == Transition::Cancel || what == Transition::Receive {
            let sql = "SELECT id, warehouse_id, product_id, qty_milli, value_minor, line_id FROM stock_movements \
                   WHERE document_id = $1 AND reverses IS NULL ORDER BY id";
            db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?
        } else {
            Vec::new()
        };
    let pg = db.is_postgres();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE stock_documents SET status = $1, updated_at = $2, version = version + 1, \
             posted_at = CASE WHEN $3 THEN $2 ELSE posted_at END, posted_by = CASE WHEN $3 THEN $4 ELSE posted_by END, \
             received_at = CASE WHEN $5 THEN $2 ELSE received_at END, \
             cancelled_at = CASE WHEN $6 THEN $2 ELSE cancelled_at END, cancelled_by = CASE WHEN $6 THEN $4 ELSE cancelled_by END \
             WHERE id = $7 AND version = $8 AND status = $9")
            .bind(to.as_str()).bind(now).bind(what == Transition::Post).bind(user_id).bind(what == Transition::Receive)
            .bind(what == Transition::Cancel).bind(id).bind(version).bind(from.as_str())
            .execute(&mut *tx).await?.rows_affected();
        if n != 1 {
            return Err(AppError::Conflict);
        }
        match what {
            Transition::Post => {
                let steps: Vec<Step> = lines.iter().map(|l| match kind {
                    DocKind::Receipt => Step::In(l.id, l.product_id, l.base_milli,
                        super::line_value(l.qty_milli, l.unit_cost_minor.unwrap_or_default())),
                    DocKind::Inventory => Step::Count(l.id, l.product_id, l.base_milli),
                    DocKind::Shipment | DocKind::Transfer | DocKind::WriteOff => Step::Out(l.id, l.product_id, l.base_milli),
                }).collect();
                apply_steps!(db, tx, pg, id, d.warehouse_id, source_negative, d.doc_at, now, &steps, names)?;
                if let Some(order) = d.order_id {
                    let moves: Vec<(i64, i64, i64)> =
                        lines.iter().filter_map(|l| Some((l.order_line_id?, l.product_id, l.base_milli))).collect();
                    crate::order_shipment!(tx, order, d.warehouse_id, &moves, true, now)?;
                }
            }
            Transition::Receive => {
                // The goods arrive with the value they left with.
                let mut value_of: BTreeMap<i64, i64> = BTreeMap::new();
                for (_, _, _, _, value, line) in &existing {
                    if let Some(l) = line {
                        *value_of.entry(*l).or_default() += -value;
                    }
                }
                let steps: Vec<Step> = lines.iter()
                    .map(|l| Step::In(l.id, l.product_id, l.base_milli, value_of.get(&l.id).copied().unwrap_or_default()))
                    .collect();
                apply_steps!(db, tx, pg, id, target, target_negative, now, now, &steps, names)?;
            }
            Transition::Cancel => {
                let mut by_place: BTreeMap<i64, Vec<Step>> = BTreeMap::new();
                for (mid, w, product, qty, value, _) in &existing {
                    by_place.entry(*w).or_default().push(Step::Reverse(*mid, *product, *qty, *value));
                }
                // Warehouses in id order, like the balances inside each.
                for (w, steps) in &by_place {
                    let allow = if *w == d.warehouse_id { source_negative } else { target_negative };
                    apply_steps!(db, tx, pg, id, *w, allow, d.doc_at, now, steps, names)?;
                }
                // A posted shipment of an order, cancelled: the order takes its goods back.
                if let Some(order) = d.order_id
                    && from == DocStatus::Posted
                {
                    let moves: Vec<(i64, i64, i64)> =
                        lines.iter().filter_map(|l| Some((l.order_line_id?, l.product_id, l.base_milli))).collect();
                    crate::order_shipment!(tx, order, d.warehouse_id, &moves, false, now)?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------------------
// Balances and movements

/// Which balances a list shows.
#[derive(Debug, Clone, Default)]
pub struct BalanceQuery {
    pub warehouse_id: Option<i64>,
    pub product_id: Option<i64>,
    /// Products of this group and its subgroups.
    pub group_id: Option<i64>,
    /// Stock at this moment (epoch ms) instead of now, summed from the ledger.
    pub at: Option<Millis>,
    pub cursor: Option<String>,
    pub limit: i64,
}

#[derive(sqlx::FromRow)]
struct BalanceRow {
    warehouse_id: i64,
    warehouse_name: String,
    product_id: i64,
    product_name: String,
    sku: Option<String>,
    unit: String,
    on_hand_milli: i64,
    reserved_milli: i64,
    value_minor: i64,
    min_milli: Option<i64>,
    reorder_milli: Option<i64>,
    last_out_at: Option<i64>,
}

/// A page of balances by warehouse and product: the live ones, or (`at`) those of a past moment, which
/// are the live ones less every movement dated after it (a year back reads a year of movements, not all).
pub async fn balances(db: &Db, q: &BalanceQuery) -> Result<BalancePage, AppError> {
    use crate::customers::store::Arg;
    let mut args: Vec<Arg> = Vec::new();
    let (qty, value) = match q.at {
        None => ("b.on_hand_milli".to_string(), "b.value_minor".to_string()),
        Some(at) => {
            args.push(Arg::I(at));
            let later = "FROM stock_movements m WHERE m.warehouse_id = b.warehouse_id AND m.product_id = b.product_id AND m.at > $1";
            (
                format!("CAST(b.on_hand_milli - COALESCE((SELECT SUM(m.qty_milli) {later}), 0) AS BIGINT)"),
                format!("CAST(b.value_minor - COALESCE((SELECT SUM(m.value_minor) {later}), 0) AS BIGINT)"),
            )
        }
    };
    let sql = format!(
        "SELECT b.warehouse_id, w.name AS warehouse_name, b.product_id, p.name AS product_name, p.sku, p.base_unit AS unit, \
         {qty} AS on_hand_milli, b.reserved_milli, {value} AS value_minor, b.min_milli, b.reorder_milli, b.last_out_at \
         FROM stock_balances b JOIN warehouses w ON w.id = b.warehouse_id JOIN products p ON p.id = b.product_id WHERE 1 = 1"
    );
    let places = Places {
        warehouse_id: q.warehouse_id,
        product_id: q.product_id,
        group_id: q.group_id,
        cursor: q.cursor.as_deref(),
        limit: q.limit,
    };
    let (rows, next_cursor) =
        places_page(db, sql, args, places, |r: &BalanceRow| (r.warehouse_id, r.product_id)).await?;
    Ok(BalancePage { items: rows.into_iter().map(balance_of).collect(), next_cursor })
}

/// The filters and the page of a list over the balances (item × warehouse), in warehouse and product order.
struct Places<'a> {
    warehouse_id: Option<i64>,
    product_id: Option<i64>,
    /// Products of this group and its subgroups.
    group_id: Option<i64>,
    /// `warehouse_product` of the previous page's last row.
    cursor: Option<&'a str>,
    limit: i64,
}

/// Runs `sql` (a select over `stock_balances b` joined to `products p`, ending in its `WHERE`, with `args`)
/// with the filters of `f`, and cuts its page: the one pager of balances and turnover.
async fn places_page<R>(
    db: &Db,
    mut sql: String,
    mut args: Vec<crate::customers::store::Arg>,
    f: Places<'_>,
    key: impl Fn(&R) -> (i64, i64),
) -> Result<(Vec<R>, Option<String>), AppError>
where
    R: Send + Unpin,
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    use crate::customers::store::{Arg, bind_args, push_cond};
    if let Some(w) = f.warehouse_id {
        push_cond(&mut sql, &mut args, " AND b.warehouse_id = #", Arg::I(w));
    }
    if let Some(p) = f.product_id {
        push_cond(&mut sql, &mut args, " AND b.product_id = #", Arg::I(p));
    }
    if let Some(g) = f.group_id {
        push_in(&mut sql, &mut args, "p.group_id", super::groups::Tree::load(db).await?.subtree(g));
    }
    if let Some((w, p)) = place_cursor(f.cursor)? {
        args.push(Arg::I(w));
        args.push(Arg::I(p));
        let (a, b) = (args.len() - 1, args.len());
        sql.push_str(&format!(" AND (b.warehouse_id, b.product_id) > (${a}, ${b})"));
    }
    let limit = f.limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    sql.push_str(&format!(" ORDER BY b.warehouse_id, b.product_id LIMIT {}", limit + 1));
    let mut rows: Vec<R> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next = cut_page(&mut rows, limit, |r| {
        let (w, p) = key(r);
        format!("{w}_{p}")
    });
    Ok((rows, next))
}

/// Which items a turnover report covers, over which period (`from` ≤ at < `to`, epoch ms).
#[derive(Debug, Clone, Default)]
pub struct TurnoverQuery {
    pub warehouse_id: Option<i64>,
    pub group_id: Option<i64>,
    pub from: Millis,
    pub to: Millis,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page of turnover by warehouse and product: each balance row with three sums of its own movements
/// (after the start; in and out within the period), read through the ledger's product index, so a page costs
/// the same whatever the ledger's size.
pub async fn turnover(db: &Db, q: &TurnoverQuery) -> Result<super::TurnoverPage, AppError> {
    use crate::customers::store::Arg;
    #[derive(sqlx::FromRow)]
    struct Row {
        warehouse_id: i64,
        warehouse_name: String,
        product_id: i64,
        product_name: String,
        sku: Option<String>,
        unit: String,
        on_hand_milli: i64,
        since_from: i64,
        incoming: i64,
        outgoing: i64,
        last_out_at: Option<i64>,
    }
    if q.to <= q.from {
        return Err(AppError::field("to", ErrCode::EndBeforeStart));
    }
    let mine = "FROM stock_movements m WHERE m.product_id = b.product_id AND m.warehouse_id = b.warehouse_id";
    // In: receipts and the like, less cancelled ones; out: shipments and the like, less cancelled ones.
    let inward = "((m.reverses IS NULL AND m.qty_milli > 0) OR (m.reverses IS NOT NULL AND m.qty_milli < 0))";
    let sql = format!(
        "SELECT b.warehouse_id, w.name AS warehouse_name, b.product_id, p.name AS product_name, p.sku, \
         p.base_unit AS unit, b.on_hand_milli, \
         CAST(COALESCE((SELECT SUM(m.qty_milli) {mine} AND m.at >= $1), 0) AS BIGINT) AS since_from, \
         CAST(COALESCE((SELECT SUM(m.qty_milli) {mine} AND m.at >= $1 AND m.at < $2 AND {inward}), 0) AS BIGINT) AS incoming, \
         CAST(COALESCE((SELECT -SUM(m.qty_milli) {mine} AND m.at >= $1 AND m.at < $2 AND NOT {inward}), 0) AS BIGINT) AS outgoing, \
         b.last_out_at \
         FROM stock_balances b JOIN warehouses w ON w.id = b.warehouse_id JOIN products p ON p.id = b.product_id WHERE 1 = 1"
    );
    let args = vec![Arg::I(q.from), Arg::I(q.to)];
    let places = Places {
        warehouse_id: q.warehouse_id,
        product_id: None,
        group_id: q.group_id,
        cursor: q.cursor.as_deref(),
        limit: q.limit,
    };
    let (rows, next_cursor) = places_page(db, sql, args, places, |r: &Row| (r.warehouse_id, r.product_id)).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let opening = r.on_hand_milli - r.since_from;
            super::Turnover {
                warehouse_id: r.warehouse_id,
                warehouse_name: r.warehouse_name,
                product_id: r.product_id,
                product_name: r.product_name,
                sku: r.sku,
                unit: r.unit,
                opening: qty_of(opening),
                incoming: qty_of(r.incoming),
                outgoing: qty_of(r.outgoing),
                closing: qty_of(opening + r.incoming - r.outgoing),
                last_out_at: r.last_out_at,
            }
        })
        .collect();
    Ok(super::TurnoverPage { items, next_cursor })
}

/// A `warehouse_product` cursor.
fn place_cursor(c: Option<&str>) -> Result<Option<(i64, i64)>, AppError> {
    let Some(c) = c.filter(|c| !c.is_empty()) else { return Ok(None) };
    c.split_once('_')
        .and_then(|(w, p)| Some((w.parse::<i64>().ok()?, p.parse::<i64>().ok()?)))
        .map(Some)
        .ok_or_else(|| AppError::field("cursor", ErrCode::InvalidChoice))
}

fn balance_of(r: BalanceRow) -> Balance {
    Balance {
        warehouse_id: r.warehouse_id,
        warehouse_name: r.warehouse_name,
        product_id: r.product_id,
        product_name: r.product_name,
        sku: r.sku,
        unit: r.unit,
        on_hand: qty_of(r.on_hand_milli),
        reserved: qty_of(r.reserved_milli),
        value: money_of(r.value_minor),
        min: r.min_milli.map(qty_of),
        reorder: r.reorder_milli.map(qty_of),
        last_out_at: r.last_out_at,
    }
}

/// Up to `limit` live balances of `warehouse` (or all warehouses) meeting `cond` (SQL on `b`), in `order`:
/// the dashboard's short lists, each read through its own index.
pub(super) async fn live_balances(
    db: &Db,
    warehouse: Option<i64>,
    cond: &str,
    order: &str,
    limit: i64,
) -> Result<Vec<Balance>, AppError> {
    let place = if warehouse.is_some() { " AND b.warehouse_id = $1" } else { " AND $1 = 0" };
    let sql = format!(
        "SELECT b.warehouse_id, w.name AS warehouse_name, b.product_id, p.name AS product_name, p.sku, p.base_unit AS unit, \
         b.on_hand_milli, b.reserved_milli, b.value_minor, b.min_milli, b.reorder_milli, b.last_out_at \
         FROM stock_balances b JOIN warehouses w ON w.id = b.warehouse_id JOIN products p ON p.id = b.product_id \
         WHERE {cond}{place} ORDER BY {order} LIMIT {limit}"
    );
    let rows: Vec<BalanceRow> = db_run!(db, p => sqlx::query_as(&sql).bind(warehouse.unwrap_or(0)).fetch_all(p).await)?;
    Ok(rows.into_iter().map(balance_of).collect())
}

/// Sets an item's minimum and reorder quantity in a warehouse (its balance row made if it has none).
pub async fn set_limits(
    db: &Db,
    warehouse: i64,
    product: i64,
    min: Option<i64>,
    reorder: Option<i64>,
) -> Result<(), AppError> {
    let sql = "INSERT INTO stock_balances (warehouse_id, product_id, min_milli, reorder_milli, updated_at) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (warehouse_id, product_id) \
               DO UPDATE SET min_milli = excluded.min_milli, reorder_milli = excluded.reorder_milli, updated_at = excluded.updated_at";
    db_run!(db, p => sqlx::query(sql).bind(warehouse).bind(product).bind(min).bind(reorder).bind(now_millis()).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// Which movements a list shows.
#[derive(Debug, Clone, Default)]
pub struct MovementQuery {
    pub warehouse_id: Option<i64>,
    pub product_id: Option<i64>,
    pub document_id: Option<i64>,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page of the ledger, newest first.
pub async fn movements(db: &Db, q: &MovementQuery) -> Result<MovementPage, AppError> {
    use crate::customers::store::{Arg, bind_args, push_cond};
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        product_id: i64,
        product_name: String,
        warehouse_id: i64,
        qty_milli: i64,
        value_minor: i64,
        document_id: i64,
        number: String,
        kind: String,
        at: i64,
        posted_at: i64,
        reverses: Option<i64>,
    }
    let mut sql = "SELECT m.id, m.product_id, p.name AS product_name, m.warehouse_id, m.qty_milli, m.value_minor, m.document_id, \
                   d.number, d.kind, m.at, m.posted_at, m.reverses FROM stock_movements m JOIN products p ON p.id = m.product_id \
                   JOIN stock_documents d ON d.id = m.document_id WHERE 1 = 1"
        .to_string();
    let mut args = Vec::new();
    if let Some(w) = q.warehouse_id {
        push_cond(&mut sql, &mut args, " AND m.warehouse_id = #", Arg::I(w));
    }
    if let Some(p) = q.product_id {
        push_cond(&mut sql, &mut args, " AND m.product_id = #", Arg::I(p));
    }
    if let Some(d) = q.document_id {
        push_cond(&mut sql, &mut args, " AND m.document_id = #", Arg::I(d));
    }
    if let Some(id) = opt_id("cursor", q.cursor.as_deref())? {
        push_cond(&mut sql, &mut args, " AND m.id < #", Arg::I(id));
    }
    let limit = q.limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    sql.push_str(&format!(" ORDER BY m.id DESC LIMIT {}", limit + 1));
    let mut rows: Vec<Row> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next_cursor = cut_page(&mut rows, limit, |r| r.id.to_string());
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(Movement {
                id: r.id,
                product_id: r.product_id,
                product_name: r.product_name,
                warehouse_id: r.warehouse_id,
                qty: qty_of(r.qty_milli),
                value: money_of(r.value_minor),
                document_id: r.document_id,
                document_number: r.number,
                document_kind: DocKind::parse(&r.kind)?,
                at: r.at,
                posted_at: r.posted_at,
                reverses: r.reverses,
            })
        })
        .collect();
    Ok(MovementPage { items, next_cursor })
}

/// Removes a draft (one that was never posted: it wrote nothing to the ledger).
pub async fn delete_draft(db: &Db, id: i64) -> Result<(), AppError> {
    let sql = "DELETE FROM stock_documents WHERE id = $1 AND status = 'draft'";
    db_run!(db, p => sqlx::query(sql).bind(id).execute(p).await.map(|_| ()))?;
    Ok(())
}

//! Importing the stock catalog (from 1C, Excel or Karvon's own export): one product per row. A row duplicates
//! a product with the same SKU (case ignored) or one of the same barcodes; a row with neither, a product of
//! the same name. Groups are named by path ("Mebel / Stullar") and made when missing. A duplicate is skipped
//! or updated, as the user chooses: the values given replace the old ones, barcodes are added to the old
//! ones. So a file imported twice, or a run resumed after a crash, makes no product twice.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use super::service::{Context, Failed, apply_updates, record_batch};
use super::store::BatchCounts;
use crate::core::db::{BeginWrite, Db, placeholders_after};
use crate::core::{AppError, ErrCode, FieldError, now_millis};
use crate::db_run;
use crate::stock::groups::{self, Tree};
use crate::stock::{Product, ProductInput, ProductKind, ProductUnit, ProductValues};

/// A product row, checked: the input, its values, its group's path and the fields the row gave.
pub struct ProductRow {
    input: ProductInput,
    values: ProductValues,
    group: Vec<String>,
    given: HashSet<&'static str>,
}

/// A kind given as a code or a name in any language ("Товар", "Xizmat").
fn kind_of(cell: &str) -> Option<ProductKind> {
    let c = cell.trim().to_lowercase();
    let is =
        |k: ProductKind| c == k.as_str() || crate::core::Lang::ALL.iter().any(|l| k.msg().text(*l).to_lowercase() == c);
    [ProductKind::Goods, ProductKind::Service].into_iter().find(|k| is(*k))
}

/// A VAT cell as the API's rate: `12 %` → `12`, "без НДС" / "QQSsiz" → `exempt`.
fn vat_of(cell: &str) -> String {
    let c = cell.trim().to_lowercase().replace(' ', "");
    if ["exempt", "безндс", "qqssiz", "освобожд", "необлагается"].iter().any(|w| c.contains(w))
    {
        return "exempt".into();
    }
    let c = c.trim_end_matches('%').replace(',', ".");
    match c.parse::<Decimal>() {
        Ok(d) => d.normalize().to_string(),
        Err(_) => c,
    }
}

/// A decimal as a spreadsheet writes it: `1 234,5`, `1234.5`.
fn decimal_of(cell: &str) -> Option<Decimal> {
    cell.replace([' ', '\u{a0}'], "").replace(',', ".").parse().ok()
}

/// Extra units as `box=12; pack=6` (or `box 12`).
fn units_of(cell: &str) -> Option<Vec<ProductUnit>> {
    cell.split([';', ','])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| {
            let (unit, factor) = u.split_once('=').or_else(|| u.rsplit_once(' '))?;
            Some(ProductUnit { unit: unit.trim().to_string(), factor: decimal_of(factor)? })
        })
        .collect()
}

/// Reads a product row (everything but its group, which is found or made when the batch is written).
pub fn product_row(ctx: &Context, row: &[String]) -> Result<ProductRow, Vec<FieldError>> {
    let (cells, mut errors) = ctx.cells(row);
    let mut fail = |field: &str, code| errors.push(FieldError { field: field.into(), code });
    let mut p = ProductInput::default();
    let mut group = Vec::new();
    let mut given = HashSet::new();
    for (target, cell) in cells {
        if cell.is_empty() {
            continue;
        }
        let text = || Some(cell.to_string());
        match target {
            "name" => p.name = cell.to_string(),
            "name_ru" => p.name_ru = text(),
            "name_en" => p.name_en = text(),
            "sku" => p.sku = text(),
            "barcode" => {
                p.barcodes = cell.split([',', ';', ' ']).filter(|b| !b.is_empty()).map(str::to_string).collect()
            }
            "kind" => match kind_of(cell) {
                Some(k) => p.kind = k,
                None => fail("kind", ErrCode::InvalidChoice),
            },
            "group" => group = groups::split_path(cell),
            "unit" => p.base_unit = text(),
            "units" => match units_of(cell) {
                Some(u) => p.units = u,
                None => fail("units", ErrCode::InvalidChoice),
            },
            "mxik" => p.mxik = Some(cell.replace(' ', "")),
            "package_code" => p.package_code = text(),
            "vat" => p.vat = Some(vat_of(cell)),
            "weight" => match decimal_of(cell) {
                Some(w) => p.weight_kg = Some(w),
                None => fail("weight", ErrCode::NotANumber),
            },
            t => match t.strip_prefix("custom.") {
                Some(key) => {
                    p.custom
                        .get_or_insert_default()
                        .insert(key.to_string(), serde_json::Value::String(cell.to_string()));
                }
                None => continue,
            },
        }
        if let Some(t) = ctx_target(target) {
            given.insert(t);
        }
    }
    match p.validate(&ctx.defs) {
        Ok(values) if errors.is_empty() => Ok(ProductRow { input: p, values, group, given }),
        Ok(_) => Err(errors),
        Err(e) => {
            let e = e.renamed(&[("barcodes", "barcode"), ("base_unit", "unit"), ("weight_kg", "weight")]);
            if let AppError::Validation { fields } = e {
                errors.extend(fields);
            }
            Err(errors)
        }
    }
}

/// The static name of a product target.
fn ctx_target(target: &str) -> Option<&'static str> {
    super::ImportKind::Products.targets().iter().find(|t| **t == target).copied()
}

/// Existing products a batch may duplicate, by lower-cased SKU, barcode and lower-cased name: their ids.
#[derive(Default)]
struct Existing {
    by_sku: HashMap<String, i64>,
    by_barcode: HashMap<String, i64>,
    by_name: HashMap<String, i64>,
}

impl Existing {
    /// One indexed select per way of naming a product.
    async fn load(db: &Db, rows: &[&ProductRow]) -> Result<Existing, AppError> {
        let skus: Vec<String> = rows.iter().filter_map(|r| r.values.sku.clone()).collect();
        let barcodes: Vec<String> = rows.iter().flat_map(|r| r.values.barcodes.iter().cloned()).collect();
        let names: Vec<String> = rows.iter().filter(|r| Self::by_name_only(r)).map(|r| r.values.sort_key()).collect();
        let mut ex = Existing::default();
        let lists = [
            // SQLite's lower() leaves Cyrillic alone: the index is on it, so the values go through it too.
            ("SELECT lower(sku), id FROM products WHERE lower(sku) IN", "lower", skus),
            ("SELECT barcode, product_id FROM product_barcodes WHERE barcode IN", "", barcodes),
            ("SELECT sort_key, id FROM products WHERE sort_key IN", "", names),
        ];
        for (i, (head, wrap, list)) in lists.into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let marks: Vec<String> = placeholders_after(0, list.len())
                .split(", ")
                .map(|m| if wrap.is_empty() { m.to_string() } else { format!("{wrap}({m})") })
                .collect();
            let sql = format!("{head} ({}) ORDER BY 2", marks.join(", "));
            let found: Vec<(String, i64)> = db_run!(db, p => {
                let mut q = sqlx::query_as(&sql);
                for v in &list {
                    q = q.bind(v);
                }
                q.fetch_all(p).await
            })?;
            let map = [&mut ex.by_sku, &mut ex.by_barcode, &mut ex.by_name];
            for (k, id) in found {
                let k = if i == 0 { k.to_lowercase() } else { k };
                map[i].entry(k).or_insert(id);
            }
        }
        Ok(ex)
    }

    /// A row with neither SKU nor barcode is known by its name.
    fn by_name_only(r: &ProductRow) -> bool {
        r.values.sku.is_none() && r.values.barcodes.is_empty()
    }

    fn find(&self, r: &ProductRow) -> Option<i64> {
        r.values
            .sku
            .as_ref()
            .and_then(|s| self.by_sku.get(&s.to_lowercase()))
            .or_else(|| r.values.barcodes.iter().find_map(|b| self.by_barcode.get(b)))
            .or_else(|| Self::by_name_only(r).then(|| self.by_name.get(&r.values.sort_key())).flatten())
            .copied()
    }
}

/// SKUs, barcodes and names met earlier in the file, and the group tree as the run has made it.
#[derive(Default)]
pub struct SeenProducts {
    skus: HashSet<String>,
    barcodes: HashSet<String>,
    names: HashSet<String>,
    tree: Option<Tree>,
}

impl SeenProducts {
    /// Whether the row's product was met before; remembers it.
    fn check(&mut self, r: &ProductRow) -> bool {
        let sku = r.values.sku.as_ref().map(|s| s.to_lowercase());
        let met = sku.as_ref().is_some_and(|s| self.skus.contains(s))
            || r.values.barcodes.iter().any(|b| self.barcodes.contains(b))
            || (Existing::by_name_only(r) && self.names.contains(&r.values.sort_key()));
        self.skus.extend(sku);
        self.barcodes.extend(r.values.barcodes.iter().cloned());
        if Existing::by_name_only(r) {
            self.names.insert(r.values.sort_key());
        }
        met
    }

    /// The id of the row's group, made if missing.
    async fn group(&mut self, db: &Db, path: &[String]) -> Result<Option<i64>, AppError> {
        if path.is_empty() {
            return Ok(None);
        }
        if self.tree.is_none() {
            self.tree = Some(Tree::load(db).await?);
        }
        let tree = self.tree.as_mut().ok_or(AppError::NotFound)?;
        groups::ensure_path(db, tree, path).await
    }
}

/// The preview's verdict on a product row: its errors, or the product it duplicates.
pub async fn preview_product(
    db: &Db,
    ctx: &Context,
    row: &[String],
) -> Result<(Vec<FieldError>, Option<String>), AppError> {
    let r = match product_row(ctx, row) {
        Err(errors) => return Ok((errors, None)),
        Ok(r) => r,
    };
    let dup = match Existing::load(db, &[&r]).await?.find(&r) {
        Some(id) => crate::stock::store::product(db, id).await.ok().map(|p| p.name),
        None => None,
    };
    Ok((Vec::new(), dup))
}

/// One batch of product rows: new products created in one transaction with failed rows and progress;
/// duplicates updated (each through the catalog's service) first if asked.
pub async fn products_batch(
    db: &Db,
    ctx: &Context,
    first_row: usize,
    rows: &[Vec<String>],
    seen: &mut SeenProducts,
) -> Result<(), AppError> {
    crate::stock::service::catalog_keeper(&ctx.user)?;
    let mut counts = BatchCounts { processed: rows.len() as i64, ..Default::default() };
    let mut failed = Vec::new();
    let mut valid = Vec::new();
    let mut raws = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let row_no = (first_row + i) as i64 + 2;
        let raw = serde_json::to_string(row).unwrap_or_default();
        match product_row(ctx, row) {
            Ok(r) => {
                raws.insert(row_no, raw);
                valid.push((row_no, r));
            }
            Err(errors) => failed.push(Failed::new(row_no, &errors, raw)),
        }
    }
    let existing = Existing::load(db, &valid.iter().map(|(_, r)| r).collect::<Vec<_>>()).await?;
    let mut create = Vec::new();
    let mut updates = Vec::new();
    for (row_no, mut r) in valid {
        let in_file = seen.check(&r);
        let dup = existing.find(&r);
        let update = dup.is_some() && ctx.on_duplicate == "update";
        if dup.is_some() && !update || dup.is_none() && in_file {
            counts.skipped += 1;
            continue;
        }
        // The row's group, found or made through the run's one tree (an update keeps the old one unless given).
        let group = match seen.group(db, &r.group).await {
            Ok(g) => g,
            Err(AppError::Validation { fields }) => {
                let raw = raws.remove(&row_no).unwrap_or_default();
                failed.push(Failed::new(row_no, &fields, raw));
                continue;
            }
            Err(e) => return Err(e),
        };
        match dup {
            Some(id) => {
                let group = r.given.contains("group").then_some(group);
                updates.push((row_no, (id, r, group)));
            }
            None => {
                r.values.group_id = group;
                create.push(r.values);
            }
        }
    }
    counts.created = create.len() as i64;
    counts.failed = failed.len() as i64;
    let later =
        apply_updates(db, ctx, &raws, updates, |(id, r, group): (i64, ProductRow, Option<Option<i64>>)| async move {
            let current = crate::stock::store::product(db, id).await?;
            let input = merged(current, r, group);
            crate::stock::service::update_product(db, &ctx.user, id, &input).await.map(|_| ())
        })
        .await?;
    counts.updated += later.updated;
    counts.failed += later.failed;
    let (now, user_id) = (now_millis(), ctx.user.id);
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        for v in &create {
            crate::stock::store::insert_product!(tx, user_id, v, now);
        }
        record_batch!(tx, (ctx.id, &ctx.runner), &failed, counts, now);
        tx.commit().await?;
        Ok::<(), AppError>(())
    })
}

/// A duplicate's new state: its own, with the row's given fields in place and the row's barcodes added.
fn merged(p: Product, r: ProductRow, group: Option<Option<i64>>) -> ProductInput {
    let given = |f: &str| r.given.contains(f);
    let mut barcodes = p.barcodes.clone();
    barcodes.extend(r.input.barcodes.iter().filter(|b| !p.barcodes.contains(b)).cloned());
    let pick = |f: &str, new: Option<String>, old: Option<String>| if given(f) { new } else { old };
    ProductInput {
        version: Some(p.version),
        kind: if given("kind") { r.input.kind } else { p.kind },
        name: r.input.name.clone(),
        name_ru: pick("name_ru", r.input.name_ru.clone(), p.name_ru),
        name_en: pick("name_en", r.input.name_en.clone(), p.name_en),
        sku: pick("sku", r.input.sku.clone(), p.sku),
        group_id: group.unwrap_or(p.group_id),
        base_unit: Some(pick("unit", r.input.base_unit.clone(), Some(p.base_unit)).unwrap_or_default()),
        units: if given("units") { r.input.units.clone() } else { p.units },
        barcodes,
        mxik: pick("mxik", r.input.mxik.clone(), p.mxik),
        package_code: pick("package_code", r.input.package_code.clone(), p.package_code),
        vat: Some(if given("vat") { r.input.vat.clone().unwrap_or_default() } else { p.vat }),
        weight_kg: if given("weight") { r.input.weight_kg } else { p.weight_kg },
        // Only the row's filled custom columns: the others keep their values.
        custom: r.input.custom.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_cells_read_as_the_catalog_means_them() {
        assert_eq!(vat_of("12 %"), "12");
        assert_eq!(vat_of("12,0"), "12");
        assert_eq!(vat_of("Без НДС"), "exempt");
        assert_eq!(vat_of("0%"), "0");
        assert_eq!(kind_of("Услуга"), Some(ProductKind::Service));
        assert_eq!(kind_of("tovar"), Some(ProductKind::Goods));
        assert_eq!(kind_of("goods"), Some(ProductKind::Goods));
        assert_eq!(kind_of("box"), None);
        assert_eq!(decimal_of("1 234,5"), Some(Decimal::new(12345, 1)));
        let u = units_of("box=12; pack 6").unwrap();
        assert_eq!((u[0].unit.as_str(), u[0].factor), ("box", Decimal::new(12, 0)));
        assert_eq!((u[1].unit.as_str(), u[1].factor), ("pack", Decimal::new(6, 0)));
        assert!(units_of("box=twelve").is_none());
    }
}

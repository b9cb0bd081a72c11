//! `karvon seed-demo --movements N`: a stocked company for the warehouse benchmarks and demos: products,
//! warehouses, and a history of posted receipts and shipments (100 lines each) over the last 400 days whose
//! ledger, balances and day totals agree exactly, valued by the same moving-average rules as a real posting.
//! Ids are given by the seeder and rows go in many to a statement, so five million movements take minutes.

use std::collections::HashMap;

use chrono::Datelike;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use app::core::AppError;
use app::core::db::{BeginWrite, Db, Rows, V};
use app::db_run;

use crate::seed::next_id;
use app::stock::{DocKind, Stock, line_value};

const GOODS: &[&str] = &[
    "Stul", "Stol", "Shkaf", "Divan", "Kreslo", "Javon", "Karavot", "Tokcha", "Ko'zgu", "Gilam", "Parda", "Chiroq",
    "Sement", "G'isht", "Bo'yoq", "Shifer", "Quvur", "Kabel", "Mix", "Vint", "Choy", "Guruch", "Un", "Shakar", "Yog'",
    "Sovun", "Qog'oz", "Daftar", "Ruchka", "Printer",
];
const SORTS: &[&str] = &["standart", "premium", "ekonom", "lyuks", "mini", "maxi", "eksport", "klassik"];
const PLACES: &[&str] = &[
    "Toshkent",
    "Samarqand",
    "Buxoro",
    "Farg'ona",
    "Namangan",
    "Andijon",
    "Xorazm",
    "Navoiy",
    "Qarshi",
    "Termiz",
    "Jizzax",
    "Guliston",
    "Nukus",
    "Chirchiq",
    "Olmaliq",
    "Angren",
    "Marg'ilon",
    "Qo'qon",
    "Denov",
    "Zarafshon",
];
const LINES: usize = 100;
const DAY: i64 = 86_400_000;

/// What was seeded.
#[derive(Debug, Clone, Copy)]
pub struct Seeded {
    pub products: usize,
    pub warehouses: usize,
    pub documents: usize,
    pub movements: usize,
}

/// Seeds `products` products, `warehouses` warehouses and about `movements` posted movements (receipts
/// first, then two shipments to each receipt), made by user `by`.
pub async fn seed_stock(
    db: &Db,
    products: usize,
    warehouses: usize,
    movements: usize,
    by: i64,
    seed: u64,
) -> Result<Seeded, AppError> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x570c);
    let now = app::core::now_millis();
    let zone = app::core::zone::company();
    let first_product = next_id(db, "products").await?;
    let first_warehouse = next_id(db, "warehouses").await?;
    let (mut doc_id, mut line_id, mut move_id) = (
        next_id(db, "stock_documents").await?,
        next_id(db, "stock_document_lines").await?,
        next_id(db, "stock_movements").await?,
    );

    // The catalog and the warehouses.
    let mut done = 0;
    while done < products {
        let n = (products - done).min(5_000);
        let mut p = Rows::new(
            db,
            "INSERT INTO products (id, kind, name, sku, base_unit, sort_key, search_text, \
            created_at, updated_at, version)",
            10,
        );
        let mut b = Rows::new(db, "INSERT INTO product_barcodes (barcode, product_id)", 2);
        for i in done..done + n {
            let id = first_product + i as i64;
            let name = format!("{} {} {}", GOODS[i % GOODS.len()], SORTS[(i / GOODS.len()) % SORTS.len()], i + 1);
            let sku = format!("P-{id:07}");
            let search = format!("{} {}", name.to_lowercase(), sku.to_lowercase());
            p.push([
                V::I(id),
                V::S("goods".into()),
                V::S(name.clone()),
                V::S(sku),
                V::S("pcs".into()),
                V::S(name.to_lowercase()),
                V::S(search),
                V::I(now - 500 * DAY),
                V::I(now - 500 * DAY),
                V::I(1),
            ]);
            b.push([V::S(format!("478{id:010}")), V::I(id)]);
        }
        db_run!(db, pool => {
            let mut tx = pool.begin_write().await?;
            app::insert_rows!(tx, p);
            app::insert_rows!(tx, b);
            tx.commit().await
        })?;
        done += n;
    }
    let mut w = Rows::new(db, "INSERT INTO warehouses (id, name, created_at, updated_at)", 4);
    for i in 0..warehouses {
        let name = format!("{} ombori {}", PLACES[i % PLACES.len()], first_warehouse + i as i64);
        w.push([V::I(first_warehouse + i as i64), V::S(name), V::I(now - 500 * DAY), V::I(now - 500 * DAY)]);
    }
    db_run!(db, pool => {
        let mut tx = pool.begin_write().await?;
        app::insert_rows!(tx, w);
        tx.commit().await
    })?;

    // The history, in time order, posted by the same rules as a real posting.
    let documents = movements.div_ceil(LINES).max(1);
    let span = 400 * DAY;
    let mut stock: HashMap<(i64, i64), Stock> = HashMap::new();
    let mut last: HashMap<(i64, i64), (Option<i64>, Option<i64>)> = HashMap::new();
    let mut stocked: Vec<Vec<i64>> = vec![Vec::new(); warehouses];
    let mut daily: HashMap<(i64, i64), i64> = HashMap::new();
    let mut numbers: HashMap<(&'static str, i32), i64> = HashMap::new();
    let (mut made, mut moved) = (0, 0);
    while made < documents {
        let batch = (documents - made).min(500);
        let mut d = Rows::new(
            db,
            "INSERT INTO stock_documents (id, kind, year, seq, number, status, warehouse_id, doc_at, \
            created_by, created_at, updated_at, version, posted_at, posted_by)",
            14,
        );
        let mut l = Rows::new(
            db,
            "INSERT INTO stock_document_lines (id, document_id, line_no, product_id, unit, \
            factor_milli, qty_milli, base_milli, unit_cost_minor)",
            9,
        );
        let mut m = Rows::new(
            db,
            "INSERT INTO stock_movements (id, product_id, warehouse_id, qty_milli, value_minor, \
            document_id, line_id, at, posted_at)",
            9,
        );
        for k in made..made + batch {
            let at = now - span + span * k as i64 / documents as i64;
            let wi = rng.gen_range(0..warehouses);
            let wh = first_warehouse + wi as i64;
            // A fifth of the history builds stock up; then one receipt to two shipments.
            let kind = if k < documents / 5 || k % 3 == 0 || stocked[wi].len() < LINES {
                DocKind::Receipt
            } else {
                DocKind::Shipment
            };
            let mut lines: Vec<(i64, i64, Option<i64>)> = Vec::with_capacity(LINES);
            if kind == DocKind::Receipt {
                while lines.len() < LINES {
                    let p = first_product + rng.gen_range(0..products) as i64;
                    if lines.iter().all(|x| x.0 != p) {
                        let cost = rng.gen_range(10..5_000) * 10_000;
                        lines.push((p, rng.gen_range(10..200) * 1000, Some(cost)));
                    }
                }
            } else {
                let mut tries = 0;
                while lines.len() < LINES && tries < LINES * 4 && !stocked[wi].is_empty() {
                    tries += 1;
                    let at_i = rng.gen_range(0..stocked[wi].len());
                    let p = stocked[wi][at_i];
                    let have = stock.get(&(wh, p)).map_or(0, |s| s.on_hand_milli);
                    if have <= 0 {
                        stocked[wi].swap_remove(at_i);
                        continue;
                    }
                    if lines.iter().all(|x| x.0 != p) {
                        lines.push((p, (rng.gen_range(1..30) * 1000).min(have), None));
                    }
                }
            }
            let year = chrono::DateTime::from_timestamp_millis(at).map_or(2026, |t| t.year());
            let seq = numbers.entry((kind.as_str(), year)).or_insert(0);
            *seq += 1;
            d.push([
                V::I(doc_id),
                V::S(kind.as_str().into()),
                V::I(year.into()),
                V::I(*seq),
                V::S(kind.number(year, *seq)),
                V::S("posted".into()),
                V::I(wh),
                V::I(at),
                V::I(by),
                V::I(at),
                V::I(at),
                V::I(2),
                V::I(at),
                V::I(by),
            ]);
            let day = app::core::format::day_start_in(&zone, at);
            for (n, (p, qty, cost)) in lines.into_iter().enumerate() {
                let s = stock.entry((wh, p)).or_default();
                let value = match cost {
                    Some(c) => {
                        let v = line_value(qty, c);
                        if s.on_hand_milli <= 0 {
                            stocked[wi].push(p);
                        }
                        *s = s.receive(qty, v);
                        last.entry((wh, p)).or_default().0 = Some(at);
                        v
                    }
                    None => {
                        let v = s.outgoing_value(qty);
                        *s = s.issue(qty, v);
                        last.entry((wh, p)).or_default().1 = Some(at);
                        -v
                    }
                };
                let signed = if cost.is_some() { qty } else { -qty };
                l.push([
                    V::I(line_id),
                    V::I(doc_id),
                    V::I(n as i64 + 1),
                    V::I(p),
                    V::S("pcs".into()),
                    V::I(1000),
                    V::I(qty),
                    V::I(qty),
                    cost.into(),
                ]);
                m.push([
                    V::I(move_id),
                    V::I(p),
                    V::I(wh),
                    V::I(signed),
                    V::I(value),
                    V::I(doc_id),
                    V::I(line_id),
                    V::I(at),
                    V::I(at),
                ]);
                *daily.entry((wh, day)).or_default() += value;
                line_id += 1;
                move_id += 1;
                moved += 1;
            }
            doc_id += 1;
        }
        db_run!(db, pool => {
            let mut tx = pool.begin_write().await?;
            app::insert_rows!(tx, d);
            app::insert_rows!(tx, l);
            app::insert_rows!(tx, m);
            tx.commit().await
        })?;
        made += batch;
    }

    // Balances, day totals and the numbering, as the postings would have left them.
    let entries: Vec<((i64, i64), Stock)> = stock.into_iter().collect();
    for chunk in entries.chunks(20_000) {
        let mut b = Rows::new(
            db,
            "INSERT INTO stock_balances (warehouse_id, product_id, on_hand_milli, value_minor, \
            avg_cost_minor, min_milli, reorder_milli, last_in_at, last_out_at, updated_at)",
            10,
        );
        for ((wh, p), s) in chunk {
            let (last_in, last_out) = last.get(&(*wh, *p)).copied().unwrap_or_default();
            // Every twentieth item has a minimum (some of them are below it).
            let min = (p % 20 == 0).then_some(50_000);
            b.push([
                V::I(*wh),
                V::I(*p),
                V::I(s.on_hand_milli),
                V::I(s.value_minor),
                V::I(s.avg_cost_minor),
                min.into(),
                min.map(|m| m * 2).into(),
                last_in.into(),
                last_out.into(),
                V::I(now),
            ]);
        }
        db_run!(db, pool => {
            let mut tx = pool.begin_write().await?;
            app::insert_rows!(tx, b);
            tx.commit().await
        })?;
    }
    let mut dd = Rows::new(db, "INSERT INTO stock_daily (warehouse_id, day, value_minor)", 3);
    for ((wh, day), v) in &daily {
        dd.push([V::I(*wh), V::I(*day), V::I(*v)]);
    }
    let mut nn = Rows::new(db, "INSERT INTO stock_numbers (kind, year, last)", 3)
        .tail(" ON CONFLICT (kind, year) DO UPDATE SET last = excluded.last");
    for ((kind, year), last) in &numbers {
        nn.push([V::S((*kind).into()), V::I((*year).into()), V::I(*last)]);
    }
    db_run!(db, pool => {
        let mut tx = pool.begin_write().await?;
        app::insert_rows!(tx, dd);
        app::insert_rows!(tx, nn);
        tx.commit().await
    })?;
    if db.is_postgres() {
        for table in ["products", "warehouses", "stock_documents", "stock_document_lines", "stock_movements"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            );
            db_run!(db, p => sqlx::query(&sql).execute(p).await.map(|_| ()))?;
        }
    }
    // A storekeeper for the first two warehouses (demo-ombor@karvon.uz, password demo-password).
    let hash = app::auth::store::hash_password_async("demo-password".into()).await?;
    let keeper = app::auth::store::NewUserRow {
        email: "demo-ombor@karvon.uz",
        name: "Omborchi Demo",
        password_hash: &hash,
        role: app::core::identity::Role::Storekeeper,
        team_id: None,
    };
    if let Ok(id) = app::auth::store::create_user(db, keeper).await {
        for wh in first_warehouse..first_warehouse + (warehouses as i64).min(2) {
            db_run!(db, p => sqlx::query("INSERT INTO warehouse_keepers (warehouse_id, user_id) VALUES ($1, $2)")
                .bind(wh).bind(id).execute(p).await.map(|_| ()))?;
        }
    }
    db_run!(db, p => sqlx::query("ANALYZE").execute(p).await.map(|_| ()))?;
    Ok(Seeded { products, warehouses, documents, movements: moved })
}

//! Three years of a company's sales money for the payment benchmarks: invoices of three lines each over the
//! customers already there, spread evenly over the last three years and due ten days after; most paid (one
//! payment, some in two parts) a few days after they fall due, recent ones often still open, a few old ones
//! overdue; payments out to suppliers besides. Ledger rows agree exactly: every invoice's `paid_minor` is
//! the sum of its allocations, every payment is allocated in full. Ids are given by the seeder and rows go in
//! many to a statement, so a million invoices take minutes.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use app::core::AppError;
use app::core::db::{BeginWrite, Db, Rows, V};
use app::db_run;

use crate::seed::next_id;
use app::orders::line_amounts;

const YEARS_DAYS: i64 = 3 * 365;

/// What was seeded.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeededMoney {
    pub invoices: usize,
    pub lines: usize,
    pub payments: usize,
    pub allocations: usize,
    /// The company's accounts: three UZS bank accounts and a cash desk.
    pub first_account: i64,
}

/// Seeds about `invoices` invoices (three lines each, of the `products` given, priced 10,000 to 500,000 UZS
/// with 12 % VAT) over the customers there are, their payments and allocations, four money accounts and
/// payments out, made by user `by`.
pub async fn seed_money(
    db: &Db,
    invoices: usize,
    products: &[i64],
    by: i64,
    seed: u64,
) -> Result<SeededMoney, AppError> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_0017);
    let now = app::core::now_millis();
    let today = NaiveDate::parse_from_str(&app::core::format::date_input(now), "%Y-%m-%d").unwrap_or_default();
    let customers: Vec<(i64, i64, Option<i64>)> = db_run!(db, p => sqlx::query_as(
        "SELECT c.id, c.manager_id, (SELECT MIN(o.counterparty_id) FROM counterparty_owners o \
         WHERE o.customer_id = c.id AND o.valid_to IS NULL) FROM customers c ORDER BY c.id")
        .fetch_all(p).await)?;
    if customers.is_empty() || products.is_empty() {
        return Err(AppError::NotFound);
    }
    let first_account = next_id(db, "money_accounts").await?;
    let mut a = Rows::new(
        db,
        "INSERT INTO money_accounts (id, name, kind, currency, bank_code, account_no, created_at, updated_at)",
        8,
    );
    for (k, (name, kind)) in
        [("Kapitalbank", "bank"), ("Ipoteka bank", "bank"), ("Hamkorbank", "bank"), ("Kassa", "cash")]
            .into_iter()
            .enumerate()
    {
        let bank = kind == "bank";
        a.push([
            V::I(first_account + k as i64),
            V::S(format!("{name} {first_account}")),
            V::S(kind.into()),
            V::S("UZS".into()),
            if bank { V::S(format!("0044{k}")) } else { V::NS },
            if bank { V::S(format!("2020800090012345600{k}")) } else { V::NS },
            V::I(now),
            V::I(now),
        ]);
    }
    db_run!(db, pool => {
        let mut tx = pool.begin_write().await?;
        app::insert_rows!(tx, a);
        tx.commit().await
    })?;

    let (mut invoice_id, mut line_id, mut payment_id) =
        (next_id(db, "invoices").await?, next_id(db, "invoice_lines").await?, next_id(db, "payments").await?);
    let mut numbers: HashMap<i32, i64> = HashMap::new();
    let mut out = SeededMoney { first_account, ..Default::default() };
    let start = today - chrono::Duration::days(YEARS_DAYS);
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let mut done = 0;
    while done < invoices {
        let batch = (invoices - done).min(2_000);
        let mut inv = Rows::new(
            db,
            "INSERT INTO invoices (id, kind, year, seq, number, status, customer_id, counterparty_id, manager_id, \
             currency, rate_micro, invoice_date, due_date, net_minor, vat_minor, total_minor, paid_minor, \
             created_by, created_at, updated_at, version)",
            21,
        );
        let mut lines = Rows::new(
            db,
            "INSERT INTO invoice_lines (id, invoice_id, line_no, product_id, unit, factor_milli, qty_milli, \
             base_milli, price_minor, discount_bp, vat_bp, net_minor, vat_minor, total_minor)",
            14,
        );
        let mut pays = Rows::new(
            db,
            "INSERT INTO payments (id, direction, method, account_id, customer_id, counterparty_id, party, currency, \
             rate_micro, pay_date, amount_minor, allocated_minor, doc_no, purpose, created_by, created_at)",
            16,
        );
        let mut allocs = Rows::new(
            db,
            "INSERT INTO payment_allocations (payment_id, invoice_id, amount_minor, created_by, created_at)",
            5,
        );
        for k in done..done + batch {
            let date = start + chrono::Duration::days(YEARS_DAYS * k as i64 / invoices as i64);
            let due = date + chrono::Duration::days(10);
            let (customer, manager, counterparty) = customers[rng.gen_range(0..customers.len())];
            let seq = numbers.entry(date.year()).or_insert(0);
            *seq += 1;
            let number = app::invoices::invoice_number("SF", date.year(), *seq);
            let (mut net, mut vat, mut total) = (0, 0, 0);
            for n in 1..=3 {
                let qty = rng.gen_range(1..20) * 1000;
                let price = rng.gen_range(10..500) * 100_000;
                let (ln, lv, lt) = line_amounts(qty, price, 0, Some(1200));
                lines.push([
                    V::I(line_id),
                    V::I(invoice_id),
                    V::I(n),
                    V::I(products[rng.gen_range(0..products.len())]),
                    V::S("pcs".into()),
                    V::I(1000),
                    V::I(qty),
                    V::I(qty),
                    V::I(price),
                    V::I(0),
                    V::I(1200),
                    V::I(ln),
                    V::I(lv),
                    V::I(lt),
                ]);
                line_id += 1;
                (net, vat, total) = (net + ln, vat + lv, total + lt);
            }
            out.lines += 3;
            // Recent invoices are often still open; a few old ones never paid; some paid in two parts.
            let age = (today - date).num_days();
            let roll: f64 = rng.r#gen();
            let parts: Vec<i64> = if (age < 45 && roll < 0.5) || roll < 0.03 {
                Vec::new()
            } else if roll < 0.15 {
                let first = total * rng.gen_range(30..70) / 100;
                vec![first, total - first]
            } else {
                vec![total]
            };
            let paid: i64 = parts.iter().sum();
            for (i, amount) in parts.iter().enumerate() {
                let on = (due + chrono::Duration::days(rng.gen_range(-8..20) + 10 * i as i64)).min(today).max(date);
                let account = first_account + rng.gen_range(0..4);
                pays.push([
                    V::I(payment_id),
                    V::S("in".into()),
                    V::S(if account == first_account + 3 { "cash" } else { "bank" }.into()),
                    V::I(account),
                    V::I(customer),
                    counterparty.into(),
                    V::NS,
                    V::S("UZS".into()),
                    V::I(1_000_000),
                    V::S(day(on)),
                    V::I(*amount),
                    V::I(*amount),
                    V::S(format!("PP-{payment_id}")),
                    V::S(format!("{number} bo'yicha to'lov")),
                    V::I(by),
                    V::I(now),
                ]);
                allocs.push([V::I(payment_id), V::I(invoice_id), V::I(*amount), V::I(by), V::I(now)]);
                payment_id += 1;
                out.payments += 1;
                out.allocations += 1;
            }
            // A payment out to a supplier for every fifth invoice.
            if k % 5 == 0 {
                pays.push([
                    V::I(payment_id),
                    V::S("out".into()),
                    V::S("bank".into()),
                    V::I(first_account + rng.gen_range(0..3)),
                    V::NI,
                    V::NI,
                    V::S(format!("Ta'minotchi {}", rng.gen_range(1..200))),
                    V::S("UZS".into()),
                    V::I(1_000_000),
                    V::S(day(date)),
                    V::I(total * rng.gen_range(2..4)),
                    V::I(0),
                    V::S(format!("PP-{payment_id}")),
                    V::S("Tovar uchun".into()),
                    V::I(by),
                    V::I(now),
                ]);
                payment_id += 1;
                out.payments += 1;
            }
            inv.push([
                V::I(invoice_id),
                V::S("invoice".into()),
                V::I(date.year().into()),
                V::I(*seq),
                V::S(number),
                V::S("issued".into()),
                V::I(customer),
                counterparty.into(),
                V::I(manager),
                V::S("UZS".into()),
                V::I(1_000_000),
                V::S(day(date)),
                V::S(day(due)),
                V::I(net),
                V::I(vat),
                V::I(total),
                V::I(paid),
                V::I(by),
                V::I(now),
                V::I(now),
                V::I(1),
            ]);
            invoice_id += 1;
            out.invoices += 1;
        }
        db_run!(db, pool => {
            let mut tx = pool.begin_write().await?;
            app::insert_rows!(tx, inv);
            app::insert_rows!(tx, lines);
            app::insert_rows!(tx, pays);
            app::insert_rows!(tx, allocs);
            tx.commit().await
        })?;
        done += batch;
    }
    let mut nn = Rows::new(db, "INSERT INTO stock_numbers (kind, year, last)", 3)
        .tail(" ON CONFLICT (kind, year) DO UPDATE SET last = excluded.last");
    for (year, last) in &numbers {
        nn.push([V::S("invoice".into()), V::I((*year).into()), V::I(*last)]);
    }
    db_run!(db, pool => {
        let mut tx = pool.begin_write().await?;
        app::insert_rows!(tx, nn);
        tx.commit().await
    })?;
    if db.is_postgres() {
        for table in ["money_accounts", "invoices", "invoice_lines", "payments"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            );
            db_run!(db, p => sqlx::query(&sql).execute(p).await.map(|_| ()))?;
        }
    }
    db_run!(db, p => sqlx::query("ANALYZE").execute(p).await.map(|_| ()))?;
    Ok(out)
}

//! Payment benchmarks on SQLite and (when `TEST_POSTGRES_URL` is set) PostgreSQL, through the real router
//! in-process (HTTP parsing, sign-in, JSON and page rendering included; no sockets): 100,000 customers with
//! their counterparties, 1,000,000 invoices of three lines and about 1,200,000 payments over three years
//! (`--customers N`, `--invoices N` to change it), then: receivables with aging for all customers, one
//! customer's money (the REST answer and the card page), a 50-line order posted and confirmed with its
//! reservation, payment dynamics for three years by account, and a 10,000-line bank statement imported with
//! matching. Prints a table.

use std::time::{Duration, Instant};

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::benchkit::pct;
use tests::{Backend, TestApp};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

struct Row {
    backend: &'static str,
    seeded: server::seed_money::SeededMoney,
    seed_s: f64,
    receivables: (f64, f64),
    money: (f64, f64),
    card: (f64, f64),
    order: (f64, f64),
    dynamics: (f64, f64),
    statement: (usize, i64, f64),
}

async fn measure(backend: Backend, name: &'static str, customers: u64, invoices: usize) -> Row {
    let app = TestApp::new(backend).await.expect("database");
    let (admin_id, admin) = app.user_token("bench-admin@karvon.uz", Role::Admin, None).await;
    let t = Instant::now();
    server::seed::seed_customers(&app.db, customers, 7).await.expect("customers");
    server::seed_stock::seed_stock(&app.db, 2_000, 2, 40_000, admin_id, 7).await.expect("stock");
    let products: Vec<i64> = app::db_run!(&app.db, p => sqlx::query_scalar("SELECT id FROM products ORDER BY id")
        .fetch_all(p).await)
    .expect("products");
    let seeded = server::seed_money::seed_money(&app.db, invoices, &products, admin_id, 7).await.expect("money");
    let seed_s = t.elapsed().as_secs_f64();
    eprintln!("{name}: seeded {seeded:?} in {seed_s:.0} s");
    let sample: Vec<i64> = app::db_run!(&app.db, p => sqlx::query_scalar(
        "SELECT DISTINCT customer_id FROM invoices WHERE id % 997 = 0 ORDER BY customer_id LIMIT 200")
        .fetch_all(p).await)
    .expect("sample");

    // Receivables with aging for all customers: the first page (largest debts) and the totals.
    let mut rec = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let r = app.get_json(&admin, "/api/v1/receivables?limit=50").await;
        rec.push(ms(t));
        assert!(r["rows"].as_array().is_some_and(|a| !a.is_empty()), "{r}");
    }

    // One customer's money: the REST answer, and the card page (server-rendered) it is a panel of.
    let cookie = app.login("bench-admin@karvon.uz").await;
    let (mut money, mut card) = (Vec::new(), Vec::new());
    for c in &sample {
        let t = Instant::now();
        let r = app.api("GET", &format!("/api/v1/receivables/{c}"), Some(&admin), None).await;
        money.push(ms(t));
        assert_eq!(r.status, 200, "{}", r.body);
        let t = Instant::now();
        let r = app.browser("GET", &format!("/customers/{c}"), Some(&cookie), None, "/").await;
        card.push(ms(t));
        assert_eq!(r.status, 200);
    }

    // A 50-line order posted and confirmed (reserving its goods), from the stocked items of a warehouse.
    let warehouse: i64 = app::db_run!(&app.db, p => sqlx::query_scalar("SELECT MIN(id) FROM warehouses")
        .fetch_one(p).await)
    .expect("warehouse");
    let stocked: Vec<i64> = app::db_run!(&app.db, p => sqlx::query_scalar(
        "SELECT product_id FROM stock_balances WHERE warehouse_id = $1 AND on_hand_milli >= 20000 \
         ORDER BY product_id LIMIT 400").bind(warehouse).fetch_all(p).await)
    .expect("stocked");
    assert!(stocked.len() >= 50, "{} stocked items", stocked.len());
    let list =
        app.api("POST", "/api/v1/price-lists", Some(&admin), Some(json!({"name": "Bench", "is_default": true}))).await;
    let list = list.json()["id"].as_i64().expect("price list");
    let items: Vec<Value> =
        stocked.iter().map(|p| json!({"product_id": p, "valid_from": "2020-01-01", "price": "125000"})).collect();
    let r = app
        .api("POST", &format!("/api/v1/price-lists/{list}/prices"), Some(&admin), Some(json!({"items": items})))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let mut order = Vec::new();
    for i in 0..60 {
        let lines: Vec<Value> =
            (0..50).map(|k| json!({"product_id": stocked[(i * 7 + k) % stocked.len()], "qty": "1"})).collect();
        let customer = sample[i % sample.len()];
        let t = Instant::now();
        let r = app
            .api("POST", "/api/v1/orders", Some(&admin), Some(json!({"customer_id": customer, "lines": lines})))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let o = r.json();
        let r = app
            .api(
                "POST",
                &format!("/api/v1/orders/{}/confirm", o["id"]),
                Some(&admin),
                Some(json!({"version": o["version"], "warehouse_id": warehouse})),
            )
            .await;
        order.push(ms(t));
        assert_eq!(r.status, 200, "{}", r.body);
    }

    // Payment dynamics for three years, by month, all accounts and one.
    let to = app::core::format::date_input(app::core::now_millis());
    let from = app::core::format::date_input(app::core::now_millis() - 3 * 365 * 86_400_000);
    let mut dynamics = Vec::new();
    for i in 0..10 {
        let account = if i % 2 == 0 { String::new() } else { format!("&account_id={}", seeded.first_account) };
        let t = Instant::now();
        let r = app
            .api(
                "GET",
                &format!("/api/v1/payments/dynamics?period=month&from={from}&to={to}{account}"),
                Some(&admin),
                None,
            )
            .await;
        dynamics.push(ms(t));
        assert_eq!(r.status, 200, "{}", r.body);
    }

    // A 10,000-line statement: each line pays an open invoice it names, found by its number.
    let open: Vec<(String, i64)> = app::db_run!(&app.db, p => sqlx::query_as(
        "SELECT number, total_minor - paid_minor - credited_minor FROM invoices WHERE status = 'issued' \
         AND kind = 'invoice' AND paid_minor + credited_minor < total_minor ORDER BY id LIMIT 10000")
        .fetch_all(p).await)
    .expect("open invoices");
    let mut csv = String::from("Дата;№ док.;ИНН плательщика;Назначение платежа;Кредит\n");
    for (k, (number, minor)) in open.iter().enumerate() {
        csv.push_str(&format!("{to};B-{k};;Оплата по счёту {number};{}\n", rust_decimal::Decimal::new(*minor, 2)));
    }
    let t = Instant::now();
    let req = http::Request::post(format!(
        "/api/v1/imports?file_name=vypiska.csv&kind=payments&account_id={}",
        seeded.first_account
    ))
    .header("authorization", format!("Bearer {admin}"))
    .body(axum::body::Body::from(csv))
    .unwrap();
    let up = app.send(req).await;
    assert_eq!(up.status, 201, "{}", up.body);
    let id = up.json()["id"].as_i64().unwrap();
    let r = app.api("POST", &format!("/api/v1/imports/{id}/start"), Some(&admin), None).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let mut status = json!(null);
    while t.elapsed() < Duration::from_secs(600) {
        status = app.get_json(&admin, &format!("/api/v1/imports/{id}")).await;
        if status["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let statement_ms = ms(t);
    assert_eq!(status["status"], "done", "{status}");
    Row {
        backend: name,
        seeded,
        seed_s,
        receivables: pct(rec),
        money: pct(money),
        card: pct(card),
        order: pct(order),
        dynamics: pct(dynamics),
        statement: (open.len(), status["created"].as_i64().unwrap_or(0), statement_ms),
    }
}

#[tokio::main]
async fn main() {
    let customers = tests::benchkit::arg("--customers", 100_000);
    let invoices = tests::benchkit::arg("--invoices", 1_000_000) as usize;
    let mut rows = vec![measure(Backend::Sqlite, "SQLite", customers, invoices).await];
    if tests::postgres_url().is_some() {
        rows.push(measure(Backend::Postgres, "PostgreSQL", customers, invoices).await);
    }
    println!("\n{customers} customers; milliseconds, p50 / p99\n");
    println!("| | {} | target |", rows.iter().map(|r| r.backend).collect::<Vec<_>>().join(" | "));
    println!("|---|{}---|", "---|".repeat(rows.len()));
    let line = |label: &str, target: &str, f: &dyn Fn(&Row) -> String| {
        println!("| {label} | {} | {target} |", rows.iter().map(f).collect::<Vec<_>>().join(" | "));
    };
    let pp = |(a, b): (f64, f64)| format!("{a:.1} / {b:.1}");
    line("invoices / lines / payments seeded", "1M / 3M / 1.2M", &|r| {
        format!("{} / {} / {}", r.seeded.invoices, r.seeded.lines, r.seeded.payments)
    });
    line("seeding (with customers and stock), s", "", &|r| format!("{:.0}", r.seed_s));
    line("receivables with aging, all customers (first page and totals)", "< 1,000", &|r| pp(r.receivables));
    line("one customer's money (REST)", "p99 < 30", &|r| pp(r.money));
    line("the customer's card page (SSR, with the money panel)", "", &|r| pp(r.card));
    line("a 50-line order posted and confirmed with reservation", "p99 < 50", &|r| pp(r.order));
    line("payment dynamics, 3 years by month (all accounts / one)", "< 500", &|r| pp(r.dynamics));
    line("bank statement: lines / posted, ms", "< 10,000", &|r| {
        format!("{} / {}, {:.0}", r.statement.0, r.statement.1, r.statement.2)
    });
}

//! Stock benchmarks on SQLite and (when `TEST_POSTGRES_URL` is set) PostgreSQL, through the real router
//! in-process (HTTP parsing, sign-in, JSON and page rendering included; no sockets): a company seeded with
//! 50,000 products, 20 warehouses and 5,000,000 posted movements (`--movements N` to change it), then
//! posting 100-line shipments one at a time and 32 at once, the dashboard page, a warehouse's stock a year
//! back, a 5,000-line inventory count, and how long a posting takes to reach an open dashboard. Prints a
//! table.

use std::time::{Duration, Instant};

use app::core::identity::Role;
use futures_util::StreamExt;
use serde_json::{Value, json};
use tests::benchkit::pct;
use tests::{Backend, TestApp};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

struct Row {
    backend: &'static str,
    movements: usize,
    seed_s: f64,
    post: (f64, f64),
    burst: (usize, usize, usize, f64),
    dashboard: (f64, f64),
    dashboard_all: (f64, f64),
    year_back: (f64, f64),
    inventory_ms: f64,
    reach: (f64, f64),
}

/// `(product, on hand in thousandths)` of items of a warehouse with at least `at_least` thousandths.
async fn stocked(app: &TestApp, warehouse: i64, at_least: i64, n: i64) -> Vec<(i64, i64)> {
    app::db_run!(&app.db, p => sqlx::query_as(
        "SELECT product_id, on_hand_milli FROM stock_balances WHERE warehouse_id = $1 AND on_hand_milli >= $2 \
         ORDER BY product_id LIMIT $3").bind(warehouse).bind(at_least).bind(n).fetch_all(p).await)
    .expect("stocked")
}

fn shipment(warehouse: i64, products: &[(i64, i64)], from: usize) -> Value {
    let lines: Vec<Value> =
        (0..100).map(|i| json!({"product_id": products[(from + i * 7) % products.len()].0, "qty": "1"})).collect();
    json!({"kind": "shipment", "warehouse_id": warehouse, "post": true, "lines": lines})
}

async fn measure(backend: Backend, name: &'static str, movements: usize) -> Row {
    let app = TestApp::new(backend).await.expect("database");
    let relay = tokio::spawn(app::core::events::relay(app.db.clone()));
    let (admin_id, admin) = app.user_token("bench-admin@karvon.uz", Role::Admin, None).await;
    let t = Instant::now();
    let seeded = server::seed_stock::seed_stock(&app.db, 50_000, 20, movements, admin_id, 7).await.expect("seed");
    let seed_s = t.elapsed().as_secs_f64();
    let warehouses: Vec<i64> = app::db_run!(&app.db, p => sqlx::query_scalar("SELECT id FROM warehouses ORDER BY id")
        .fetch_all(p).await)
    .expect("warehouses");
    let w = warehouses[0];
    let pool = stocked(&app, w, 100_000, 2_000).await;
    assert!(pool.len() >= 200, "warehouse {w} holds {} well-stocked items", pool.len());

    // One 100-line shipment at a time.
    let mut times = Vec::new();
    for i in 0..60 {
        let t = Instant::now();
        let r = app.api("POST", "/api/v1/stock-documents", Some(&admin), Some(shipment(w, &pool, i * 13))).await;
        times.push(ms(t));
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let post = pct(times);

    // 32 at once, on the same items of another warehouse, some of which run out.
    let w2 = warehouses[1];
    let pool2 = stocked(&app, w2, 100_000, 300).await;
    let t = Instant::now();
    let calls =
        (0..32).map(|i| app.api("POST", "/api/v1/stock-documents", Some(&admin), Some(shipment(w2, &pool2, i))));
    let answers = futures_util::future::join_all(calls).await;
    let burst_ms = ms(t);
    let ok = answers.iter().filter(|r| r.status == 201).count();
    let short = answers.iter().filter(|r| r.status == 422 && r.json()["error"] == "shortage").count();
    let other = answers.len() - ok - short;
    for r in answers.iter().filter(|r| r.status != 201 && r.status != 422) {
        eprintln!("unexpected: {} {}", r.status, r.body);
    }

    // The dashboard page, server-rendered, as a storekeeper's tablet loads it.
    make_keeper(&app, w).await;
    let cookie = app.login("bench-ombor@karvon.uz").await;
    let page = |path: String| {
        let (app, cookie) = (&app, cookie.clone());
        async move {
            let t = Instant::now();
            let r = app.browser("GET", &path, Some(&cookie), None, "/").await;
            assert_eq!(r.status, 200, "{path}");
            ms(t)
        }
    };
    let mut one = Vec::new();
    let mut all = Vec::new();
    for _ in 0..100 {
        one.push(page(format!("/stock?warehouse={w}")).await);
        all.push(page("/stock".into()).await);
    }

    // A warehouse's stock a year back: the first page of 200 items.
    let year_ago = app::core::now_millis() - 365 * 86_400_000;
    let mut back = Vec::new();
    for &wh in warehouses.iter().take(10) {
        let t = Instant::now();
        let r =
            app.get_json(&admin, &format!("/api/v1/stock/balances?warehouse_id={wh}&at={year_ago}&limit=200")).await;
        back.push(ms(t));
        assert!(r["items"].as_array().is_some_and(|a| !a.is_empty()));
    }

    // An inventory count of 5,000 lines, each counted one less than there is.
    let counted = stocked(&app, warehouses[2], 1_000, 5_000).await;
    let lines: Vec<Value> = counted
        .iter()
        .map(|(p, q)| json!({"product_id": p, "qty": rust_decimal::Decimal::new(q - 1000, 3).to_string()}))
        .collect();
    let n_lines = lines.len();
    let t = Instant::now();
    let r = app
        .api(
            "POST",
            "/api/v1/stock-documents",
            Some(&admin),
            Some(json!({"kind": "inventory", "warehouse_id": warehouses[2], "post": true, "lines": lines})),
        )
        .await;
    let inventory_ms = ms(t);
    assert_eq!(r.status, 201, "{}", r.body);
    eprintln!("{name}: inventory of {n_lines} lines posted");

    // From posting to an open dashboard: the stream's event, then the page read again.
    let req = http::Request::builder()
        .uri(format!("/api/v1/stock/events?warehouse_id={w}"))
        .header("authorization", format!("Bearer {admin}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    let mut stream = res.into_body().into_data_stream();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut reach = Vec::new();
    for i in 0..20 {
        let body = shipment(w, &pool, 1000 + i * 17);
        let t = Instant::now();
        let r = app.api("POST", "/api/v1/stock-documents", Some(&admin), Some(body)).await;
        assert_eq!(r.status, 201);
        loop {
            let frame =
                tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("an event").expect("open");
            if String::from_utf8_lossy(&frame.expect("chunk")).contains("event: stock") {
                break;
            }
        }
        page(format!("/stock?warehouse={w}")).await;
        reach.push(ms(t));
    }
    relay.abort();
    Row {
        backend: name,
        movements: seeded.movements,
        seed_s,
        post,
        burst: (ok, short, other, burst_ms),
        dashboard: pct(one),
        dashboard_all: pct(all),
        year_back: pct(back),
        inventory_ms,
        reach: pct(reach),
    }
}

async fn make_keeper(app: &TestApp, warehouse: i64) {
    let id = tests::make_user(&app.db, "bench-ombor@karvon.uz", Role::Storekeeper, None).await;
    app::db_run!(&app.db, p => sqlx::query("INSERT INTO warehouse_keepers (warehouse_id, user_id) VALUES ($1, $2)")
        .bind(warehouse).bind(id).execute(p).await.map(|_| ()))
    .expect("keeper");
}

#[tokio::main]
async fn main() {
    let movements = tests::benchkit::arg("--movements", 5_000_000) as usize;
    let mut rows = vec![measure(Backend::Sqlite, "SQLite", movements).await];
    if tests::postgres_url().is_some() {
        rows.push(measure(Backend::Postgres, "PostgreSQL", movements).await);
    }
    println!("\n50,000 products, 20 warehouses; milliseconds, p50 / p99\n");
    println!("| | {} | target |", rows.iter().map(|r| r.backend).collect::<Vec<_>>().join(" | "));
    println!("|---|{}---|", "---|".repeat(rows.len()));
    let line = |label: &str, target: &str, f: &dyn Fn(&Row) -> String| {
        println!("| {label} | {} | {target} |", rows.iter().map(f).collect::<Vec<_>>().join(" | "));
    };
    let pp = |(a, b): (f64, f64)| format!("{a:.1} / {b:.1}");
    line("posted movements seeded", "5,000,000", &|r| r.movements.to_string());
    line("seeding, s", "", &|r| format!("{:.0}", r.seed_s));
    line("post a 100-line shipment", "p99 < 50", &|r| pp(r.post));
    line("32 shipments at once: posted / short / other errors, ms", "other 0", &|r| {
        format!("{} / {} / {}, {:.0}", r.burst.0, r.burst.1, r.burst.2, r.burst.3)
    });
    line("dashboard page, one warehouse", "p99 < 100", &|r| pp(r.dashboard));
    line("dashboard page, all warehouses", "p99 < 100", &|r| pp(r.dashboard_all));
    line("stock a year back (page of 200)", "< 500", &|r| pp(r.year_back));
    line("5,000-line inventory count posted", "< 5,000", &|r| format!("{:.0}", r.inventory_ms));
    line("posting → open dashboard read again", "< 500", &|r| pp(r.reach));
}

//! Benchmark of the foundation and the customers issue: start-up time, list latency under load (SSR page and
//! REST), RSS, WASM size; search, a filtered list (manager + segment + custom field), a card with 1,000
//! timeline entries, evaluating a dynamic segment of every customer, importing a CSV file; a timeline of
//! 10,000 interactions and "My day" with 5,000 open tasks. On SQLite and
//! PostgreSQL with N demo customers. Prints Markdown tables.
//!
//! Needs the release build (`cargo leptos build --release --split --project karvon`) and `wrk` (Debian package). Run from the
//! workspace root: `cargo run --release -p tests --bin bench -- [--customers 100000] [--seconds 10]`.
//! PostgreSQL is measured when `TEST_POSTGRES_URL` is set.

use std::process::Command;
use std::time::{Duration, Instant};

use tests::benchkit::{ADDR, api, arg, http, karvon, rss_kb, run, sign_in, spawn_server, wait_ready};

struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: bool,
}

fn to_ms(v: &str) -> f64 {
    let num: f64 = v.trim_end_matches(|c: char| c.is_alphabetic()).parse().unwrap_or(f64::NAN);
    if v.ends_with("us") {
        num / 1000.0
    } else if v.ends_with("ms") {
        num
    } else if v.ends_with('s') {
        num * 1000.0
    } else {
        num
    }
}

fn wrk(path: &str, header: &str, seconds: u64) -> Load {
    wrk_c(path, header, seconds, 32)
}

/// `wrk` with `connections` concurrent clients.
fn wrk_c(path: &str, header: &str, seconds: u64, connections: u32) -> Load {
    wrk_args(path, &["-H", header], seconds, connections)
}

/// `wrk` with extra arguments (headers, a script).
fn wrk_args(path: &str, extra: &[&str], seconds: u64, connections: u32) -> Load {
    let out = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "--latency"])
        .args(extra)
        .arg(format!("http://{ADDR}{path}"))
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let find = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|r| r.split_whitespace().next().unwrap_or("").to_string()))
    };
    Load {
        rps: find("Requests/sec:").and_then(|v| v.parse().ok()).unwrap_or(0.0),
        p50_ms: find("50%").map(|v| to_ms(&v)).unwrap_or(f64::NAN),
        p99_ms: find("99%").map(|v| to_ms(&v)).unwrap_or(f64::NAN),
        errors: text.contains("Non-2xx") || text.contains("Socket errors"),
    }
}

/// A POST under load at [`C360_CLIENTS`] clients (wrk with a Lua script setting method, headers and body).
fn wrk_post(path: &str, headers: &[(&str, &str)], body: &str, seconds: u64) -> Load {
    let mut lua = format!("wrk.method = \"POST\"\nwrk.body = {body:?}\n");
    for (k, v) in headers {
        lua.push_str(&format!("wrk.headers[{k:?}] = {v:?}\n"));
    }
    let script = std::env::temp_dir().join(format!("karvon_bench_{}.lua", std::process::id()));
    std::fs::write(&script, lua).expect("wrk script");
    let load = wrk_args(path, &["-s", &script.display().to_string()], seconds, C360_CLIENTS);
    let _ = std::fs::remove_file(script);
    load
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Concurrent clients for the customers issue's latency measurements.
const C360_CLIENTS: u32 = 4;

/// The customers issue's measurements.
struct Customers360 {
    search: Load,
    search_common: Load,
    search_common_manager: Load,
    typeahead: Load,
    filtered: Load,
    card: Load,
    timeline: Load,
    segment_members: i64,
    segment_eval_ms: f64,
    import_rows: u64,
    import_s: f64,
    import_created: i64,
}

fn customers360(token: &str, cookie: &str, seconds: u64, import_rows: u64) -> Customers360 {
    let auth = format!("Authorization: Bearer {token}");
    // Latency at a moderate load (4 clients on 2 cores); under the 32 clients above a request's latency is
    // mostly its wait in the queue (connections / throughput).
    let wrk = |path: &str, header: &str, seconds: u64| wrk_c(path, header, seconds, C360_CLIENTS);
    wrk("/api/v1/customers?q=savdo&limit=20", &auth, 2);
    let search = wrk("/api/v1/customers?q=savdo&limit=20", &auth, seconds);
    // A common word: `karim`, a contact surname, matches about one customer in six. As the administrator (all
    // customers), as one manager (their customers only), and the top bar's type-ahead (a server function).
    wrk("/api/v1/customers?q=karim&limit=20", &auth, 2);
    let search_common = wrk("/api/v1/customers?q=karim&limit=20", &auth, seconds);
    let (manager_token, manager_cookie) = sign_in("demo10@karvon.uz", "demo-password");
    let manager_auth = format!("Authorization: Bearer {manager_token}");
    wrk("/api/v1/customers?q=karim&limit=20", &manager_auth, 2);
    let search_common_manager = wrk("/api/v1/customers?q=karim&limit=20", &manager_auth, seconds);
    let typeahead_post = [
        ("Cookie", manager_cookie.as_str()),
        ("Origin", &format!("http://{ADDR}")),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let (status, _, hits) = http("POST", "/rpc/customers/quick-search", &typeahead_post, "q=karim");
    assert_eq!(status, 200, "type-ahead: {hits}");
    wrk_post("/rpc/customers/quick-search", &typeahead_post, "q=karim", 2);
    let typeahead = wrk_post("/rpc/customers/quick-search", &typeahead_post, "q=karim", seconds);

    // A filtered list: one manager's customers of a segment with a custom field value.
    let (_, first) = api("GET", "/api/v1/customers?limit=1", token, "");
    let manager = first["items"][0]["manager_id"].as_i64().expect("a customer");
    let regular = r#"{"name": "Regular and one-time", "rules": {"rules": [{"field": "stage", "op": "in", "value": ["regular", "one_time"]}]}}"#;
    let (status, seg) = api("POST", "/api/v1/segments", token, regular);
    assert_eq!(status, 201, "{seg}");
    let rules = format!(
        r#"{{"rules": [{{"field": "manager", "op": "eq", "value": {manager}}}, {{"field": "custom.region", "op": "eq", "value": "Toshkent"}}]}}"#
    );
    let filtered_path = format!("/api/v1/customers?limit=50&segment={}&rules={}", seg["id"], enc(&rules));
    let (status, page) = api("GET", &filtered_path, token, "");
    assert!(status == 200 && page["items"].as_array().is_some_and(|a| !a.is_empty()), "filtered list: {page}");
    wrk(&filtered_path, &auth, 2);
    let filtered = wrk(&filtered_path, &auth, seconds);

    // A card with 1,000 timeline entries.
    let id = first["items"][0]["id"].as_i64().expect("id");
    let mut version = first["items"][0]["version"].as_i64().expect("version");
    for i in 0..1000 {
        let (status, c) = api(
            "PATCH",
            &format!("/api/v1/customers/{id}"),
            token,
            &format!(r#"{{"version": {version}, "notes": "Call {i}"}}"#),
        );
        assert_eq!(status, 200, "{c}");
        version = c["version"].as_i64().expect("version");
    }
    let cookie = format!("Cookie: {cookie}");
    wrk(&format!("/customers/{id}"), &cookie, 2);
    let card = wrk(&format!("/customers/{id}"), &cookie, seconds);
    let timeline = wrk(&format!("/api/v1/customers/{id}/timeline?limit=50"), &auth, seconds);

    // Evaluating a dynamic segment of every customer: the slowest of five.
    let everyone =
        r#"{"name": "Everyone", "rules": {"rules": [{"field": "created_at", "op": "gte", "value": "2000-01-01"}]}}"#;
    let (_, seg) = api("POST", "/api/v1/segments", token, everyone);
    let mut segment_eval_ms: f64 = 0.0;
    let mut segment_members = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let (_, s) = api("GET", &format!("/api/v1/segments/{}", seg["id"]), token, "");
        segment_eval_ms = segment_eval_ms.max(t.elapsed().as_secs_f64() * 1000.0);
        segment_members = s["visible_members"].as_i64().unwrap_or(0);
    }

    // Importing a CSV file: upload, start, wait until done.
    let mut csv = String::from("Nomi;Telefon;E-mail;Bosqich;Region\n");
    for i in 0..import_rows {
        csv.push_str(&format!("Import Savdo {i} MChJ;+99899{:07};import{i}@bench.uz;Doimiy;Buxoro\n", i % 10_000_000));
    }
    let t = Instant::now();
    let auth_header = format!("Bearer {token}");
    let (status, _, body) =
        http("POST", "/api/v1/imports?file_name=bench.csv", &[("Authorization", &auth_header)], &csv);
    assert_eq!(status, 201, "{body}");
    let import: serde_json::Value = serde_json::from_str(&body).expect("json");
    let (status, started) = api("POST", &format!("/api/v1/imports/{}/start", import["id"]), token, "");
    assert_eq!(status, 202, "{started}");
    let done = loop {
        let (_, i) = api("GET", &format!("/api/v1/imports/{}", import["id"]), token, "");
        if i["status"] != "running" {
            break i;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let import_s = t.elapsed().as_secs_f64();
    assert_eq!(done["status"], "done", "{done}");
    Customers360 {
        search,
        search_common,
        search_common_manager,
        typeahead,
        filtered,
        card,
        timeline,
        segment_members,
        segment_eval_ms,
        import_rows,
        import_s,
        import_created: done["created"].as_i64().unwrap_or(0),
    }
}

/// The interactions issue's measurements.
struct Activities {
    timeline: Load,
    card: Load,
    my_day: Load,
    my_day_page: Load,
    tasks: i64,
}

/// A customer with 10,000 interactions (its timeline through the API and its card page), and "My day" of a
/// manager with 5,000 open tasks. The rows are written straight into the database through the app's stores.
fn activities(db_url: &str, token: &str, cookie: &str, seconds: u64) -> Activities {
    let (_, first) = api("GET", "/api/v1/customers?limit=1", token, "");
    let customer = first["items"][0]["id"].as_i64().expect("a customer");
    let (_, me) = api("GET", "/api/v1/me", token, "");
    let me = me["id"].as_i64().expect("me");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        use app::interactions::{InteractionKind, InteractionValues};
        let db = app::core::db::Db::connect(&app::core::db::DbConfig { url: db_url.into(), max_connections: 2 })
            .await
            .expect("database");
        let now = app::core::now_millis();
        for i in 0..10_000i64 {
            let kind = [InteractionKind::Call, InteractionKind::Note, InteractionKind::Meeting][i as usize % 3];
            let v = InteractionValues {
                kind,
                contact_id: None,
                deal_id: None,
                direction: (kind == InteractionKind::Call).then(|| "out".to_string()),
                status: kind.statuses()[0].to_string(),
                subject: None,
                body: Some(format!("Interaction {i}: discussed prices and delivery")),
                place: None,
                participants: None,
                duration_secs: (kind == InteractionKind::Call).then_some(120),
                result: None,
                occurred_at: now - i * 600_000,
                ends_at: None,
            };
            app::interactions::store::create(&db, Some(me), customer, &v).await.expect("interaction");
        }
        for i in 0..5_000i64 {
            let v = app::tasks::TaskValues {
                title: format!("Follow up {i}"),
                notes: None,
                // A spread of overdue, today and later.
                due_at: now + (i - 2_500) * 1_200_000,
                remind_at: None,
            };
            app::tasks::store::create(&db, me, me, Some(customer), None, None, &v).await.expect("task");
        }
        db.close().await;
    });
    if db_url.starts_with("postgres") {
        // Autovacuum analyzes a table after such a burst of inserts within a minute; without statistics the
        // planner takes 10,000 rows for a handful and sorts them instead of walking the index.
        run(Command::new("psql").args([db_url, "-qc", "ANALYZE interactions; ANALYZE tasks"]));
    }
    let auth = format!("Authorization: Bearer {token}");
    let cookie = format!("Cookie: {cookie}");
    let wrk = |path: &str, header: &str, seconds: u64| wrk_c(path, header, seconds, C360_CLIENTS);
    let timeline_path = format!("/api/v1/customers/{customer}/timeline?limit=50");
    wrk(&timeline_path, &auth, 2);
    let timeline = wrk(&timeline_path, &auth, seconds);
    let card = wrk(&format!("/customers/{customer}"), &cookie, seconds);
    wrk("/api/v1/tasks/my-day", &auth, 2);
    let my_day = wrk("/api/v1/tasks/my-day", &auth, seconds);
    let my_day_page = wrk("/tasks", &cookie, seconds);
    let (_, day) = api("GET", "/api/v1/tasks/my-day", token, "");
    let tasks = ["overdue_count", "today_count", "upcoming_count"].iter().filter_map(|k| day[*k].as_i64()).sum();
    Activities { timeline, card, my_day, my_day_page, tasks }
}

struct Row {
    backend: &'static str,
    seed_s: f64,
    ready_ms: f64,
    idle: (u64, u64),
    loaded: (u64, u64),
    page: Load,
    api: Load,
    c360: Customers360,
    act: Activities,
    export: Export,
}

/// Exporting every customer as CSV: time, rows, and the server's memory meanwhile (the export streams:
/// its memory must not grow with the rows).
struct Export {
    seconds: f64,
    rows: usize,
    mb: f64,
    rss_before_mb: f64,
    rss_peak_mb: f64,
}

fn export_all(pid: u32, token: &str) -> Export {
    let rss_before = rss_kb(pid).0;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss_kb(pid).0);
                std::thread::sleep(Duration::from_millis(50));
            }
            peak
        })
    };
    let t = Instant::now();
    let auth = format!("Bearer {token}");
    let (status, _, body) = http("GET", "/api/v1/exports/customers?format=csv", &[("Authorization", &auth)], "");
    let seconds = t.elapsed().as_secs_f64();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.join().unwrap_or(0);
    assert_eq!(status, 200, "export");
    Export {
        seconds,
        rows: body.lines().count().saturating_sub(1),
        mb: body.len() as f64 / 1_048_576.0,
        rss_before_mb: rss_before as f64 / 1024.0,
        rss_peak_mb: peak as f64 / 1024.0,
    }
}

fn measure(backend: &'static str, db_url: &str, customers: u64, seconds: u64, import_rows: u64) -> Row {
    run(karvon(db_url).arg("migrate"));
    run(karvon(db_url).args([
        "admin",
        "create",
        "--email",
        "bench@karvon.uz",
        "--password",
        "bench-password",
        "--name",
        "Bench",
    ]));
    let t = Instant::now();
    run(karvon(db_url).args(["seed-demo", "--customers", &customers.to_string()]));
    let seed_s = t.elapsed().as_secs_f64();
    if db_url.starts_with("postgres") {
        // seed-demo analyzes as it ends; builds before that did not, and autovacuum comes too late.
        run(Command::new("psql").args([db_url, "-qc", "ANALYZE"]));
    }

    let started = Instant::now();
    let mut child = spawn_server(db_url);
    let ready = wait_ready(&mut child, started);
    let pid = child.id();

    let (token, cookie) = sign_in("bench@karvon.uz", "bench-password");
    let (status, _, page) = http("GET", "/customers", &[("Cookie", &cookie)], "");
    assert!(status == 200 && page.contains("customer-row"), "list page renders ({status})");

    std::thread::sleep(Duration::from_millis(300));
    let idle = rss_kb(pid);
    let sampler = std::thread::spawn(move || {
        let mut peak = (0, 0);
        let end = Instant::now() + Duration::from_secs(seconds * 2 + 4);
        while Instant::now() < end {
            let r = rss_kb(pid);
            peak = (peak.0.max(r.0), peak.1.max(r.1));
            std::thread::sleep(Duration::from_millis(200));
        }
        peak
    });
    // A short warm-up per endpoint (page cache, pool, WAL checkpoint after seeding) before each measurement.
    wrk("/customers", &format!("Cookie: {cookie}"), 2);
    let page_load = wrk("/customers", &format!("Cookie: {cookie}"), seconds);
    wrk("/api/v1/customers?limit=50", &format!("Authorization: Bearer {token}"), 2);
    let api_load = wrk("/api/v1/customers?limit=50", &format!("Authorization: Bearer {token}"), seconds);
    let loaded = sampler.join().unwrap_or((0, 0));
    let c360 = customers360(&token, &cookie, seconds, import_rows);
    let act = activities(db_url, &token, &cookie, seconds);
    let export = export_all(pid, &token);

    // Graceful stop.
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let _ = child.wait();
    Row {
        backend,
        seed_s,
        ready_ms: ready.as_secs_f64() * 1000.0,
        idle,
        loaded,
        page: page_load,
        api: api_load,
        c360,
        act,
        export,
    }
}

fn main() {
    let customers = arg("--customers", 100_000);
    let seconds = arg("--seconds", 10);
    let import_rows = arg("--import-rows", 100_000);
    assert!(
        std::path::Path::new("target/release/karvon").exists(),
        "build first: cargo leptos build --release --split --project karvon"
    );
    let dir = std::path::Path::new("target/bench");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("bench dir");

    let mut rows = vec![measure("SQLite", "sqlite://target/bench/karvon.db", customers, seconds, import_rows)];
    if let Ok(base) = std::env::var("TEST_POSTGRES_URL") {
        let root = base.rsplit_once('/').map_or(base.as_str(), |(r, _)| r).to_string();
        run(Command::new("psql").args([&base, "-qc", "DROP DATABASE IF EXISTS karvon_bench WITH (FORCE)"]));
        run(Command::new("psql").args([&base, "-qc", "CREATE DATABASE karvon_bench"]));
        rows.push(measure("PostgreSQL", &format!("{root}/karvon_bench"), customers, seconds, import_rows));
        run(Command::new("psql").args([&base, "-qc", "DROP DATABASE IF EXISTS karvon_bench WITH (FORCE)"]));
    }

    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!(
        "\nKarvon foundation benchmark: {customers} demo customers, wrk -t2 -c32 -d{seconds}s on loopback, {cores} cores ({cpu})\n"
    );
    println!("| | {} |", rows.iter().map(|r| r.backend).collect::<Vec<_>>().join(" | "));
    println!("|---|{}", "---|".repeat(rows.len()));
    let line = |label: &str, f: &dyn Fn(&Row) -> String| {
        println!("| {label} | {} |", rows.iter().map(f).collect::<Vec<_>>().join(" | "));
    };
    line("seed-demo (s)", &|r| format!("{:.1}", r.seed_s));
    line("start to ready (ms)", &|r| format!("{:.0}", r.ready_ms));
    line("customers page (SSR) req/s", &|r| {
        format!("{:.0}{}", r.page.rps, if r.page.errors { " (errors!)" } else { "" })
    });
    line("customers page p50 / p99 (ms)", &|r| format!("{:.2} / {:.2}", r.page.p50_ms, r.page.p99_ms));
    line("GET /api/v1/customers req/s", &|r| {
        format!("{:.0}{}", r.api.rps, if r.api.errors { " (errors!)" } else { "" })
    });
    line("API p50 / p99 (ms)", &|r| format!("{:.2} / {:.2}", r.api.p50_ms, r.api.p99_ms));
    line("RSS idle: VmRSS / RssAnon (MB)", &|r| {
        format!("{:.1} / {:.1}", r.idle.0 as f64 / 1024.0, r.idle.1 as f64 / 1024.0)
    });
    line("RSS under load, peak (MB)", &|r| {
        format!("{:.1} / {:.1}", r.loaded.0 as f64 / 1024.0, r.loaded.1 as f64 / 1024.0)
    });
    let p = |l: &Load| {
        format!("{:.2} / {:.2} ({:.0} req/s){}", l.p50_ms, l.p99_ms, l.rps, if l.errors { " (errors!)" } else { "" })
    };
    println!("| **customers issue, wrk -t2 -c{C360_CLIENTS}** | |{}", " |".repeat(rows.len().saturating_sub(1)));
    line("search `q=savdo` p50 / p99 (ms; target p95 < 50)", &|r| p(&r.c360.search));
    line("search `q=karim` (common word), administrator p50 / p99 (ms)", &|r| p(&r.c360.search_common));
    line("search `q=karim`, one manager's customers p50 / p99 (ms)", &|r| p(&r.c360.search_common_manager));
    line("type-ahead `karim` (server function), one manager p50 / p99 (ms)", &|r| p(&r.c360.typeahead));
    line("filtered list: manager + segment + custom field p50 / p99 (ms; target < 50)", &|r| p(&r.c360.filtered));
    line("card page with 1,000 timeline entries p50 / p99 (ms; target < 30)", &|r| p(&r.c360.card));
    line("its timeline API, 50 entries p50 / p99 (ms)", &|r| p(&r.c360.timeline));
    line("dynamic segment evaluated, slowest of 5 (ms; target < 1000)", &|r| {
        format!("{:.0} ({} members)", r.c360.segment_eval_ms, r.c360.segment_members)
    });
    line("CSV import, upload to done (s; target < 60 for 100,000 rows)", &|r| {
        format!("{:.1} ({} rows, {} created)", r.c360.import_s, r.c360.import_rows, r.c360.import_created)
    });
    println!("| **interactions issue, wrk -t2 -c{C360_CLIENTS}** | |{}", " |".repeat(rows.len().saturating_sub(1)));
    line("timeline API, first 50 of 10,000 interactions p50 / p99 (ms; target p99 < 30)", &|r| p(&r.act.timeline));
    line("that customer's card page p50 / p99 (ms)", &|r| p(&r.act.card));
    line("My day API, manager with 5,000 open tasks p50 / p99 (ms; target p99 < 30)", &|r| {
        format!("{} ({} open)", p(&r.act.my_day), r.act.tasks)
    });
    line("My day page (SSR) p50 / p99 (ms)", &|r| p(&r.act.my_day_page));
    line("export of every customer as CSV (s; rows; server RSS before → peak)", &|r| {
        format!(
            "{:.1} s ({} rows, {:.0} MB; {:.0} → {:.0} MB)",
            r.export.seconds, r.export.rows, r.export.mb, r.export.rss_before_mb, r.export.rss_peak_mb
        )
    });
    wasm_sizes();
}

/// Gzip -9 size of a file under `target/site/pkg`.
fn gz(file: &str) -> usize {
    Command::new("gzip").args(["-9", "-c", &format!("target/site/pkg/{file}")]).output().map_or(0, |o| o.stdout.len())
}

/// The WASM a browser downloads: the shell module first, then for each page its lazy chunk and the shared
/// chunks it needs (from the split manifest). Prints the shell and every page's total.
fn wasm_sizes() {
    let raw = std::fs::metadata("target/site/pkg/karvon.wasm").map_or(0, |m| m.len());
    let shell = gz("karvon.wasm");
    println!(
        "\nWASM shell module: {:.0} KB raw, {:.0} KB gzip -9 (the first download)",
        raw as f64 / 1024.0,
        shell as f64 / 1024.0
    );
    let manifest: serde_json::Value = std::fs::read_to_string("target/site/pkg/__wasm_split_manifest.json")
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let Some(routes) = manifest.as_object() else { return };
    println!("\n| page (lazy route) | its chunks, gzip KB | shell + chunks, gzip KB |\n|---|---|---|");
    let mut rows: Vec<(String, usize)> = routes
        .iter()
        .map(|(name, chunks)| {
            let size = chunks
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c.as_str())
                .map(|c| gz(&format!("{c}.wasm")))
                .sum();
            let page = name.trim_start_matches("__").split("_route_view").next().unwrap_or(name).to_string();
            (page, size)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    for (page, size) in rows {
        println!("| {page} | {:.0} | {:.0} |", size as f64 / 1024.0, (shell + size) as f64 / 1024.0);
    }
}

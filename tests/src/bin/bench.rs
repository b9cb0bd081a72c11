//! Foundation benchmark: start-up time, list latency under load (SSR page and REST), RSS, WASM size,
//! on SQLite and PostgreSQL with N demo customers. Prints a Markdown table.
//!
//! Needs the release build (`cargo leptos build --release --split`) and `wrk` (Debian package). Run from the
//! workspace root: `cargo run --release -p tests --bin bench -- [--customers 100000] [--seconds 10]`.
//! PostgreSQL is measured when `TEST_POSTGRES_URL` is set.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ADDR: &str = "127.0.0.1:3200";

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn karvon(db_url: &str) -> Command {
    let mut cmd = Command::new("target/release/karvon");
    cmd.env("DATABASE_URL", db_url)
        .env("KARVON_ADDR", ADDR)
        .env("KARVON_LOG", "warn")
        .env("KARVON_SITE_ROOT", "target/site");
    cmd
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("command runs");
    assert!(out.status.success(), "{:?}: {}", cmd, String::from_utf8_lossy(&out.stderr));
}

/// A minimal HTTP/1.1 exchange; returns (status, headers, body).
fn http(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(ADDR).expect("connect");
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: {ADDR}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("write");
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok();
    let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn wait_ready(child: &mut Child, started: Instant) -> Duration {
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("karvon exited: {status}");
        }
        if TcpStream::connect(ADDR).is_ok() && http("GET", "/healthz", &[], "").0 == 200 {
            return started.elapsed();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("RssAnon:"))
}

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
    let out = Command::new("wrk")
        .args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency", "-H", header, &format!("http://{ADDR}{path}")])
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

struct Row {
    backend: &'static str,
    seed_s: f64,
    ready_ms: f64,
    idle: (u64, u64),
    loaded: (u64, u64),
    page: Load,
    api: Load,
}

fn measure(backend: &'static str, db_url: &str, customers: u64, seconds: u64) -> Row {
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

    let started = Instant::now();
    let mut child = karvon(db_url).stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().expect("spawn karvon");
    let ready = wait_ready(&mut child, started);
    let pid = child.id();

    let (status, _, body) = http(
        "POST",
        "/api/v1/auth/token",
        &[("Content-Type", "application/json")],
        r#"{"email":"bench@karvon.uz","password":"bench-password"}"#,
    );
    assert_eq!(status, 201, "{body}");
    let token: serde_json::Value = serde_json::from_str(&body).expect("json");
    let token = token["token"].as_str().expect("token").to_string();
    let (_, head, _) = http(
        "POST",
        "/rpc/login",
        &[("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "text/html"), ("Referer", "/login")],
        "email=bench%40karvon.uz&password=bench-password",
    );
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_string();
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

    // Graceful stop.
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let _ = child.wait();
    Row { backend, seed_s, ready_ms: ready.as_secs_f64() * 1000.0, idle, loaded, page: page_load, api: api_load }
}

fn main() {
    let customers = arg("--customers", 100_000);
    let seconds = arg("--seconds", 10);
    assert!(
        std::path::Path::new("target/release/karvon").exists(),
        "build first: cargo leptos build --release --split"
    );
    let dir = std::path::Path::new("target/bench");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("bench dir");

    let mut rows = vec![measure("SQLite", "sqlite://target/bench/karvon.db", customers, seconds)];
    if let Ok(base) = std::env::var("TEST_POSTGRES_URL") {
        let root = base.rsplit_once('/').map_or(base.as_str(), |(r, _)| r).to_string();
        run(Command::new("psql").args([&base, "-qc", "DROP DATABASE IF EXISTS karvon_bench WITH (FORCE)"]));
        run(Command::new("psql").args([&base, "-qc", "CREATE DATABASE karvon_bench"]));
        rows.push(measure("PostgreSQL", &format!("{root}/karvon_bench"), customers, seconds));
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

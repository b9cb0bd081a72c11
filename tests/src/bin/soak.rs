//! Soak run: the release server under a steady mix of reads and writes from 16 clients for 10 minutes, on
//! SQLite and (with `TEST_POSTGRES_URL`) PostgreSQL. Every minute it prints the requests, errors, latency,
//! the server's resident memory and its open file descriptors; at the end, how much memory and descriptors
//! grew after the warm-up (first two minutes). Any unexpected answer counts as an error.
//!
//! Needs the release build (`cargo leptos build --release --split --project karvon`). From the workspace root:
//! `cargo run --release -p tests --bin soak -- [--minutes 10] [--clients 16] [--customers 10000] [--postgres-only]`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tests::benchkit::{api, arg, http, karvon, open_fds, rss_kb, run, sign_in, spawn_server, wait_ready};

/// One minute of the run, as the clients saw it.
#[derive(Default)]
struct Minute {
    latencies_us: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

/// What a client does next, by weight: mostly lists and searches, a card's timeline, the list page, and
/// writes (new customers, their changes, notes on their timelines).
fn step(n: u64, uid: u64, token: &str, cookie: &str, mine: &mut Vec<(i64, i64)>) -> Result<(), String> {
    let words = ["savdo", "karim", "group", "trade", "aliyev", "tex", "nur"];
    let check = |what: &str, status: u16, want: u16| {
        if status == want { Ok(()) } else { Err(format!("{what}: {status}")) }
    };
    match n % 20 {
        0..=6 => {
            let (s, _) = api("GET", "/api/v1/customers?limit=50", token, "");
            check("list", s, 200)
        }
        7..=9 => {
            let q = words[(n / 20) as usize % words.len()];
            let (s, _) = api("GET", &format!("/api/v1/customers?q={q}&limit=20"), token, "");
            check("search", s, 200)
        }
        10 | 11 => {
            let (s, _, _) = http("GET", "/customers", &[("Cookie", cookie)], "");
            check("list page", s, 200)
        }
        12 | 13 => {
            let body =
                format!(r#"{{"name":"Soak {uid} MChJ","phone":"+99890{:07}","tags":["soak"]}}"#, uid % 10_000_000);
            let (s, c) = api("POST", "/api/v1/customers", token, &body);
            check("create", s, 201)?;
            mine.push((c["id"].as_i64().unwrap_or(0), c["version"].as_i64().unwrap_or(0)));
            Ok(())
        }
        14 | 15 => {
            let Some((id, version)) = mine.last().copied() else { return Ok(()) };
            let body = format!(r#"{{"version":{version},"notes":"changed at step {n}"}}"#);
            let (s, c) = api("PATCH", &format!("/api/v1/customers/{id}"), token, &body);
            check("update", s, 200)?;
            if let Some(last) = mine.last_mut() {
                last.1 = c["version"].as_i64().unwrap_or(version + 1);
            }
            Ok(())
        }
        16 | 17 => {
            let Some((id, _)) = mine.last().copied() else { return Ok(()) };
            let body = format!(r#"{{"customer_id":{id},"kind":"note","body":"Soak note {n}"}}"#);
            let (s, _) = api("POST", "/api/v1/interactions", token, &body);
            check("note", s, 201)
        }
        _ => {
            let id = mine.last().map(|m| m.0).unwrap_or(1);
            let (s, _) = api("GET", &format!("/api/v1/customers/{id}/timeline?limit=50"), token, "");
            check("timeline", s, 200)
        }
    }
}

fn soak(label: &str, db_url: &str, minutes: u64, clients: u64, customers: u64) {
    run(karvon(db_url).arg("migrate"));
    run(karvon(db_url).args(["admin", "create", "--email", "soak@karvon.uz", "--password", "soak-password"]));
    run(karvon(db_url).args(["seed-demo", "--customers", &customers.to_string()]));
    let started = Instant::now();
    let mut child = spawn_server(db_url);
    wait_ready(&mut child, started);
    let pid = child.id();
    let (token, cookie) = sign_in("soak@karvon.uz", "soak-password");

    let minutes_seen: Arc<Mutex<Vec<Minute>>> = Arc::new(Mutex::new((0..minutes).map(|_| Minute::default()).collect()));
    let stop = Arc::new(AtomicBool::new(false));
    let begin = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let (token, cookie, seen, stop) = (token.clone(), cookie.clone(), minutes_seen.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                // Clients start at different points of the mix; `uid` keeps their new customers apart.
                let mut n = c * 7;
                let mut uid = c * 600_000;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let result = step(n, uid, &token, &cookie, &mut mine);
                    uid += 1;
                    let minute = (begin.elapsed().as_secs() / 60) as usize;
                    if let Some(m) = seen.lock().expect("lock").get_mut(minute) {
                        m.latencies_us.push(t.elapsed().as_micros() as u64);
                        if let Err(e) = result {
                            m.errors += 1;
                            m.first_error.get_or_insert(e);
                        }
                    }
                    n += 1;
                    // A person at a screen, not a tight loop: a short pause between requests.
                    std::thread::sleep(Duration::from_millis(10));
                }
            })
        })
        .collect();

    println!("\n{label}: {clients} clients, {minutes} minutes, {customers} seeded customers\n");
    println!("| minute | requests | errors | p50 ms | p99 ms | RSS MB | open fds |");
    println!("|---|---|---|---|---|---|---|");
    let mut samples = Vec::new();
    for minute in 0..minutes {
        let until = begin + Duration::from_secs((minute + 1) * 60);
        std::thread::sleep(until.saturating_duration_since(Instant::now()));
        let (rss, _) = rss_kb(pid);
        let fds = open_fds(pid);
        samples.push((rss, fds));
        let mut seen = minutes_seen.lock().expect("lock");
        let m = &mut seen[minute as usize];
        m.latencies_us.sort_unstable();
        let pct = |p: f64| {
            let v = &m.latencies_us;
            if v.is_empty() { f64::NAN } else { v[((v.len() - 1) as f64 * p) as usize] as f64 / 1000.0 }
        };
        println!(
            "| {} | {} | {}{} | {:.1} | {:.1} | {:.1} | {} |",
            minute + 1,
            m.latencies_us.len(),
            m.errors,
            m.first_error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default(),
            pct(0.5),
            pct(0.99),
            rss as f64 / 1024.0,
            fds
        );
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.join();
    }
    let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let _ = child.wait();

    let warm = samples.get(1).copied().unwrap_or((0, 0));
    let last = samples.last().copied().unwrap_or((0, 0));
    let peak = samples.iter().skip(1).map(|s| s.0).max().unwrap_or(0);
    let errors: u64 = minutes_seen.lock().expect("lock").iter().map(|m| m.errors).sum();
    println!(
        "\n{label}: after warm-up (minute 2 → {minutes}) RSS {:.1} → {:.1} MB (peak {:.1}), open fds {} → {}; {errors} errors",
        warm.0 as f64 / 1024.0,
        last.0 as f64 / 1024.0,
        peak as f64 / 1024.0,
        warm.1,
        last.1
    );
}

fn main() {
    let minutes = arg("--minutes", 10).max(2);
    let clients = arg("--clients", 16);
    let customers = arg("--customers", 10_000);
    if !std::env::args().any(|a| a == "--postgres-only") {
        let dir = std::env::temp_dir().join(format!("karvon_soak_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        soak("SQLite", &format!("sqlite://{}", dir.join("soak.db").display()), minutes, clients, customers);
        let _ = std::fs::remove_dir_all(&dir);
    }
    if let Ok(base) = std::env::var("TEST_POSTGRES_URL") {
        let name = format!("karvon_soak_{}", std::process::id());
        run(std::process::Command::new("psql").args([&base, "-qc", &format!("CREATE DATABASE {name}")]));
        let url = format!("{}/{name}", base.rsplit_once('/').map(|(b, _)| b).unwrap_or(&base));
        soak("PostgreSQL", &url, minutes, clients, customers);
        run(std::process::Command::new("psql").args([&base, "-qc", &format!("DROP DATABASE {name} WITH (FORCE)")]));
    }
}

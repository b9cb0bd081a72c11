//! Crash tests: the real `karvon` binary killed with SIGKILL in the middle of a 100,000-row import and of a
//! storm of concurrent deal moves, then started again. The import finishes with every row exactly once and
//! exact counters; every deal has exactly one open stage stay, the one its row names; the database passes its
//! integrity check. SQLite always, PostgreSQL when `TEST_POSTGRES_URL` is set.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::core::db::{Db, DbConfig};
use serde_json::{Value, json};

mod common;

const ROWS: usize = 100_000;

struct Server {
    child: Child,
    base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The binary, with a short import lease (the takeover comes within seconds) and no input.
fn karvon(url: &str, dir: &std::path::Path) -> Command {
    let mut cmd = common::karvon(url, dir);
    cmd.env("KARVON_IMPORT_LEASE_SECONDS", "3").stdin(Stdio::null());
    cmd
}

async fn start(url: &str, dir: &std::path::Path) -> Server {
    let port = free_port();
    let child = karvon(url, dir).env("KARVON_ADDR", format!("127.0.0.1:{port}")).spawn().expect("karvon starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Server { child, base }
}

impl Server {
    /// SIGKILL: no chance to finish anything.
    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

async fn call(c: &reqwest::Client, method: reqwest::Method, url: String, token: &str, body: Option<Value>) -> Value {
    let mut req = c.request(method, &url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn scenario(url: &str) {
    let dir = std::env::temp_dir().join(format!("karvon_crash_{}_{}", std::process::id(), rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let made = karvon(url, &dir)
        .args(["admin", "create", "--email", "crash@karvon.uz", "--password", "crash-password-1"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let c = reqwest::Client::new();
    let server = start(url, &dir).await;
    let token = c
        .post(format!("{}/api/v1/auth/token", server.base))
        .json(&json!({"email": "crash@karvon.uz", "password": "crash-password-1"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();

    // A 100,000-row import, killed part-way.
    let mut csv = String::from("Nomi;Telefon\n");
    for i in 0..ROWS {
        csv.push_str(&format!("Halokat mijozi {i};+99893{i:07}\n"));
    }
    let up = c
        .post(format!("{}/api/v1/imports?file_name=crash.csv&kind=customers", server.base))
        .bearer_auth(&token)
        .body(csv)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let id = up["id"].as_i64().unwrap_or_else(|| panic!("{up}"));
    let mapping = json!({"mapping": up["mapping"], "on_duplicate": "skip"});
    call(&c, reqwest::Method::PUT, format!("{}/api/v1/imports/{id}/mapping", server.base), &token, Some(mapping)).await;
    call(&c, reqwest::Method::POST, format!("{}/api/v1/imports/{id}/start", server.base), &token, None).await;
    let status = |base: String| {
        let (c, token) = (c.clone(), token.clone());
        async move { call(&c, reqwest::Method::GET, format!("{base}/api/v1/imports/{id}"), &token, None).await }
    };
    let started = Instant::now();
    loop {
        let s = status(server.base.clone()).await;
        if s["processed"].as_i64().unwrap_or(0) >= 20_000 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the import did not get going: {s}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Meanwhile deals: twenty of them, moved by sixteen clients at once when the server dies.
    let customer = call(
        &c,
        reqwest::Method::POST,
        format!("{}/api/v1/customers", server.base),
        &token,
        Some(json!({"name": "Bitim egasi"})),
    )
    .await;
    let mut deals = Vec::new();
    for i in 0..20 {
        let d = call(
            &c,
            reqwest::Method::POST,
            format!("{}/api/v1/deals", server.base),
            &token,
            Some(json!({"title": format!("Bitim {i}"), "customer_id": customer["id"]})),
        )
        .await;
        deals.push(d["id"].as_i64().unwrap());
    }
    let pipeline = call(&c, reqwest::Method::GET, format!("{}/api/v1/pipelines", server.base), &token, None).await;
    let stages: Vec<i64> =
        pipeline[0]["stages"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    let storm: Vec<_> = (0..16)
        .map(|k| {
            let (c, token, base, deals, stages) =
                (c.clone(), token.clone(), server.base.clone(), deals.clone(), stages.clone());
            tokio::spawn(async move {
                for n in 0.. {
                    let deal = deals[(k + n) % deals.len()];
                    let Ok(res) = c.get(format!("{base}/api/v1/deals/{deal}")).bearer_auth(&token).send().await else {
                        break;
                    };
                    let Ok(d) = res.json::<Value>().await else { break };
                    let stage = stages[(n * 7 + k) % 4];
                    let body = json!({"stage_id": stage, "version": d["version"]});
                    if c.post(format!("{base}/api/v1/deals/{deal}/move"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let killed_at = status(server.base.clone()).await;
    server.kill_9();
    for s in storm {
        let _ = s.await;
    }
    assert_ne!(killed_at["status"], "done", "killed before the end: {killed_at}");

    // Started again: the import is taken over once its lease lapses and finishes.
    let server = start(url, &dir).await;
    let started = Instant::now();
    let done = loop {
        let s = status(server.base.clone()).await;
        if s["status"] == "done" || s["status"] == "failed" {
            break s;
        }
        assert!(started.elapsed() < Duration::from_secs(240), "the import was not finished after a restart: {s}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    server.kill_9();
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(
        (&done["processed"], &done["created"], &done["skipped"], &done["failed"]),
        (&json!(ROWS), &json!(ROWS), &json!(0), &json!(0)),
        "counters exact: {done}"
    );

    let db = Db::connect(&DbConfig { url: url.to_string(), max_connections: 2 }).await.unwrap();
    let one = |sql: &'static str| {
        let db = db.clone();
        async move { app::db_run!(&db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap() }
    };
    let rows = ROWS as i64;
    assert_eq!(one("SELECT COUNT(*) FROM customers WHERE name LIKE 'Halokat mijozi %'").await, rows, "every row once");
    assert_eq!(one("SELECT COUNT(DISTINCT name) FROM customers WHERE name LIKE 'Halokat mijozi %'").await, rows);
    assert_eq!(
        one("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND action = 'created'").await,
        one("SELECT COUNT(*) FROM customers").await,
        "every customer with its audit row"
    );
    assert_eq!(one("SELECT COUNT(*) FROM customer_search").await, one("SELECT COUNT(*) FROM customers").await);
    // Deals: one open stay each, at the stage the deal names; versions count the moves that committed.
    assert_eq!(
        one("SELECT COUNT(*) FROM deals d WHERE (SELECT COUNT(*) FROM deal_stage_history h \
        WHERE h.deal_id = d.id AND h.left_at IS NULL) <> 1")
        .await,
        0
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM deals d JOIN deal_stage_history h ON h.deal_id = d.id AND h.left_at IS NULL \
        WHERE h.stage_id <> d.stage_id")
        .await,
        0
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM deals d WHERE d.version <> (SELECT COUNT(*) FROM deal_stage_history h \
        WHERE h.deal_id = d.id)")
        .await,
        0,
        "a deal's version is its stays (created, then one per committed move)"
    );
    if let Db::Sqlite(p) = &db {
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(p).await.unwrap();
        assert_eq!(verdict, "ok");
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn killed_and_restarted_sqlite() {
    let dir = std::env::temp_dir().join(format!("karvon_crashdb_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    scenario(&format!("sqlite://{}", dir.join("karvon.db").display())).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
#[cfg_attr(not(karvon_postgres), ignore = "PostgreSQL: TEST_POSTGRES_URL is not set")]
async fn killed_and_restarted_postgres() {
    let base = std::env::var("TEST_POSTGRES_URL").expect("TEST_POSTGRES_URL was set when the tests were built");
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    let name = format!("karvon_crash_{}_{}", std::process::id(), rand::random::<u32>());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    let root = base.split('?').next().unwrap().rsplit_once('/').map(|(r, _)| r.to_string()).unwrap();
    scenario(&format!("{root}/{name}")).await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await.unwrap();
}

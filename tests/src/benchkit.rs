//! What the bench binaries share: the release `karvon` on a fixed port, a minimal HTTP/1.1 client, and the
//! server's resident memory and open files read from `/proc`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Where the bench binaries start the server.
pub const ADDR: &str = "127.0.0.1:3200";

/// `--name N` from the command line, or `default`.
pub fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The p50 and p99 of timings in milliseconds.
pub fn pct(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99))
}

/// The release `karvon` on [`ADDR`] against `db_url`.
pub fn karvon(db_url: &str) -> Command {
    let mut cmd = Command::new("target/release/karvon");
    cmd.env("DATABASE_URL", db_url)
        .env("KARVON_ADDR", ADDR)
        .env("KARVON_LOG", "warn")
        .env("KARVON_SITE_ROOT", "target/site");
    cmd
}

/// Runs a command to its end; panics with its error output when it fails.
pub fn run(cmd: &mut Command) {
    let out = cmd.output().expect("command runs");
    assert!(out.status.success(), "{:?}: {}", cmd, String::from_utf8_lossy(&out.stderr));
}

/// A minimal HTTP/1.1 exchange; returns (status, headers, body).
pub fn http(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(ADDR).expect("connect");
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: {ADDR}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("write");
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).ok();
    let split = resp.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(resp.len());
    let head = String::from_utf8_lossy(&resp[..split]).to_string();
    let mut body = resp.get(split + 4..).unwrap_or_default().to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head, String::from_utf8_lossy(&body).to_string())
}

/// The body of a `Transfer-Encoding: chunked` response, without its framing.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..eol])
            .ok()
            .and_then(|l| usize::from_str_radix(l.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 || data.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = data.get(eol + 2 + size + 2..).unwrap_or_default();
    }
    out
}

/// A JSON API call with a bearer token: (status, body).
pub fn api(method: &str, path: &str, token: &str, body: &str) -> (u16, serde_json::Value) {
    let auth = format!("Bearer {token}");
    let (status, _, text) = http(method, path, &[("Authorization", &auth), ("Content-Type", "application/json")], body);
    (status, serde_json::from_str(&text).unwrap_or_default())
}

/// Starts the release server on [`ADDR`] against `db_url`, refusing when something already listens there
/// (a server left by an earlier run that stopped half-way would be measured instead).
pub fn spawn_server(db_url: &str) -> Child {
    assert!(
        std::net::TcpListener::bind(ADDR).is_ok(),
        "{ADDR} is taken (a karvon left by an earlier run? pkill -f target/release/karvon)"
    );
    karvon(db_url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("spawn karvon")
}

/// Waits until the server answers its health check; returns the time since `started`.
pub fn wait_ready(child: &mut Child, started: Instant) -> Duration {
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

/// The process's resident memory in KB: (VmRSS, RssAnon).
pub fn rss_kb(pid: u32) -> (u64, u64) {
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

/// The process's open file descriptors (sockets, database files, …).
pub fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map(|d| d.count()).unwrap_or(0)
}

/// An API token and a session cookie for an account (the cookie signs in as the login form does).
pub fn sign_in(email: &str, password: &str) -> (String, String) {
    let (status, _, body) = http(
        "POST",
        "/api/v1/auth/token",
        &[("Content-Type", "application/json")],
        &format!(r#"{{"email":"{email}","password":"{password}"}}"#),
    );
    assert_eq!(status, 201, "{body}");
    let token: serde_json::Value = serde_json::from_str(&body).expect("json");
    let token = token["token"].as_str().expect("token").to_string();
    let (_, head, _) = http(
        "POST",
        "/rpc/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "text/html"),
            ("Origin", &format!("http://{ADDR}")),
        ],
        &format!("email={}&password={password}", email.replace('@', "%40")),
    );
    // Every cookie it sets (the session's and, on a first sign-in, the known device's), as one header.
    let cookie = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    assert!(!cookie.is_empty(), "session cookie");
    (token, cookie)
}

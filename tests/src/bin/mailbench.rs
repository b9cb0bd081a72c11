//! Mail sync benchmark against a local Dovecot: a mailbox of `--messages` messages (default 10,000: text,
//! some HTML, every fifth a reply, every tenth with a 20 KB attachment, most from customers' addresses)
//! synced the first time, then synced again with nothing new, then with one new message. On SQLite, and on
//! PostgreSQL when `TEST_POSTGRES_URL` is set, each over 10,000 seeded customers. Prints a table.
//!
//! `cargo run --release -p tests --bin mailbench [-- --messages 10000]` (needs `scripts/setup.sh --tests`).

use std::time::Instant;

use app::core::db::{Db, DbConfig};
use tests::mailserver::{MailServers, install_mail_key};

fn messages(n: usize, customers: &[String]) -> Vec<Vec<u8>> {
    let attachment = "QUJD".repeat(5 * 1024);
    (0..n)
        .map(|i| {
            let from = if i % 5 == 4 { format!("stranger{i}@elsewhere.uz") } else { customers[i % customers.len()].clone() };
            let reply = if i % 5 == 1 && i > 0 {
                format!("In-Reply-To: <bench{}@example.uz>\r\nReferences: <bench{}@example.uz>\r\n", i - 1, i - 1)
            } else {
                String::new()
            };
            let text = format!("Hello,\r\n\r\nabout order {i}: {}\r\n\r\nRegards", "we need the prices and delivery dates. ".repeat(40));
            let body = if i % 10 == 3 {
                format!(
                    "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n--B\r\n\
                     Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"offer-{i}.pdf\"\r\n\
                     Content-Transfer-Encoding: base64\r\n\r\n{attachment}\r\n--B--\r\n"
                )
            } else if i % 3 == 0 {
                format!("Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>{text}</p><p><b>Thanks</b></p></body></html>\r\n")
            } else {
                format!("Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n")
            };
            format!(
                "From: Customer {i} <{from}>\r\nTo: bench@mail.test\r\nSubject: Order {i}\r\nMessage-ID: <bench{i}@example.uz>\r\n\
                 Date: Tue, 3 Nov 2026 10:00:00 +0500\r\n{reply}MIME-Version: 1.0\r\n{body}"
            )
            .into_bytes()
        })
        .collect()
}

struct Row {
    backend: &'static str,
    first_s: f64,
    first_new: u64,
    idle_ms: Vec<f64>,
    one_new_ms: f64,
    linked: i64,
}

async fn measure(backend: &'static str, url: &str, servers: &MailServers) -> Row {
    let db = Db::connect(&DbConfig { url: url.into(), max_connections: 4 }).await.expect("database");
    server::seed::seed_customers(&db, 10_000, 7).await.expect("seed");
    let v = app::mail::MailboxInput {
        address: "bench@mail.test".into(),
        password: Some("bench-pw".into()),
        imap_host: "127.0.0.1".into(),
        imap_port: Some(i64::from(servers.imap_port)),
        imap_security: Some(app::mail::Security::None),
        smtp_host: "127.0.0.1".into(),
        smtp_port: Some(i64::from(servers.smtp_port)),
        smtp_security: Some(app::mail::Security::None),
        ..Default::default()
    }
    .validate(true)
    .expect("mailbox");
    let sealed = app::mail::crypto::key().expect("key").encrypt("bench-pw");
    let id = app::mail::store::insert_mailbox(&db, None, &v, &sealed).await.expect("mailbox");
    let t = Instant::now();
    let first = app::mail::sync::sync_now(&db, id).await.expect("sync").expect("mail server");
    let first_s = t.elapsed().as_secs_f64();
    let mut idle_ms = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let r = app::mail::sync::sync_now(&db, id).await.expect("sync").expect("mail server");
        assert_eq!(r.new, 0);
        idle_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let one = messages(1, &["late@elsewhere.uz".to_string()]).pop().unwrap();
    let one = String::from_utf8(one).unwrap().replace("bench0@", &format!("late-{backend}@"));
    servers.imap("bench", "bench-pw").await.append("INBOX", &[one.into_bytes()]).await;
    let t = Instant::now();
    let r = app::mail::sync::sync_now(&db, id).await.expect("sync").expect("mail server");
    let one_new_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(r.new, 1);
    let linked = app::mail::store::mailbox(&db, id).await.expect("mailbox");
    db.close().await;
    Row { backend, first_s, first_new: first.new, idle_ms, one_new_ms, linked: linked.messages - linked.unsorted }
}

#[tokio::main]
async fn main() {
    let n = tests::benchkit::arg("--messages", 10_000) as usize;
    install_mail_key();
    let servers = MailServers::start(&[("bench", "bench-pw")]);
    // Customers' addresses as the seed makes them: read back from a scratch database.
    let dir = std::env::temp_dir().join(format!("karvon_mailbench_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let sqlite = format!("sqlite://{}", dir.join("karvon.db").display());
    let scratch =
        Db::connect(&DbConfig { url: format!("sqlite://{}", dir.join("scratch.db").display()), max_connections: 2 })
            .await
            .expect("scratch");
    server::seed::seed_customers(&scratch, 10_000, 7).await.expect("seed");
    let emails: Vec<String> = match &scratch {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 2000")
                .fetch_all(p)
                .await
                .expect("emails")
        }
        Db::Postgres(_) => unreachable!(),
    };
    scratch.close().await;
    assert!(!emails.is_empty(), "the seed gives customers e-mails");
    let all = messages(n, &emails);
    let bytes: usize = all.iter().map(Vec::len).sum();
    let t = Instant::now();
    servers.imap("bench", "bench-pw").await.append("INBOX", &all).await;
    let fill_s = t.elapsed().as_secs_f64();

    let mut rows = vec![measure("SQLite", &sqlite, &servers).await];
    if let Ok(base) = std::env::var("TEST_POSTGRES_URL") {
        let admin = sqlx::PgPool::connect(&base).await.expect("postgres");
        sqlx::query("DROP DATABASE IF EXISTS karvon_mailbench WITH (FORCE)").execute(&admin).await.expect("drop");
        sqlx::query("CREATE DATABASE karvon_mailbench").execute(&admin).await.expect("create");
        let url = tests::with_database(&base, "karvon_mailbench");
        rows.push(measure("PostgreSQL", &url, &servers).await);
        sqlx::query("DROP DATABASE IF EXISTS karvon_mailbench WITH (FORCE)").execute(&admin).await.expect("drop");
    }
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "\nKarvon mail sync benchmark: {n} messages ({:.1} MB) in a local Dovecot INBOX (filled in {fill_s:.1} s with MULTIAPPEND), 10,000 customers\n",
        bytes as f64 / 1_048_576.0
    );
    println!("| | {} | target |", rows.iter().map(|r| r.backend).collect::<Vec<_>>().join(" | "));
    println!("|---|{}---|", "---|".repeat(rows.len()));
    let line = |label: &str, target: &str, f: &dyn Fn(&Row) -> String| {
        println!("| {label} | {} | {target} |", rows.iter().map(f).collect::<Vec<_>>().join(" | "));
    };
    line("first sync (s)", "< 60", &|r| {
        format!("{:.1} ({} messages, {:.0}/s)", r.first_s, r.first_new, r.first_new as f64 / r.first_s)
    });
    line("linked to customers by address or thread", "", &|r| r.linked.to_string());
    line("sync with nothing new, median / max of 5 (ms)", "< 1000", &|r| {
        let mut v = r.idle_ms.clone();
        v.sort_by(f64::total_cmp);
        format!("{:.1} / {:.1}", v[v.len() / 2], v[v.len() - 1])
    });
    line("sync with one new message (ms)", "", &|r| format!("{:.1}", r.one_new_ms));
}

//! The mail client against real servers (Dovecot IMAP + LMTP, an aiosmtpd SMTP server) on both databases:
//! incremental, idempotent sync with customer matching, threads, unsorted mail and linking; malformed MIME,
//! hostile HTML and oversized attachments; sending from the card, the Sent folder and a UIDVALIDITY change;
//! wrong credentials and unreachable servers; who may see what.

use app::core::identity::Role;
use app::mail::sync::sync_now;
use serde_json::{Value, json};
use tests::mailserver::{MailServers, install_mail_key, message};
use tests::{TestApp, both_apps};

/// Connects alice's mailbox through the API; returns its id.
async fn connect(app: &TestApp, token: &str, s: &MailServers, user: &str, password: &str) -> i64 {
    let r = app
        .api(
            "POST",
            "/api/v1/mailboxes",
            Some(token),
            Some(json!({
                "address": format!("{user}@mail.test"), "password": password,
                "imap_host": "127.0.0.1", "imap_port": s.imap_port, "imap_security": "none",
                "smtp_host": "127.0.0.1", "smtp_port": s.smtp_port, "smtp_security": "none"
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

async fn customer(app: &TestApp, token: &str, name: &str, email: &str) -> i64 {
    let r = app.api("POST", "/api/v1/customers", Some(token), Some(json!({"name": name, "email": email}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

fn subjects(page: &Value) -> Vec<String> {
    let mut v: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|m| m["subject"].as_str().unwrap_or("").to_string()).collect();
    v.sort();
    v
}

async fn sync_imports_links_threads_once(app: TestApp) {
    install_mail_key();
    let s = MailServers::start(&[("alice", "alice-pw")]);
    let (_, token) = app.user_token("alice@karvon.uz", Role::Manager, None).await;
    let anor = customer(&app, &token, "Anor LLC", "ali@anor.uz").await;
    let big = "A".repeat(app::mail::MAX_ATTACHMENT_BYTES + 1000);
    use base64::Engine;
    let big64 = base64::engine::general_purpose::STANDARD.encode(big.as_bytes());
    let msgs = vec![
        message("Ali <ali@anor.uz>", "alice@mail.test", "Offer request", "m1@anor.uz", "", "Please send the price list."),
        message("stranger@other.uz", "alice@mail.test", "Hello there", "m2@other.uz", "", "Who are you?"),
        // A reply from a colleague of Ali's whose address is not on file: it follows its thread's customer.
        message("Vali <vali@anor.uz>", "alice@mail.test", "Re: Offer request", "m3@anor.uz",
            "In-Reply-To: <m1@anor.uz>\r\nReferences: <m1@anor.uz>\r\n", "Me too."),
        // Broken MIME: a multipart without its boundary parameter, cut in the middle of a base64 part.
        b"From: ali@anor.uz\r\nTo: alice@mail.test\r\nSubject: Broken\r\nMessage-ID: <m4@anor.uz>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed\r\n\r\n--zzz\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%not base64"
            .to_vec(),
        String::from(
            "From: ali@anor.uz\r\nTo: alice@mail.test\r\nSubject: Hostile\r\nMessage-ID: <m5@anor.uz>\r\nMIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<p>Price <b>list</b><script>alert(1)</script><img src=x onerror=alert(2)>\
<a href=\"javascript:steal()\">click</a><iframe src=\"https://evil.example\"></iframe></p>\r\n"
        )
        .into_bytes(),
        format!(
            "From: stranger@other.uz\r\nTo: alice@mail.test\r\nSubject: Huge file\r\nMessage-ID: <m6@other.uz>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--B\r\n\
Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"big.bin\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{big64}\r\n--B\r\nContent-Type: text/plain\r\n\
Content-Disposition: attachment; filename=\"small.txt\"\r\n\r\nsmall file\r\n--B--\r\n"
        )
        .into_bytes(),
    ];
    s.imap("alice", "alice-pw").await.append("INBOX", &msgs).await;
    let id = connect(&app, &token, &s, "alice", "alice-pw").await;
    let report = sync_now(&app.db, id).await.unwrap().unwrap();
    assert_eq!((report.new, report.seen), (6, 6));

    let mb = app.get_json(&token, &format!("/api/v1/mailboxes/{id}")).await;
    assert_eq!(mb["status"], "ok");
    assert_eq!(mb["last_error"], Value::Null);
    assert_eq!((mb["messages"].as_i64(), mb["unsorted"].as_i64()), (Some(6), Some(2)));

    // Matched to Anor: by address, and the colleague's reply through its thread.
    let mine = app.get_json(&token, &format!("/api/v1/messages?customer_id={anor}")).await;
    assert_eq!(subjects(&mine), ["Broken", "Hostile", "Offer request", "Re: Offer request"]);
    let timeline = app.get_json(&token, &format!("/api/v1/interactions?customer_id={anor}&kind=email")).await;
    assert_eq!(timeline["items"].as_array().unwrap().len(), 4);
    assert!(timeline["items"].as_array().unwrap().iter().all(|i| i["status"] == "received" && i["direction"] == "in"));
    let unsorted = app.get_json(&token, "/api/v1/messages?unsorted=true").await;
    assert_eq!(subjects(&unsorted), ["Hello there", "Huge file"]);

    // The thread, the sanitised HTML, the oversized attachment kept as a name and size.
    let by_subject = |page: &Value, s: &str| -> i64 {
        page["items"].as_array().unwrap().iter().find(|m| m["subject"] == s).unwrap()["id"].as_i64().unwrap()
    };
    let reply = app.get_json(&token, &format!("/api/v1/messages/{}", by_subject(&mine, "Re: Offer request"))).await;
    let thread: Vec<&str> =
        reply["thread"].as_array().unwrap().iter().map(|m| m["subject"].as_str().unwrap()).collect();
    assert_eq!(thread, ["Offer request", "Re: Offer request"]);
    let hostile = app.get_json(&token, &format!("/api/v1/messages/{}", by_subject(&mine, "Hostile"))).await;
    let html = hostile["body_html"].as_str().unwrap();
    assert!(html.contains("<b>list</b>"), "{html}");
    for bad in ["<script", "onerror", "javascript:", "<iframe"] {
        assert!(!html.contains(bad), "{bad} survived: {html}");
    }
    let broken = app.get_json(&token, &format!("/api/v1/messages/{}", by_subject(&mine, "Broken"))).await;
    assert_eq!(broken["subject"], "Broken");
    let huge = app.get_json(&token, &format!("/api/v1/messages/{}", by_subject(&unsorted, "Huge file"))).await;
    let files = huge["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    // The small file is stored and served as a download, under its own message only.
    assert_eq!((files[1]["file_name"].as_str(), files[1]["stored"].as_bool()), (Some("small.txt"), Some(true)));
    let small = format!("/api/v1/messages/{}/attachments/{}", huge["id"], files[1]["id"]);
    let r = app.api("GET", &small, Some(&token), None).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("small file"));
    assert!(r.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let elsewhere = format!("/api/v1/messages/{}/attachments/{}", by_subject(&mine, "Hostile"), files[1]["id"]);
    assert_eq!(app.api("GET", &elsewhere, Some(&token), None).await.status, 404);
    assert_eq!((files[0]["file_name"].as_str(), files[0]["stored"].as_bool()), (Some("big.bin"), Some(false)));
    assert!(files[0]["size"].as_i64().unwrap() > app::mail::MAX_ATTACHMENT_BYTES as i64);
    let r = app
        .api("GET", &format!("/api/v1/messages/{}/attachments/{}", huge["id"], files[0]["id"]), Some(&token), None)
        .await;
    assert_eq!(r.status, 404);

    // Idempotent: a second sync finds nothing; a new message is the only one imported.
    assert_eq!(sync_now(&app.db, id).await.unwrap().unwrap().new, 0);
    s.imap("alice", "alice-pw")
        .await
        .append("INBOX", &[message("ali@anor.uz", "alice@mail.test", "Order", "m7@anor.uz", "", "We order 10 boxes.")])
        .await;
    assert_eq!(sync_now(&app.db, id).await.unwrap().unwrap(), app::mail::sync::SyncReport { new: 1, seen: 1 });
    assert_eq!(app.get_json(&token, &format!("/api/v1/mailboxes/{id}")).await["messages"], 7);

    // Linking an unsorted message puts it on the timeline; linking twice is a conflict.
    let hello = by_subject(&unsorted, "Hello there");
    let r = app
        .api("POST", &format!("/api/v1/messages/{hello}/link"), Some(&token), Some(json!({"customer_id": anor})))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["customer_id"], anor);
    let r = app
        .api("POST", &format!("/api/v1/messages/{hello}/link"), Some(&token), Some(json!({"customer_id": anor})))
        .await;
    assert_eq!(r.status, 409);
    let timeline = app.get_json(&token, &format!("/api/v1/interactions?customer_id={anor}&kind=email")).await;
    assert_eq!(timeline["items"].as_array().unwrap().len(), 6);
    assert_eq!(subjects(&app.get_json(&token, "/api/v1/messages?unsorted=true").await), ["Huge file"]);

    // Another manager sees neither the mailbox nor its unsorted mail, nor Anor's messages.
    let (_, other) = app.user_token("other@karvon.uz", Role::Manager, None).await;
    assert_eq!(app.api("GET", &format!("/api/v1/mailboxes/{id}"), Some(&other), None).await.status, 404);
    assert_eq!(app.api("POST", &format!("/api/v1/mailboxes/{id}/sync"), Some(&other), None).await.status, 404);
    assert_eq!(app.api("GET", &format!("/api/v1/messages/{}", huge["id"]), Some(&other), None).await.status, 404);
    assert_eq!(app.api("GET", &format!("/api/v1/messages/{hello}"), Some(&other), None).await.status, 404);
    assert_eq!(app.api("GET", &small, Some(&other), None).await.status, 404);
    assert!(app.get_json(&other, "/api/v1/mailboxes").await.as_array().unwrap().is_empty());
    assert!(app.get_json(&other, "/api/v1/messages?unsorted=true").await["items"].as_array().unwrap().is_empty());
    // An administrator reads a linked message through its customer.
    let (_, admin) = app.user_token("admin@karvon.uz", Role::Admin, None).await;
    assert_eq!(app.api("GET", &format!("/api/v1/messages/{hello}"), Some(&admin), None).await.status, 200);
    // The stored password is not the password.
    let enc: String = match &app.db {
        app::core::db::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT password_enc FROM mailboxes").fetch_one(p).await.unwrap()
        }
        app::core::db::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT password_enc FROM mailboxes").fetch_one(p).await.unwrap()
        }
    };
    assert!(!enc.contains("alice-pw"));
}
both_apps!(sync_imports_links_threads_once, sync_imports_links_threads_once);

async fn writing_sends_files_and_threads(app: TestApp) {
    install_mail_key();
    let s = MailServers::start(&[("alice", "alice-pw"), ("bob", "bob-pw")]);
    let (alice, token) = app.user_token("alice@karvon.uz", Role::Manager, None).await;
    let bob = customer(&app, &token, "Bob Trading", "bob@mail.test").await;
    let id = connect(&app, &token, &s, "alice", "alice-pw").await;

    // A template fills in the customer's fields.
    let r = app
        .api("POST", "/api/v1/mail-templates", Some(&token),
            Some(json!({"name": "Offer", "subject": "Offer for {{customer.name}}", "body": "Dear {{ customer.name }},\nregards, {{me.name}}"})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let tpl = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(
            "POST",
            "/api/v1/mail-templates",
            Some(&token),
            Some(json!({"name": "Bad", "subject": "{{nope}}", "body": "x"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["subject"].is_array());
    let user = app::auth::store::load_user(&app.db, alice).await.unwrap().unwrap();
    let (subject, body) = app::mail::service::fill(&app.db, &user, tpl, bob, None).await.unwrap();
    assert_eq!(subject, "Offer for Bob Trading");
    assert_eq!(body, "Dear Bob Trading,\nregards, alice@karvon.uz");

    // Bad input is refused before anything is sent.
    let r = app
        .api(
            "POST",
            "/api/v1/messages",
            Some(&token),
            Some(json!({"mailbox_id": id, "customer_id": bob, "to": "not an address", "subject": "", "body": "x"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["subject"].is_array());
    assert!(s.spool().is_empty());

    // Sent over SMTP (delivered to Bob's mailbox), stored, on the timeline, in the Sent folder.
    let r = app
        .api(
            "POST",
            "/api/v1/messages",
            Some(&token),
            Some(json!({"mailbox_id": id, "customer_id": bob, "subject": subject, "body": body})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let sent = r.json();
    assert_eq!(sent["in_sent_folder"], true);
    let sent_id = sent["message"]["id"].as_i64().unwrap();
    let spool = s.spool();
    assert_eq!(spool.len(), 1);
    assert_eq!(spool[0].0, ["bob@mail.test"]);
    assert!(spool[0].1.contains("Subject: Offer for Bob Trading"));
    let exists = s.imap("bob", "bob-pw").await.command("SELECT INBOX").await;
    assert!(exists.iter().any(|l| l.starts_with("* 1 EXISTS")), "{exists:?}");
    let sent_folder = s.imap("alice", "alice-pw").await.command("SELECT Sent").await;
    assert!(sent_folder.iter().any(|l| l.starts_with("* 1 EXISTS")), "{sent_folder:?}");
    let timeline = app.get_json(&token, &format!("/api/v1/interactions?customer_id={bob}&kind=email")).await;
    assert_eq!(timeline["items"][0]["status"], "sent");

    // The sync meets the sent copy in the Sent folder: the same message, not a second one.
    sync_now(&app.db, id).await.unwrap().unwrap();
    let mb = app.get_json(&token, &format!("/api/v1/mailboxes/{id}")).await;
    assert_eq!(mb["messages"], 1, "{mb}");
    // Bob answers: the reply joins the thread and the customer.
    let message_id =
        app.get_json(&token, &format!("/api/v1/messages/{sent_id}")).await["message_id"].as_str().unwrap().to_string();
    let answer = message(
        "bob@mail.test",
        "alice@mail.test",
        "Re: Offer for Bob Trading",
        "b1@mail.test",
        &format!("In-Reply-To: <{message_id}>\r\nReferences: <{message_id}>\r\n"),
        "Thanks, we take it.",
    );
    s.imap("alice", "alice-pw").await.append("INBOX", std::slice::from_ref(&answer)).await;
    assert_eq!(sync_now(&app.db, id).await.unwrap().unwrap().new, 1);
    let mine = app.get_json(&token, &format!("/api/v1/messages?customer_id={bob}")).await;
    let answer_id =
        mine["items"].as_array().unwrap().iter().find(|m| m["direction"] == "in").unwrap()["id"].as_i64().unwrap();
    let thread =
        app.get_json(&token, &format!("/api/v1/messages/{answer_id}")).await["thread"].as_array().unwrap().len();
    assert_eq!(thread, 2);

    // A reply from Karvon carries the thread's headers.
    let r = app
        .api("POST", "/api/v1/messages", Some(&token),
            Some(json!({"mailbox_id": id, "customer_id": bob, "subject": "Re: Offer", "body": "Invoice follows.", "reply_to": answer_id})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let spool = s.spool();
    let raw = spool.iter().find(|(_, m)| m.contains("Invoice follows.")).unwrap();
    assert!(raw.1.contains("In-Reply-To: <b1@mail.test>"), "{}", raw.1);

    // The server renumbers the Sent folder (new UIDVALIDITY): a full resync, no copies.
    let mut imap = s.imap("alice", "alice-pw").await;
    imap.command("SELECT INBOX").await;
    let sent_raw: Vec<Vec<u8>> = s.spool().into_iter().map(|(_, m)| m.into_bytes()).collect();
    imap.command("DELETE Sent").await;
    imap.command("CREATE Sent").await;
    imap.append("Sent", &sent_raw).await;
    let before = app.get_json(&token, &format!("/api/v1/mailboxes/{id}")).await["messages"].as_i64().unwrap();
    assert_eq!(sync_now(&app.db, id).await.unwrap().unwrap().new, 0);
    assert_eq!(app.get_json(&token, &format!("/api/v1/mailboxes/{id}")).await["messages"].as_i64().unwrap(), before);
}
both_apps!(writing_sends_files_and_threads, writing_sends_files_and_threads);

async fn bad_servers_get_a_clear_status(app: TestApp) {
    install_mail_key();
    let s = MailServers::start(&[("alice", "alice-pw")]);
    let (_, token) = app.user_token("alice@karvon.uz", Role::Manager, None).await;
    let body = |password: &str, imap_port: u16| {
        json!({"address": "alice@mail.test", "password": password, "imap_host": "127.0.0.1", "imap_port": imap_port,
            "imap_security": "none", "smtp_host": "127.0.0.1", "smtp_port": s.smtp_port, "smtp_security": "none"})
    };
    // Wrong password: on the password field; a closed port: on the server field; nothing saved.
    let r = app.api("POST", "/api/v1/mailboxes", Some(&token), Some(body("wrong", s.imap_port))).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["fields"]["password"].is_array(), "{}", r.body);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = app.api("POST", "/api/v1/mailboxes", Some(&token), Some(body("alice-pw", closed))).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["imap_host"].is_array(), "{}", r.body);
    let r = app
        .api(
            "POST",
            "/api/v1/mailboxes",
            Some(&token),
            Some(json!({"address": "nope", "imap_host": "bad host!", "smtp_host": "", "imap_port": 0})),
        )
        .await;
    assert_eq!(r.status, 422);
    let fields = r.json()["fields"].clone();
    for f in ["address", "password", "imap_host", "smtp_host", "imap_port"] {
        assert!(fields[f].is_array(), "{f}: {fields}");
    }
    assert!(app.get_json(&token, "/api/v1/mailboxes").await.as_array().unwrap().is_empty());
    // A shared mailbox is for administrators.
    let mut shared = body("alice-pw", s.imap_port);
    shared["shared"] = json!(true);
    let r = app.api("POST", "/api/v1/mailboxes", Some(&token), Some(shared)).await;
    assert_eq!(r.status, 422);

    // The password no longer works: the sync says so and keeps what it had.
    s.imap("alice", "alice-pw")
        .await
        .append("INBOX", &[message("x@y.uz", "alice@mail.test", "First", "f1@y.uz", "", "hi")])
        .await;
    let id = connect(&app, &token, &s, "alice", "alice-pw").await;
    sync_now(&app.db, id).await.unwrap().unwrap();
    // (Dovecot keeps its users file's contents a while; the stored password changes instead.)
    let wrong = app::mail::crypto::key().unwrap().encrypt("changed-elsewhere");
    match &app.db {
        app::core::db::Db::Sqlite(p) => {
            sqlx::query("UPDATE mailboxes SET password_enc = $1").bind(&wrong).execute(p).await.map(|_| ())
        }
        app::core::db::Db::Postgres(p) => {
            sqlx::query("UPDATE mailboxes SET password_enc = $1").bind(&wrong).execute(p).await.map(|_| ())
        }
    }
    .unwrap();
    let failed = sync_now(&app.db, id).await.unwrap();
    assert!(matches!(failed, Err(app::mail::imap::MailError::Auth(_))), "{failed:?}");
    let mb = app.get_json(&token, &format!("/api/v1/mailboxes/{id}")).await;
    assert_eq!(mb["status"], "error");
    assert!(mb["last_error"].as_str().unwrap().starts_with("auth:"), "{mb}");
    assert_eq!(mb["messages"], 1);

    // "Sync now" is picked up by the job's claim once; a second server finds it taken.
    let r = app.api("POST", &format!("/api/v1/mailboxes/{id}/sync"), Some(&token), None).await;
    assert_eq!(r.status, 202);
    assert_eq!(app::mail::store::claim_due(&app.db, 3_600_000, 60_000).await.unwrap(), Some(id));
    assert_eq!(app::mail::store::claim_due(&app.db, 3_600_000, 60_000).await.unwrap(), None);
    assert!(app.get_json(&token, &format!("/api/v1/mailboxes/{id}")).await["syncing"].as_bool().unwrap());
    assert!(matches!(sync_now(&app.db, id).await, Err(app::core::AppError::Conflict)));

    // The server goes away altogether.
    drop(s);
    app::mail::store::finish_sync(&app.db, id, None).await.unwrap();
    let gone = sync_now(&app.db, id).await.unwrap();
    assert!(matches!(gone, Err(app::mail::imap::MailError::Connect(_))), "{gone:?}");
    let mb = app.get_json(&token, &format!("/api/v1/mailboxes/{id}")).await;
    assert!(mb["last_error"].as_str().unwrap().starts_with("connect:"), "{mb}");
    assert_eq!(mb["messages"], 1);
}
both_apps!(bad_servers_get_a_clear_status, bad_servers_get_a_clear_status);

/// A company's own mail servers, whose certificate its own authority signed: refused (a TLS error on the
/// server field, nothing saved) until the authority is trusted (`KARVON_MAIL_CA_FILE`), then IMAP over TLS
/// and SMTP with STARTTLS both work. SQLite only: the database plays no part.
#[tokio::test]
async fn company_certificate_authority() {
    install_mail_key();
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    let s = MailServers::start_tls(&[("alice", "alice-pw")]);
    let (_, token) = app.user_token("alice@karvon.uz", Role::Manager, None).await;
    let body = json!({"address": "alice@mail.test", "password": "alice-pw",
        "imap_host": "127.0.0.1", "imap_port": s.imaps_port, "imap_security": "tls",
        "smtp_host": "127.0.0.1", "smtp_port": s.smtp_port, "smtp_security": "starttls"});
    // Garbage is refused and changes nothing.
    assert!(app::mail::net::trust_company_ca(b"not a certificate").is_err());
    assert!(app::mail::net::trust_company_ca(b"").is_err());
    let r = app.api("POST", "/api/v1/mailboxes", Some(&token), Some(body.clone())).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["fields"]["imap_host"].is_array(), "{}", r.body);
    assert!(app.get_json(&token, "/api/v1/mailboxes").await.as_array().unwrap().is_empty());

    let n = app::mail::net::trust_company_ca(s.ca_pem.as_deref().unwrap()).unwrap();
    assert_eq!(n, 1);
    let r = app.api("POST", "/api/v1/mailboxes", Some(&token), Some(body)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    // A letter goes out over STARTTLS and lands in the Sent folder over TLS.
    let c = customer(&app, &token, "Tls Mijoz", "client@example.uz").await;
    let r = app
        .api(
            "POST",
            "/api/v1/messages",
            Some(&token),
            Some(json!({"mailbox_id": id, "customer_id": c, "to": "client@example.uz", "subject": "Over TLS", "body": "hi"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(
        s.spool().iter().any(|(rcpt, raw)| rcpt.contains(&"client@example.uz".to_string()) && raw.contains("Over TLS"))
    );
}

/// A page call as a browser without JavaScript makes it, then the page it leads to (Russian, as
/// `TestApp::browser` asks for).
async fn form_then_page(app: &TestApp, path: &str, form: &str, from: &str) -> (Option<String>, String) {
    let res = app.browser("POST", path, None, Some(form), from).await;
    assert!(res.status.is_redirection(), "{path}: {} {}", res.status, res.body);
    let location = res.location().unwrap();
    let to = location.strip_prefix("http://127.0.0.1:3000").unwrap_or(&location).to_string();
    let page = app.browser("GET", &to, None, None, from).await;
    (Some(to), page.body)
}

/// The password link from the newest letter to `to` in the SMTP spool, waiting for it up to 10 s.
async fn link_in_mail(s: &MailServers, to: &str, letters_before: usize) -> String {
    for _ in 0..100 {
        // (Quoted-printable: soft line breaks joined, `=3D` back to `=`.)
        let mine: Vec<String> = s
            .spool()
            .into_iter()
            .filter(|(rcpt, _)| rcpt.iter().any(|r| r == to))
            .map(|(_, raw)| raw.replace("=\r\n", "").replace("=3D", "="))
            .collect();
        if mine.len() > letters_before {
            let raw = mine.iter().find(|raw| raw.contains("reset-password?token=")).expect("a link");
            let token = raw.split("reset-password?token=").nth(1).unwrap();
            return token.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no letter to {to}");
}

/// A forgotten password: unavailable until an administrator chooses the sending mailbox; then a link by
/// e-mail (the same answer for an unknown address, and no letter), which sets a new password once and ends
/// the user's sessions and tokens; requests are limited per client address.
async fn password_link_by_mail(app: TestApp) {
    install_mail_key();
    app::auth::reset::set_public_url(Some("https://crm.example.uz/".into()));
    let s = MailServers::start(&[("karvon", "karvon-pw"), ("ali", "ali-pw")]);
    let (_, admin) = app.user_token("boss@karvon.uz", Role::Admin, None).await;
    let (_, ali_token) = app.user_token("ali@mail.test", Role::Manager, None).await;
    let forgot = |email: &str| format!("email={}", email.replace('@', "%40"));

    let (_, page) = form_then_page(&app, "/rpc/password/forgot", &forgot("ali@mail.test"), "/forgot-password").await;
    assert!(page.contains("Восстановление пароля по почте не настроено"), "{page}");

    let r = app
        .api(
            "POST",
            "/api/v1/mailboxes",
            Some(&admin),
            Some(json!({
                "address": "karvon@mail.test", "password": "karvon-pw", "shared": true,
                "imap_host": "127.0.0.1", "imap_port": s.imap_port, "imap_security": "none",
                "smtp_host": "127.0.0.1", "smtp_port": s.smtp_port, "smtp_security": "none"
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let mailbox = r.json()["id"].as_i64().unwrap();
    assert!(app::auth::reset::set_sender(&app.db, Some(999_999)).await.is_err(), "only a shared mailbox");
    app::auth::reset::set_sender(&app.db, Some(mailbox)).await.unwrap();

    // Known and unknown addresses get the same answer; only the known one gets a letter.
    let (to, page) = form_then_page(&app, "/rpc/password/forgot", &forgot("ali@mail.test"), "/forgot-password").await;
    assert_eq!(to.as_deref(), Some("/forgot-password?sent=1"));
    assert!(page.contains("Если этот адрес принадлежит учётной записи"), "{page}");
    let (to2, _) = form_then_page(&app, "/rpc/password/forgot", &forgot("nobody@mail.test"), "/forgot-password").await;
    assert_eq!(to, to2);
    let token = link_in_mail(&s, "ali@mail.test", 0).await;
    let letter = s.spool().into_iter().find(|(rcpt, _)| rcpt.iter().any(|r| r == "ali@mail.test")).unwrap().1;
    let letter = letter.replace("=\r\n", "").replace("=3D", "=");
    assert!(
        letter.contains(&format!("https://crm.example.uz/reset-password?token={token}")),
        "made of the public address: {letter}"
    );
    assert!(!s.spool().iter().any(|(rcpt, _)| rcpt.iter().any(|r| r == "nobody@mail.test")));

    // A short password is refused next to its field and the link still works; then it is set.
    let reset =
        |password: &str, repeat: &str| format!("token={token}&new_password={password}&password_repeat={repeat}");
    let (_, page) = form_then_page(&app, "/rpc/password/reset", &reset("short", "short"), "/reset-password").await;
    assert!(page.contains("data-test=\"error-new_password\""), "{page}");
    let (to, page) = form_then_page(
        &app,
        "/rpc/password/reset",
        &reset("a-new-long-password", "a-new-long-password"),
        "/reset-password",
    )
    .await;
    assert_eq!(to.as_deref(), Some("/login?reset=1"));
    assert!(page.contains("Пароль изменён"), "{page}");
    // The old token ended; the new password signs in; the link works once.
    assert_eq!(app.api("GET", "/api/v1/me", Some(&ali_token), None).await.status, 401);
    let body = json!({"email": "ali@mail.test", "password": "a-new-long-password"});
    assert_eq!(app.api("POST", "/api/v1/auth/token", None, Some(body)).await.status, 201);
    let again = reset("another-long-password", "another-long-password");
    let (_, page) = form_then_page(&app, "/rpc/password/reset", &again, "/reset-password").await;
    assert!(page.contains("data-test=\"reset-link-error\""), "{page}");

    // Five requests from one address in a quarter of an hour, then 429.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            app.browser("POST", "/rpc/password/forgot", None, Some(&forgot("x@mail.test")), "/forgot-password").await,
        );
    }
    let last = statuses.pop().unwrap();
    assert!(statuses.iter().all(|r| r.location().as_deref() == Some("/forgot-password?sent=1")));
    let refused = last.location().unwrap_or_default();
    assert!(refused.contains("__err="), "the sixth is refused: {refused}");
    let page = app.browser("GET", &refused, None, None, "/forgot-password").await.body;
    assert!(page.contains("role=\"alert\""), "{page}");
}
both_apps!(password_link, password_link_by_mail);

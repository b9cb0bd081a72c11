//! Mailbox settings cannot make the server dial the local or private network unless the administrator
//! allows it (`KARVON_MAIL_ALLOW_PRIVATE_HOSTS`). Its own test binary: the suite's mail tests allow it for
//! their local Dovecot, and the switch is per process.

use app::core::identity::Role;
use serde_json::json;
use tests::{Backend, TestApp};

#[tokio::test]
async fn mailbox_settings_do_not_reach_internal_hosts() {
    assert!(!app::mail::net::ALLOW_PRIVATE_HOSTS.load(std::sync::atomic::Ordering::Relaxed), "off by default");
    tests::mailserver::install_mail_key();
    let app = TestApp::new(Backend::Sqlite).await.unwrap();
    let (_, token) = app.user_token("probe@karvon.uz", Role::Manager, None).await;
    // A listener standing in for an internal service: it must never see a connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mailbox = |imap: &str, smtp: &str| {
        json!({"address": "probe@karvon.uz", "password": "secret", "imap_host": imap, "imap_port": port,
               "imap_security": "none", "smtp_host": smtp, "smtp_port": port, "smtp_security": "none"})
    };
    for (imap, smtp, field) in [
        ("127.0.0.1", "127.0.0.1", "imap_host"),
        ("localhost", "localhost", "imap_host"),
        ("169.254.169.254", "169.254.169.254", "imap_host"),
        ("10.0.0.1", "10.0.0.1", "imap_host"),
        ("0.0.0.0", "0.0.0.0", "imap_host"),
    ] {
        let res = app.api("POST", "/api/v1/mailboxes", Some(&token), Some(mailbox(imap, smtp))).await;
        assert_eq!(res.status, 422, "{imap}: {}", res.body);
        let message = res.json()["fields"][field][0].as_str().unwrap_or_default().to_string();
        assert!(message.contains("ichki tarmoq"), "{imap}: {}", res.body);
    }
    let accepted = tokio::time::timeout(std::time::Duration::from_millis(200), listener.accept()).await;
    assert!(accepted.is_err(), "the server dialled an internal address");
    let list = app.api("GET", "/api/v1/mailboxes", Some(&token), None).await.json();
    assert_eq!(list.as_array().map(Vec::len).or(list["items"].as_array().map(Vec::len)), Some(0), "nothing saved");
}

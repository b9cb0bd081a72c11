//! `karvon admin set-password`: the real binary, the password on standard input. The user's sessions end, their
//! API tokens are revoked, the new password signs in and the old one no longer does; a password that breaks
//! the rules or an unknown e-mail is refused with a message and nothing changes.

use std::io::Write;
use std::process::{Output, Stdio};

use app::auth::store;
use app::core::AppError;
use app::core::db::{Db, DbConfig};

mod common;

use common::karvon;

/// `karvon admin set-password --email E` with `input` on standard input.
fn set_password(url: &str, dir: &std::path::Path, email: &str, input: &str) -> Output {
    let mut child = karvon(url, dir)
        .args(["admin", "set-password", "--email", email])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn set_password_from_stdin_ends_sessions_and_tokens() {
    let dir = std::env::temp_dir().join(format!("karvon_admin_cli_{}_{}", std::process::id(), rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("karvon.db").display());
    let made = karvon(&url, &dir)
        .args(["admin", "create", "--email", "boss@karvon.uz", "--password", "old-password-1"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let db = Db::connect(&DbConfig { url: url.clone(), max_connections: 2 }).await.unwrap();
    let id = store::authenticate(&db, "boss@karvon.uz", "old-password-1", "1.1.1.1", None).await.unwrap().user_id;
    let session = store::create_session(&db, id).await.unwrap();
    let (_, token) = store::create_api_token(&db, id, "sync job").await.unwrap();

    // Refused: too short, and an e-mail nobody has. Nothing changes.
    let short = set_password(&url, &dir, "boss@karvon.uz", "short\n");
    assert!(!short.status.success());
    let unknown = set_password(&url, &dir, "nobody@karvon.uz", "new-password-2\n");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user with the e-mail nobody@karvon.uz"));
    assert!(store::session_user(&db, &session).await.unwrap().is_some());
    assert!(store::token_user(&db, &token).await.unwrap().is_some());

    // The line break (also a Windows one) is not part of the password; the e-mail's case does not matter.
    let done = set_password(&url, &dir, "Boss@Karvon.uz", "new-password-2\r\n");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(String::from_utf8_lossy(&done.stdout).contains("sessions ended"));
    assert!(store::session_user(&db, &session).await.unwrap().is_none(), "the session ended");
    assert!(store::token_user(&db, &token).await.unwrap().is_none(), "the token was revoked");
    assert_eq!(
        store::authenticate(&db, "boss@karvon.uz", "old-password-1", "1.1.1.2", None).await,
        Err(AppError::BadCredentials)
    );
    assert_eq!(
        store::authenticate(&db, "boss@karvon.uz", "new-password-2", "1.1.1.2", None).await.unwrap().user_id,
        id
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

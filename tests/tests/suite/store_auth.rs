//! Store contract: users, sessions, tokens, throttling, modules, on SQLite and PostgreSQL.

use app::auth::store;
use app::core::AppError;
use app::core::db::Db;
use app::core::identity::Role;
use tests::{both_backends, make_user};

async fn accounts(db: Db) {
    assert_eq!(store::count_users(&db).await.unwrap(), 0);
    let hash = store::hash_password("first-admin-pw");
    let admin = store::create_first_admin(&db, "Boss@Karvon.uz", "Boss", &hash).await.unwrap();
    // The set-up is one-time: a second attempt is refused.
    assert_eq!(store::create_first_admin(&db, "x@karvon.uz", "X", &hash).await, Err(AppError::Forbidden));
    let dup = make_user_result(&db, "boss@karvon.uz").await;
    assert_eq!(dup.unwrap_err().field_codes("email"), vec![app::core::ErrCode::EmailTaken]);

    // E-mail is case-insensitive for login.
    let id = store::authenticate(&db, "BOSS@karvon.uz", "first-admin-pw", "1.1.1.1", None).await.unwrap().user_id;
    assert_eq!(id, admin);
    assert_eq!(
        store::authenticate(&db, "boss@karvon.uz", "wrong", "1.1.1.1", None).await,
        Err(AppError::BadCredentials)
    );
    assert_eq!(store::authenticate(&db, "nobody@karvon.uz", "x", "1.1.1.1", None).await, Err(AppError::BadCredentials));

    let secret = store::create_session(&db, admin).await.unwrap();
    let user = store::session_user(&db, &secret).await.unwrap().expect("session resolves");
    assert_eq!((user.id, user.role, user.email.as_str()), (admin, Role::Admin, "boss@karvon.uz"));
    assert!(store::session_user(&db, "forged").await.unwrap().is_none());

    // Changing the password ends other sessions but keeps the current one.
    let other = store::create_session(&db, admin).await.unwrap();
    store::set_password(&db, admin, &store::hash_password("second-pw-123"), Some(&secret)).await.unwrap();
    assert!(store::session_user(&db, &secret).await.unwrap().is_some());
    assert!(store::session_user(&db, &other).await.unwrap().is_none());
    store::delete_session(&db, &secret).await.unwrap();
    assert!(store::session_user(&db, &secret).await.unwrap().is_none());

    // A reset on the user's behalf ends every session and revokes every token, in one step.
    let (a, b) = (store::create_session(&db, admin).await.unwrap(), store::create_session(&db, admin).await.unwrap());
    let (_, token) = store::create_api_token(&db, admin, "sync").await.unwrap();
    let other_user = make_user(&db, "other@karvon.uz", Role::Manager, None).await;
    let (_, other_token) = store::create_api_token(&db, other_user, "theirs").await.unwrap();
    store::reset_password(&db, admin, &store::hash_password("third-pw-1234"), false).await.unwrap();
    for s in [&a, &b] {
        assert!(store::session_user(&db, s).await.unwrap().is_none());
    }
    assert!(store::token_user(&db, &token).await.unwrap().is_none());
    assert!(store::token_user(&db, &other_token).await.unwrap().is_some(), "other users keep theirs");
    assert_eq!(
        store::authenticate(&db, "boss@karvon.uz", "third-pw-1234", "1.1.1.3", None).await.unwrap().user_id,
        admin
    );
    assert_eq!(store::reset_password(&db, 999_999, "h", true).await, Err(AppError::NotFound));
    let fresh = store::create_session(&db, admin).await.unwrap();
    assert!(!store::session_user(&db, &fresh).await.unwrap().unwrap().must_change_password);

    // A temporary password (set by an administrator) must be replaced: the flag rides on the user until the
    // user's own change clears it.
    store::reset_password(&db, other_user, &store::hash_password("temporary-pw-1"), true).await.unwrap();
    assert!(store::token_user(&db, &other_token).await.unwrap().is_none());
    let theirs = store::create_session(&db, other_user).await.unwrap();
    assert!(store::session_user(&db, &theirs).await.unwrap().unwrap().must_change_password);
    store::set_password(&db, other_user, &store::hash_password("my-own-pw-123"), Some(&theirs)).await.unwrap();
    assert!(!store::session_user(&db, &theirs).await.unwrap().unwrap().must_change_password);
}

async fn make_user_result(db: &Db, email: &str) -> Result<i64, AppError> {
    store::create_user(
        db,
        store::NewUserRow { email, name: "N", password_hash: "h", role: Role::Manager, team_id: None },
    )
    .await
}
both_backends!(accounts_and_sessions, accounts);

async fn throttling(db: Db) {
    use store::{MAX_FAILURES, authenticate};
    let id = make_user(&db, "m@karvon.uz", Role::Manager, None).await;
    let right = "password-m@karvon.uz";
    // The owner signs in once on their tablet: it becomes a known device.
    let tablet = authenticate(&db, "m@karvon.uz", right, "9.9.9.9", None).await.unwrap();
    assert_eq!(tablet.user_id, id);
    let tablet = tablet.new_device.expect("a device cookie for an unknown device");
    // One address failing too often is stopped, for any account.
    for _ in 0..MAX_FAILURES {
        assert_eq!(authenticate(&db, "nobody@karvon.uz", "bad", "2.2.2.2", None).await, Err(AppError::BadCredentials));
    }
    make_user(&db, "n@karvon.uz", Role::Manager, None).await;
    assert!(matches!(
        authenticate(&db, "n@karvon.uz", "password-n@karvon.uz", "2.2.2.2", None).await,
        Err(AppError::RateLimited { .. })
    ));
    assert!(authenticate(&db, "n@karvon.uz", "password-n@karvon.uz", "4.4.4.4", None).await.is_ok());
    // An attacker elsewhere cannot lock the owner out: on the known device the right password works at once,
    // from any address...
    for i in 0..MAX_FAILURES + 2 {
        let failed = authenticate(&db, "m@karvon.uz", "bad", &format!("5.5.5.{i}"), None).await;
        assert!(matches!(failed, Err(AppError::BadCredentials | AppError::RateLimited { .. })));
        // Each address tries again once the account's delay has passed (it grows: 1 s, 2 s, ...).
        if let Err(AppError::RateLimited { retry_after_secs }) = failed {
            panic!("attempt {i} waited {retry_after_secs} s: the delay starts after {MAX_FAILURES} failures");
        }
        if i + 1 >= MAX_FAILURES && i + 1 < MAX_FAILURES + 2 {
            tokio::time::sleep(std::time::Duration::from_millis(1000 << (i + 1 - MAX_FAILURES))).await;
        }
    }
    let on_tablet = authenticate(&db, "m@karvon.uz", right, "7.7.7.7", Some(&tablet)).await.unwrap();
    assert_eq!(on_tablet, store::SignedIn { user_id: id, new_device: None });
    // ...while an unknown device waits a short delay (4 s after seven failures), not a lockout.
    let waited = authenticate(&db, "m@karvon.uz", right, "8.8.8.8", None).await;
    let Err(AppError::RateLimited { retry_after_secs }) = waited else { panic!("{waited:?}") };
    assert!((1..=4).contains(&retry_after_secs), "{retry_after_secs}");
    tokio::time::sleep(std::time::Duration::from_millis(1100 * retry_after_secs as u64)).await;
    assert!(authenticate(&db, "m@karvon.uz", right, "8.8.8.8", None).await.is_ok());
    // A device cookie of another user is just an unknown device.
    let other = authenticate(&db, "n@karvon.uz", "password-n@karvon.uz", "6.6.6.6", Some(&tablet)).await.unwrap();
    assert!(other.new_device.is_some());
}
both_backends!(login_throttling, throttling);

/// A parallel burst from one address: the attempts are counted before any password is hashed, so no more
/// than the limit reach the hash (each costs ~19 MiB and a core).
async fn parallel_burst(db: Db) {
    make_user(&db, "burst@karvon.uz", Role::Manager, None).await;
    let tries = (0..24).map(|_| {
        let db = db.clone();
        tokio::spawn(async move { store::authenticate(&db, "burst@karvon.uz", "guess", "3.3.3.3", None).await })
    });
    let results = futures_util::future::join_all(tries).await;
    let checked = results.iter().filter(|r| matches!(r, Ok(Err(AppError::BadCredentials)))).count();
    let refused = results.iter().filter(|r| matches!(r, Ok(Err(AppError::RateLimited { .. })))).count();
    assert!(checked <= store::MAX_FAILURES as usize, "{checked} passwords checked");
    assert_eq!(checked + refused, 24);
}
both_backends!(login_burst, parallel_burst);

#[test]
fn throttle_delays_grow_and_stay_short() {
    use store::{Attempts, MAX_ACCOUNT_DELAY_MS, MAX_FAILURES, throttle_wait};
    let now = 1_000_000;
    let fresh = Attempts { by_ip: 1, ..Default::default() };
    assert_eq!(throttle_wait(&fresh, now), None);
    assert_eq!(throttle_wait(&Attempts { by_ip: MAX_FAILURES + 1, ..fresh }, now), Some(60_000));
    let account = |n: i64, ago: i64| Attempts { account: n, account_last: Some(now - ago), ..fresh };
    assert_eq!(throttle_wait(&account(MAX_FAILURES - 1, 0), now), None);
    assert_eq!(throttle_wait(&account(MAX_FAILURES, 0), now), Some(1000));
    assert_eq!(throttle_wait(&account(MAX_FAILURES + 3, 0), now), Some(8000));
    assert_eq!(throttle_wait(&account(MAX_FAILURES + 3, 8000), now), None);
    assert_eq!(throttle_wait(&account(MAX_FAILURES + 40, 0), now), Some(MAX_ACCOUNT_DELAY_MS));
    // A known device ignores the account's failures from elsewhere, but not its own.
    let known = Attempts { by_device: Some(1), ..account(MAX_FAILURES + 40, 0) };
    assert_eq!(throttle_wait(&known, now), None);
    assert_eq!(throttle_wait(&Attempts { by_device: Some(MAX_FAILURES + 1), ..known }, now), Some(60_000));
}

async fn tokens(db: Db) {
    let id = make_user(&db, "t@karvon.uz", Role::Manager, None).await;
    let other = make_user(&db, "o@karvon.uz", Role::Manager, None).await;
    let (tid, secret) = store::create_api_token(&db, id, "1C exchange").await.unwrap();
    assert!(secret.starts_with("kv_"));
    assert_eq!(store::token_user(&db, &secret).await.unwrap().map(|u| u.id), Some(id));
    let list = store::list_api_tokens(&db, Some(id)).await.unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].last_used_at.is_some(), "use is recorded");
    // Nobody else can revoke it.
    assert_eq!(store::revoke_api_token(&db, Some(other), tid).await, Err(AppError::NotFound));
    store::revoke_api_token(&db, Some(id), tid).await.unwrap();
    assert!(store::token_user(&db, &secret).await.unwrap().is_none());
    assert!(store::list_api_tokens(&db, Some(id)).await.unwrap()[0].revoked);

    // Scope and expiry: a read-only token says so; an expired one lets nobody in and is listed as expired.
    use app::auth::TokenScope;
    let now = app::core::now_millis();
    let (_, read) = store::create_token(&db, id, "reports", TokenScope::Read, Some(now + 86_400_000)).await.unwrap();
    let (user, scope) = store::token_access(&db, &read).await.unwrap().expect("a read token lets its user in");
    assert_eq!((user.id, scope), (id, TokenScope::Read));
    let (_, old) = store::create_token(&db, id, "old", TokenScope::Write, Some(now - 1)).await.unwrap();
    assert!(store::token_access(&db, &old).await.unwrap().is_none());
    let mine = store::list_api_tokens(&db, Some(id)).await.unwrap();
    assert_eq!(
        mine.iter().map(|t| (t.name.as_str(), t.scope, t.expired)).collect::<Vec<_>>(),
        [
            ("old", TokenScope::Write, true),
            ("reports", TokenScope::Read, false),
            ("1C exchange", TokenScope::Write, false),
        ]
    );
    // Administrators see everyone's, with the owner's name, and revoke any.
    let (theirs, _) = store::create_api_token(&db, other, "theirs").await.unwrap();
    let all = store::list_api_tokens(&db, None).await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!((all[0].user_id, all[0].user_name.as_str()), (other, "o@karvon.uz"));
    store::revoke_api_token(&db, None, theirs).await.unwrap();
    assert_eq!(store::revoke_api_token(&db, None, theirs).await, Err(AppError::NotFound), "already revoked");
}
both_backends!(api_tokens, tokens);

async fn modules_and_users(db: Db) {
    assert!(app::core::modules::disabled_modules(&db).await.unwrap().is_empty());
    app::core::modules::set_module(&db, "customers", false).await.unwrap();
    assert_eq!(app::core::modules::disabled_modules(&db).await.unwrap(), vec!["customers".to_string()]);
    app::core::modules::set_module(&db, "customers", true).await.unwrap();
    assert!(app::core::modules::disabled_modules(&db).await.unwrap().is_empty());

    let team = app::admin::store::create_team(&db, "Toshkent").await.unwrap();
    assert_eq!(
        app::admin::store::create_team(&db, "Toshkent").await.unwrap_err().field_codes("name"),
        vec![app::core::ErrCode::NameTaken]
    );
    let admin = make_user(&db, "a@karvon.uz", Role::Admin, None).await;
    let m = make_user(&db, "m@karvon.uz", Role::Manager, None).await;
    tests::set_user(&db, m, Role::SalesHead, Some(team), true, None).await.unwrap();
    let users = app::admin::store::list_users(&db).await.unwrap();
    let head = users.iter().find(|u| u.id == m).unwrap();
    assert_eq!((head.role, head.team_name.as_deref()), (Role::SalesHead, Some("Toshkent")));
    // The last administrator cannot be demoted or deactivated.
    assert!(tests::set_user(&db, admin, Role::Manager, None, true, None).await.is_err());
    assert!(tests::set_user(&db, admin, Role::Admin, None, false, None).await.is_err());
    // A deactivated user can no longer sign in; their sessions end.
    let session = store::create_session(&db, m).await.unwrap();
    tests::set_user(&db, m, Role::SalesHead, Some(team), false, None).await.unwrap();
    assert!(store::session_user(&db, &session).await.unwrap().is_none());
    assert_eq!(
        store::authenticate(&db, "m@karvon.uz", "password-m@karvon.uz", "5.5.5.5", None).await,
        Err(AppError::BadCredentials)
    );
    assert_eq!(app::admin::store::list_teams(&db).await.unwrap()[0].members, 1);
}
both_backends!(modules_users_teams, modules_and_users);

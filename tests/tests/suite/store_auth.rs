//! Store contract: users, sessions, tokens, throttling, modules, on SQLite and PostgreSQL.

use app::auth::{Role, store};
use app::core::AppError;
use app::core::db::Db;
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
    let id = store::authenticate(&db, "BOSS@karvon.uz", "first-admin-pw", "1.1.1.1").await.unwrap();
    assert_eq!(id, admin);
    assert_eq!(store::authenticate(&db, "boss@karvon.uz", "wrong", "1.1.1.1").await, Err(AppError::BadCredentials));
    assert_eq!(store::authenticate(&db, "nobody@karvon.uz", "x", "1.1.1.1").await, Err(AppError::BadCredentials));

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
    let id = make_user(&db, "m@karvon.uz", Role::Manager, None).await;
    for _ in 0..store::MAX_FAILURES {
        assert_eq!(store::authenticate(&db, "m@karvon.uz", "bad", "2.2.2.2").await, Err(AppError::BadCredentials));
    }
    // Even the right password is refused while throttled, per account (from another IP too)...
    assert!(matches!(
        store::authenticate(&db, "m@karvon.uz", "password-m@karvon.uz", "3.3.3.3").await,
        Err(AppError::RateLimited { .. })
    ));
    // ...and per IP, for another account.
    make_user(&db, "n@karvon.uz", Role::Manager, None).await;
    assert!(matches!(
        store::authenticate(&db, "n@karvon.uz", "password-n@karvon.uz", "2.2.2.2").await,
        Err(AppError::RateLimited { .. })
    ));
    assert!(store::authenticate(&db, "n@karvon.uz", "password-n@karvon.uz", "4.4.4.4").await.is_ok());
    let _ = id;
}
both_backends!(login_throttling, throttling);

async fn tokens(db: Db) {
    let id = make_user(&db, "t@karvon.uz", Role::Manager, None).await;
    let other = make_user(&db, "o@karvon.uz", Role::Manager, None).await;
    let (tid, secret) = store::create_api_token(&db, id, "1C exchange").await.unwrap();
    assert!(secret.starts_with("kv_"));
    assert_eq!(store::token_user(&db, &secret).await.unwrap().map(|u| u.id), Some(id));
    let list = store::list_api_tokens(&db, id).await.unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].last_used_at.is_some(), "use is recorded");
    // Nobody else can revoke it.
    assert_eq!(store::revoke_api_token(&db, other, tid).await, Err(AppError::NotFound));
    store::revoke_api_token(&db, id, tid).await.unwrap();
    assert!(store::token_user(&db, &secret).await.unwrap().is_none());
    assert!(store::list_api_tokens(&db, id).await.unwrap()[0].revoked);
}
both_backends!(api_tokens, tokens);

async fn modules_and_users(db: Db) {
    assert!(store::disabled_modules(&db).await.unwrap().is_empty());
    store::set_module(&db, "customers", false).await.unwrap();
    assert_eq!(store::disabled_modules(&db).await.unwrap(), vec!["customers".to_string()]);
    store::set_module(&db, "customers", true).await.unwrap();
    assert!(store::disabled_modules(&db).await.unwrap().is_empty());

    let team = app::admin::store::create_team(&db, "Toshkent").await.unwrap();
    assert_eq!(
        app::admin::store::create_team(&db, "Toshkent").await.unwrap_err().field_codes("name"),
        vec![app::core::ErrCode::NameTaken]
    );
    let admin = make_user(&db, "a@karvon.uz", Role::Admin, None).await;
    let m = make_user(&db, "m@karvon.uz", Role::Manager, None).await;
    app::admin::store::update_user(&db, m, Role::SalesHead, Some(team), true, None).await.unwrap();
    let users = app::admin::store::list_users(&db).await.unwrap();
    let head = users.iter().find(|u| u.id == m).unwrap();
    assert_eq!((head.role, head.team_name.as_deref()), (Role::SalesHead, Some("Toshkent")));
    // The last administrator cannot be demoted or deactivated.
    assert!(app::admin::store::update_user(&db, admin, Role::Manager, None, true, None).await.is_err());
    assert!(app::admin::store::update_user(&db, admin, Role::Admin, None, false, None).await.is_err());
    // A deactivated user can no longer sign in; their sessions end.
    let session = store::create_session(&db, m).await.unwrap();
    app::admin::store::update_user(&db, m, Role::SalesHead, Some(team), false, None).await.unwrap();
    assert!(store::session_user(&db, &session).await.unwrap().is_none());
    assert_eq!(
        store::authenticate(&db, "m@karvon.uz", "password-m@karvon.uz", "5.5.5.5").await,
        Err(AppError::BadCredentials)
    );
    assert_eq!(app::admin::store::list_teams(&db).await.unwrap()[0].members, 1);
}
both_backends!(modules_users_teams, modules_and_users);

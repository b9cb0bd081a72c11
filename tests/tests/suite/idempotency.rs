//! `Idempotency-Key` on POST: a retry gets the first answer and never acts twice, on both databases.

use app::core::idempotency::{self, Claim};
use app::core::identity::Role;
use serde_json::json;
use tests::TestApp;

async fn count_customers(app: &TestApp, token: &str, q: &str) -> usize {
    let list = app.api("GET", &format!("/api/v1/customers?q={q}"), Some(token), None).await;
    list.json()["items"].as_array().map_or(0, Vec::len)
}

async fn retried_posts_act_once(app: TestApp) {
    let (_, token) = app.user_token("m1@k.uz", Role::Manager, None).await;
    let (_, other) = app.user_token("m2@k.uz", Role::Manager, None).await;
    let body = json!({"name": "Navoiy Tekstil", "kind": "company"});
    let key = [("idempotency-key", "7c1f0e7e-5b7a-4a43-9d55-0a1d1f6f0c01")];

    let first = app.api_with("POST", "/api/v1/customers", Some(&token), Some(body.clone()), &key).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert!(first.headers.get("idempotent-replayed").is_none());
    // The retry: the same answer, marked as replayed, and still one customer.
    let again = app.api_with("POST", "/api/v1/customers", Some(&token), Some(body.clone()), &key).await;
    assert_eq!((again.status, again.json()), (first.status, first.json()));
    assert_eq!(again.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    assert_eq!(again.headers.get("content-type"), first.headers.get("content-type"));
    assert_eq!(count_customers(&app, &token, "navoiy").await, 1);

    // The same key on a different request is refused; another user's same key is theirs alone.
    let changed = json!({"name": "Navoiy Tekstil 2", "kind": "company"});
    let reused = app.api_with("POST", "/api/v1/customers", Some(&token), Some(changed), &key).await;
    assert_eq!(reused.status, 422, "{}", reused.body);
    assert!(reused.json()["fields"]["Idempotency-Key"].is_array(), "{}", reused.body);
    let theirs = app.api_with("POST", "/api/v1/customers", Some(&other), Some(body.clone()), &key).await;
    assert_eq!(theirs.status, 201);
    assert_ne!(theirs.json()["id"], first.json()["id"]);

    // A refusal is an answer too: replayed, not re-run.
    let bad = [("idempotency-key", "bad-1")];
    let refused = app.api_with("POST", "/api/v1/customers", Some(&token), Some(json!({"name": ""})), &bad).await;
    assert_eq!(refused.status, 422);
    let again = app.api_with("POST", "/api/v1/customers", Some(&token), Some(json!({"name": ""})), &bad).await;
    assert_eq!((again.status, again.body.as_str()), (refused.status, refused.body.as_str()));

    // Keys are visible ASCII, at most 255 characters.
    let long = "k".repeat(256);
    for k in [long.as_str(), "with space", "ключ"] {
        let res = app
            .api_with("POST", "/api/v1/customers", Some(&token), Some(body.clone()), &[("idempotency-key", k)])
            .await;
        assert_eq!(res.status, 422, "{k}: {}", res.body);
    }
    // Without a key, every POST acts.
    app.api("POST", "/api/v1/customers", Some(&token), Some(body.clone())).await;
    assert_eq!(count_customers(&app, &token, "navoiy").await, 2);
}
tests::both_apps!(retried_posts, retried_posts_act_once);

/// Server functions (the pages' own calls) honour the header too.
async fn server_functions_too(app: TestApp) {
    let (_, token) = app.user_token("m1@k.uz", Role::Manager, None).await;
    let session =
        app.browser("POST", "/rpc/login", None, Some("email=m1%40k.uz&password=password-m1%40k.uz"), "/login").await;
    let cookie = session.cookie("karvon_session").expect("signed in");
    let send = || async {
        let req = http::Request::builder()
            .method("POST")
            .uri("/rpc/customers/create")
            .header("host", "127.0.0.1:3000")
            .header("origin", "http://127.0.0.1:3000")
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &cookie)
            .header("idempotency-key", "form-1")
            .body(axum::body::Body::from("name=Buxoro+Gilam&kind=company"))
            .unwrap();
        app.send(req).await
    };
    let (a, b) = (send().await, send().await);
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (200, 200), "{}", a.body);
    assert_eq!(a.body, b.body);
    assert_eq!(count_customers(&app, &token, "buxoro").await, 1);
}

/// The key's life: in progress, taken over when its first request died, freed after a server error,
/// purged after a day.
async fn key_states(app: TestApp) {
    let db = &app.db;
    let user = tests::make_user(db, "m1@k.uz", Role::Manager, None).await;
    let f = idempotency::fingerprint("POST", "/api/v1/customers", "application/json", b"{}");
    assert_eq!(idempotency::claim(db, user, "k1", &f).await.unwrap(), Claim::Go);
    assert_eq!(idempotency::claim(db, user, "k1", &f).await.unwrap(), Claim::InProgress);
    let other = idempotency::fingerprint("POST", "/api/v1/customers", "application/json", b"{\"a\":1}");
    assert_eq!(idempotency::claim(db, user, "k1", &other).await.unwrap(), Claim::Mismatch);
    // A server error frees the key.
    idempotency::release(db, user, "k1").await.unwrap();
    assert_eq!(idempotency::claim(db, user, "k1", &f).await.unwrap(), Claim::Go);
    // A first request that never finished (its server died) is taken over after the lease.
    let stale = app::core::now_millis() - idempotency::LEASE_MS - 1;
    set_created(db, user, "k1", stale).await;
    assert_eq!(idempotency::claim(db, user, "k1", &f).await.unwrap(), Claim::Go);
    idempotency::finish(db, user, "k1", 201, Some("application/json"), b"{\"id\":1}").await.unwrap();
    let done = Claim::Done { status: 201, content_type: Some("application/json".into()), body: b"{\"id\":1}".to_vec() };
    assert_eq!(idempotency::claim(db, user, "k1", &f).await.unwrap(), done);
    // A finished answer is not taken over by the lease, only by age.
    set_created(db, user, "k1", stale).await;
    assert_eq!(idempotency::claim(db, user, "k1", &f).await.unwrap(), done);
    set_created(db, user, "k1", app::core::now_millis() - idempotency::KEEP_MS - 1).await;
    assert_eq!(idempotency::purge(db).await.unwrap(), 1);
    assert_eq!(idempotency::claim(db, user, "k1", &f).await.unwrap(), Claim::Go);
}

async fn set_created(db: &app::core::db::Db, user: i64, key: &str, at: i64) {
    let sql = "UPDATE idempotency_keys SET created_at = $1 WHERE user_id = $2 AND key = $3";
    app::db_run!(db, p => sqlx::query(sql).bind(at).bind(user).bind(key).execute(p).await.map(|r| r.rows_affected()))
        .unwrap();
}

tests::both_apps!(server_fns, server_functions_too);
tests::both_apps!(states, key_states);

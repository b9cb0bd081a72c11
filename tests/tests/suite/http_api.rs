//! The REST API through the real router: tokens, customers, roles, errors, modules, OpenAPI.

use app::core::identity::Role;
use serde_json::json;
use tests::{TestApp, both_apps, make_user};

async fn tokens_and_errors(app: TestApp) {
    make_user(&app.db, "api@karvon.uz", Role::Manager, None).await;
    let bad =
        app.api("POST", "/api/v1/auth/token", None, Some(json!({"email": "api@karvon.uz", "password": "nope"}))).await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.json()["error"], "bad_credentials");
    let ok = app
        .api(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"email": "api@karvon.uz", "password": "password-api@karvon.uz"})),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let token = ok.json()["token"].as_str().unwrap().to_string();

    let me = app.api("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.json()["role"], "manager");
    assert_eq!(app.api("GET", "/api/v1/customers", None, None).await.status, 401);
    let forged = app.api("GET", "/api/v1/customers", Some("kv_forged"), None).await;
    assert_eq!((forged.status.as_u16(), forged.json()["error"].clone()), (401, json!("unauthenticated")));

    // Create, read, patch with versions.
    let created = app
        .api(
            "POST",
            "/api/v1/customers",
            Some(&token),
            Some(json!({"name": "Navoiy Agro XK", "phone": "+998 91 555 44 33"})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let c = created.json();
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["version"], 1);
    let got = app.api("GET", &format!("/api/v1/customers/{id}"), Some(&token), None).await;
    assert_eq!(got.json()["name"], "Navoiy Agro XK");
    let patched = app
        .api("PATCH", &format!("/api/v1/customers/{id}"), Some(&token), Some(json!({"version": 1, "notes": "VIP"})))
        .await;
    assert_eq!((patched.status.as_u16(), patched.json()["version"].clone()), (200, json!(2)));
    let stale = app
        .api(
            "PATCH",
            &format!("/api/v1/customers/{id}"),
            Some(&token),
            Some(json!({"version": 1, "name": "Lost update"})),
        )
        .await;
    assert_eq!((stale.status.as_u16(), stale.json()["error"].clone()), (409, json!("conflict")));

    // Validation: every bad field at once, nothing saved.
    let invalid = app
        .api("POST", "/api/v1/customers", Some(&token), Some(json!({"name": " ", "email": "x@", "kind": "alien"})))
        .await;
    assert_eq!(invalid.status, 422);
    let body = invalid.json();
    assert_eq!(body["error"], "validation");
    for f in ["name", "email", "kind"] {
        assert!(body["fields"][f].is_array(), "field {f} in {body}");
    }
    let missing = app.api("POST", "/api/v1/customers", Some(&token), Some(json!({"phone": "123"}))).await;
    assert_eq!((missing.status.as_u16(), missing.json()["fields"]["name"].is_array()), (422, true));
    let list = app.api("GET", "/api/v1/customers?limit=500", Some(&token), None).await;
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 1, "the invalid ones were not saved");
    let bad_limit = app.api("GET", "/api/v1/customers?limit=lots", Some(&token), None).await;
    assert_eq!(bad_limit.status, 422);

    // 404s, 413, and the error shape.
    assert_eq!(app.api("GET", "/api/v1/customers/999999", Some(&token), None).await.status, 404);
    assert_eq!(app.api("GET", "/api/v1/customers/abc", Some(&token), None).await.status, 404);
    assert_eq!(app.api("GET", "/api/v1/nothing-here", Some(&token), None).await.json()["error"], "not_found");
    let huge = json!({"name": "x".repeat(2 * 1024 * 1024)});
    let too_big = app.api("POST", "/api/v1/customers", Some(&token), Some(huge)).await;
    assert_eq!((too_big.status.as_u16(), too_big.json()["error"].clone()), (413, json!("payload_too_large")));
    let garbage = app
        .send(
            http::Request::builder()
                .method("POST")
                .uri("/api/v1/customers")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(garbage.status, 400);
    assert_eq!(garbage.json()["error"], "bad_request");
}
both_apps!(api_tokens_customers_errors, tokens_and_errors);

async fn roles(app: TestApp) {
    let team = app::admin::store::create_team(&app.db, "Sharq").await.unwrap();
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    let (_, head) = app.user_token("head@k.uz", Role::SalesHead, Some(team)).await;
    let (m1_id, m1) = app.user_token("m1@k.uz", Role::Manager, Some(team)).await;
    let (_, m2) = app.user_token("m2@k.uz", Role::Manager, None).await;
    let mk = |name: &str| json!({"name": name});
    let c1 =
        app.api("POST", "/api/v1/customers", Some(&m1), Some(mk("Andijon Mebel"))).await.json()["id"].as_i64().unwrap();
    let c2 =
        app.api("POST", "/api/v1/customers", Some(&m2), Some(mk("Blue Dome LLC"))).await.json()["id"].as_i64().unwrap();

    let get = |t: &str, id: i64| {
        let t = t.to_string();
        let app = &app;
        async move { app.api("GET", &format!("/api/v1/customers/{id}"), Some(&t), None).await.status.as_u16() }
    };
    assert_eq!(get(&m1, c1).await, 200);
    assert_eq!(get(&m1, c2).await, 403);
    assert_eq!(get(&m2, c1).await, 403);
    assert_eq!(get(&head, c1).await, 200);
    assert_eq!(get(&head, c2).await, 403);
    assert_eq!(get(&admin, c1).await, 200);
    assert_eq!(get(&admin, c2).await, 200);
    let patch = app
        .api("PATCH", &format!("/api/v1/customers/{c2}"), Some(&m1), Some(json!({"version": 1, "name": "Mine now"})))
        .await;
    assert_eq!(patch.status, 403);
    let count = |t: &str| {
        let t = t.to_string();
        let app = &app;
        async move { app.api("GET", "/api/v1/customers", Some(&t), None).await.json()["items"].as_array().unwrap().len() }
    };
    assert_eq!((count(&m1).await, count(&m2).await, count(&head).await, count(&admin).await), (1, 1, 1, 2));
    // The sales head may hand a customer to a team member, a manager may not hand it on.
    let reassign = app
        .api("PATCH", &format!("/api/v1/customers/{c1}"), Some(&m1), Some(json!({"version": 1, "manager_id": 1})))
        .await;
    assert_eq!(reassign.status, 422);
    let by_head = app
        .api("POST", "/api/v1/customers", Some(&head), Some(json!({"name": "Team deal", "manager_id": m1_id})))
        .await;
    assert_eq!(by_head.status, 201);
}
both_apps!(api_role_rules, roles);

#[tokio::test]
async fn pagination_caps_and_cursors() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    let (_, token) = app.user_token("p@k.uz", Role::Manager, None).await;
    for i in 0..5 {
        app.api("POST", "/api/v1/customers", Some(&token), Some(json!({"name": format!("Firma {i}")}))).await;
    }
    let first = app.api("GET", "/api/v1/customers?limit=2", Some(&token), None).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let second = app.api("GET", &format!("/api/v1/customers?limit=2&cursor={cursor}"), Some(&token), None).await.json();
    assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);
    let last = app.api("GET", "/api/v1/customers?limit=200&q=firma", Some(&token), None).await.json();
    assert_eq!((last["items"].as_array().unwrap().len(), last["next_cursor"].is_null()), (5, true));
}

#[tokio::test]
async fn token_endpoint_is_throttled() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    make_user(&app.db, "r@k.uz", Role::Manager, None).await;
    let attempt =
        |pw: &str| app.api("POST", "/api/v1/auth/token", None, Some(json!({"email": "r@k.uz", "password": pw})));
    for _ in 0..5 {
        assert_eq!(attempt("wrong").await.status, 401);
    }
    let blocked = attempt("password-r@k.uz").await;
    assert_eq!(blocked.status, 429);
    assert_eq!(blocked.json()["error"], "rate_limited");
    assert!(blocked.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn switched_off_module_answers_404() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    let (_, token) = app.user_token("a@k.uz", Role::Admin, None).await;
    assert_eq!(app.api("GET", "/api/v1/customers", Some(&token), None).await.status, 200);
    app::core::modules::set_module(&app.db, "customers", false).await.unwrap();
    // Another server's switch reaches this one within the cache's TTL; here we skip the wait.
    app.modules.invalidate();
    let off = app.api("GET", "/api/v1/customers", Some(&token), None).await;
    assert_eq!((off.status.as_u16(), off.json()["error"].clone()), (404, json!("not_found")));
    assert_eq!(app.api("GET", "/api/v1/me", Some(&token), None).await.status, 200);
}

#[tokio::test]
async fn empty_parameters_are_absent_and_unknown_choices_refused() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    let (_, token) = app.user_token("q@k.uz", Role::Admin, None).await;
    for path in ["/api/v1/custom-fields?entity=", "/api/v1/customers?cursor=&q=&limit=", "/api/v1/deals?status="] {
        let r = app.api("GET", path, Some(&token), None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    for (path, field) in [
        ("/api/v1/custom-fields?entity=order", "entity"),
        ("/api/v1/deals?status=maybe", "status"),
        ("/api/v1/reports/funnel?format=xml", "format"),
        ("/api/v1/imports/1/errors?format=xml", "format"),
    ] {
        let r = app.api("GET", path, Some(&token), None).await;
        assert_eq!(r.status, 422, "{path}: {}", r.body);
        assert!(r.json()["fields"][field].is_array(), "{path}: {}", r.body);
    }
}

/// PostgreSQL stores no NUL in text: any JSON body holding one is refused with the field named, on both
/// databases alike (found by the fuzzer: a mail template's body was a 500 on PostgreSQL).
async fn nul_characters_are_refused(app: TestApp) {
    let (_, token) = app.user_token("nul@k.uz", Role::Admin, None).await;
    let body = json!({"name": "Salom", "subject": "Taklif", "body": "a\u{0}b"});
    let r = app.api("POST", "/api/v1/mail-templates", Some(&token), Some(body)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["fields"]["body"].is_array(), "{}", r.body);
    let r =
        app.api("POST", "/api/v1/customers", Some(&token), Some(json!({"name": "X", "tags": ["ok", "n\u{0}"]}))).await;
    assert_eq!((r.status.as_u16(), r.json()["fields"]["tags[1]"].is_array()), (422, true), "{}", r.body);
    let r = app.api("GET", "/api/v1/customers/duplicates?phone=%00&name=a", Some(&token), None).await;
    assert_eq!((r.status.as_u16(), r.json()["fields"]["phone"].is_array()), (422, true), "{}", r.body);
}
both_apps!(nul, nul_characters_are_refused);

#[tokio::test]
async fn openapi_document_is_generated() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/auth/token", "/api/v1/customers", "/api/v1/customers/{id}"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["schemas"]["Customer"]["properties"]["version"].is_object());
    // The shared answers are in every operation's document, choices are enums, page sizes any u32.
    let patch = &doc["paths"]["/api/v1/customers/{id}"]["patch"];
    for code in ["400", "401", "403", "404", "409", "413", "422"] {
        assert!(patch["responses"][code].is_object(), "PATCH /customers/{{id}} documents {code}");
    }
    let params = doc["paths"]["/api/v1/deals"]["get"]["parameters"].as_array().unwrap();
    let param = |name: &str| params.iter().find(|p| p["name"] == name).unwrap()["schema"].clone();
    assert_eq!(param("status")["enum"], json!(["", "open", "won", "lost", "all"]));
    let limit = &param("limit")["anyOf"];
    assert_eq!((limit[0]["minimum"].clone(), limit[0]["maximum"].clone()), (json!(0), json!(u32::MAX)));
    assert_eq!(limit[1]["enum"], json!([""]), "an empty number is documented as absent");
    let page = app.api("GET", "/api/docs", None, None).await;
    assert!(page.body.contains("/api/v1/customers/{id}") && page.body.contains("PATCH"));
    assert_eq!(app.api("GET", "/healthz", None, None).await.status, 200);
}

#[tokio::test]
async fn missing_assets_are_404_without_touching_the_session() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    // A forged cookie would be looked up for a page; for an asset it is ignored, and a missing file is a 404.
    let res = app.browser("GET", "/pkg/missing.wasm", Some("karvon_session=forged"), None, "/").await;
    assert_eq!(res.status, 404, "{}", res.body);
    let res = app.browser("GET", "/icons/missing.png", None, None, "/").await;
    assert_eq!(res.status, 404);
}

async fn counterparties_over_http(app: TestApp) {
    let (_, t1) = app.user_token("m1@karvon.uz", Role::Manager, None).await;
    let (_, t2) = app.user_token("m2@karvon.uz", Role::Manager, None).await;
    let post = |path: &'static str, token: &str, body: serde_json::Value| {
        let token = token.to_string();
        let app = &app;
        async move { app.api("POST", path, Some(&token), Some(body)).await }
    };
    let a = post("/api/v1/customers", &t1, json!({"name": "Aziz Group", "stage": "regular", "tags": ["vip"]})).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!((a.json()["stage"].clone(), a.json()["tags"].clone()), (json!("regular"), json!(["vip"])));
    let a_id = a.json()["id"].as_i64().unwrap();
    let b_id = post("/api/v1/customers", &t1, json!({"name": "Bek Holding"})).await.json()["id"].as_i64().unwrap();

    let path = format!("/api/v1/customers/{a_id}/counterparties");
    let body = json!({"legal_name": "Aziz Savdo MChJ", "tax_id": "301234567", "from": "2024-01-10"});
    let created = app.api("POST", &path, Some(&t1), Some(body.clone())).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let cp = created.json();
    let cp_id = cp["id"].as_i64().unwrap();
    // Duplicate and malformed taxpayer ids: 422 with the field named; nothing saved.
    let dup = app.api("POST", &path, Some(&t1), Some(body)).await;
    assert_eq!((dup.status.as_u16(), dup.json()["fields"]["tax_id"].is_array()), (422, true));
    let bad = app.api("POST", &path, Some(&t1), Some(json!({"legal_name": "X", "tax_id": "12"}))).await;
    assert_eq!(bad.status, 422);
    let list = app.api("GET", &path, Some(&t1), None).await.json();
    assert_eq!(list["current"].as_array().unwrap().len(), 1);
    // Another manager: 403 on the customer's list and on the counterparty.
    assert_eq!(app.api("GET", &path, Some(&t2), None).await.status, 403);
    assert_eq!(app.api("GET", &format!("/api/v1/counterparties/{cp_id}"), Some(&t2), None).await.status, 403);

    let acct = json!({"bank_code": "00873", "account": "20208000905123456001"});
    let added = app.api("POST", &format!("/api/v1/counterparties/{cp_id}/bank-accounts"), Some(&t1), Some(acct)).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let version = added.json()["version"].as_i64().unwrap();
    let stale = json!({"customer_id": b_id, "from": "2025-03-01", "version": version - 1});
    let mv_path = format!("/api/v1/counterparties/{cp_id}/move");
    assert_eq!(app.api("POST", &mv_path, Some(&t1), Some(stale)).await.status, 409);
    let mv = json!({"customer_id": b_id, "from": "2025-03-01", "version": version});
    let moved = app.api("POST", &mv_path, Some(&t1), Some(mv)).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.json()["customer_id"], b_id);
    assert_eq!(moved.json()["owners"].as_array().unwrap().len(), 2);

    let timeline = app.api("GET", &format!("/api/v1/customers/{a_id}/timeline?limit=2"), Some(&t1), None).await;
    assert_eq!(timeline.status, 200, "{}", timeline.body);
    let tl = timeline.json();
    assert_eq!(tl["items"][0]["action"], "moved_out");
    assert!(tl["next_cursor"].is_string());
    assert_eq!(app.api("GET", &format!("/api/v1/customers/{a_id}/timeline"), Some(&t2), None).await.status, 403);
    // The OpenAPI document lists the new paths.
    let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
    assert!(doc["paths"]["/api/v1/counterparties/{id}/move"]["post"].is_object());
}
both_apps!(api_counterparties_and_timeline, counterparties_over_http);

async fn contacts_over_http(app: TestApp) {
    let (_, t1) = app.user_token("m1@karvon.uz", Role::Manager, None).await;
    let (_, t2) = app.user_token("m2@karvon.uz", Role::Manager, None).await;
    let a = app.api("POST", "/api/v1/customers", Some(&t1), Some(json!({"name": "Aziz Group"}))).await.json();
    let path = format!("/api/v1/customers/{}/contacts", a["id"]);
    let body = json!({"name": "Karim Aliyev", "phones": ["+998 (90) 123-45-67"], "emails": ["karim@aziz.uz"], "role": "director"});
    let created = app.api("POST", &path, Some(&t1), Some(body)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["phones"], json!(["+998901234567"]));
    let bad = app.api("POST", &path, Some(&t1), Some(json!({"name": "", "emails": ["x@"]}))).await;
    assert_eq!(bad.status, 422);
    assert!(bad.json()["fields"]["name"].is_array() && bad.json()["fields"]["emails[0]"].is_array(), "{}", bad.body);
    assert_eq!(app.api("GET", &path, Some(&t1), None).await.json().as_array().unwrap().len(), 1);
    assert_eq!(app.api("GET", &path, Some(&t2), None).await.status, 403);
    let id = created.json()["id"].as_i64().unwrap();
    let patch = json!({"version": 1, "emails": []});
    let patched = app.api("PATCH", &format!("/api/v1/contacts/{id}"), Some(&t1), Some(patch.clone())).await;
    assert_eq!((patched.status.as_u16(), patched.json()["emails"].clone()), (200, json!([])));
    assert_eq!(app.api("PATCH", &format!("/api/v1/contacts/{id}"), Some(&t1), Some(patch)).await.status, 409);
    assert_eq!(app.api("GET", &format!("/api/v1/contacts/{id}"), Some(&t2), None).await.status, 403);
}
both_apps!(api_contacts, contacts_over_http);

/// Updates that read before they write, many at once (each customer's version, then the row, its search
/// document and audit entry): none may fail with "database is locked" (SQLite answers a deferred
/// transaction's late write lock with that at once, whatever the busy timeout). Found by API fuzzing.
async fn concurrent_updates_all_land(app: TestApp) {
    let (_, token) = app.user_token("busy@k.uz", Role::Admin, None).await;
    let mut rows = Vec::new();
    for i in 0..12 {
        let r = app.api("POST", "/api/v1/customers", Some(&token), Some(json!({"name": format!("Band {i}")}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        rows.push((format!("/api/v1/customers/{}", r.json()["id"]), r.json()["version"].as_i64().unwrap()));
    }
    for round in 0..3 {
        let calls = rows.iter().map(|(path, version)| {
            let body = json!({"notes": format!("round {round}"), "version": version});
            app.api("PATCH", path, Some(&token), Some(body))
        });
        let answers = futures_util::future::join_all(calls).await;
        for (row, r) in rows.iter_mut().zip(answers) {
            assert_eq!(r.status, 200, "{}", r.body);
            row.1 = r.json()["version"].as_i64().unwrap();
        }
    }
}
both_apps!(concurrent_updates, concurrent_updates_all_land);

/// Token scopes and expiry: a read-only token reads and is refused everything else; a bad scope or expiry
/// is a 422; an expired token lets nobody in.
async fn read_only_and_expiring_tokens(app: TestApp) {
    make_user(&app.db, "ro@karvon.uz", Role::Manager, None).await;
    let ask = |extra: serde_json::Value| {
        let mut body = json!({"email": "ro@karvon.uz", "password": "password-ro@karvon.uz"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let bad =
        app.api("POST", "/api/v1/auth/token", None, Some(ask(json!({"scope": "admin", "expires_in_days": 0})))).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.json()["fields"]["scope"].is_array() && bad.json()["fields"]["expires_in_days"].is_array());

    let made =
        app.api("POST", "/api/v1/auth/token", None, Some(ask(json!({"scope": "read", "expires_in_days": 30})))).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let read = made.json()["token"].as_str().unwrap().to_string();
    assert_eq!(app.api("GET", "/api/v1/customers", Some(&read), None).await.status, 200);
    let write = app.api("POST", "/api/v1/customers", Some(&read), Some(json!({"name": "Nope"}))).await;
    assert_eq!((write.status.as_u16(), write.json()["error"].clone()), (403, json!("forbidden")));
    let listed = app::auth::store::list_api_tokens(&app.db, None).await.unwrap();
    let days = (listed[0].expires_at.unwrap() - listed[0].created_at) / 86_400_000;
    assert_eq!((listed[0].scope, days), (app::auth::TokenScope::Read, 30));

    // Expired: the time passes (its expiry moved to the past).
    let sql = "UPDATE api_tokens SET expires_at = $1";
    app::db_run!(&app.db, p => sqlx::query(sql).bind(app::core::now_millis() - 1).execute(p).await.map(|r| r.rows_affected()))
        .unwrap();
    assert_eq!(app.api("GET", "/api/v1/customers", Some(&read), None).await.status, 401);
}
both_apps!(token_scopes, read_only_and_expiring_tokens);

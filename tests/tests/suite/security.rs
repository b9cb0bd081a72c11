//! The holes a security review found, each with the test that would have caught it: cross-site requests
//! riding the session cookie, response headers.

use app::core::identity::Role;
use axum::body::Body;
use http::Request;
use serde_json::json;
use tests::{TestApp, make_user};

/// Signs `email` in through the no-JavaScript form; returns the session cookie.
async fn session_of(app: &TestApp, email: &str) -> String {
    app.login(email).await
}

/// A request as a browser would send it from a page at `origin` (None: a client sending no origin at all).
fn from_origin(
    method: &str,
    path: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
    json_body: Option<&str>,
) -> Request<Body> {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1:3000")
        .header("x-forwarded-for", "10.0.0.3");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let body = match json_body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    req.body(body).unwrap()
}

async fn cross_site_requests_are_refused(app: TestApp) {
    make_user(&app.db, "csrf@karvon.uz", Role::Admin, None).await;
    let cookie = session_of(&app, "csrf@karvon.uz").await;
    let evil = Some("http://evil.example");
    let own = Some("http://127.0.0.1:3000");
    let body = Some(r#"{"name": "Planted by evil.example"}"#);

    // REST with the cookie from another site: refused, nothing written.
    let res = app.send(from_origin("POST", "/api/v1/customers", Some(&cookie), evil, body)).await;
    assert_eq!(res.status, 403, "{}", res.body);
    // Without any origin header, a cookie-authenticated write cannot prove where it came from.
    let res = app.send(from_origin("POST", "/api/v1/customers", Some(&cookie), None, body)).await;
    assert_eq!(res.status, 403, "{}", res.body);
    let customers = app.api("GET", "/api/v1/customers", None, None).await;
    assert_eq!(customers.status, 401, "the anonymous list is refused");
    // From Karvon's own page it works.
    let res = app.send(from_origin("POST", "/api/v1/customers", Some(&cookie), own, body)).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let id = res.json()["id"].as_i64().unwrap();
    let list = app.send(from_origin("GET", "/api/v1/customers", Some(&cookie), None, None)).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "only the same-origin write landed");

    // Sec-Fetch-Site wins over a forged-looking Origin either way.
    let mut req = from_origin("POST", &format!("/api/v1/customers/{id}"), Some(&cookie), own, None);
    *req.method_mut() = http::Method::PATCH;
    req.headers_mut().insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(app.send(req).await.status, 403);

    // A server function (the no-JavaScript form post and the WASM call alike) from elsewhere.
    let res = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/rpc/logout")
                .header("host", "127.0.0.1:3000")
                .header("cookie", &cookie)
                .header("referer", "http://evil.example/page")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, 403);
    let still = app.send(from_origin("GET", "/api/v1/customers", Some(&cookie), None, None)).await;
    assert_eq!(still.status, 200, "the forged sign-out did not end the session");

    // Sign-in itself from another site: no session is made.
    let mut req = Request::builder()
        .method("POST")
        .uri("/rpc/login")
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("email=csrf%40karvon.uz&password=password-csrf%40karvon.uz"))
        .unwrap();
    req.headers_mut().insert("accept", "text/html".parse().unwrap());
    let res = app.send(req).await;
    assert_eq!(res.status, 403);
    assert!(res.cookie("karvon_session").is_none());

    // Bearer tokens are not a browser's: no origin needed, any origin ignored.
    let (_, token) = app.user_token("robot@karvon.uz", Role::Admin, None).await;
    let mut req = from_origin("POST", "/api/v1/customers", None, evil, body);
    req.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    assert_eq!(app.send(req).await.status, 201);
    // A client with no cookie and no origin (curl) may still ask for a token.
    let res = app
        .api(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"email": "csrf@karvon.uz", "password": "password-csrf@karvon.uz"})),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
}
tests::both_apps!(cross_site, cross_site_requests_are_refused);

#[tokio::test]
async fn pages_carry_security_headers_and_a_script_nonce() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    make_user(&app.db, "hdr@karvon.uz", Role::Manager, None).await;
    let page = app.browser("GET", "/login", None, None, "/").await;
    assert_eq!(page.status, 200);
    let csp = page.headers["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce").to_string();
    // Every script the page runs carries it (data scripts are not run and need none).
    let scripts: Vec<&str> = page.body.split("<script").skip(1).map(|s| s.split('>').next().unwrap()).collect();
    assert!(!scripts.is_empty());
    for tag in scripts {
        assert!(tag.contains("application/json") || tag.contains(&format!("nonce=\"{nonce}\"")), "<script{tag}>");
    }
    assert_eq!(page.headers["x-frame-options"], "DENY");
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(page.headers["referrer-policy"], "same-origin");
    assert!(page.headers.get("strict-transport-security").is_none(), "plain http: no HSTS");
    // Behind https (a trusted proxy says so), HSTS too; every page gets a new nonce.
    let req = Request::builder()
        .uri("/login")
        .header("host", "crm.example.uz")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let secure = app.send(req).await;
    assert!(secure.headers["strict-transport-security"].to_str().unwrap().contains("max-age="));
    assert_ne!(secure.headers["content-security-policy"], page.headers["content-security-policy"]);
    // JSON answers get them too.
    let api = app.api("GET", "/api/v1/customers", None, None).await;
    assert_eq!(api.headers["x-content-type-options"], "nosniff");
}

/// Segment counts are always within the reader's scope: a sales head cannot probe a rule against the whole
/// company through `member_count` (create, read, list, members).
async fn segment_counts_stay_in_scope(app: TestApp) {
    let team = app::admin::store::create_team(&app.db, "Sharq").await.unwrap();
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    let (_, head) = app.user_token("head@k.uz", Role::SalesHead, Some(team)).await;
    let (_, m1) = app.user_token("m1@k.uz", Role::Manager, Some(team)).await;
    let (_, m2) = app.user_token("m2@k.uz", Role::Manager, None).await;
    let mk = |name: &str, phone: &str| json!({"name": name, "phone": phone});
    app.api("POST", "/api/v1/customers", Some(&m1), Some(mk("Andijon Mebel", "+998901110001"))).await;
    app.api("POST", "/api/v1/customers", Some(&m2), Some(mk("Secret Client One", "+998977770001"))).await;
    app.api("POST", "/api/v1/customers", Some(&m2), Some(mk("Secret Client Two", "+998977770002"))).await;
    // The head probes the other team's numbers.
    let probe = |kind: &str| {
        json!({"name": format!("probe {kind}"), "kind": kind,
               "rules": {"any": false, "rules": [{"field": "phone", "op": "contains", "value": "97777"}]}})
    };
    for kind in ["dynamic", "static"] {
        let made = app.api("POST", "/api/v1/segments", Some(&head), Some(probe(kind))).await;
        assert_eq!(made.status, 201, "{}", made.body);
        let made = made.json();
        assert_eq!(made["member_count"], 0, "{kind}: the head sees none of them");
        let id = made["id"].as_i64().unwrap();
        let read = app.api("GET", &format!("/api/v1/segments/{id}"), Some(&head), None).await.json();
        assert_eq!(read["member_count"], 0);
        let members = app.api("GET", &format!("/api/v1/segments/{id}/members"), Some(&head), None).await.json();
        assert_eq!(members["items"].as_array().unwrap().len(), 0);
        // The administrator sees the company-wide count; the manager who owns them sees theirs.
        let read = app.api("GET", &format!("/api/v1/segments/{id}"), Some(&admin), None).await.json();
        assert_eq!(read["member_count"], 2, "{kind}");
        let read = app.api("GET", &format!("/api/v1/segments/{id}"), Some(&m2), None).await.json();
        assert_eq!(read["member_count"], 2, "{kind}");
        let read = app.api("GET", &format!("/api/v1/segments/{id}"), Some(&m1), None).await.json();
        assert_eq!(read["member_count"], 0, "{kind}");
        // A rename answers with the reader's count too.
        let version = read["version"].as_i64().unwrap();
        let renamed = app
            .api(
                "PATCH",
                &format!("/api/v1/segments/{id}"),
                Some(&head),
                Some(json!({"name": "renamed", "version": version})),
            )
            .await;
        assert_eq!(renamed.status, 200, "{}", renamed.body);
        assert_eq!(renamed.json()["member_count"], 0);
    }
    let list = app.api("GET", "/api/v1/segments", Some(&head), None).await.json();
    let items = list.as_array().cloned().or_else(|| list["items"].as_array().cloned()).unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|s| s["member_count"] == 0), "{list}");
}
tests::both_apps!(segment_counts, segment_counts_stay_in_scope);

/// Writes that could silently overwrite each other now carry versions, and mail templates belong to their
/// author: a stale change is 409, somebody else's template is 403, a template fill never reads a contact of
/// another customer.
async fn versions_and_template_rules(db: app::core::db::Db) {
    use app::auth::store as auth_store;
    use app::core::AppError;
    let load = |id: i64| {
        let db = db.clone();
        async move { auth_store::load_user(&db, id).await.unwrap().unwrap() }
    };
    let admin = load(make_user(&db, "admin@k.uz", Role::Admin, None).await).await;
    let admin2 = load(make_user(&db, "admin2@k.uz", Role::Admin, None).await).await;
    let m1 = load(make_user(&db, "m1@k.uz", Role::Manager, None).await).await;
    let m2 = load(make_user(&db, "m2@k.uz", Role::Manager, None).await).await;

    // Templates: the author and administrators change them, with the version they read.
    let t =
        app::mail::service::save_template(&db, &m1, None, "Offer", "Narxlar", "Salom {{contact.name}}").await.unwrap();
    let other = app::mail::service::save_template(&db, &m2, Some((t.id, t.version)), "Mine now", "x", "y").await;
    assert_eq!(other, Err(AppError::Forbidden));
    let v2 =
        app::mail::service::save_template(&db, &m1, Some((t.id, t.version)), "Offer 2", "Narxlar", "b").await.unwrap();
    assert_eq!(v2.version, t.version + 1);
    let stale = app::mail::service::save_template(&db, &admin, Some((t.id, t.version)), "Offer 3", "s", "b").await;
    assert_eq!(stale, Err(AppError::Conflict));
    assert_eq!(app::mail::service::delete_template(&db, &m2, t.id).await, Err(AppError::Forbidden));

    // A fill reads the contact only if it is the customer's.
    let mk = |name: &str| app::customers::NewCustomer { name: name.into(), ..Default::default() };
    let c1 = app::customers::service::create(&db, &m1, &mk("Bir MChJ")).await.unwrap();
    let c2 = app::customers::service::create(&db, &m2, &mk("Ikki MChJ")).await.unwrap();
    let secret = app::contacts::NewContact { name: "Maxfiy Odam".into(), ..Default::default() };
    let secret = app::contacts::service::create(&db, &m2, c2.id, &secret).await.unwrap();
    let tpl = app::mail::service::save_template(&db, &m1, None, "Hi", "Hi", "Salom {{contact.name}}!").await.unwrap();
    let (_, body) = app::mail::service::fill(&db, &m1, tpl.id, c1.id, Some(secret.id)).await.unwrap();
    assert_eq!(body, "Salom !", "another customer's contact is not read");

    // Deal reasons.
    let reasons = app::deals::service::reasons(&db, &admin).await.unwrap();
    let r = &reasons[0];
    app::deals::service::update_reason(&db, &admin, r.id, r.version, Some("Narx"), false).await.unwrap();
    let stale = app::deals::service::update_reason(&db, &admin2, r.id, r.version, Some("Narx qimmat"), false).await;
    assert_eq!(stale, Err(AppError::Conflict));

    // User administration, and two administrators demoting each other at once: one administrator stays.
    let v = tests::user_version(&db, m1.id).await;
    let change = |id, version, role, active| app::admin::store::UserChange {
        id,
        version,
        role,
        team_id: None,
        active,
        phone_ext: None,
    };
    app::admin::store::update_user(&db, &change(m1.id, v, Role::SalesHead, true)).await.unwrap();
    assert_eq!(
        app::admin::store::update_user(&db, &change(m1.id, v, Role::Manager, true)).await,
        Err(AppError::Conflict)
    );
    let (va, vb) = (tests::user_version(&db, admin.id).await, tests::user_version(&db, admin2.id).await);
    let (demote_a, demote_b) = (change(admin.id, va, Role::Manager, true), change(admin2.id, vb, Role::Manager, true));
    let (a, b) =
        tokio::join!(app::admin::store::update_user(&db, &demote_a), app::admin::store::update_user(&db, &demote_b),);
    assert!(a.is_ok() != b.is_ok(), "exactly one demotion: {a:?} {b:?}");
    let admins =
        app::admin::store::list_users(&db).await.unwrap().into_iter().filter(|u| u.role == Role::Admin).count();
    assert_eq!(admins, 1);

    // Bank accounts follow their counterparty's version.
    let cp = app::counterparties::NewCounterparty {
        legal_name: "Bir MChJ".into(),
        tax_id: "301234567".into(),
        ..Default::default()
    };
    let cp = app::counterparties::service::create(&db, &m1, c1.id, &cp).await.unwrap();
    let account = |n: &str, version| app::counterparties::NewBankAccount {
        bank_code: "00873".into(),
        account: format!("2020800090512345{n}"),
        bank_name: None,
        version,
    };
    let added = app::counterparties::service::add_bank_account(&db, &m1, cp.id, &account("6001", Some(cp.version)))
        .await
        .unwrap();
    let stale =
        app::counterparties::service::add_bank_account(&db, &m1, cp.id, &account("6002", Some(cp.version))).await;
    assert_eq!(stale, Err(AppError::Conflict));
    let again =
        app::counterparties::service::add_bank_account(&db, &m1, cp.id, &account("6002", Some(added.version))).await;
    assert_eq!(again.unwrap().bank_accounts.len(), 2);
}
tests::both_backends!(versions, versions_and_template_rules);

/// A board's event stream tells a reader only of deals within their scope, and every stream ends soon after
/// its caller's access does (sign-out, token revocation, deactivation).
async fn streams_follow_scope_and_access(app: TestApp) {
    use futures_util::StreamExt;
    server::rest::events::RECHECK_MS.store(200, std::sync::atomic::Ordering::Relaxed);
    let relay = tokio::spawn(app::core::events::relay(app.db.clone()));
    let team = app::admin::store::create_team(&app.db, "Other").await.unwrap();
    let (_, a) = app.user_token("a@k.uz", Role::Manager, None).await;
    let (b_id, b) = app.user_token("b@k.uz", Role::Manager, None).await;
    let (_, head) = app.user_token("head@k.uz", Role::SalesHead, Some(team)).await;
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    let customer = app.api("POST", "/api/v1/customers", Some(&a), Some(json!({"name": "C"}))).await.json();
    let deal = app
        .api("POST", "/api/v1/deals", Some(&a), Some(json!({"title": "D", "customer_id": customer["id"]})))
        .await
        .json();
    let pid = deal["pipeline_id"].as_i64().unwrap();
    let open = |token: &str| {
        let req = Request::builder()
            .uri(format!("/api/v1/pipelines/{pid}/events"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let router = app.router.clone();
        async move { tower::ServiceExt::oneshot(router, req).await.unwrap().into_body().into_data_stream() }
    };
    let (mut for_a, mut for_b, mut for_head, mut for_admin) =
        (open(&a).await, open(&b).await, open(&head).await, open(&admin).await);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let pipeline = app.api("GET", &format!("/api/v1/pipelines/{pid}"), Some(&a), None).await.json();
    let stage = pipeline["stages"][1]["id"].as_i64().unwrap();
    let moved = app
        .api(
            "POST",
            &format!("/api/v1/deals/{}/move", deal["id"]),
            Some(&a),
            Some(json!({"stage_id": stage, "version": deal["version"]})),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    for stream in [&mut for_a, &mut for_admin] {
        let mut frame = tests::next_event(stream).await.expect("open");
        if frame.contains("\"version\":1") {
            frame = tests::next_event(stream).await.expect("open");
        }
        assert!(frame.contains(&format!("\"deal_id\":{}", deal["id"])), "{frame}");
    }
    for stream in [&mut for_b, &mut for_head] {
        let heard = tokio::time::timeout(std::time::Duration::from_millis(500), async {
            loop {
                match stream.next().await {
                    Some(Ok(bytes)) if bytes.starts_with(b":") => continue,
                    other => return other,
                }
            }
        })
        .await;
        assert!(heard.is_err(), "a reader outside the deal's scope heard of it: {heard:?}");
    }
    // Revoking b's token ends b's open board within the recheck.
    let token_id: i64 = app::db_run!(&app.db, p => sqlx::query_scalar("SELECT id FROM api_tokens WHERE user_id = $1")
        .bind(b_id).fetch_one(p).await)
    .unwrap();
    app::auth::store::revoke_api_token(&app.db, Some(b_id), token_id).await.unwrap();
    assert_eq!(tests::next_event(&mut for_b).await, None, "the revoked token's stream ended");

    // Sign-out ends a browser's notification stream; deactivation ends a token's.
    let (c_id, c_token) = app.user_token("c@k.uz", Role::Manager, None).await;
    let secret = app::auth::store::create_session(&app.db, c_id).await.unwrap();
    let events = |auth: (&'static str, String)| {
        let req = Request::builder().uri("/api/v1/events").header(auth.0, auth.1).body(Body::empty()).unwrap();
        let router = app.router.clone();
        async move { tower::ServiceExt::oneshot(router, req).await.unwrap().into_body().into_data_stream() }
    };
    let mut by_cookie = events(("cookie", format!("karvon_session={secret}"))).await;
    let mut by_token = events(("authorization", format!("Bearer {c_token}"))).await;
    app::auth::store::delete_session(&app.db, &secret).await.unwrap();
    assert_eq!(tests::next_event(&mut by_cookie).await, None, "signed out: the stream ended");
    tests::set_user(&app.db, c_id, Role::Manager, None, false, None).await.unwrap();
    assert_eq!(tests::next_event(&mut by_token).await, None, "deactivated: the stream ended");
    relay.abort();
}
tests::both_apps!(streams, streams_follow_scope_and_access);

/// An anonymous upload is refused before a byte of its body is read (it used to be read whole first: 25 MB a
/// request for anyone on the network).
#[tokio::test]
async fn anonymous_uploads_are_refused_unread() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    make_user(&app.db, "someone@k.uz", Role::Admin, None).await;
    for (path, accept) in [
        ("/api/v1/imports?file_name=big.csv&kind=customers", "application/json"),
        ("/api/v1/interactions/1/attachments?file_name=big.pdf", "application/json"),
        ("/customers/import", "text/html"),
        ("/interactions/1/attachments", "text/html"),
        ("/rpc/customers/create", "application/json"),
    ] {
        let pulled = Arc::new(AtomicUsize::new(0));
        let counter = pulled.clone();
        let chunks = futures_util::stream::iter((0..25).map(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'x'; 1024 * 1024]))
        }));
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header("host", "127.0.0.1:3000")
            .header("origin", "http://127.0.0.1:3000")
            .header("accept", accept)
            .header("content-type", "application/octet-stream")
            .header("content-length", (25 * 1024 * 1024).to_string())
            .body(Body::from_stream(chunks))
            .unwrap();
        let res = app.send(req).await;
        if accept == "text/html" {
            assert_eq!((res.status.as_u16(), res.location().as_deref()), (303, Some("/login")), "{path}");
        } else {
            assert_eq!(res.status, 401, "{path}: {}", res.body);
        }
        assert_eq!(pulled.load(Ordering::SeqCst), 0, "{path}: the body was read");
    }
}

/// Every list stops at 200 a page, and a rule list cannot grow into the database's parameter limit (it was
/// a 500 with a long `in` list).
async fn caps_on_pages_and_rules(app: TestApp) {
    let (_, token) = app.user_token("caps@k.uz", Role::Admin, None).await;
    let now = app::core::now_millis();
    for i in 0..201 {
        let task = json!({"title": format!("Qo'ng'iroq {i}"), "due_at": now + 3_600_000 + i});
        assert_eq!(app.api("POST", "/api/v1/tasks", Some(&token), Some(task)).await.status, 201);
    }
    let page = app.api("GET", "/api/v1/tasks?limit=500", Some(&token), None).await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 200);
    assert!(!page["next_cursor"].is_null());
    let deals = app.api("GET", "/api/v1/deals?limit=500", Some(&token), None).await;
    assert_eq!(deals.status, 200, "{}", deals.body);

    // 40,000 values: over SQLite's 32,766 parameters (a 500 before the cap).
    let huge: Vec<String> = (0..40_000).map(|i| format!("t{i}")).collect();
    let segment =
        json!({"name": "huge", "rules": {"any": false, "rules": [{"field": "tag", "op": "in", "value": huge}]}});
    let res = app.api("POST", "/api/v1/segments", Some(&token), Some(segment)).await;
    assert_eq!(res.status, 422, "{}", &res.body[..res.body.len().min(300)]);
    assert!(res.json()["fields"]["rules[0].value"].is_array(), "{}", res.body);
    let long_in: Vec<String> = (0..1000).map(|i| format!("tag{i}")).collect();
    let rules = json!({"any": false, "rules": [{"field": "tag", "op": "in", "value": long_in}]});
    let path = format!("/api/v1/customers?rules={}", urlencode(&rules.to_string()));
    let res = app.api("GET", &path, Some(&token), None).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.json()["fields"]["rules[0].value"].is_array(), "{}", res.body);
    let many: Vec<serde_json::Value> =
        (0..30).map(|i| json!({"field": "name", "op": "contains", "value": format!("x{i}")})).collect();
    let rules = json!({"any": true, "rules": many});
    let res =
        app.api("GET", &format!("/api/v1/customers?rules={}", urlencode(&rules.to_string())), Some(&token), None).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.json()["fields"]["rules"].is_array(), "{}", res.body);
    let export = app
        .api(
            "GET",
            &format!("/api/v1/exports/customers?format=csv&rules={}", urlencode(&rules.to_string())),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(export.status, 422, "{}", export.body);
}
tests::both_apps!(caps, caps_on_pages_and_rules);

fn urlencode(s: &str) -> String {
    app::customers::page_list::encode(s)
}

/// The search document is rebuilt after a write's commit; a crash in between used to leave it stale for good.
/// Now the write itself marks it (triggers, in its transaction) and a sweep on every server rebuilds it.
async fn search_survives_a_crash_after_commit(db: app::core::db::Db) {
    use app::customers::store::ListQuery;
    use app::customers::{NewCustomer, search, service};
    let m =
        app::auth::store::load_user(&db, make_user(&db, "s@k.uz", Role::Manager, None).await).await.unwrap().unwrap();
    let stale = || {
        let db = db.clone();
        async move {
            app::db_run!(&db, p => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM search_stale").fetch_one(p).await)
                .unwrap()
        }
    };
    let found = |q: &str| {
        let (db, m, q) = (db.clone(), m.clone(), q.to_string());
        async move {
            service::list(&db, &m, &ListQuery { q: Some(q), limit: 5, ..Default::default() }).await.unwrap().items.len()
        }
    };
    let c = service::create(&db, &m, &NewCustomer { name: "Orol Baliq".into(), ..Default::default() }).await.unwrap();
    assert_eq!(stale().await, 0, "the service rebuilt the document after its commit");
    let contact = app::contacts::NewContact { name: "Bekzod".into(), ..Default::default() };
    let contact = app::contacts::service::create(&db, &m, c.id, &contact).await.unwrap();
    // The server dies right after a commit: the rename is in, its document is not.
    app::db_run!(&db, p => sqlx::query("UPDATE customers SET name = 'Zarafshon Trade' WHERE id = $1").bind(c.id)
        .execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    app::db_run!(&db, p => sqlx::query("INSERT INTO contact_points (contact_id, kind, value) VALUES ($1, 'email', 'kamalak@mail.uz')")
        .bind(contact.id).execute(p).await.map(|r| r.rows_affected()))
    .unwrap();
    assert_eq!((found("zarafshon").await, found("kamalak").await), (0, 0));
    assert_eq!(stale().await, 1, "the writes marked the document");
    assert_eq!(search::sweep(&db, 500).await.unwrap(), 1);
    assert_eq!((found("zarafshon").await, found("kamalak").await), (1, 1));
    assert_eq!(stale().await, 0);
}
tests::both_backends!(search_stale, search_survives_a_crash_after_commit);

/// Pages and JSON are compressed on the fly for browsers that accept it; event streams never are.
#[tokio::test]
async fn answers_are_compressed() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    let (_, token) = app.user_token("zip@k.uz", Role::Admin, None).await;
    for i in 0..30 {
        app.api("POST", "/api/v1/customers", Some(&token), Some(json!({"name": format!("Mijoz {i}")}))).await;
    }
    let get = |path: &str, accept: &'static str| {
        Request::builder()
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .header("accept-encoding", accept)
            .body(Body::empty())
            .unwrap()
    };
    let raw = app.send(get("/api/v1/customers?limit=30", "identity")).await;
    assert!(raw.headers.get("content-encoding").is_none());
    let res =
        tower::ServiceExt::oneshot(app.router.clone(), get("/api/v1/customers?limit=30", "gzip, br")).await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    let packed = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    assert!(packed.len() * 3 < raw.body.len(), "{} of {} bytes", packed.len(), raw.body.len());
    let page = tower::ServiceExt::oneshot(app.router.clone(), get("/login", "gzip")).await.unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");
    // A streamed export through the compressor, read to its end.
    let export = tower::ServiceExt::oneshot(app.router.clone(), get("/api/v1/exports/customers?format=csv", "gzip"))
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert_eq!(export.headers()["content-encoding"], "gzip");
    let packed = axum::body::to_bytes(export.into_body(), usize::MAX).await.expect("the whole export");
    let mut csv = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&packed[..]), &mut csv).unwrap();
    assert_eq!(csv.lines().count(), 31, "the header and every customer");
    let events = tower::ServiceExt::oneshot(app.router.clone(), get("/api/v1/events", "gzip, br")).await.unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    assert!(events.headers().get("content-encoding").is_none(), "a stream must not wait in a compressor");
}

/// Every sort pages by keyset (an export walks a million rows page by page): paging in small steps gives
/// exactly the one-page order, with ties in the sort value and customers without a value.
async fn every_sort_pages_by_keyset(db: app::core::db::Db) {
    use app::customers::store::ListQuery;
    use app::customers::{NewCustomer, service};
    let admin =
        app::auth::store::load_user(&db, make_user(&db, "p@k.uz", Role::Admin, None).await).await.unwrap().unwrap();
    for (label, kind) in [("Limit", "money"), ("Region", "text")] {
        let f = app::custom_fields::NewCustomField { label: label.into(), kind: kind.into(), ..Default::default() };
        app::custom_fields::service::create(&db, &admin, &f).await.unwrap();
    }
    for i in 0..23 {
        let mut custom = std::collections::BTreeMap::new();
        if i % 4 != 0 {
            custom.insert("limit".to_string(), json!(format!("{}", (i % 5) * 1000)));
            custom.insert("region".to_string(), json!(["Toshkent", "Buxoro", "andijon"][i % 3]));
        }
        let c = NewCustomer {
            name: ["Alfa", "beta", "Gamma", "Alfa"][i % 4].into(),
            custom: Some(custom.into_iter().collect()),
            ..Default::default()
        };
        service::create(&db, &admin, &c).await.unwrap();
    }
    for sort in
        ["newest", "oldest", "name", "-name", "custom.limit", "-custom.limit", "custom.region", "-custom.region"]
    {
        let q = ListQuery { sort: Some(sort.into()), limit: 200, ..Default::default() };
        let whole: Vec<i64> = service::list(&db, &admin, &q).await.unwrap().items.iter().map(|c| c.id).collect();
        assert_eq!(whole.len(), 23);
        let mut paged = Vec::new();
        let mut q = ListQuery { limit: 4, ..q };
        loop {
            let page = service::list(&db, &admin, &q).await.unwrap();
            paged.extend(page.items.iter().map(|c| c.id));
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(paged, whole, "{sort}");
    }
    let bad = ListQuery { sort: Some("name".into()), cursor: Some("o:50".into()), ..Default::default() };
    assert!(service::list(&db, &admin, &bad).await.is_err());
}
tests::both_backends!(keyset_paging, every_sort_pages_by_keyset);

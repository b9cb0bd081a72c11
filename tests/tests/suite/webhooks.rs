//! Webhooks against a local HTTP receiver, on both databases: signed deliveries of the subscribed events
//! only, a receiver that is down for a while (retried, then delivered with the same event), a replay, a
//! server that died holding a delivery, and one event per change with no event while nobody subscribes.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use app::core::identity::Role;
use app::webhooks::{deliver, store};
use serde_json::{Value, json};
use tests::{TestApp, both_apps};

/// What the receiver got: each request's headers of interest and body.
#[derive(Clone, Debug)]
struct Got {
    event: String,
    event_id: String,
    signature: String,
    body: String,
}

/// A local receiver answering with a status that the test sets (503 while "down").
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
    status: Arc<AtomicU16>,
}

impl Receiver {
    async fn start() -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(200));
        let (g, s) = (got.clone(), status.clone());
        let handler = move |headers: http::HeaderMap, body: String| {
            let (g, s) = (g.clone(), s.clone());
            async move {
                let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                g.lock().unwrap().push(Got {
                    event: h("x-karvon-event"),
                    event_id: h("x-karvon-event-id"),
                    signature: h("x-karvon-signature"),
                    body,
                });
                http::StatusCode::from_u16(s.load(Ordering::SeqCst)).unwrap()
            }
        };
        let router = axum::Router::new().route("/hook", axum::routing::post(handler));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Receiver { url, got, status }
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }
}

/// Checks a delivery's signature the way a receiver would.
fn verify(secret: &str, got: &Got) {
    let t: i64 = got.signature.strip_prefix("t=").and_then(|s| s.split(',').next()).unwrap().parse().unwrap();
    assert!((app::core::now_millis() / 1000 - t).abs() < 60, "a fresh timestamp");
    assert_eq!(got.signature, deliver::signature(secret, t, &got.body));
}

async fn outbox_count(app: &TestApp) -> i64 {
    app::db_run!(&app.db, p => sqlx::query_scalar("SELECT COUNT(*) FROM webhook_outbox").fetch_one(p).await).unwrap()
}

async fn sql(app: &TestApp, q: &str) {
    app::db_run!(&app.db, p => sqlx::query(q).bind(app::core::now_millis()).execute(p).await.map(|r| r.rows_affected()))
        .unwrap();
}

async fn deliveries_of_subscribed_events(app: TestApp) {
    deliver::ALLOW_PRIVATE_HOSTS.store(true, Ordering::Relaxed);
    let rx = Receiver::start().await;
    let (_, admin) = app.user_token("admin@karvon.uz", Role::Admin, None).await;
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let post = |path: &'static str, body: Value| {
        let (app, a) = (&app, a.clone());
        async move { app.api("POST", path, Some(&a), Some(body)).await.json() }
    };

    // Nobody subscribes: changes leave no events behind.
    post("/api/v1/customers", json!({"name": "Before"})).await;
    assert_eq!(outbox_count(&app).await, 0);

    // Subscribed over the API by an administrator; the secret is in this answer only.
    let events = json!(["customer.created", "deal.stage_changed", "deal.won"]);
    let r = app.api("POST", "/api/v1/webhooks", Some(&admin), Some(json!({"url": rx.url, "events": events}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let (hook, secret) = (r.json()["id"].as_i64().unwrap(), r.json()["secret"].as_str().unwrap().to_string());
    let listed = app.get_json(&admin, "/api/v1/webhooks").await;
    assert_eq!(listed["items"][0]["events"], events);
    assert!(listed["items"][0].get("secret").is_none(), "the secret is shown once");
    let customer = post("/api/v1/customers", json!({"name": "Samarqand Non"})).await;
    let path = format!("/api/v1/customers/{}", customer["id"]);
    let patched = app.api("PATCH", &path, Some(&a), Some(json!({"version": customer["version"], "notes": "x"}))).await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(outbox_count(&app).await, 2, "one event per change: created, updated");
    assert_eq!(deliver::tick(&app.db).await.unwrap(), (2, 1), "both fanned out, one subscribed");
    let got = rx.got();
    assert_eq!(got.len(), 1);
    verify(&secret, &got[0]);
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!((got[0].event.as_str(), body["type"].as_str()), ("customer.created", Some("customer.created")));
    assert_eq!(
        (body["data"]["name"].as_str(), body["id"].to_string()),
        (Some("Samarqand Non"), got[0].event_id.clone())
    );

    // The receiver is down: the delivery is kept and retried later, then delivered with the same event.
    rx.status.store(503, Ordering::SeqCst);
    let deal = post("/api/v1/deals", json!({"title": "Flour", "customer_id": customer["id"]})).await;
    let stages: Vec<i64> =
        app.api("GET", &format!("/api/v1/pipelines/{}", deal["pipeline_id"]), Some(&a), None).await.json()["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect();
    let moved = app
        .api(
            "POST",
            &format!("/api/v1/deals/{}/move", deal["id"]),
            Some(&a),
            Some(json!({"stage_id": stages[1], "version": deal["version"]})),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    deliver::tick(&app.db).await.unwrap();
    let failed = app.get_json(&admin, &format!("/api/v1/webhooks/{hook}/deliveries?limit=1")).await;
    assert_eq!(
        (failed["items"][0]["event"].as_str(), failed["items"][0]["state"].as_str()),
        (Some("deal.stage_changed"), Some("pending"))
    );
    assert_eq!(
        (failed["items"][0]["attempts"].as_i64(), failed["items"][0]["last_status"].as_i64()),
        (Some(1), Some(503))
    );
    // The older delivery is on the next page.
    let cursor = failed["next_cursor"].as_str().unwrap();
    let older = app.get_json(&admin, &format!("/api/v1/webhooks/{hook}/deliveries?limit=1&cursor={cursor}")).await;
    assert_eq!((older["items"][0]["event"].as_str(), &older["next_cursor"]), (Some("customer.created"), &Value::Null));
    assert_eq!(deliver::tick(&app.db).await.unwrap(), (0, 0), "not due before its backoff");
    rx.status.store(200, Ordering::SeqCst);
    sql(&app, "UPDATE webhook_deliveries SET next_at = $1 WHERE state = 'pending'").await; // the backoff passes
    assert_eq!(deliver::tick(&app.db).await.unwrap(), (0, 1));
    let got = rx.got();
    assert_eq!(got.len(), 3);
    assert_eq!((got[1].event_id.as_str(), got[1].body.as_str()), (got[2].event_id.as_str(), got[2].body.as_str()));
    let done = store::deliveries(&app.db, Some(hook), None, 10).await.unwrap();
    assert_eq!((done[0].state.as_str(), done[0].attempts, done[0].last_status), ("delivered", 2, Some(200)));

    // Replayed on request: the same event again.
    let path = format!("/api/v1/webhooks/deliveries/{}/replay", done[0].id);
    assert_eq!(app.api("POST", &path, Some(&a), None).await.status, 403, "administrators only");
    assert_eq!(app.api("POST", &path, Some(&admin), None).await.status, 202);
    deliver::tick(&app.db).await.unwrap();
    let got = rx.got();
    assert_eq!((got.len(), got[3].event_id.as_str()), (4, got[2].event_id.as_str()));

    // A server died while holding a delivery: another takes it over once the lease has run out.
    let won = app
        .api(
            "PATCH",
            &format!("/api/v1/deals/{}", deal["id"]),
            Some(&a),
            Some(json!({"version": moved.json()["version"], "amount": 500})),
        )
        .await
        .json();
    let closed = app
        .api(
            "POST",
            &format!("/api/v1/deals/{}/close", deal["id"]),
            Some(&a),
            Some(json!({"version": won["version"], "outcome": "won"})),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    store::fan_out(&app.db, 100).await.unwrap();
    let held = store::claim_due(&app.db, 10).await.unwrap();
    assert_eq!(held.iter().map(|d| d.event.as_str()).collect::<Vec<_>>(), ["deal.won"]);
    assert_eq!(deliver::tick(&app.db).await.unwrap(), (0, 0), "held by the dead server");
    sql(&app, "UPDATE webhook_deliveries SET lease_until = $1 - 1 WHERE state = 'pending'").await;
    assert_eq!(deliver::tick(&app.db).await.unwrap(), (0, 1));
    let got = rx.got();
    assert_eq!((got.len(), got[4].event.as_str()), (5, "deal.won"));
    verify(&secret, &got[4]);

    // Paused: no new deliveries.
    let path = format!("/api/v1/webhooks/{hook}");
    let paused = app.api("PATCH", &path, Some(&admin), Some(json!({"active": false}))).await;
    assert_eq!((paused.status.as_u16(), paused.json()["active"].as_bool()), (200, Some(false)), "{}", paused.body);
    post("/api/v1/customers", json!({"name": "After"})).await;
    deliver::tick(&app.db).await.unwrap();
    assert_eq!(rx.got().len(), 5);
}

/// Managing subscriptions over the API: bad input named per field and nothing saved, events changed,
/// deletion (with its deliveries), and nobody but administrators.
async fn managed_over_the_api(app: TestApp) {
    let (_, admin) = app.user_token("admin@karvon.uz", Role::Admin, None).await;
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let r = app
        .api("POST", "/api/v1/webhooks", Some(&admin), Some(json!({"url": "ftp://x", "events": ["deal.eaten"]})))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["fields"]["url"].is_array() && r.json()["fields"]["events"].is_array(), "{}", r.body);
    assert_eq!(app.get_json(&admin, "/api/v1/webhooks").await["items"], json!([]));
    let body = json!({"url": "https://hooks.example.uz/k"});
    assert_eq!(app.api("POST", "/api/v1/webhooks", Some(&a), Some(body.clone())).await.status, 403);
    let r = app.api("POST", "/api/v1/webhooks", Some(&admin), Some(body)).await;
    assert_eq!((r.status.as_u16(), &r.json()["events"]), (201, &json!(["*"])), "{}", r.body);
    assert!(r.json()["secret"].as_str().unwrap().starts_with("whsec_"));
    let path = format!("/api/v1/webhooks/{}", r.json()["id"]);
    let changed = app
        .api("PATCH", &path, Some(&admin), Some(json!({"events": ["task.created"], "url": " https://h.example.uz/2 "})))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        (&changed.json()["events"], changed.json()["url"].as_str()),
        (&json!(["task.created"]), Some("https://h.example.uz/2"))
    );
    let bad = app.api("PATCH", &path, Some(&admin), Some(json!({"events": ["nope"]}))).await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        app.get_json(&admin, &path).await["events"],
        json!(["task.created"]),
        "a refused change changes nothing"
    );
    // A task makes a delivery; deleting the subscription takes it along.
    app.api("POST", "/api/v1/tasks", Some(&a), Some(json!({"title": "Call", "due_at": app::core::now_millis()}))).await;
    store::fan_out(&app.db, 100).await.unwrap();
    assert_eq!(app.get_json(&admin, &format!("{path}/deliveries")).await["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.api("DELETE", &path, Some(&a), None).await.status, 403);
    assert_eq!(app.api("DELETE", &path, Some(&admin), None).await.status, 204);
    assert_eq!(app.api("GET", &path, Some(&admin), None).await.status, 404);
    assert_eq!(app.api("DELETE", &path, Some(&admin), None).await.status, 404);
}
both_apps!(webhook_management, managed_over_the_api);
both_apps!(webhook_deliveries, deliveries_of_subscribed_events);

/// A receiver that cannot be reached: the error is kept and the delivery retried; private addresses are
/// refused unless allowed (the test allows them above, so this checks the message of a refused connection).
async fn unreachable_receiver(app: TestApp) {
    deliver::ALLOW_PRIVATE_HOSTS.store(true, Ordering::Relaxed);
    let (admin_id, _) = app.user_token("admin@karvon.uz", Role::Admin, None).await;
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    // A port nobody listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let (hook, _) = store::create(&app.db, &format!("http://{closed}/hook"), "*", admin_id).await.unwrap();
    app.api("POST", "/api/v1/customers", Some(&a), Some(json!({"name": "Nobody home"}))).await;
    deliver::tick(&app.db).await.unwrap();
    let d = &store::deliveries(&app.db, Some(hook.id), None, 10).await.unwrap()[0];
    assert_eq!((d.state.as_str(), d.attempts, d.last_status), ("pending", 1, None));
    assert!(d.last_error.as_deref().unwrap_or_default().starts_with("connection failed"), "{d:?}");
}
both_apps!(webhook_unreachable, unreachable_receiver);

//! SMS through a gateway on both databases, against a local HTTP server that implements the Eskiz API
//! (login, send, delivery callback): queued → sent → delivered, retries with backoff after errors, garbage
//! and timeouts, a refused number, an expired token, bad input.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use app::core::identity::Role;
use app::interactions::sms::{self, Eskiz, EskizConfig};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::json;
use tests::{SMS_CALLBACK_SECRET, TestApp, both_apps};

/// How the fake gateway answers the next sends.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Ok,
    ServerError,
    Garbage,
    Slow,
    BadNumber,
}

#[derive(Default)]
struct Gateway {
    mode: std::sync::Mutex<Option<Mode>>,
    /// The token the gateway currently accepts (`tok-<n>`).
    token_gen: AtomicUsize,
    logins: AtomicUsize,
    sent: std::sync::Mutex<Vec<std::collections::HashMap<String, String>>>,
}

async fn login(
    State(g): State<Arc<Gateway>>,
    axum::Form(f): axum::Form<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    if f.get("email").map(String::as_str) != Some("crm@karvon.uz")
        || f.get("password").map(String::as_str) != Some("gw-pass")
    {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"message": "Invalid credentials"}))).into_response();
    }
    g.logins.fetch_add(1, Ordering::SeqCst);
    let token = format!("tok-{}", g.token_gen.load(Ordering::SeqCst));
    axum::Json(json!({"message": "token_generated", "data": {"token": token}, "token_type": "bearer"})).into_response()
}

async fn send(
    State(g): State<Arc<Gateway>>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    let expected = format!("Bearer tok-{}", g.token_gen.load(Ordering::SeqCst));
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"message": "Expired"}))).into_response();
    }
    let mode = g.mode.lock().unwrap().unwrap_or(Mode::Ok);
    match mode {
        Mode::ServerError => (StatusCode::BAD_GATEWAY, "upstream down").into_response(),
        Mode::Garbage => (StatusCode::OK, "<html>maintenance</html>").into_response(),
        Mode::Slow => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            (StatusCode::OK, "late").into_response()
        }
        Mode::BadNumber => {
            (StatusCode::BAD_REQUEST, axum::Json(json!({"status": "error", "message": "Invalid phone"})))
                .into_response()
        }
        Mode::Ok => {
            let mut sent = g.sent.lock().unwrap();
            sent.push(f);
            let id = format!("msg-{}", sent.len());
            axum::Json(json!({"id": id, "message": "Waiting for SMS provider", "status": "waiting"})).into_response()
        }
    }
}

async fn start_gateway() -> (Arc<Gateway>, String) {
    let g = Arc::new(Gateway::default());
    let router = axum::Router::new()
        .route("/api/auth/login", axum::routing::post(login))
        .route("/api/message/sms/send", axum::routing::post(send))
        .with_state(g.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (g, url)
}

async fn sms_scenario(app: TestApp) {
    sms::ENABLED.store(true, Ordering::Relaxed);
    let (g, url) = start_gateway().await;
    let client = Eskiz::new(EskizConfig {
        base_url: url,
        email: "crm@karvon.uz".into(),
        password: "gw-pass".into(),
        from: "4546".into(),
        callback_url: Some(format!("http://karvon.test/api/v1/sms/callback/{SMS_CALLBACK_SECRET}")),
        timeout: Duration::from_millis(800),
    });
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let c = app
        .api(
            "POST",
            "/api/v1/customers",
            Some(&a),
            Some(json!({"name": "Farg'ona Meva", "phone": "+998 90 111 22 33"})),
        )
        .await
        .json();
    let cid = c["id"].as_i64().unwrap();
    let status_of = |id: i64| {
        let app = &app;
        let a = a.clone();
        async move { app.api("GET", &format!("/api/v1/interactions/{id}"), Some(&a), None).await.json()["status"].clone() }
    };
    // Queued at once, sent by the job, delivered by the callback.
    let queued = app
        .api("POST", "/api/v1/sms", Some(&a), Some(json!({"customer_id": cid, "text": "Buyurtmangiz tayyor"})))
        .await;
    assert_eq!(queued.status, 202, "{}", queued.body);
    let first = queued.json()["id"].as_i64().unwrap();
    let mut now = app::core::now_millis();
    assert_eq!(queued.json()["status"], "queued");
    assert_eq!(sms::send_due(&app.db, &client, now).await.unwrap(), 1);
    assert_eq!(status_of(first).await, "sent");
    {
        let sent = g.sent.lock().unwrap();
        assert_eq!(sent[0]["mobile_phone"], "998901112233");
        assert_eq!(sent[0]["message"], "Buyurtmangiz tayyor");
        assert_eq!(sent[0]["from"], "4546");
        assert!(sent[0]["callback_url"].ends_with(SMS_CALLBACK_SECRET));
    }
    let report = |secret: &str, body: &str| {
        let req = http::Request::builder()
            .method("POST")
            .uri(format!("/api/v1/sms/callback/{secret}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        app.send(req)
    };
    assert_eq!(report("wrong-secret-0123456789", "message_id=msg-1&status=DELIVRD").await.status, 404);
    assert_eq!(report(SMS_CALLBACK_SECRET, "message_id=nope&status=DELIVRD").await.status, 404);
    assert_eq!(report(SMS_CALLBACK_SECRET, "status=DELIVRD").await.status, 422);
    assert_eq!(
        report(SMS_CALLBACK_SECRET, "message_id=msg-1&status=DELIVRD&phone_number=998901112233").await.status,
        200
    );
    assert_eq!(status_of(first).await, "delivered");
    assert_eq!(sms::send_due(&app.db, &client, now).await.unwrap(), 0, "nothing sent twice");

    // Errors, garbage and timeouts are retried with growing pauses, then shown as failed.
    let second = app
        .api("POST", "/api/v1/sms", Some(&a), Some(json!({"customer_id": cid, "text": "Eslatma"})))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    now = app::core::now_millis();
    for (i, mode) in [Mode::ServerError, Mode::Garbage, Mode::Slow, Mode::ServerError].into_iter().enumerate() {
        *g.mode.lock().unwrap() = Some(mode);
        assert_eq!(sms::send_due(&app.db, &client, now).await.unwrap(), 1, "attempt {i} ({mode:?})");
        assert_eq!(status_of(second).await, "queued", "after {mode:?}");
        // Not due again before its pause.
        assert_eq!(sms::send_due(&app.db, &client, now).await.unwrap(), 0);
        now += 3_600_000;
    }
    let detail = app.api("GET", &format!("/api/v1/interactions/{second}"), Some(&a), None).await.json();
    assert!(detail["result"].as_str().unwrap().contains("gateway error"), "{detail}");
    assert_eq!(sms::send_due(&app.db, &client, now).await.unwrap(), 1);
    assert_eq!(status_of(second).await, "failed", "gave up after {} attempts", sms::MAX_ATTEMPTS);

    // A refused number fails at once; an expired token is renewed on the way.
    *g.mode.lock().unwrap() = Some(Mode::BadNumber);
    let third = app
        .api(
            "POST",
            "/api/v1/sms",
            Some(&a),
            Some(json!({"customer_id": cid, "phone": "+998 90 000 00 00", "text": "x"})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    sms::send_due(&app.db, &client, now).await.unwrap();
    assert_eq!(status_of(third).await, "failed");
    *g.mode.lock().unwrap() = Some(Mode::Ok);
    g.token_gen.fetch_add(1, Ordering::SeqCst);
    let logins = g.logins.load(Ordering::SeqCst);
    let fourth =
        app.api("POST", "/api/v1/sms", Some(&a), Some(json!({"customer_id": cid, "text": "Yangi token"}))).await.json()
            ["id"]
            .as_i64()
            .unwrap();
    sms::send_due(&app.db, &client, now).await.unwrap();
    assert_eq!(status_of(fourth).await, "sent");
    assert_eq!(g.logins.load(Ordering::SeqCst), logins + 1);

    // Bad input, named.
    let bad =
        app.api("POST", "/api/v1/sms", Some(&a), Some(json!({"customer_id": cid, "phone": "12", "text": " "}))).await;
    assert_eq!(bad.status, 422);
    let fields = bad.json()["fields"].clone();
    assert!(fields.get("phone").is_some() && fields.get("text").is_some(), "{fields}");
    let no_phone = app.api("POST", "/api/v1/customers", Some(&a), Some(json!({"name": "No phone"}))).await.json();
    let missing =
        app.api("POST", "/api/v1/sms", Some(&a), Some(json!({"customer_id": no_phone["id"], "text": "hi"}))).await;
    assert_eq!((missing.status.as_u16(), missing.json()["fields"].get("phone").is_some()), (422, true));
}

both_apps!(sms_gateway, sms_scenario);

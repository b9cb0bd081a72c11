//! Calls from a phone system on both databases: the token, the pop-up for the extension that rings (a known
//! customer's card, or "create customer"), ended calls logged once with their duration, missed calls, bad
//! events.

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::{TELEPHONY_TOKEN, TestApp, both_apps};

async fn pbx(app: &TestApp, body: Value) -> tests::Resp {
    app.api("POST", "/api/v1/telephony/events", Some(TELEPHONY_TOKEN), Some(body)).await
}

async fn calls(app: TestApp) {
    tests::make_user(&app.db, "admin@karvon.uz", Role::Admin, None).await;
    let (uid, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    tests::set_user(&app.db, uid, Role::Manager, None, true, Some("101")).await.unwrap();
    let customer = app
        .api("POST", "/api/v1/customers", Some(&a), Some(json!({"name": "Qo'qon Savdo", "phone": "+998 90 111 22 33"})))
        .await
        .json();
    let cid = customer["id"].as_i64().unwrap();
    // A contact person's number finds the customer too.
    app.api(
        "POST",
        &format!("/api/v1/customers/{cid}/contacts"),
        Some(&a),
        Some(json!({"name": "Olim", "phones": ["+998 93 444 55 66"]})),
    )
    .await;

    // Wrong or missing token.
    let event =
        json!({"call_id": "c1", "event": "ringing", "from": "90 111-22-33", "to": "101", "at": 1_795_749_900_000i64});
    assert_eq!(app.api("POST", "/api/v1/telephony/events", Some("nope"), Some(event.clone())).await.status, 401);
    assert_eq!(app.api("POST", "/api/v1/telephony/events", Some(&a), Some(event.clone())).await.status, 401);

    // Ringing from the customer's number (written locally): a pop-up with the card for extension 101.
    let now = app::core::now_millis();
    let ring =
        pbx(&app, json!({"call_id": "c1", "event": "ringing", "from": "90 111-22-33", "to": "101", "at": now})).await;
    assert_eq!(ring.status, 202, "{}", ring.body);
    assert_eq!((ring.json()["customer_id"].as_i64(), ring.json()["user_id"].as_i64()), (Some(cid), Some(uid)));
    let popups = app.api("GET", "/api/v1/notifications", Some(&a), None).await.json();
    assert_eq!(popups[0]["kind"], "call");
    assert_eq!(popups[0]["link"], format!("/customers/{cid}"));
    assert_eq!(popups[0]["body"], "Qo'qon Savdo");
    // A repeated ringing event pops up nothing more.
    pbx(&app, json!({"call_id": "c1", "event": "ringing", "from": "+998901112233", "to": "101", "at": now})).await;
    assert_eq!(app.api("GET", "/api/v1/notifications", Some(&a), None).await.json().as_array().unwrap().len(), 1);

    // Answered, then ended 95 s later: one answered call on the timeline, even when `ended` comes twice.
    pbx(&app, json!({"call_id": "c1", "event": "answered", "from": "+998901112233", "to": "101", "at": now + 5_000}))
        .await;
    let ended = pbx(
        &app,
        json!({"call_id": "c1", "event": "ended", "from": "+998901112233", "to": "101", "at": now + 100_000}),
    )
    .await;
    let iid = ended.json()["interaction_id"].as_i64().expect("a call interaction");
    let again = pbx(
        &app,
        json!({"call_id": "c1", "event": "ended", "from": "+998901112233", "to": "101", "at": now + 101_000}),
    )
    .await;
    assert_eq!(again.json()["interaction_id"].as_i64(), Some(iid));
    let list =
        app.api("GET", &format!("/api/v1/interactions?customer_id={cid}&kind=call"), Some(&a), None).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let call = &list["items"][0];
    assert_eq!(
        (call["status"].clone(), call["direction"].clone(), call["duration_secs"].clone()),
        (json!("answered"), json!("in"), json!(95))
    );
    assert_eq!(call["author_id"].as_i64(), Some(uid));

    // A missed call through the contact person's number.
    pbx(&app, json!({"call_id": "c2", "event": "ringing", "from": "+998934445566", "to": "101"})).await;
    let missed =
        pbx(&app, json!({"call_id": "c2", "event": "ended", "from": "+998934445566", "to": "101"})).await.json();
    assert_eq!(missed["customer_id"].as_i64(), Some(cid));
    let got =
        app.api("GET", &format!("/api/v1/interactions/{}", missed["interaction_id"]), Some(&a), None).await.json();
    assert_eq!(got["status"], "missed");

    // An outgoing call from the extension.
    pbx(&app, json!({"call_id": "c3", "event": "answered", "direction": "out", "from": "101", "to": "+998901112233", "at": now})).await;
    let out = pbx(&app, json!({"call_id": "c3", "event": "ended", "direction": "out", "from": "101", "to": "+998901112233", "at": now + 60_000})).await.json();
    let got = app.api("GET", &format!("/api/v1/interactions/{}", out["interaction_id"]), Some(&a), None).await.json();
    assert_eq!((got["direction"].clone(), got["duration_secs"].clone()), (json!("out"), json!(60)));

    // An unknown number offers "create customer" and logs nothing.
    pbx(&app, json!({"call_id": "c4", "event": "ringing", "from": "+998977777777", "to": "101"})).await;
    let popups = app.api("GET", "/api/v1/notifications", Some(&a), None).await.json();
    let last = popups.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["link"], "/customers/new?phone=%2B998977777777");
    let unknown =
        pbx(&app, json!({"call_id": "c4", "event": "ended", "from": "+998977777777", "to": "101"})).await.json();
    assert!(unknown["interaction_id"].is_null());

    // Bad events are refused with the field named.
    let bad =
        pbx(&app, json!({"call_id": "", "event": "exploded", "direction": "sideways", "from": "", "to": "101"})).await;
    assert_eq!(bad.status, 422);
    let fields = bad.json()["fields"].clone();
    for f in ["call_id", "event", "direction", "from"] {
        assert!(fields.get(f).is_some(), "{f} in {fields}");
    }
    assert_eq!(app.api("POST", "/api/v1/telephony/events", Some(TELEPHONY_TOKEN), None).await.status, 400);
}

both_apps!(phone_system, calls);

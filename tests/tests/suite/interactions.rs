//! Interactions through the REST API on both databases: logging, the merged timeline, role rules, bad input,
//! attachments, the list's filters.

use app::core::identity::Role;
use serde_json::json;
use tests::{TestApp, both_apps};

async fn log_and_read(app: TestApp) {
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let (_, b) = app.user_token("b@karvon.uz", Role::Manager, None).await;
    let (_, admin) = app.user_token("admin@karvon.uz", Role::Admin, None).await;
    let cid = app.customer(&a, "Samarqand Don MChJ").await;
    let contact = app
        .api("POST", &format!("/api/v1/customers/{cid}/contacts"), Some(&a), Some(json!({"name": "Aziz Karimov"})))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();

    // A call with the defaults filled in.
    let call = app
        .api(
            "POST",
            "/api/v1/interactions",
            Some(&a),
            Some(json!({"customer_id": cid, "kind": "call", "contact_id": contact, "duration_secs": 185, "body": "Wants a price list"})),
        )
        .await;
    assert_eq!(call.status, 201, "{}", call.body);
    let call = call.json();
    assert_eq!((call["direction"].clone(), call["status"].clone()), (json!("out"), json!("answered")));
    assert_eq!(call["contact_name"], "Aziz Karimov");
    assert_eq!(call["author_name"], "a@karvon.uz");

    // A meeting planned for tomorrow, held later with a result; a stale version is refused.
    let tomorrow = app::core::now_millis() + 86_400_000;
    let meeting = app
        .api(
            "POST",
            "/api/v1/interactions",
            Some(&a),
            Some(json!({"customer_id": cid, "kind": "meeting", "occurred_at": tomorrow, "place": "Office", "participants": "Aziz, Dilnoza"})),
        )
        .await
        .json();
    assert_eq!(meeting["status"], "planned");
    let mid = meeting["id"].as_i64().unwrap();
    let held = app
        .api(
            "PATCH",
            &format!("/api/v1/interactions/{mid}"),
            Some(&a),
            Some(json!({"version": 1, "status": "held", "result": "Contract agreed"})),
        )
        .await;
    assert_eq!((held.status.as_u16(), held.json()["status"].clone()), (200, json!("held")));
    let stale = app
        .api(
            "PATCH",
            &format!("/api/v1/interactions/{mid}"),
            Some(&a),
            Some(json!({"version": 1, "status": "cancelled"})),
        )
        .await;
    assert_eq!(stale.status, 409);

    // Bad input: every problem at once, nothing saved.
    let bad = app
        .api(
            "POST",
            "/api/v1/interactions",
            Some(&a),
            Some(json!({"customer_id": cid, "kind": "note", "direction": "in", "duration_secs": 60, "occurred_at": 5})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields = bad.json()["fields"].clone();
    for f in ["body", "direction", "duration_secs", "occurred_at"] {
        assert!(fields.get(f).is_some(), "{f} missing in {fields}");
    }
    let unknown_kind =
        app.api("POST", "/api/v1/interactions", Some(&a), Some(json!({"customer_id": cid, "kind": "fax"}))).await;
    assert_eq!(unknown_kind.status, 422);
    let other = app.customer(&a, "Boshqa MChJ").await;
    let foreign_contact = app
        .api(
            "POST",
            "/api/v1/interactions",
            Some(&a),
            Some(json!({"customer_id": other, "kind": "call", "contact_id": contact})),
        )
        .await;
    assert_eq!(
        (foreign_contact.status.as_u16(), foreign_contact.json()["fields"].get("contact_id").is_some()),
        (422, true)
    );

    // Another manager neither sees nor logs on A's customer; the administrator does.
    let cid_path = format!("/api/v1/interactions/{}", call["id"]);
    assert_eq!(app.api("GET", &cid_path, Some(&b), None).await.status, 403);
    let by_b = app
        .api("POST", "/api/v1/interactions", Some(&b), Some(json!({"customer_id": cid, "kind": "note", "body": "x"})))
        .await;
    assert_eq!(by_b.status, 403);
    let b_list = app.api("GET", "/api/v1/interactions", Some(&b), None).await.json();
    assert_eq!(b_list["items"].as_array().unwrap().len(), 0);
    assert_eq!(app.api("GET", &cid_path, Some(&admin), None).await.status, 200);

    // The list filters by kind and period.
    let calls = app.api("GET", "/api/v1/interactions?kind=call", Some(&a), None).await.json();
    assert_eq!(calls["items"].as_array().unwrap().len(), 1);
    let future = app.api("GET", &format!("/api/v1/interactions?from={}", tomorrow - 1000), Some(&a), None).await.json();
    assert_eq!(future["items"][0]["id"].as_i64(), Some(mid));
    let bad_kind = app.api("GET", "/api/v1/interactions?kind=fax", Some(&a), None).await;
    assert_eq!(bad_kind.status, 422);

    // The customer's timeline has both interactions and its audit rows, newest first.
    let tl = app.api("GET", &format!("/api/v1/customers/{cid}/timeline"), Some(&a), None).await.json();
    let items = tl["items"].as_array().unwrap();
    let entities: Vec<&str> = items.iter().map(|e| e["entity"].as_str().unwrap()).collect();
    assert_eq!(entities.iter().filter(|e| **e == "interaction").count(), 2, "{entities:?}");
    assert!(entities.contains(&"customer"));
    assert_eq!(items[0]["interaction"]["id"].as_i64(), Some(mid), "the planned-then-held meeting is the latest");
}

async fn timeline_pages(app: TestApp) {
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let cid = app.customer(&a, "Paging MChJ").await;
    let now = app::core::now_millis();
    for i in 0..25 {
        // Interleaved with audit rows: every fifth step also edits the customer.
        let body = json!({"customer_id": cid, "kind": "note", "body": format!("note {i}"), "occurred_at": now - 3_600_000 + i * 60_000});
        assert_eq!(app.api("POST", "/api/v1/interactions", Some(&a), Some(body)).await.status, 201);
        if i % 5 == 0 {
            let c = app.api("GET", &format!("/api/v1/customers/{cid}"), Some(&a), None).await.json();
            let patch = json!({"version": c["version"], "notes": format!("edit {i}")});
            assert_eq!(app.api("PATCH", &format!("/api/v1/customers/{cid}"), Some(&a), Some(patch)).await.status, 200);
        }
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/customers/{cid}/timeline?limit=7&cursor={c}"),
            None => format!("/api/v1/customers/{cid}/timeline?limit=7"),
        };
        let page = app.api("GET", &path, Some(&a), None).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let page = page.json();
        for e in page["items"].as_array().unwrap() {
            seen.push((
                e["entity"].as_str().unwrap().to_string(),
                e["id"].as_i64().unwrap(),
                e["at"].as_i64().unwrap(),
            ));
        }
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    // 25 notes + the creation + 5 edits, each once, newest first.
    assert_eq!(seen.len(), 31, "{seen:?}");
    assert_eq!(pages, 5);
    let mut unique = seen.iter().map(|(e, id, _)| (e.clone(), *id)).collect::<Vec<_>>();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 31);
    assert!(seen.windows(2).all(|w| w[0].2 >= w[1].2), "not newest first: {seen:?}");
    let garbage = app.api("GET", &format!("/api/v1/customers/{cid}/timeline?cursor=12"), Some(&a), None).await;
    assert_eq!(garbage.status, 422);
}

async fn attachments(app: TestApp) {
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let (_, b) = app.user_token("b@karvon.uz", Role::Manager, None).await;
    let cid = app.customer(&a, "Files MChJ").await;
    let note = app
        .api(
            "POST",
            "/api/v1/interactions",
            Some(&a),
            Some(json!({"customer_id": cid, "kind": "note", "body": "Offer sent"})),
        )
        .await
        .json();
    let id = note["id"].as_i64().unwrap();
    let upload = |token: &str, name: &str, bytes: Vec<u8>| {
        let req = http::Request::builder()
            .method("POST")
            .uri(format!("/api/v1/interactions/{id}/attachments?file_name={name}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/pdf")
            .body(axum::body::Body::from(bytes))
            .unwrap();
        app.send(req)
    };
    let pdf = b"%PDF-1.4 offer".to_vec();
    let up = upload(&a, "..%2F..%2Foffer%20%C2%AB2026%C2%BB.pdf", pdf.clone()).await;
    assert_eq!(up.status, 201, "{}", up.body);
    let info = up.json();
    assert_eq!(info["file_name"], "offer «2026».pdf");
    let file_id = info["id"].as_i64().unwrap();
    let got = app.api("GET", &format!("/api/v1/attachments/{file_id}"), Some(&a), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body.as_bytes(), pdf.as_slice());
    let disposition = got.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(got.headers["x-content-type-options"], "nosniff");
    assert_eq!(app.api("GET", &format!("/api/v1/attachments/{file_id}"), Some(&b), None).await.status, 403);
    assert_eq!(upload(&b, "x.pdf", pdf.clone()).await.status, 403);
    assert_eq!(upload(&a, "empty.pdf", Vec::new()).await.status, 422);
    let huge = upload(&a, "huge.bin", vec![7u8; app::interactions::MAX_ATTACHMENT_BYTES + 1]).await;
    assert_eq!(huge.status, 413, "{}", huge.body);
    // The interaction lists its one file.
    let again = app.api("GET", &format!("/api/v1/interactions/{id}"), Some(&a), None).await.json();
    assert_eq!(again["attachments"].as_array().unwrap().len(), 1);
}

both_apps!(logging_and_roles, log_and_read);
both_apps!(timeline_paging, timeline_pages);
both_apps!(interaction_files, attachments);

//! Everyday edits on both databases: bulk actions on customers (over REST and the list's server function),
//! the export of a selection, a contact's role, a counterparty's bank account removed, and who may change
//! an interaction (its author; an e-mail's or SMS's text stays as it was).

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::{TestApp, both_apps};

async fn bulk_actions(app: TestApp) {
    let (a_id, a) = app.user_token("a@k.uz", Role::Manager, None).await;
    let (b_id, b) = app.user_token("b@k.uz", Role::Manager, None).await;
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    let mut ids = Vec::new();
    for name in ["Olma MChJ", "Anor MChJ", "Behi MChJ"] {
        ids.push(app.customer(&a, name).await);
    }
    let other = app.customer(&b, "Nok MChJ").await;
    let bulk = |token: &str, body: Value| {
        let token = token.to_string();
        let app = &app;
        async move { app.api("POST", "/api/v1/customers/bulk", Some(&token), Some(body)).await }
    };

    // Someone else's customer in the selection refuses it all; nothing changes.
    let mixed = bulk(&a, json!({"ids": [ids[0], other], "action": "tag", "tag": "vip"})).await;
    assert_eq!(mixed.status, 403, "{}", mixed.body);
    assert_eq!(app.get_json(&a, &format!("/api/v1/customers/{}", ids[0])).await["tags"], json!([]));
    // Bad input: no ids, an empty tag, a manager one may not assign to, too many.
    assert_eq!(bulk(&a, json!({"ids": [], "action": "archive"})).await.status, 422);
    let empty_tag = bulk(&a, json!({"ids": [ids[0]], "action": "tag", "tag": " "})).await;
    assert_eq!((empty_tag.status.as_u16(), empty_tag.json()["fields"].get("tag").is_some()), (422, true));
    let not_mine = bulk(&a, json!({"ids": [ids[0]], "action": "reassign", "manager_id": b_id})).await;
    assert_eq!(not_mine.status, 422, "a manager hands customers only to themselves");
    let many: Vec<i64> = (1..=10_001).collect();
    assert_eq!(bulk(&admin, json!({"ids": many, "action": "archive"})).await.status, 422);

    // Tag: added once, the second time nothing changes; each card's history says so.
    let tagged = bulk(&a, json!({"ids": ids, "action": "tag", "tag": "vip"})).await;
    assert_eq!(tagged.status, 200, "{}", tagged.body);
    assert_eq!(tagged.json(), json!({"changed": 3, "unchanged": 0}));
    let again = bulk(&a, json!({"ids": ids, "action": "tag", "tag": "VIP"})).await.json();
    assert_eq!(again, json!({"changed": 0, "unchanged": 3}));
    let vip = app.get_json(&a, "/api/v1/customers?rules=%7B%22rules%22%3A%5B%7B%22field%22%3A%22tag%22%2C%22op%22%3A%22eq%22%2C%22value%22%3A%22vip%22%7D%5D%7D").await;
    assert_eq!(vip["items"].as_array().unwrap().len(), 3, "{vip}");

    // A departed manager's customers go to a colleague in one step (the administrator), with history rows.
    let moved = bulk(&admin, json!({"ids": ids, "action": "reassign", "manager_id": b_id})).await;
    assert_eq!(moved.json(), json!({"changed": 3, "unchanged": 0}), "{}", moved.body);
    for id in &ids {
        let c = app.get_json(&b, &format!("/api/v1/customers/{id}")).await;
        assert_eq!(c["manager_id"].as_i64(), Some(b_id));
        let tl = app.get_json(&b, &format!("/api/v1/customers/{id}/timeline")).await;
        let rows = tl["items"].as_array().unwrap();
        assert!(
            rows.iter().any(|r| r["changes"].as_array().is_some_and(|c| c
                .iter()
                .any(|c| c["field"] == "manager" && c["old"] == "a@k.uz" && c["new"] == "b@k.uz"))),
            "{tl}"
        );
    }
    assert_eq!(app.api("GET", &format!("/api/v1/customers/{}", ids[0]), Some(&a), None).await.status, 403);
    let _ = a_id;

    // A static segment gets members (sales heads and administrators only); a dynamic one is refused.
    let seg = app
        .api("POST", "/api/v1/segments", Some(&admin), Some(json!({"name": "Ko'rgazma", "kind": "static", "rules": {"rules": [{"field": "name", "op": "contains", "value": "zzz"}]}})))
        .await
        .json();
    let seg_id = seg["id"].as_i64().unwrap();
    assert_eq!(seg["member_count"], 0);
    let by_manager = bulk(&b, json!({"ids": ids, "action": "add_to_segment", "segment_id": seg_id})).await;
    assert_eq!(by_manager.status, 403);
    let added = bulk(&admin, json!({"ids": ids, "action": "add_to_segment", "segment_id": seg_id})).await;
    assert_eq!(added.json(), json!({"changed": 3, "unchanged": 0}));
    let members = app.get_json(&admin, &format!("/api/v1/customers?segment={seg_id}")).await;
    assert_eq!(members["items"].as_array().unwrap().len(), 3);
    let dynamic = app
        .api("POST", "/api/v1/segments", Some(&admin), Some(json!({"name": "Hammasi", "rules": {"rules": []}})))
        .await
        .json();
    let refused = bulk(&admin, json!({"ids": ids, "action": "add_to_segment", "segment_id": dynamic["id"]})).await;
    assert_eq!((refused.status.as_u16(), refused.json()["fields"].get("segment_id").is_some()), (422, true));

    // Archive and restore in bulk; the list leaves them out, then has them back.
    let archived = bulk(&b, json!({"ids": [ids[0], ids[1]], "action": "archive"})).await.json();
    assert_eq!(archived, json!({"changed": 2, "unchanged": 0}));
    let list = app.get_json(&b, "/api/v1/customers").await;
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Nok MChJ", "Behi MChJ"]);
    let restored = bulk(&b, json!({"ids": ids, "action": "restore"})).await.json();
    assert_eq!(restored, json!({"changed": 2, "unchanged": 1}));

    // The export of a selection has those customers alone.
    let export = app
        .api("GET", &format!("/api/v1/exports/customers?format=csv&ids={},{}", ids[0], ids[2]), Some(&b), None)
        .await;
    assert_eq!(export.status, 200);
    assert!(export.body.contains("Olma MChJ") && export.body.contains("Behi MChJ"), "{}", export.body);
    assert!(!export.body.contains("Anor MChJ") && !export.body.contains("Nok MChJ"), "{}", export.body);
    let bad = app.api("GET", "/api/v1/exports/customers?format=csv&ids=1,x", Some(&b), None).await;
    assert_eq!(bad.status, 422);
    let nameless = app.api("GET", "/api/v1/exports/customers?format=csv&=null", Some(&b), None).await;
    assert_eq!(nameless.status, 422, "a value without a name is refused");

    // The list's form: "everything the filter finds" takes the filtered customers only.
    let session = format!("karvon_session={}", app::auth::store::create_session(&app.db, b_id).await.unwrap());
    let done = app.api_form("/rpc/customers/bulk", &session, "action=tag&tag=mchj-a&all=true&q=anor").await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json(), json!({"changed": 1, "unchanged": 0}));
    let ticked = app.api_form("/rpc/customers/bulk", &session, &format!("action=archive&sel%5B{other}%5D=on")).await;
    assert_eq!(ticked.json(), json!({"changed": 1, "unchanged": 0}), "{}", ticked.body);
    let none = app.api_form("/rpc/customers/bulk", &session, "action=archive").await;
    assert_eq!(none.status, 422);
}
both_apps!(bulk, bulk_actions);

async fn edits_on_the_card(app: TestApp) {
    let (_, a) = app.user_token("a@k.uz", Role::Manager, None).await;
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    let cid = app.customer(&a, "Samarqand Don MChJ").await;

    // A contact's role at this customer changes with its other fields, in one history row.
    let contact = app
        .api(
            "POST",
            &format!("/api/v1/customers/{cid}/contacts"),
            Some(&a),
            Some(json!({"name": "Aziz", "role": "buyer"})),
        )
        .await
        .json();
    let patch =
        json!({"version": contact["version"], "position": "CEO", "role": {"customer_id": cid, "role": "director"}});
    let changed = app.api("PATCH", &format!("/api/v1/contacts/{}", contact["id"]), Some(&a), Some(patch)).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.json()["customers"][0]["role"], "director");
    let other = app.customer(&a, "Boshqa MChJ").await;
    let patch = json!({"version": changed.json()["version"], "role": {"customer_id": other, "role": "x"}});
    let wrong = app.api("PATCH", &format!("/api/v1/contacts/{}", contact["id"]), Some(&a), Some(patch)).await;
    assert_eq!((wrong.status.as_u16(), wrong.json()["fields"].get("role").is_some()), (422, true));

    // A bank account is removed (with the version), the history keeps it.
    let cp = app
        .api(
            "POST",
            &format!("/api/v1/customers/{cid}/counterparties"),
            Some(&a),
            Some(json!({"legal_name": "Don MChJ", "tax_id": "301234567"})),
        )
        .await
        .json();
    let path = format!("/api/v1/counterparties/{}/bank-accounts", cp["id"]);
    let acc =
        app.api("POST", &path, Some(&a), Some(json!({"bank_code": "00014", "account": "20208000900123456001"}))).await;
    assert_eq!(acc.status, 201, "{}", acc.body);
    let acc = acc.json();
    let account = acc["bank_accounts"][0]["id"].as_i64().unwrap();
    let stale = app.api("DELETE", &format!("{path}/{account}?version={}", cp["version"]), Some(&a), None).await;
    assert_eq!(stale.status, 409);
    let gone = app.api("DELETE", &format!("{path}/{account}?version={}", acc["version"]), Some(&a), None).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(gone.json()["bank_accounts"], json!([]));
    let missing =
        app.api("DELETE", &format!("{path}/{account}?version={}", gone.json()["version"]), Some(&a), None).await;
    assert_eq!(missing.status, 404);
    let tl = app.get_json(&a, &format!("/api/v1/customers/{cid}/timeline")).await.to_string();
    assert!(tl.contains("00014 / 20208000900123456001"), "{tl}");

    // An interaction is its author's: the administrator may change it, another user of the customer may not.
    let by_admin = app
        .api(
            "POST",
            "/api/v1/interactions",
            Some(&admin),
            Some(json!({"customer_id": cid, "kind": "note", "body": "Narxlar"})),
        )
        .await
        .json();
    let patch = json!({"version": by_admin["version"], "body": "Narxlar yuborildi"});
    let path = format!("/api/v1/interactions/{}", by_admin["id"]);
    assert_eq!(app.api("PATCH", &path, Some(&a), Some(patch.clone())).await.status, 403);
    assert_eq!(app.api("PATCH", &path, Some(&admin), Some(patch)).await.status, 200);
    // An SMS's text stays as sent; its result is the author's to note.
    let sms = app
        .api(
            "POST",
            "/api/v1/interactions",
            Some(&a),
            Some(json!({"customer_id": cid, "kind": "sms", "direction": "out", "body": "Salom"})),
        )
        .await
        .json();
    let path = format!("/api/v1/interactions/{}", sms["id"]);
    let rewrite = app.api("PATCH", &path, Some(&a), Some(json!({"version": sms["version"], "body": "Boshqa"}))).await;
    assert_eq!(rewrite.status, 422);
    assert!(rewrite.json()["fields"]["body"].is_array(), "{}", rewrite.body);
    let same = app
        .api(
            "PATCH",
            &path,
            Some(&a),
            Some(json!({"version": sms["version"], "body": "Salom", "result": "Javob kutilmoqda"})),
        )
        .await;
    assert_eq!(same.status, 200, "{}", same.body);
}
both_apps!(card_edits, edits_on_the_card);

/// Ids of a page's items.
fn ids_of(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// A sync job's reads: every list takes `updated_since` and gives what changed since then (archived records
/// too), oldest change first, paged by a cursor; scopes still hold.
async fn change_feeds(app: TestApp) {
    let (_, a) = app.user_token("a@k.uz", Role::Manager, None).await;
    let (_, b) = app.user_token("b@k.uz", Role::Manager, None).await;
    let post = |path: String, body: Value| {
        let (app, a) = (&app, a.clone());
        async move {
            let r = app.api("POST", &path, Some(&a), Some(body)).await;
            assert!(r.status.is_success(), "{path}: {}", r.body);
            r.json()
        }
    };
    let old = app.customer(&a, "Eski Mijoz").await;
    let cp = |tax: &str| json!({"legal_name": format!("Firma {tax}"), "tax_id": tax});
    let old_contact = post(format!("/api/v1/customers/{old}/contacts"), json!({"name": "Eski"})).await;
    post(format!("/api/v1/customers/{old}/counterparties"), cp("301111111")).await;
    let old_deal = post("/api/v1/deals".into(), json!({"title": "Eski bitim", "customer_id": old})).await;
    let day = app::core::now_millis() + 86_400_000;
    post("/api/v1/tasks".into(), json!({"title": "Eski", "due_at": day, "customer_id": old})).await;
    post("/api/v1/interactions".into(), json!({"customer_id": old, "kind": "note", "body": "eski"})).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let since = app::core::now_millis();

    // After `since`: two new customers, the old one archived, the old contact changed, one of each other kind.
    let c1 = app.customer(&a, "Yangi Bir").await;
    let c2 = app.customer(&a, "Yangi Ikki").await;
    let v = app.get_json(&a, &format!("/api/v1/customers/{old}")).await["version"].clone();
    post(format!("/api/v1/customers/{old}/archive"), json!({"version": v})).await;
    let r = app
        .api(
            "PATCH",
            &format!("/api/v1/contacts/{}", old_contact["id"]),
            Some(&a),
            Some(json!({"version": old_contact["version"], "position": "Direktor"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let new_cp = post(format!("/api/v1/customers/{c1}/counterparties"), cp("302222222")).await;
    let deal = post("/api/v1/deals".into(), json!({"title": "Yangi bitim", "customer_id": c1})).await;
    let task = post("/api/v1/tasks".into(), json!({"title": "Yangi", "due_at": day, "customer_id": c1})).await;
    let note = post("/api/v1/interactions".into(), json!({"customer_id": c1, "kind": "note", "body": "yangi"})).await;

    let feed = |path: &str| format!("{path}{}updated_since={since}", if path.contains('?') { "&" } else { "?" });
    let customers = app.get_json(&a, &feed("/api/v1/customers")).await;
    assert_eq!(ids_of(&customers), [c1, c2, old], "oldest change first, the archived one included");
    assert!(customers["items"][2]["archived_at"].is_i64());
    // `archived` still narrows it when given.
    assert_eq!(ids_of(&app.get_json(&a, &feed("/api/v1/customers?archived=active")).await), [c1, c2]);
    // Paged: one at a time, the same three.
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let c = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = app.get_json(&a, &format!("{}&limit=1{c}", feed("/api/v1/customers"))).await;
        paged.extend(ids_of(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(paged, [c1, c2, old]);
    let bad = app.api("GET", &format!("{}&cursor=zz", feed("/api/v1/customers")), Some(&a), None).await;
    assert_eq!(bad.status, 422, "{}", bad.body);

    assert_eq!(ids_of(&app.get_json(&a, &feed("/api/v1/contacts")).await), [old_contact["id"].as_i64().unwrap()]);
    assert_eq!(ids_of(&app.get_json(&a, &feed("/api/v1/counterparties")).await), [new_cp["id"].as_i64().unwrap()]);
    assert_eq!(ids_of(&app.get_json(&a, &feed("/api/v1/deals?status=all")).await), [deal["id"].as_i64().unwrap()]);
    assert_eq!(ids_of(&app.get_json(&a, &feed("/api/v1/tasks")).await), [task["id"].as_i64().unwrap()]);
    assert_eq!(ids_of(&app.get_json(&a, &feed("/api/v1/interactions")).await), [note["id"].as_i64().unwrap()]);
    // Without `updated_since`, the whole collections in change order.
    assert_eq!(app.get_json(&a, "/api/v1/contacts").await["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.get_json(&a, "/api/v1/counterparties").await["items"].as_array().unwrap().len(), 2);
    let _ = old_deal;
    // Another manager's feed holds none of it.
    for path in [
        "/api/v1/customers",
        "/api/v1/contacts",
        "/api/v1/counterparties",
        "/api/v1/deals?status=all",
        "/api/v1/tasks",
        "/api/v1/interactions",
    ] {
        assert_eq!(ids_of(&app.get_json(&b, &feed(path)).await), Vec::<i64>::new(), "{path}");
    }
}
both_apps!(sync_feeds, change_feeds);

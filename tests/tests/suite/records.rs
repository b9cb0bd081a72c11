//! Archive, restore, delete and erase over the REST API, on both databases: what leaves the lists and comes
//! back, what an administrator's deletion takes along (and what it leaves), an erase that leaves no personal
//! value in the history, and webhook events for each.

use app::core::db::Db;
use app::core::identity::Role;
use serde_json::{Value, json};
use tests::{TestApp, both_apps, both_backends};

/// Subscribes a (never reached) URL to every event, so that the outbox records them.
async fn subscribe(db: &Db) {
    app::db_run!(db, p => sqlx::query(
        "INSERT INTO webhooks (url, secret, events, active, created_at) VALUES ('http://127.0.0.1:9/', 's', '*', TRUE, 0)")
        .execute(p).await.map(|_| ()))
    .unwrap();
}

/// The outbox's events so far, as `event:entity_id`.
async fn events(db: &Db) -> Vec<String> {
    let rows: Vec<(String, i64)> = app::db_run!(db, p => sqlx::query_as(
        "SELECT event, entity_id FROM webhook_outbox ORDER BY id").fetch_all(p).await)
    .unwrap();
    rows.into_iter().map(|(e, id)| format!("{e}:{id}")).collect()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let r = app.api("POST", path, Some(token), Some(body)).await;
    assert!(r.status.is_success(), "{path}: {} {}", r.status, r.body);
    r.json()
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.api("GET", path, Some(token), None).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

/// Archives (or restores) `path`'s record at `version`, expecting `status`.
async fn archive(app: &TestApp, token: &str, path: &str, verb: &str, version: i64, status: u16) -> Value {
    let r = app.api("POST", &format!("{path}/{verb}"), Some(token), Some(json!({ "version": version }))).await;
    assert_eq!(r.status, status, "{path}/{verb}: {}", r.body);
    if status == 200 { r.json() } else { Value::Null }
}

async fn archive_and_restore(app: TestApp) {
    let (_, a) = app.user_token("a@k.uz", Role::Manager, None).await;
    let (_, b) = app.user_token("b@k.uz", Role::Manager, None).await;
    subscribe(&app.db).await;
    let c = post(&app, &a, "/api/v1/customers", json!({"name": "Archa Savdo", "phone": "+998901110000"})).await;
    let cid = id(&c);
    let cp = format!("/api/v1/customers/{cid}");
    let contact = id(&post(&app, &a, &format!("{cp}/contacts"), json!({"name": "Anvar"})).await);
    let counterparty = id(&post(
        &app,
        &a,
        &format!("{cp}/counterparties"),
        json!({"legal_name": "Archa MChJ", "tax_id": "301111111"}),
    )
    .await);
    let deal = id(&post(&app, &a, "/api/v1/deals", json!({"title": "Stol", "customer_id": cid})).await);
    let due = app::core::now_millis() + 3_600_000;
    let task =
        id(&post(&app, &a, "/api/v1/tasks", json!({"title": "Qo'ng'iroq", "due_at": due, "customer_id": cid})).await);
    let note =
        id(&post(&app, &a, "/api/v1/interactions", json!({"customer_id": cid, "kind": "note", "body": "Salom"})).await);

    // Another manager may not; a stale version is a conflict; then it leaves every list.
    archive(&app, &b, &cp, "archive", c["version"].as_i64().unwrap(), 403).await;
    archive(&app, &a, &cp, "archive", 0, 409).await;
    let state = archive(&app, &a, &cp, "archive", c["version"].as_i64().unwrap(), 200).await;
    assert!(state["archived_at"].as_i64().is_some(), "{state}");
    let version = state["version"].as_i64().unwrap();
    // Asked again: nothing changes.
    assert_eq!(archive(&app, &a, &cp, "archive", version, 200).await["version"], version);
    let names = |v: Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
    };
    assert!(names(get(&app, &a, "/api/v1/customers?q=archa").await).is_empty());
    assert_eq!(names(get(&app, &a, "/api/v1/customers?q=archa&archived=only").await), ["Archa Savdo"]);
    assert_eq!(names(get(&app, &a, "/api/v1/customers?archived=all").await), ["Archa Savdo"]);
    assert!(names(get(&app, &a, "/api/v1/customers").await).is_empty());
    let bad = app.api("GET", "/api/v1/customers?archived=maybe", Some(&a), None).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.json()["fields"]["archived"].is_array(), "{}", bad.body);
    // The card still opens, saying so, and its timeline tells who archived it.
    assert!(get(&app, &a, &cp).await["archived_at"].as_i64().is_some());
    let timeline = get(&app, &a, &format!("{cp}/timeline")).await;
    assert!(timeline["items"].as_array().unwrap().iter().any(|e| e["action"] == "archived"), "{timeline}");
    let back = archive(&app, &a, &cp, "restore", version, 200).await;
    assert!(back["archived_at"].is_null());
    assert_eq!(names(get(&app, &a, "/api/v1/customers?q=archa").await), ["Archa Savdo"]);

    // Each of the others leaves its lists and the card.
    let deal_path = format!("/api/v1/deals/{deal}");
    let dv = get(&app, &a, &deal_path).await["version"].as_i64().unwrap();
    archive(&app, &a, &deal_path, "archive", dv, 200).await;
    let deals = |q: &'static str| {
        let (app, a) = (&app, &a);
        async move {
            get(app, a, &format!("/api/v1/deals?customer_id={cid}&status=all{q}")).await["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!((deals("").await, deals("&archived=only").await), (0, 1));

    let task_path = format!("/api/v1/tasks/{task}");
    let tv = get(&app, &a, &task_path).await["version"].as_i64().unwrap();
    archive(&app, &a, &task_path, "archive", tv, 200).await;
    assert_eq!(get(&app, &a, &format!("/api/v1/tasks?customer_id={cid}")).await["items"].as_array().unwrap().len(), 0);
    let day = get(&app, &a, "/api/v1/tasks/my-day").await;
    assert!(!day.to_string().contains("Qo'ng'iroq"), "{day}");
    assert_eq!(get(&app, &a, &format!("/api/v1/tasks?customer_id={cid}&archived=only")).await["items"][0]["id"], task);

    let note_path = format!("/api/v1/interactions/{note}");
    let nv = get(&app, &a, &note_path).await["version"].as_i64().unwrap();
    archive(&app, &a, &note_path, "archive", nv, 200).await;
    assert_eq!(
        get(&app, &a, &format!("/api/v1/interactions?customer_id={cid}")).await["items"].as_array().unwrap().len(),
        0
    );
    let timeline = get(&app, &a, &format!("{cp}/timeline")).await;
    assert!(!timeline.to_string().contains("Salom"), "an archived note left the timeline: {timeline}");

    let contact_path = format!("/api/v1/contacts/{contact}");
    let kv = get(&app, &a, &contact_path).await["version"].as_i64().unwrap();
    archive(&app, &a, &contact_path, "archive", kv, 200).await;
    assert_eq!(get(&app, &a, &format!("{cp}/contacts")).await.as_array().unwrap().len(), 0);
    assert_eq!(get(&app, &a, &format!("{cp}/contacts?archived=all")).await.as_array().unwrap().len(), 1);

    let cp_path = format!("/api/v1/counterparties/{counterparty}");
    let pv = get(&app, &a, &cp_path).await["version"].as_i64().unwrap();
    archive(&app, &a, &cp_path, "archive", pv, 200).await;
    assert_eq!(get(&app, &a, &format!("{cp}/counterparties")).await["current"].as_array().unwrap().len(), 0);
    assert_eq!(get(&app, &a, &format!("{cp}/counterparties?archived=only")).await["current"][0]["id"], counterparty);

    let got = events(&app.db).await;
    for want in [
        format!("customer.archived:{cid}"),
        format!("customer.restored:{cid}"),
        format!("deal.archived:{deal}"),
        format!("task.archived:{task}"),
        format!("interaction.archived:{note}"),
        format!("contact.archived:{contact}"),
    ] {
        assert!(got.contains(&want), "{want} not in {got:?}");
    }
    assert_eq!(
        got.iter().filter(|e| e.starts_with("customer.archived")).count(),
        1,
        "asked twice, archived once: {got:?}"
    );
}
both_apps!(archive, archive_and_restore);

async fn delete_with_what_goes(app: TestApp) {
    let (a_id, a) = app.user_token("a@k.uz", Role::Manager, None).await;
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    subscribe(&app.db).await;
    let x = id(&post(&app, &a, "/api/v1/customers", json!({"name": "Ketgan Savdo"})).await);
    let y = id(&post(&app, &a, "/api/v1/customers", json!({"name": "Qolgan Savdo"})).await);
    let xp = format!("/api/v1/customers/{x}");
    let own =
        id(&post(&app, &a, &format!("{xp}/contacts"), json!({"name": "Faqat Xniki", "phones": ["+998901234001"]}))
            .await);
    let shared = id(&post(&app, &a, &format!("{xp}/contacts"), json!({"name": "Umumiy"})).await);
    post(&app, &a, &format!("/api/v1/contacts/{shared}/links"), json!({"customer_id": y})).await;
    let cpx = id(&post(
        &app,
        &a,
        &format!("{xp}/counterparties"),
        json!({"legal_name": "Ketgan MChJ", "tax_id": "302222222"}),
    )
    .await);
    let deal = id(&post(
        &app,
        &a,
        "/api/v1/deals",
        json!({"title": "Shkaf", "customer_id": x, "contacts": [{"contact_id": own}]}),
    )
    .await);
    let due = app::core::now_millis() + 3_600_000;
    let task = id(&post(
        &app,
        &a,
        "/api/v1/tasks",
        json!({"title": "Bitim bo'yicha", "due_at": due, "customer_id": x, "deal_id": deal}),
    )
    .await);
    let note = id(&post(
        &app,
        &a,
        "/api/v1/interactions",
        json!({"customer_id": x, "kind": "note", "body": "Xat", "contact_id": own}),
    )
    .await);
    let file = app.attach_pdf(&a, note).await;
    assert_eq!(file.status, 201, "{}", file.body);
    // A letter filed on the customer: it stays in its mailbox.
    let now = app::core::now_millis();
    let mailbox: i64 = app::db_run!(&app.db, p => sqlx::query_scalar(
        "INSERT INTO mailboxes (owner_id, name, address, login, password_enc, imap_host, imap_port, imap_security, \
         smtp_host, smtp_port, smtp_security, created_at, updated_at) \
         VALUES ($1, 'a', 'a@k.uz', 'a', 'x', 'imap.k.uz', 993, 'tls', 'smtp.k.uz', 465, 'tls', $2, $2) RETURNING id")
        .bind(a_id).bind(now).fetch_one(p).await)
    .unwrap();
    let message: i64 = app::db_run!(&app.db, p => sqlx::query_scalar(
        "INSERT INTO mail_messages (mailbox_id, folder, uidvalidity, uid, direction, subject, sent_at, size, created_at, \
         customer_id, contact_id) VALUES ($1, 'inbox', 1, 1, 'in', 'Narxlar', $2, 10, $2, $3, $4) RETURNING id")
        .bind(mailbox).bind(now).bind(x).bind(own).fetch_one(p).await)
    .unwrap();

    // Only administrators see what would go, and delete.
    assert_eq!(app.api("GET", &format!("{xp}/deletion"), Some(&a), None).await.status, 403);
    let preview = get(&app, &admin, &format!("{xp}/deletion")).await;
    let count = |what: &str| {
        preview["goes"].as_array().unwrap().iter().find(|g| g["what"] == what).map(|g| g["count"].as_i64().unwrap())
    };
    assert_eq!(preview["name"], "Ketgan Savdo");
    assert_eq!(
        (
            count("deals"),
            count("interactions"),
            count("tasks"),
            count("contacts"),
            count("counterparties"),
            count("attachments")
        ),
        (Some(1), Some(1), Some(1), Some(1), Some(1), Some(1)),
        "{preview}"
    );
    assert_eq!(count("mail"), Some(1), "{preview}");
    assert!(count("history").unwrap() > 0, "{preview}");
    let version = preview["version"].as_i64().unwrap();
    assert_eq!(app.api("DELETE", &format!("{xp}?version={version}"), Some(&a), None).await.status, 403);
    assert_eq!(app.api("DELETE", &format!("{xp}?version=0"), Some(&admin), None).await.status, 409);
    assert_eq!(app.api("DELETE", &xp, Some(&admin), None).await.status, 422);
    let gone = app.api("DELETE", &format!("{xp}?version={version}"), Some(&admin), None).await;
    assert_eq!(gone.status, 204, "{}", gone.body);

    for path in [
        xp.clone(),
        format!("/api/v1/deals/{deal}"),
        format!("/api/v1/tasks/{task}"),
        format!("/api/v1/interactions/{note}"),
        format!("/api/v1/contacts/{own}"),
        format!("/api/v1/counterparties/{cpx}"),
    ] {
        assert_eq!(app.api("GET", &path, Some(&admin), None).await.status, 404, "{path} is gone");
    }
    // The letter stays in its mailbox, filed on nobody.
    let filed: (Option<i64>, Option<i64>) = app::db_run!(&app.db, p => sqlx::query_as(
        "SELECT customer_id, contact_id FROM mail_messages WHERE id = $1").bind(message).fetch_one(p).await)
    .unwrap();
    assert_eq!(filed, (None, None));
    // The shared contact stays with the other customer, and nothing of X is found any more.
    let kept = get(&app, &a, &format!("/api/v1/contacts/{shared}")).await;
    let linked: Vec<i64> =
        kept["customers"].as_array().unwrap().iter().map(|l| l["customer_id"].as_i64().unwrap()).collect();
    assert_eq!(linked, [y]);
    assert!(get(&app, &admin, "/api/v1/customers?q=ketgan").await["items"].as_array().unwrap().is_empty());
    assert_eq!(get(&app, &admin, "/api/v1/customers?q=umumiy").await["items"][0]["id"], y);
    // One row says who deleted what.
    let (action, changes): (String, String) = app::db_run!(&app.db, p => sqlx::query_as(
        "SELECT action, changes FROM audit_log WHERE entity = 'customer' AND entity_id = $1").bind(x).fetch_one(p).await)
    .unwrap();
    assert_eq!(action, "deleted");
    assert!(changes.contains("Ketgan Savdo"), "{changes}");
    let got = events(&app.db).await;
    for want in [format!("customer.deleted:{x}"), format!("deal.deleted:{deal}"), format!("contact.deleted:{own}")] {
        assert!(got.contains(&want), "{want} not in {got:?}");
    }

    // Each other kind is deleted alone too (the schema's foreign keys hold on PostgreSQL and SQLite).
    let d2 = id(&post(&app, &a, "/api/v1/deals", json!({"title": "Divan", "customer_id": y})).await);
    let t2 =
        id(&post(&app, &a, "/api/v1/tasks", json!({"title": "Divan", "due_at": due, "customer_id": y, "deal_id": d2}))
            .await);
    let n2 = id(&post(
        &app,
        &a,
        "/api/v1/interactions",
        json!({"customer_id": y, "kind": "note", "body": "Divan", "deal_id": d2, "contact_id": shared}),
    )
    .await);
    let cp2 = id(&post(
        &app,
        &a,
        &format!("/api/v1/customers/{y}/counterparties"),
        json!({"legal_name": "Qolgan MChJ", "tax_id": "303333333"}),
    )
    .await);
    for path in [
        format!("/api/v1/tasks/{t2}"),
        format!("/api/v1/deals/{d2}"),
        format!("/api/v1/contacts/{shared}"),
        format!("/api/v1/interactions/{n2}"),
        format!("/api/v1/counterparties/{cp2}"),
    ] {
        let v = get(&app, &admin, &format!("{path}/deletion")).await["version"].as_i64().unwrap();
        let r = app.api("DELETE", &format!("{path}?version={v}"), Some(&admin), None).await;
        assert_eq!(r.status, 204, "{path}: {}", r.body);
        assert_eq!(app.api("GET", &path, Some(&admin), None).await.status, 404, "{path}");
    }
    assert_eq!(get(&app, &a, &format!("/api/v1/customers/{y}")).await["name"], "Qolgan Savdo");
}
both_apps!(delete, delete_with_what_goes);

async fn erase_personal_data(app: TestApp) {
    let (_, a) = app.user_token("a@k.uz", Role::Manager, None).await;
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    let c = post(
        &app,
        &a,
        "/api/v1/customers",
        json!({"name": "Dilnoza Karimova", "kind": "person",
        "phone": "+998901119999", "email": "dilnoza@mail.uz", "notes": "Qo'shni", "tags": ["vip"]}),
    )
    .await;
    let cid = id(&c);
    let cp = format!("/api/v1/customers/{cid}");
    let patched =
        app.api("PATCH", &cp, Some(&a), Some(json!({"version": c["version"], "phone": "+998901118888"}))).await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    let contact =
        post(&app, &a, &format!("{cp}/contacts"), json!({"name": "Jasur Karimov", "phones": ["+998901117777"]})).await;
    let deal = id(&post(&app, &a, "/api/v1/deals", json!({"title": "Kreslo", "customer_id": cid})).await);

    let version = patched.json()["version"].as_i64().unwrap();
    let erase = |token: &str, path: &str, v: i64| {
        let (app, token, path) = (&app, token.to_string(), format!("{path}/erase"));
        async move { app.api("POST", &path, Some(&token), Some(json!({ "version": v }))).await.status }
    };
    assert_eq!(erase(&a, &cp, version).await, 403);
    assert_eq!(erase(&admin, &cp, 0).await, 409);
    assert_eq!(erase(&admin, &cp, version).await, 204);
    let after = get(&app, &admin, &cp).await;
    assert_eq!(after["name"], format!("#{cid}"));
    assert!(after["phone"].is_null() && after["email"].is_null() && after["notes"].is_null(), "{after}");
    assert_eq!(after["tags"], json!([]));
    // No value of hers is left in the history; the rows stay, saying the values were erased.
    let rows: Vec<(String, String)> = app::db_run!(&app.db, p => sqlx::query_as(
        "SELECT action, changes FROM audit_log WHERE entity = 'customer' AND entity_id = $1 ORDER BY id").bind(cid).fetch_all(p).await)
    .unwrap();
    let all = format!("{rows:?}");
    for secret in ["Dilnoza", "901119999", "901118888", "dilnoza@mail.uz", "Qo'shni"] {
        assert!(!all.contains(secret), "{secret} left in {all}");
    }
    assert!(all.contains(app::records::ERASED), "{all}");
    assert_eq!(rows.last().unwrap().0, "erased");
    assert!(get(&app, &admin, "/api/v1/customers?q=dilnoza").await["items"].as_array().unwrap().is_empty());
    // Her deal stays hers.
    assert_eq!(get(&app, &a, &format!("/api/v1/deals/{deal}")).await["customer_id"], cid);

    let kp = format!("/api/v1/contacts/{}", id(&contact));
    assert_eq!(erase(&admin, &kp, contact["version"].as_i64().unwrap()).await, 204);
    let k = get(&app, &admin, &kp).await;
    assert_eq!(k["phones"], json!([]));
    assert!(!k["name"].as_str().unwrap().contains("Jasur"), "{k}");
    // Deals and tasks have nothing personal to erase.
    assert_eq!(erase(&admin, &format!("/api/v1/deals/{deal}"), 1).await, 404);
}
both_apps!(erase, erase_personal_data);

/// Every foreign key to a deletable record's table, read from the schema, is handled by the deletion.
async fn deletion_covers_schema(db: Db) {
    let mut refs = Vec::new();
    for t in ["customers", "contacts", "counterparties", "deals", "tasks", "interactions"] {
        refs.extend(tests::references_to(&db, t).await);
    }
    assert!(refs.len() >= 20, "the schema was read: {refs:?}");
    for (table, column) in refs {
        assert!(
            app::records::store::REFERENCES.contains(&(table.as_str(), column.as_str())),
            "{table}.{column} refers to a deletable record but the deletion does not handle it"
        );
    }
}
both_backends!(deletion_schema, deletion_covers_schema);

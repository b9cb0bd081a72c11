//! Stock on both databases: the catalog, documents through their life (receipt, shipment, transfer in
//! transit, write-off, inventory count, cancellation), moving-average values, the append-only ledger, the
//! closed period, who may post where, and 32 shipments fired at once at the last 20 units.

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::{TestApp, both_apps};

/// The balance of `product` in `warehouse`: `(on hand, value)` as the API writes them.
async fn balance(app: &TestApp, token: &str, warehouse: i64, product: i64) -> (String, String) {
    let b = app.get_json(token, &format!("/api/v1/stock/balances?warehouse_id={warehouse}&product_id={product}")).await;
    let item = &b["items"][0];
    (item["on_hand"].as_str().unwrap_or("none").to_string(), item["value"].as_str().unwrap_or("none").to_string())
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> tests::Resp {
    app.api("POST", path, Some(token), Some(body)).await
}

struct Shop {
    admin: String,
    keeper: String,
    manager: String,
    a: i64,
    b: i64,
    chair: i64,
}

async fn shop(app: &TestApp) -> Shop {
    let (_, admin) = app.user_token("admin@karvon.uz", Role::Admin, None).await;
    let (keeper_id, keeper) = app.user_token("ombor@karvon.uz", Role::Storekeeper, None).await;
    let (_, manager) = app.user_token("m@karvon.uz", Role::Manager, None).await;
    let a = post(app, &admin, "/api/v1/warehouses", json!({"name": "Markaziy ombor"})).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let b = post(app, &admin, "/api/v1/warehouses", json!({"name": "Samarqand filiali", "keepers": [keeper_id]})).await;
    assert_eq!(b.status, 201, "{}", b.body);
    let chair = post(
        app,
        &admin,
        "/api/v1/products",
        json!({"name": "Stul", "sku": "ST-1", "base_unit": "pcs", "units": [{"unit": "box", "factor": "12"}],
               "barcodes": ["4780000000017"], "mxik": "10000000000000001", "vat": "12"}),
    )
    .await;
    assert_eq!(chair.status, 201, "{}", chair.body);
    Shop {
        admin,
        keeper,
        manager,
        a: a.json()["id"].as_i64().unwrap(),
        b: b.json()["id"].as_i64().unwrap(),
        chair: chair.json()["id"].as_i64().unwrap(),
    }
}

async fn ledger(app: TestApp) {
    let s = shop(&app).await;
    let (admin, chair, a, b) = (&s.admin, s.chair, s.a, s.b);

    // The catalog refuses what it must, each by its field.
    let bad =
        post(&app, admin, "/api/v1/products", json!({"name": "", "mxik": "123", "sku": "st-1", "vat": "15"})).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    for f in ["name", "mxik", "vat"] {
        assert!(bad.json()["fields"].get(f).is_some(), "{f}: {}", bad.body);
    }
    let dup = post(&app, admin, "/api/v1/products", json!({"name": "Stul 2", "sku": "st-1"})).await;
    assert_eq!((dup.status.as_u16(), dup.json()["fields"].get("sku").is_some()), (422, true), "{}", dup.body);
    let found = app.get_json(admin, "/api/v1/products?q=4780000000017").await;
    assert_eq!(found["items"][0]["id"], chair);

    // A receipt in two units: 2 boxes at 120,000 a box and 6 pieces at 11,000.
    let receipt = json!({"kind": "receipt", "warehouse_id": a, "post": true, "lines": [
        {"product_id": chair, "unit": "box", "qty": "2", "unit_cost": "120000"},
        {"product_id": chair, "qty": "6", "unit_cost": "11000"}]});
    let r = post(&app, admin, "/api/v1/stock-documents", receipt).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = r.json();
    assert_eq!((r["status"].as_str(), r["lines"][0]["base_qty"].as_str()), (Some("posted"), Some("24")));
    assert!(r["number"].as_str().unwrap().starts_with("KR-"), "{r}");
    assert_eq!(balance(&app, admin, a, chair).await, ("30".into(), "306000".into()));

    // A shipment of 10 leaves at the moving average (10,200 each).
    let ship = post(
        &app,
        admin,
        "/api/v1/stock-documents",
        json!({"kind": "shipment", "warehouse_id": a, "lines": [{"product_id": chair, "qty": "10"}]}),
    )
    .await;
    assert_eq!(ship.status, 201, "{}", ship.body);
    let ship = ship.json();
    assert_eq!(balance(&app, admin, a, chair).await, ("30".into(), "306000".into()), "a draft moves nothing");
    let id = ship["id"].as_i64().unwrap();
    // A manager sees stock but does not post.
    let by_manager = post(&app, &s.manager, &format!("/api/v1/stock-documents/{id}/post"), json!({"version": 1})).await;
    assert_eq!(by_manager.status, 403, "{}", by_manager.body);
    let posted = post(&app, admin, &format!("/api/v1/stock-documents/{id}/post"), json!({"version": 1})).await;
    assert_eq!(posted.status, 200, "{}", posted.body);
    let again = post(&app, admin, &format!("/api/v1/stock-documents/{id}/post"), json!({"version": 2})).await;
    assert_eq!(again.status, 422, "posting twice: {}", again.body);
    assert_eq!(balance(&app, admin, a, chair).await, ("20".into(), "204000".into()));

    // Too much refused whole, naming the product and what there is.
    let much = post(
        &app,
        admin,
        "/api/v1/stock-documents",
        json!({"kind": "shipment", "warehouse_id": a, "post": true, "lines": [{"product_id": chair, "qty": "25"}]}),
    )
    .await;
    assert_eq!(much.status, 422, "{}", much.body);
    let msg = much.json()["message"].as_str().unwrap().to_string();
    assert!(msg.contains("Stul") && msg.contains("20"), "{msg}");
    let drafts = app.get_json(admin, &format!("/api/v1/stock-documents?warehouse_id={a}&kind=shipment")).await;
    assert_eq!(drafts["items"].as_array().unwrap().len(), 1, "nothing kept of a refused posting: {drafts}");

    // A transfer is in transit until the other warehouse receives it; only its keeper may.
    let t = post(
        &app,
        admin,
        "/api/v1/stock-documents",
        json!({"kind": "transfer", "warehouse_id": a, "to_warehouse_id": b, "post": true,
               "lines": [{"product_id": chair, "qty": "5"}]}),
    )
    .await;
    assert_eq!(t.status, 201, "{}", t.body);
    let t = t.json();
    assert_eq!(t["status"], "in_transit");
    assert_eq!(balance(&app, admin, a, chair).await, ("15".into(), "153000".into()));
    assert_eq!(balance(&app, admin, b, chair).await.0, "none");
    let tid = t["id"].as_i64().unwrap();
    let got =
        post(&app, &s.keeper, &format!("/api/v1/stock-documents/{tid}/receive"), json!({"version": t["version"]}))
            .await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(balance(&app, admin, b, chair).await, ("5".into(), "51000".into()));

    // A storekeeper posts only at their own warehouse and lists only its documents.
    let elsewhere = post(&app, &s.keeper, "/api/v1/stock-documents",
        json!({"kind": "write_off", "warehouse_id": a, "reason": "Singan", "lines": [{"product_id": chair, "qty": "1"}]})).await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.body);
    let no_reason = post(
        &app,
        &s.keeper,
        "/api/v1/stock-documents",
        json!({"kind": "write_off", "warehouse_id": b, "lines": [{"product_id": chair, "qty": "1"}]}),
    )
    .await;
    assert_eq!((no_reason.status.as_u16(), no_reason.json()["fields"].get("reason").is_some()), (422, true));
    let w = post(
        &app,
        &s.keeper,
        "/api/v1/stock-documents",
        json!({"kind": "write_off", "warehouse_id": b, "reason": "Singan", "post": true,
               "lines": [{"product_id": chair, "qty": "1"}]}),
    )
    .await;
    assert_eq!(w.status, 201, "{}", w.body);
    assert_eq!(balance(&app, admin, b, chair).await, ("4".into(), "40800".into()));
    let mine = app.get_json(&s.keeper, "/api/v1/stock-documents").await;
    let ids: Vec<i64> = mine["items"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [w.json()["id"].as_i64().unwrap(), tid], "{mine}");
    assert_eq!(app.api("GET", &format!("/api/v1/stock-documents/{id}"), Some(&s.keeper), None).await.status, 403);

    // An inventory count: 14 found where 15 were expected.
    let count = post(
        &app,
        admin,
        "/api/v1/stock-documents",
        json!({"kind": "inventory", "warehouse_id": a, "post": true, "lines": [{"product_id": chair, "qty": "14"}]}),
    )
    .await;
    assert_eq!(count.status, 201, "{}", count.body);
    assert_eq!(count.json()["lines"][0]["expected"], "15");
    assert_eq!(balance(&app, admin, a, chair).await, ("14".into(), "142800".into()));

    // Cancelling the shipment writes reversing rows: the goods and their value come back.
    let doc = app.get_json(admin, &format!("/api/v1/stock-documents/{id}")).await;
    let c =
        post(&app, admin, &format!("/api/v1/stock-documents/{id}/cancel"), json!({"version": doc["version"]})).await;
    assert_eq!(c.status, 200, "{}", c.body);
    assert_eq!(c.json()["status"], "cancelled");
    assert_eq!(balance(&app, admin, a, chair).await, ("24".into(), "244800".into()));
    let moves = app.get_json(admin, &format!("/api/v1/stock/movements?document_id={id}")).await;
    let qtys: Vec<&str> = moves["items"].as_array().unwrap().iter().map(|m| m["qty"].as_str().unwrap()).collect();
    assert_eq!(qtys, ["10", "-10"], "{moves}");

    // The ledger cannot be edited, even by hand.
    let edit = app::db_run!(&app.db, p => sqlx::query("UPDATE stock_movements SET qty_milli = 0").execute(p).await.map(|_| ()));
    assert!(edit.is_err(), "stock_movements took an UPDATE");
    let del = app::db_run!(&app.db, p => sqlx::query("DELETE FROM stock_movements").execute(p).await.map(|_| ()));
    assert!(del.is_err(), "stock_movements took a DELETE");

    // Every balance is what its movements add up to.
    let sums: Vec<(i64, i64, i64, i64)> = app::db_run!(&app.db, p => sqlx::query_as(
        "SELECT b.on_hand_milli, b.value_minor, CAST((SELECT COALESCE(SUM(qty_milli), 0) FROM stock_movements m \
         WHERE m.warehouse_id = b.warehouse_id AND m.product_id = b.product_id) AS BIGINT), \
         CAST((SELECT COALESCE(SUM(value_minor), 0) FROM stock_movements m WHERE m.warehouse_id = b.warehouse_id \
         AND m.product_id = b.product_id) AS BIGINT) FROM stock_balances b").fetch_all(p).await)
    .unwrap();
    for (q, v, sq, sv) in sums {
        assert_eq!((q, v), (sq, sv));
    }

    // Stock at a past moment: before anything moved, nothing.
    let past = app.get_json(admin, &format!("/api/v1/stock/balances?warehouse_id={a}&at=1")).await;
    assert_eq!(past["items"][0]["on_hand"], "0", "{past}");

    // The closed period: nothing dated before it is posted or cancelled.
    app::core::settings::set(&app.db, app::stock::CLOSED_UNTIL, Some(&app::core::now_millis().to_string()))
        .await
        .unwrap();
    let late = post(
        &app,
        admin,
        "/api/v1/stock-documents",
        json!({"kind": "receipt", "warehouse_id": a, "doc_at": 1_700_000_000_000_i64,
               "lines": [{"product_id": chair, "qty": "1", "unit_cost": "1"}]}),
    )
    .await;
    assert_eq!((late.status.as_u16(), late.json()["fields"].get("doc_at").is_some()), (422, true), "{}", late.body);
    let count_id = count.json()["id"].as_i64().unwrap();
    let v = app.get_json(admin, &format!("/api/v1/stock-documents/{count_id}")).await["version"].clone();
    let closed = post(&app, admin, &format!("/api/v1/stock-documents/{count_id}/cancel"), json!({"version": v})).await;
    assert_eq!(closed.status, 422, "{}", closed.body);
}
both_apps!(stock_ledger, ledger);

async fn concurrent(app: TestApp) {
    let s = shop(&app).await;
    let r = post(
        &app,
        &s.admin,
        "/api/v1/stock-documents",
        json!({"kind": "receipt", "warehouse_id": s.a, "post": true,
               "lines": [{"product_id": s.chair, "qty": "20", "unit_cost": "1000"}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let one =
        json!({"kind": "shipment", "warehouse_id": s.a, "post": true, "lines": [{"product_id": s.chair, "qty": "1"}]});
    let calls = (0..32).map(|_| post(&app, &s.admin, "/api/v1/stock-documents", one.clone()));
    let answers = futures_util::future::join_all(calls).await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort_unstable();
    for r in answers.iter().filter(|r| r.status != 201) {
        assert_eq!(r.json()["error"], "shortage", "{}", r.body);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 20, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 12, "{statuses:?}");
    assert_eq!(balance(&app, &s.admin, s.a, s.chair).await, ("0".into(), "0".into()));
}
both_apps!(stock_concurrent_shipments, concurrent);

async fn price_lists(app: TestApp) {
    let s = shop(&app).await;
    let (admin, chair) = (&s.admin, s.chair);
    let buyer = app.customer(&s.manager, "Ulgurji savdo MChJ").await;
    let walk_in = app.customer(&s.manager, "Chakana xaridor").await;

    // Lists: a retail default in UZS, a wholesale list, a dollar list.
    let retail = post(&app, admin, "/api/v1/price-lists", json!({"name": "Chakana", "is_default": true})).await;
    assert_eq!((retail.status.as_u16(), retail.json()["currency"].as_str()), (201, Some("UZS")), "{}", retail.body);
    let retail = retail.json()["id"].as_i64().unwrap();
    let wholesale =
        post(&app, admin, "/api/v1/price-lists", json!({"name": "Ulgurji"})).await.json()["id"].as_i64().unwrap();
    let dollars =
        post(&app, admin, "/api/v1/price-lists", json!({"name": "Eksport", "currency": "usd", "is_default": true}))
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
    let taken = post(&app, admin, "/api/v1/price-lists", json!({"name": "chakana"})).await;
    assert_eq!((taken.status.as_u16(), taken.json()["fields"].get("name").is_some()), (422, true), "{}", taken.body);
    let managers = post(&app, &s.manager, "/api/v1/price-lists", json!({"name": "Mening"})).await;
    assert_eq!(managers.status, 403);

    // Prices from dates; bad ones refused by their line, and nothing of the request is kept.
    let set = |list: i64, items: Value| {
        let body = json!({"items": items});
        let app = &app;
        async move { post(app, admin, &format!("/api/v1/price-lists/{list}/prices"), body).await }
    };
    let bad = set(
        retail,
        json!([{"product_id": chair, "valid_from": "2026-01-01", "price": "150000"},
        {"product_id": chair, "valid_from": "2026-02-30", "price": "1"},
        {"product_id": chair, "valid_from": "2026-03-01", "price": "-5"},
        {"product_id": 999999, "price": "1.005"}]),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    for f in ["items[1].valid_from", "items[2].price", "items[3].product_id", "items[3].price"] {
        assert!(bad.json()["fields"].get(f).is_some(), "{f}: {}", bad.body);
    }
    let none = app.get_json(admin, &format!("/api/v1/price-lists/{retail}/prices?on=2026-06-01")).await;
    assert_eq!(none["items"], json!([]), "{none}");
    let ok = set(
        retail,
        json!([{"product_id": chair, "valid_from": "2026-01-01", "price": "150000"},
        {"product_id": chair, "valid_from": "2026-07-01", "price": "165000.50"}]),
    )
    .await;
    assert_eq!(ok.status, 204, "{}", ok.body);
    assert_eq!(
        set(wholesale, json!([{"product_id": chair, "valid_from": "2026-01-01", "price": "130000"}])).await.status,
        204
    );
    assert_eq!(
        set(dollars, json!([{"product_id": chair, "valid_from": "2026-01-01", "price": "12.40"}])).await.status,
        204
    );
    // The same date again corrects that day's price.
    assert_eq!(
        set(wholesale, json!([{"product_id": chair, "valid_from": "2026-01-01", "price": "128000"}])).await.status,
        204
    );

    // The list on a date, and one product's history.
    let june = app.get_json(&s.manager, &format!("/api/v1/price-lists/{retail}/prices?on=2026-06-30")).await;
    assert_eq!(
        (june["items"][0]["price"].as_str(), june["items"][0]["valid_from"].as_str()),
        (Some("150000"), Some("2026-01-01"))
    );
    let july = app.get_json(&s.manager, &format!("/api/v1/price-lists/{retail}/prices?on=2026-07-01")).await;
    assert_eq!(july["items"][0]["price"], "165000.5");
    let history = app.get_json(&s.manager, &format!("/api/v1/price-lists/{retail}/prices?product_id={chair}")).await;
    assert_eq!(history["items"].as_array().map(Vec::len), Some(2), "{history}");
    let bad_on = app.api("GET", &format!("/api/v1/price-lists/{retail}/prices?on=yesterday"), Some(admin), None).await;
    assert_eq!(bad_on.status, 422);

    // The price function: the customer's own list, else the currency's default, else nothing.
    let quote = |customer: Option<i64>, extra: &str| {
        let c = customer.map(|c| format!("&customer_id={c}")).unwrap_or_default();
        let path = format!("/api/v1/prices/quote?product_id={chair}{c}{extra}");
        let token = s.manager.clone();
        let app = &app;
        async move { app.get_json(&token, &path).await }
    };
    let q = quote(Some(buyer), "&on=2026-06-01").await;
    assert_eq!((q["price_list_id"].as_i64(), q["price"].as_str()), (Some(retail), Some("150000")), "{q}");
    let moved =
        post(&app, admin, "/api/v1/price-lists/assign", json!({"price_list_id": wholesale, "customer_ids": [buyer]}))
            .await;
    assert_eq!((moved.status.as_u16(), moved.json()["changed"].as_u64()), (200, Some(1)), "{}", moved.body);
    let q = quote(Some(buyer), "&on=2026-06-01").await;
    assert_eq!((q["price_list_id"].as_i64(), q["price"].as_str()), (Some(wholesale), Some("128000")), "{q}");
    let q = quote(Some(walk_in), "&on=2026-08-01").await;
    assert_eq!(q["price"], "165000.5", "{q}");
    let q = quote(Some(buyer), "&currency=USD&on=2026-06-01").await;
    assert_eq!((q["price_list_id"].as_i64(), q["price"].as_str()), (Some(dollars), Some("12.4")), "{q}");
    // Before any price: none.
    assert_eq!(quote(Some(buyer), "&on=2025-12-31").await, Value::Null);
    // An archived list prices nothing: its customers fall back to the default.
    let v = app.get_json(admin, &format!("/api/v1/price-lists/{wholesale}")).await["version"].clone();
    let arch = post(&app, admin, &format!("/api/v1/price-lists/{wholesale}/archive"), json!({"version": v})).await;
    assert_eq!(arch.status, 200, "{}", arch.body);
    assert_eq!(quote(Some(buyer), "&on=2026-06-01").await["price_list_id"].as_i64(), Some(retail));
    let onto_archived =
        post(&app, admin, "/api/v1/price-lists/assign", json!({"price_list_id": wholesale, "customer_ids": [walk_in]}))
            .await;
    assert_eq!(onto_archived.status, 422, "{}", onto_archived.body);

    // A second default takes the first one's place; a priced list keeps its currency.
    let new_default =
        post(&app, admin, "/api/v1/price-lists", json!({"name": "Chakana 2027", "is_default": true})).await;
    assert_eq!(new_default.status, 201);
    assert_eq!(app.get_json(admin, &format!("/api/v1/price-lists/{retail}")).await["is_default"], false);
    let r = app.get_json(admin, &format!("/api/v1/price-lists/{retail}")).await;
    let recur = app
        .api(
            "PUT",
            &format!("/api/v1/price-lists/{retail}"),
            Some(admin),
            Some(json!({"version": r["version"], "name": "Chakana", "currency": "RUB"})),
        )
        .await;
    assert_eq!(
        (recur.status.as_u16(), recur.json()["fields"].get("currency").is_some()),
        (422, true),
        "{}",
        recur.body
    );
}
both_apps!(stock_price_lists, price_lists);

async fn dashboard(app: TestApp) {
    use futures_util::StreamExt;
    let relay = tokio::spawn(app::core::events::relay(app.db.clone()));
    let s = shop(&app).await;
    let (admin, chair, a, b) = (&s.admin, s.chair, s.a, s.b);
    let open = |warehouse: i64| {
        http::Request::builder()
            .uri(format!("/api/v1/stock/events?warehouse_id={warehouse}"))
            .header("authorization", format!("Bearer {}", s.manager))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let res = tower::ServiceExt::oneshot(app.router.clone(), open(a)).await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut at_a = res.into_body().into_data_stream();
    let mut at_b =
        tower::ServiceExt::oneshot(app.router.clone(), open(b)).await.unwrap().into_body().into_data_stream();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await; // the relay is listening (PostgreSQL)

    let r = post(
        &app,
        admin,
        "/api/v1/stock-documents",
        json!({"kind": "receipt", "warehouse_id": a, "post": true,
        "lines": [{"product_id": chair, "qty": "20", "unit_cost": "1000"}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let frame = tests::next_event(&mut at_a).await.expect("stream open");
    assert!(frame.contains("event: stock") && frame.contains(&format!("\"products\":[{chair}]")), "{frame}");
    let nothing = tokio::time::timeout(std::time::Duration::from_millis(400), at_b.next()).await;
    assert!(nothing.is_err(), "warehouse B's dashboard heard A's receipt: {nothing:?}");

    // Minimums: the keeper of B may not set A's; an administrator may; a negative one is refused by its field.
    let limits = |w: i64, min: &str| json!({"warehouse_id": w, "product_id": chair, "min": min, "reorder": "50"});
    assert_eq!(app.api("PUT", "/api/v1/stock/limits", Some(&s.keeper), Some(limits(a, "30"))).await.status, 403);
    let bad = app.api("PUT", "/api/v1/stock/limits", Some(admin), Some(limits(a, "-1"))).await;
    assert_eq!((bad.status.as_u16(), bad.json()["fields"].get("min").is_some()), (422, true), "{}", bad.body);
    let set = app.api("PUT", "/api/v1/stock/limits", Some(admin), Some(limits(a, "30"))).await;
    assert_eq!((set.status.as_u16(), set.json()["min"].as_str()), (200, Some("30")), "{}", set.body);
    assert!(tests::next_event(&mut at_a).await.expect("stream open").contains("event: stock"));
    let kept = app.api("PUT", "/api/v1/stock/limits", Some(&s.keeper), Some(limits(b, "5"))).await;
    assert_eq!(kept.status, 200, "{}", kept.body);
    let ship = post(
        &app,
        admin,
        "/api/v1/stock-documents",
        json!({"kind": "shipment", "warehouse_id": a, "post": true,
        "lines": [{"product_id": chair, "qty": "5"}]}),
    )
    .await;
    assert_eq!(ship.status, 201, "{}", ship.body);

    // The dashboard as the page reads it: 15 chairs worth 15,000 below their minimum of 30, two documents today.
    let cookie = app.login("m@karvon.uz").await;
    let d = app.api_form("/rpc/stock/dashboard", &cookie, &format!("warehouse={a}")).await;
    assert_eq!(d.status, 200, "{}", d.body);
    let d = d.json();
    assert_eq!((d["value"].as_str(), d["low_count"].as_i64()), (Some("15000"), Some(1)), "{d}");
    assert_eq!(d["low"][0]["on_hand"], "15", "{d}");
    assert_eq!(
        d["today_counts"],
        json!([["receipt", 1], ["shipment", 1], ["transfer", 0], ["write_off", 0], ["inventory", 0]])
    );
    assert_eq!(d["chart"].as_array().map(Vec::len), Some(90));
    assert_eq!(d["chart"][89], 1_500_000, "today's value closes the chart (tiyin)");
    assert_eq!(d["top"][0]["product_id"], chair);
    assert!(d["slow"][0]["last_out_at"].is_i64(), "{d}");
    let all = app.api_form("/rpc/stock/dashboard", &cookie, "").await.json();
    assert_eq!((all["warehouse_id"].is_null(), all["value"].as_str()), (true, Some("15000")), "{all}");
    let missing = app.api_form("/rpc/stock/dashboard", &cookie, "warehouse=99999").await;
    assert_eq!(missing.status, 404);

    // Without JavaScript: the server-rendered page, in the browser's language (Russian here).
    let page = app.browser("GET", &format!("/stock?warehouse={a}"), Some(&cookie), None, "/").await;
    assert_eq!(page.status, 200);
    for text in ["Панель склада", "Ниже минимума", "Stul", "15\u{a0}000\u{a0}сум", "data-test=\"value-chart\""]
    {
        assert!(page.body.contains(text), "{text} missing from the page");
    }
    relay.abort();
}
both_apps!(stock_dashboard, dashboard);

/// A browser's form body: names with brackets encoded as a browser sends them.
fn form(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", k.replace('[', "%5B").replace(']', "%5D"), v.replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&")
}

/// The fields a server function's validation error names.
fn refused(res: &tests::Resp) -> Vec<String> {
    let fields = res.json()["fields"].as_array().cloned().unwrap_or_default();
    fields.iter().filter_map(|f| f["field"].as_str().map(str::to_string)).collect()
}

async fn document_forms(app: TestApp) {
    let s = shop(&app).await;
    let keeper = app.login("ombor@karvon.uz").await;
    let page = app.browser("GET", "/stock/documents?new=receipt", Some(&keeper), None, "/").await;
    assert_eq!(page.status, 200);
    for text in ["Новый документ", "Samarqand filiali", "data-test=\"document-form\"", "Цена (сум)"]
    {
        assert!(page.body.contains(text), "{text} missing from the page");
    }
    let receipt = |lines: &[(&str, &str)]| {
        let mut f = vec![("kind", "receipt".to_string()), ("warehouse", s.b.to_string()), ("post", "1".into())];
        f.extend(lines.iter().map(|(k, v)| (*k, v.to_string())));
        form(&f)
    };

    // An unknown barcode and a line without a quantity, each refused beside its own line; nothing kept.
    let bad = receipt(&[
        ("line[product.0]", "4780000000017"),
        ("line[qty.0]", "2"),
        ("line[unit.0]", "box"),
        ("line[cost.0]", "120000"),
        ("line[product.1]", "0000000"),
        ("line[qty.1]", "1"),
        ("line[product.3]", "stul"),
    ]);
    let res = app.api_form("/rpc/stock/create-document", &keeper, &bad).await;
    assert_eq!(res.status, 422, "{}", res.body);
    let fields = refused(&res);
    assert!(fields.contains(&"lines[1].product".into()) && fields.contains(&"lines[3].qty".into()), "{fields:?}");
    assert!(!fields.contains(&"lines[0].product".into()), "the barcode found its product: {fields:?}");
    let none = app.get_json(&s.admin, &format!("/api/v1/stock-documents?warehouse_id={}", s.b)).await;
    assert_eq!(none["items"], json!([]));
    // A receipt's line needs its cost; the service's error comes back under the form's own name.
    let no_cost = receipt(&[("line[product.2]", "ST-1"), ("line[qty.2]", "3")]);
    let res = app.api_form("/rpc/stock/create-document", &keeper, &no_cost).await;
    assert_eq!(refused(&res), vec!["lines[2].cost".to_string()], "{}", res.body);

    // Without JavaScript: saved and posted, then shown on its own page.
    let good = receipt(&[
        ("line[product.0]", "4780000000017"),
        ("line[qty.0]", "2"),
        ("line[unit.0]", "box"),
        ("line[cost.0]", "120 000"),
        ("line[product.1]", "st-1"),
        ("line[qty.1]", "1,5"),
        ("line[cost.1]", "10000"),
    ]);
    let res = app.browser("POST", "/rpc/stock/create-document", Some(&keeper), Some(&good), "/stock/documents").await;
    let to = res.location().expect("redirected to the document");
    assert!(to.starts_with("/stock/documents/"), "{to}");
    let doc = app.browser("GET", &to, Some(&keeper), None, "/").await;
    assert!(doc.body.contains("Проведён") && doc.body.contains("KR-"), "{}", doc.body);
    assert_eq!(balance(&app, &s.admin, s.b, s.chair).await.0, "25.5");
    // Cancelling from its page writes the reversal.
    let id = to.rsplit('/').next().unwrap();
    let version = app.get_json(&s.admin, &format!("/api/v1/stock-documents/{id}")).await["version"].clone();
    let cancel = form(&[("id", id.to_string()), ("version", version.to_string()), ("act", "cancel".into())]);
    let res = app.api_form("/rpc/stock/document-act", &keeper, &cancel).await;
    assert!(res.status.is_success() || res.status.is_redirection(), "{} {}", res.status, res.body);
    assert_eq!(balance(&app, &s.admin, s.b, s.chair).await.0, "0");

    // The keeper of B makes nothing in A; a manager sees documents but gets no form.
    let elsewhere = form(&[
        ("kind", "receipt".into()),
        ("warehouse", s.a.to_string()),
        ("line[product.0]", "ST-1".into()),
        ("line[qty.0]", "1".into()),
        ("line[cost.0]", "1".into()),
    ]);
    assert_eq!(app.api_form("/rpc/stock/create-document", &keeper, &elsewhere).await.status, 403);
    let manager = app.login("m@karvon.uz").await;
    let list = app.browser("GET", "/stock/documents", Some(&manager), None, "/").await;
    assert!(list.body.contains("data-test=\"doc-list\"") && !list.body.contains("document-form"), "{}", list.body);
}
both_apps!(stock_document_forms, document_forms);

/// The demo seeder's history agrees with itself as a real posting's would: balances are the ledger's sums, the
/// day totals add up to the value, and a posting on top of it works.
async fn seeded_history(app: TestApp) {
    let (by, admin) = app.user_token("admin@karvon.uz", Role::Admin, None).await;
    let s = server::seed_stock::seed_stock(&app.db, 300, 3, 6_000, by, 3).await.expect("seed");
    assert!(s.movements > 5_000 && s.documents == 60, "{s:?}");
    let (mismatched, daily, value): (i64, i64, i64) = app::db_run!(&app.db, p => {
        let m: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM stock_balances b WHERE on_hand_milli <> (SELECT COALESCE(SUM(qty_milli), 0) FROM \
             stock_movements m WHERE m.warehouse_id = b.warehouse_id AND m.product_id = b.product_id) OR value_minor <> \
             (SELECT COALESCE(SUM(value_minor), 0) FROM stock_movements m WHERE m.warehouse_id = b.warehouse_id \
             AND m.product_id = b.product_id) OR on_hand_milli < 0").fetch_one(p).await.unwrap();
        let d: i64 = sqlx::query_scalar("SELECT CAST(SUM(value_minor) AS BIGINT) FROM stock_daily").fetch_one(p).await.unwrap();
        let v: i64 = sqlx::query_scalar("SELECT CAST(SUM(value_minor) AS BIGINT) FROM stock_balances").fetch_one(p).await.unwrap();
        (m, d, v)
    });
    assert_eq!((mismatched, daily), (0, value));
    let w = app.get_json(&admin, "/api/v1/warehouses").await["items"][0]["id"].as_i64().unwrap();
    let b = app.get_json(&admin, &format!("/api/v1/stock/balances?warehouse_id={w}&limit=200")).await;
    let item = b["items"].as_array().unwrap().iter().find(|i| i["on_hand"] != "0").expect("stock").clone();
    let ship = post(
        &app,
        &admin,
        "/api/v1/stock-documents",
        json!({"kind": "shipment", "warehouse_id": w, "post": true,
        "lines": [{"product_id": item["product_id"], "qty": item["on_hand"]}]}),
    )
    .await;
    assert_eq!(ship.status, 201, "{}", ship.body);
    assert!(ship.json()["number"].as_str().unwrap().starts_with("CH-"), "numbering continues: {}", ship.body);
}
both_apps!(stock_seeded_history, seeded_history);

/// What `code` says to a caller of the API who chose no language (Uzbek, the default).
fn says(code: app::core::ErrCode) -> String {
    code.msg().text(app::core::Lang::Uz).to_string()
}

/// The messages a REST answer gives `field`.
fn field_says(res: &tests::Resp, field: &str) -> Vec<String> {
    let v = res.json();
    v["fields"][field]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The group tree over REST: made, renamed and moved by those who keep the catalog, refused loops, slashes,
/// sibling names twice and a ninth level, each by its field; lists of products and balances by a group take
/// its subgroups too; only an empty group is deleted.
async fn product_groups(app: TestApp) {
    let s = shop(&app).await;
    let admin = &s.admin;
    let group = |name: &str, parent: Option<i64>| {
        let body = json!({"name": name, "parent_id": parent});
        let app = &app;
        async move { post(app, admin, "/api/v1/product-groups", body).await }
    };
    let furniture = group("Mebel", None).await;
    assert_eq!(furniture.status, 201, "{}", furniture.body);
    let furniture = furniture.json()["id"].as_i64().unwrap();
    let chairs = group("Stullar", Some(furniture)).await.json();
    assert_eq!((chairs["path"].as_str(), chairs["depth"].as_i64()), (Some("Mebel / Stullar"), Some(2)));
    let chairs_id = chairs["id"].as_i64().unwrap();
    assert_eq!(
        field_says(&group("MEBEL", None).await, "name"),
        [says(app::core::ErrCode::NameTaken)],
        "siblings' names differ"
    );
    assert_eq!(group("Stullar", None).await.status, 201, "the same name elsewhere in the tree");
    assert_eq!(field_says(&group("Stol/stul", None).await, "name"), [says(app::core::ErrCode::SlashInName)]);
    assert_eq!(field_says(&group("X", Some(999_999)).await, "parent_id"), [says(app::core::ErrCode::InvalidChoice)]);
    let keeper = post(&app, &s.keeper, "/api/v1/product-groups", json!({"name": "Qurilish"})).await;
    assert_eq!(keeper.status, 201, "a storekeeper keeps the catalog: {}", keeper.body);
    let manager = post(&app, &s.manager, "/api/v1/product-groups", json!({"name": "Mening"})).await;
    assert_eq!(manager.status, 403);

    // A loop and a ninth level are refused; a rename at a stale version is a conflict.
    let put = |id: i64, body: Value| {
        let app = &app;
        async move { app.api("PUT", &format!("/api/v1/product-groups/{id}"), Some(admin), Some(body)).await }
    };
    let furniture_v = app.get_json(admin, &format!("/api/v1/product-groups/{furniture}")).await["version"].clone();
    let looped = put(furniture, json!({"name": "Mebel", "parent_id": chairs_id, "version": furniture_v})).await;
    assert_eq!(field_says(&looped, "parent_id"), [says(app::core::ErrCode::GroupLoop)], "{}", looped.body);
    let mut deepest = chairs_id;
    for level in 3..=8 {
        deepest = group(&format!("Daraja {level}"), Some(deepest)).await.json()["id"].as_i64().unwrap();
    }
    assert_eq!(
        field_says(&group("Daraja 9", Some(deepest)).await, "parent_id"),
        [says(app::core::ErrCode::GroupTooDeep)]
    );
    let stale = put(chairs_id, json!({"name": "Kreslolar", "parent_id": furniture, "version": 0})).await;
    assert_eq!(stale.status, 409);
    let renamed =
        put(chairs_id, json!({"name": "Kreslolar", "parent_id": furniture, "version": chairs["version"]})).await;
    assert_eq!(renamed.json()["path"], "Mebel / Kreslolar", "{}", renamed.body);

    // The chair goes into the subgroup; lists by the parent group find it.
    let chair = app.get_json(admin, &format!("/api/v1/products/{}", s.chair)).await;
    let mut moved = chair.clone();
    moved["group_id"] = json!(chairs_id);
    let moved = app.api("PUT", &format!("/api/v1/products/{}", s.chair), Some(admin), Some(moved)).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let line = json!([{"product_id": s.chair, "qty": "3", "unit_cost": "1000"}]);
    let receipt = json!({"kind": "receipt", "warehouse_id": s.a, "lines": line, "post": true});
    let receipt = post(&app, admin, "/api/v1/stock-documents", receipt).await;
    assert_eq!(receipt.status, 201, "{}", receipt.body);
    let number = receipt.json()["number"].as_str().unwrap().to_string();
    let by_group = app.get_json(&s.manager, &format!("/api/v1/products?group_id={furniture}")).await;
    assert_eq!(by_group["items"].as_array().map(Vec::len), Some(1), "{by_group}");
    let balances = app.get_json(&s.manager, &format!("/api/v1/stock/balances?group_id={furniture}")).await;
    assert_eq!(balances["items"][0]["on_hand"], "3", "{balances}");
    let other = app.get_json(&s.manager, &format!("/api/v1/stock/balances?group_id={deepest}")).await;
    assert_eq!(other["items"].as_array().map(Vec::len), Some(0));

    // The list in path order, paged; the product count is the group's own.
    let first = app.get_json(&s.manager, "/api/v1/product-groups?limit=2").await;
    let paths: Vec<&str> = first["items"].as_array().unwrap().iter().filter_map(|g| g["path"].as_str()).collect();
    assert_eq!(paths, ["Mebel", "Mebel / Kreslolar"]);
    assert_eq!(first["items"][1]["products"], 1);
    let cursor = first["next_cursor"].as_str().expect("more pages");
    let rest = app.get_json(&s.manager, &format!("/api/v1/product-groups?cursor={cursor}&limit=200")).await;
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(8), "{rest}");
    assert_eq!(rest["items"][7]["path"], "Stullar");

    // Only an empty group goes.
    let delete = |id: i64, version: i64| {
        let app = &app;
        async move { app.api("DELETE", &format!("/api/v1/product-groups/{id}?version={version}"), Some(admin), None).await }
    };
    assert_eq!(field_says(&delete(furniture, 1).await, "id"), [says(app::core::ErrCode::GroupNotEmpty)]);
    let deepest_v =
        app.get_json(admin, &format!("/api/v1/product-groups/{deepest}")).await["version"].as_i64().unwrap();
    assert_eq!(delete(deepest, deepest_v + 1).await.status, 409);
    assert_eq!(delete(deepest, deepest_v).await.status, 204);
    assert_eq!(app.api("GET", &format!("/api/v1/product-groups/{deepest}"), Some(admin), None).await.status, 404);

    // The catalog's pages, server-rendered: the group filter takes subgroups, the product's card shows its
    // stock and the receipt that brought it; only the catalog's keepers are offered the import.
    let manager = app.login("m@karvon.uz").await;
    let list = app.browser("GET", &format!("/stock/products?group={furniture}"), Some(&manager), None, "/").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body.matches("data-test=\"catalog-row\"").count(), 1, "{}", list.body);
    assert!(list.body.contains("Mebel / Kreslolar") && !list.body.contains("catalog-import"), "{}", list.body);
    let empty =
        app.browser("GET", &format!("/stock/products?group={chairs_id}&q=nothing"), Some(&manager), None, "/").await;
    assert!(!empty.body.contains("catalog-row"), "{}", empty.body);
    let card = app.browser("GET", &format!("/stock/products/{}", s.chair), Some(&manager), None, "/").await;
    assert!(card.body.contains("product-balances") && card.body.contains("movement-row"), "{}", card.body);
    assert!(card.body.contains(&number), "the receipt {number} is in the history: {}", card.body);
    let keeper = app.login("ombor@karvon.uz").await;
    let list = app.browser("GET", "/stock/products", Some(&keeper), None, "/").await;
    assert!(list.body.contains("catalog-import") && list.body.contains("new-product-form"), "{}", list.body);
    assert!(!card.body.contains("edit-product-form"), "a manager changes no product");

    // The product form, without scripts: made into a group, a bad weight refused by its field, a manager
    // refused, a change at a stale version refused.
    let new = form(&[
        ("name", "Kreslo ofis".into()),
        ("sku", "KR-9".into()),
        ("barcodes", "4780000000035, 4780000000042".into()),
        ("base_unit", "dona".into()),
        ("group_id", chairs_id.to_string()),
        ("kind", "goods".into()),
        ("vat", "12".into()),
        ("weight_kg", "7,5".into()),
    ]);
    let made = app.browser("POST", "/rpc/stock/save-product", Some(&keeper), Some(&new), "/stock/products").await;
    let to = made.headers.get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    assert!(to.starts_with("/stock/products/"), "{} {}", made.status, made.body);
    let id: i64 = to.rsplit('/').next().unwrap().parse().unwrap();
    let p = app.get_json(admin, &format!("/api/v1/products/{id}")).await;
    assert_eq!((p["group_id"].as_i64(), p["weight_kg"].as_str()), (Some(chairs_id), Some("7.5")), "{p}");
    assert_eq!(p["barcodes"], json!(["4780000000035", "4780000000042"]));
    let bad = new.replace("weight_kg=7,5", "weight_kg=ogir").replace("KR-9", "KR-10");
    assert!(bad.contains("ogir"), "{bad}");
    let res = app.api_form("/rpc/stock/save-product", &keeper, &bad).await;
    assert_eq!((res.status.as_u16(), refused(&res)), (422, vec!["weight_kg".to_string()]), "{}", res.body);
    assert_eq!(app.api_form("/rpc/stock/save-product", &manager, &new).await.status, 403);
    let stale = format!("id={id}&version=0&{}", new.replace("Kreslo+ofis", "Kreslo"));
    assert_eq!(app.api_form("/rpc/stock/save-product", &keeper, &stale).await.status, 409);
}
both_apps!(stock_product_groups, product_groups);

/// Turnover over a period from back-dated documents: stock at its start, in and out (a cancelled receipt
/// nets out), at its end; another period of the same ledger; by group; a period ending before it starts is
/// refused by its field.
async fn turnover(app: TestApp) {
    let s = shop(&app).await;
    let (admin, chair, a) = (&s.admin, s.chair, s.a);
    let day = 86_400_000i64;
    let now = app::core::now_millis();
    let doc = |kind: &str, qty: &str, days_ago: i64| {
        let mut line = json!({"product_id": chair, "qty": qty});
        if kind == "receipt" {
            line["unit_cost"] = json!("1000");
        }
        let body =
            json!({"kind": kind, "warehouse_id": a, "lines": [line], "post": true, "doc_at": now - days_ago * day});
        let app = &app;
        async move {
            let r = post(app, admin, "/api/v1/stock-documents", body).await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()
        }
    };
    doc("receipt", "10", 40).await;
    doc("shipment", "3", 20).await;
    let cancelled = doc("receipt", "5", 10).await;
    let path = format!("/api/v1/stock-documents/{}/cancel", cancelled["id"]);
    let undone = post(&app, admin, &path, json!({"version": cancelled["version"]})).await;
    assert_eq!(undone.status, 200, "{}", undone.body);
    doc("shipment", "2", 0).await;

    let row = |from: i64, to: i64| {
        let url = format!("/api/v1/stock/turnover?warehouse_id={a}&from={from}&to={to}");
        let app = &app;
        let manager = &s.manager;
        async move {
            let page = app.get_json(manager, &url).await;
            assert_eq!(page["items"].as_array().map(Vec::len), Some(1), "{page}");
            let r = page["items"][0].clone();
            ["opening", "incoming", "outgoing", "closing"].map(|k| r[k].as_str().unwrap_or("none").to_string())
        }
    };
    assert_eq!(row(now - 30 * day, now + 1).await, ["10", "0", "5", "5"], "the last 30 days");
    assert_eq!(row(now - 45 * day, now - 15 * day).await, ["0", "10", "3", "7"], "an earlier period");
    let whole = app.get_json(&s.manager, &format!("/api/v1/stock/turnover?warehouse_id={a}")).await;
    assert!(whole["items"][0]["last_out_at"].as_i64().is_some_and(|t| t >= now - 1000), "{whole}");
    let group = post(&app, admin, "/api/v1/product-groups", json!({"name": "Bo'sh"})).await.json()["id"].clone();
    let none = app.get_json(&s.manager, &format!("/api/v1/stock/turnover?group_id={group}")).await;
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));
    let backwards =
        app.api("GET", &format!("/api/v1/stock/turnover?from={now}&to={}", now - day), Some(admin), None).await;
    assert_eq!(field_says(&backwards, "to"), [says(app::core::ErrCode::EndBeforeStart)], "{}", backwards.body);
    // The earliest end there is (the API fuzzer's): its default start does not overflow.
    let earliest = app.api("GET", &format!("/api/v1/stock/turnover?to={}", i64::MIN), Some(admin), None).await;
    assert_eq!(earliest.status, 422, "{}", earliest.body);
}
both_apps!(stock_turnover, turnover);

/// The photo form as a browser sends it (multipart), as the user of `cookie`; the answer.
async fn photo_form(app: &TestApp, cookie: &str, product: i64, name: &str, bytes: &[u8]) -> tests::Resp {
    let mut body = format!(
        "--XB\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--XB--\r\n");
    let req = http::Request::builder()
        .method("POST")
        .uri(format!("/stock/products/{product}/photo"))
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("referer", format!("http://127.0.0.1:3000/stock/products/{product}"))
        .header("accept", "text/html")
        .header("content-type", "multipart/form-data; boundary=XB")
        .header("cookie", cookie)
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(req).await
}

/// Custom fields on products (the customers' mechanism): a required one asked for when a product is made,
/// a bad choice refused by its field, values kept when a change leaves them out, shown on the card and sent
/// out by the export. The photo: set over REST and by the card's form, known by its bytes (an SVG or a
/// too large file is refused by the field `photo`), served with its entity tag (304 when unchanged), seen
/// by a manager who may not change it, removed.
async fn product_fields_photo(app: TestApp) {
    use app::core::ErrCode;
    let s = shop(&app).await;
    let (admin, keeper, manager) = (&s.admin, &s.keeper, &s.manager);
    let field = json!({"entity": "product", "key": "color", "label": "Rangi", "kind": "choice",
                       "options": ["Qora", "Oq"], "required": true});
    let made = post(&app, admin, "/api/v1/custom-fields", field).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let missing = post(&app, keeper, "/api/v1/products", json!({"name": "Kreslo"})).await;
    assert_eq!(field_says(&missing, "custom.color"), [says(ErrCode::Required)], "{}", missing.body);
    let bad = post(&app, keeper, "/api/v1/products", json!({"name": "Kreslo", "custom": {"color": "Yashil"}})).await;
    assert_eq!(field_says(&bad, "custom.color"), [says(ErrCode::InvalidChoice)], "{}", bad.body);
    let chair =
        post(&app, keeper, "/api/v1/products", json!({"name": "Kreslo", "sku": "KR-1", "custom": {"color": "Qora"}}))
            .await;
    assert_eq!(chair.status, 201, "{}", chair.body);
    let chair = chair.json();
    let id = chair["id"].as_i64().unwrap();
    assert_eq!((chair["custom"]["color"].as_str(), chair["photo_etag"].as_null()), (Some("Qora"), Some(())));
    let mut renamed = chair.clone();
    renamed["name"] = json!("Kreslo ofis");
    renamed.as_object_mut().unwrap().remove("custom");
    let renamed = app.api("PUT", &format!("/api/v1/products/{id}"), Some(keeper), Some(renamed)).await;
    assert_eq!(renamed.json()["custom"]["color"], "Qora", "a change without the field keeps it: {}", renamed.body);

    // The photo over REST: what the upload claims to be does not count, its bytes do.
    let put = |token: &str, bytes: Vec<u8>, content_type: &str| {
        let req = http::Request::builder()
            .method("PUT")
            .uri(format!("/api/v1/products/{id}/photo"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(axum::body::Body::from(bytes))
            .unwrap();
        app.send(req)
    };
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    assert_eq!(put(manager, png.clone(), "image/png").await.status, 403);
    let svg =
        put(keeper, b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(), "image/png")
            .await;
    assert_eq!(field_says(&svg, "photo"), [says(ErrCode::NotAnImage)], "{}", svg.body);
    let mut huge = png.clone();
    huge.resize(app::stock::photos::MAX_PHOTO_BYTES + 1, 0);
    assert_eq!(field_says(&put(keeper, huge, "image/png").await, "photo"), [says(ErrCode::PhotoTooLarge)]);
    let set = put(keeper, png.clone(), "text/plain").await;
    assert_eq!(set.status, 200, "{}", set.body);
    let etag = set.json()["photo_etag"].as_str().expect("a photo now").to_string();
    let got = app.api("GET", &format!("/api/v1/products/{id}/photo"), Some(manager), None).await;
    assert_eq!(got.status, 200);
    let header =
        |r: &tests::Resp, h: &str| r.headers.get(h).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(header(&got, "content-type"), "image/png", "known by its bytes");
    assert_eq!(
        (header(&got, "etag"), header(&got, "x-content-type-options")),
        (format!("\"{etag}\""), "nosniff".into())
    );
    let quoted = format!("\"{etag}\"");
    let again = app
        .api_with("GET", &format!("/api/v1/products/{id}/photo"), Some(manager), None, &[("if-none-match", &quoted)])
        .await;
    assert_eq!(again.status, 304);

    // The card: the photo and the field's value; the keeper's photo form refuses an SVG by its field, and
    // takes the photo away.
    let manager_cookie = app.login("m@karvon.uz").await;
    let card = app.browser("GET", &format!("/stock/products/{id}"), Some(&manager_cookie), None, "/").await;
    assert!(card.body.contains(&format!("/api/v1/products/{id}/photo?v={etag}")), "{}", card.body);
    assert!(card.body.contains("Rangi") && card.body.contains("Qora"), "{}", card.body);
    assert!(!card.body.contains("photo-form"), "a manager changes no photo");
    assert_eq!(photo_form(&app, &manager_cookie, id, "file", &png).await.status, 403);
    let keeper_cookie = app.login("ombor@karvon.uz").await;
    let refused = photo_form(&app, &keeper_cookie, id, "file", b"<svg/>").await;
    assert_eq!(refused.location(), Some(format!("/stock/products/{id}?photo_error=not_an_image")));
    let card = app
        .browser("GET", &format!("/stock/products/{id}?photo_error=not_an_image"), Some(&keeper_cookie), None, "/")
        .await;
    let ru = ErrCode::NotAnImage.msg().text(app::core::Lang::Ru);
    assert!(card.body.contains("photo-form") && card.body.contains(ru), "{}", card.body);
    let removed = photo_form(&app, &keeper_cookie, id, "remove", b"1").await;
    assert_eq!(removed.location(), Some(format!("/stock/products/{id}")));
    assert_eq!(app.api("GET", &format!("/api/v1/products/{id}/photo"), Some(manager), None).await.status, 404);
    let uploaded = photo_form(&app, &keeper_cookie, id, "file", &png).await;
    assert_eq!(uploaded.location(), Some(format!("/stock/products/{id}")));
    assert_eq!(app.get_json(manager, &format!("/api/v1/products/{id}")).await["photo_etag"], json!(etag));
    // With the stock module off, its photo form is not there either.
    app::core::modules::set_module(&app.db, "stock", false).await.unwrap();
    app.modules.invalidate();
    assert_eq!(photo_form(&app, &keeper_cookie, id, "file", &png).await.status, 404);
    app::core::modules::set_module(&app.db, "stock", true).await.unwrap();
    app.modules.invalidate();

    // The export carries the field's column.
    let csv = app.api("GET", "/api/v1/exports/products?format=csv&q=KR-1", Some(admin), None).await;
    assert!(csv.body.lines().next().unwrap_or_default().ends_with("Rangi"), "{}", csv.body);
    assert!(csv.body.lines().nth(1).unwrap_or_default().ends_with("Qora"), "{}", csv.body);
}
both_apps!(stock_product_fields_photo, product_fields_photo);

/// The warehouses page without scripts: an administrator adds a warehouse with its responsible person,
/// storekeepers and negative-stock policy, a blank name is refused by its field, a stale change refused; a
/// manager sees the warehouses and no form. The closed period: closed through a day by the page's form (a
/// document dated that day is refused), a time more than a day ahead refused over REST, opened again.
async fn warehouses_page(app: TestApp) {
    let s = shop(&app).await;
    let keeper_id = app.get_json(&s.keeper, "/api/v1/me").await["id"].as_i64().unwrap();
    let admin_id = app.get_json(&s.admin, "/api/v1/me").await["id"].as_i64().unwrap();
    let admin = app.login("admin@karvon.uz").await;
    let manager = app.login("m@karvon.uz").await;
    let new = form(&[
        ("name", "Toshkent ombori".into()),
        ("address", "Chilonzor 5".into()),
        ("responsible_id", admin_id.to_string()),
        ("allow_negative", "true".into()),
        (&format!("keepers[{keeper_id}]"), "on".into()),
    ]);
    let made = app.browser("POST", "/rpc/stock/save-warehouse", Some(&admin), Some(&new), "/stock/warehouses").await;
    assert_eq!(made.location().as_deref(), Some("/stock/warehouses"), "{} {}", made.status, made.body);
    let list = app.get_json(&s.admin, "/api/v1/warehouses").await;
    let w = list["items"].as_array().unwrap().iter().find(|w| w["name"] == "Toshkent ombori").unwrap().clone();
    assert_eq!((w["allow_negative"].as_bool(), w["keepers"].clone()), (Some(true), json!([keeper_id])), "{w}");
    assert_eq!((w["address"].as_str(), w["responsible_id"].as_i64()), (Some("Chilonzor 5"), Some(admin_id)));
    let blank = app.api_form("/rpc/stock/save-warehouse", &admin, "name=+").await;
    assert_eq!((blank.status.as_u16(), refused(&blank)), (422, vec!["name".to_string()]), "{}", blank.body);
    assert_eq!(app.api_form("/rpc/stock/save-warehouse", &manager, &new).await.status, 403);
    let id = w["id"].as_i64().unwrap();
    let stale = format!("id={id}&version=0&name=Eski");
    assert_eq!(app.api_form("/rpc/stock/save-warehouse", &admin, &stale).await.status, 409);
    let renamed = format!("id={id}&version={}&name=Toshkent+markaziy", w["version"]);
    assert_eq!(app.api_form("/rpc/stock/save-warehouse", &admin, &renamed).await.status, 200);
    let w = app.get_json(&s.admin, &format!("/api/v1/warehouses/{id}")).await;
    assert_eq!((w["name"].as_str(), w["allow_negative"].as_bool()), (Some("Toshkent markaziy"), Some(false)));
    assert_eq!(w["keepers"], json!([]), "unticked storekeepers leave");

    let page = app.browser("GET", "/stock/warehouses", Some(&manager), None, "/").await;
    assert_eq!(page.body.matches("data-test=\"warehouse-card\"").count(), 3, "{}", page.body);
    assert!(page.body.contains("Toshkent markaziy") && !page.body.contains("warehouse-form"), "{}", page.body);
    assert!(!page.body.contains("close-period-form"), "{}", page.body);
    let page = app.browser("GET", "/stock/warehouses", Some(&admin), None, "/").await;
    assert!(page.body.contains("new-warehouse-form") && page.body.contains("close-period-form"), "{}", page.body);

    // Closed through the day before yesterday: a receipt dated then is refused, one dated today is not.
    let day = 86_400_000i64;
    let now = app::core::now_millis();
    let civil = app::core::format::Civil::at_offset(now - 2 * day, 5 * 60);
    let through = format!("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day);
    let closed = app
        .browser("POST", "/rpc/stock/close-period", Some(&admin), Some(&format!("closed_through={through}")), "/")
        .await;
    assert_eq!(closed.location().as_deref(), Some("/stock/warehouses"), "{} {}", closed.status, closed.body);
    let until = app.get_json(&s.manager, "/api/v1/stock/closed-period").await["closed_until"].as_i64().unwrap();
    // (The reader's zone is the company's, +5; a quarter of a day either way would allow for another.)
    assert!((now - 2 * day - day / 4..=now - day + day / 4).contains(&until), "the day after {through}: {until}");
    let receipt = |at: i64| {
        json!({"kind": "receipt", "warehouse_id": s.a, "doc_at": at,
               "lines": [{"product_id": s.chair, "qty": "1", "unit_cost": "1"}]})
    };
    let late = post(&app, &s.admin, "/api/v1/stock-documents", receipt(until - 60_000)).await;
    assert_eq!(field_says(&late, "doc_at"), [says(app::core::ErrCode::PeriodClosed)], "{}", late.body);
    assert_eq!(post(&app, &s.admin, "/api/v1/stock-documents", receipt(now)).await.status, 201);
    let page = app.browser("GET", "/stock/warehouses", Some(&manager), None, "/").await;
    let shown = page
        .body
        .split("data-test=\"closed-through\"")
        .nth(1)
        .unwrap_or_default()
        .split("</p>")
        .next()
        .unwrap_or_default();
    assert!(shown.contains(app::core::Msg::ClosedThroughShort.text(app::core::Lang::Ru)), "{shown}");
    let bad = app.api_form("/rpc/stock/close-period", &admin, "closed_through=2026-13-01").await;
    assert_eq!(refused(&bad), ["closed_through"], "{}", bad.body);
    let ahead = json!({"closed_until": now + 3 * day});
    let ahead = app.api("PUT", "/api/v1/stock/closed-period", Some(&s.admin), Some(ahead)).await;
    assert_eq!(field_says(&ahead, "closed_until"), [says(app::core::ErrCode::InvalidDate)], "{}", ahead.body);
    assert_eq!(app.api_form("/rpc/stock/close-period", &admin, "closed_through=").await.status, 200);
    let open = app.get_json(&s.manager, "/api/v1/stock/closed-period").await;
    assert_eq!(open["closed_until"], Value::Null);
}
both_apps!(stock_warehouses_page, warehouses_page);

/// The groups page without scripts: a storekeeper adds a group and one inside it, a sibling's name twice
/// is refused by its field, a manager sees the tree and changes nothing, a group with a subgroup is not
/// deleted (said beside the button), an empty one is.
async fn groups_page(app: TestApp) {
    let s = shop(&app).await;
    let keeper = app.login("ombor@karvon.uz").await;
    let manager = app.login("m@karvon.uz").await;
    let made = app.browser("POST", "/rpc/stock/save-group", Some(&keeper), Some("name=Mebel"), "/stock/groups").await;
    assert_eq!(made.location().as_deref(), Some("/stock/groups"), "{} {}", made.status, made.body);
    let tree = app.get_json(&s.admin, "/api/v1/product-groups").await;
    let furniture = tree["items"][0]["id"].as_i64().unwrap();
    let child = format!("name=Stullar&parent_id={furniture}");
    assert_eq!(app.api_form("/rpc/stock/save-group", &keeper, &child).await.status, 200);
    let twice = app.api_form("/rpc/stock/save-group", &keeper, "name=mebel").await;
    assert_eq!((twice.status.as_u16(), refused(&twice)), (422, vec!["name".to_string()]), "{}", twice.body);
    assert_eq!(app.api_form("/rpc/stock/save-group", &manager, "name=Boshqa").await.status, 403);

    let page = app.browser("GET", "/stock/groups", Some(&manager), None, "/").await;
    assert_eq!(page.body.matches("data-test=\"group-row\"").count(), 2, "{}", page.body);
    assert!(page.body.contains("Stullar") && !page.body.contains("group-form"), "{}", page.body);
    let page = app.browser("GET", "/stock/groups", Some(&keeper), None, "/").await;
    assert!(page.body.contains("new-group-form") && page.body.contains("delete-group-form"), "{}", page.body);

    let version = |id: i64| {
        let app = &app;
        let admin = s.admin.clone();
        async move { app.get_json(&admin, &format!("/api/v1/product-groups/{id}")).await["version"].as_i64().unwrap() }
    };
    let full = format!("id={furniture}&version={}", version(furniture).await);
    let kept = app.api_form("/rpc/stock/delete-group", &keeper, &full).await;
    assert_eq!(refused(&kept), ["id"], "{}", kept.body);
    let tree = app.get_json(&s.admin, "/api/v1/product-groups").await;
    let chairs = tree["items"][1]["id"].as_i64().unwrap();
    let empty = format!("id={chairs}&version={}", version(chairs).await);
    let gone = app.browser("POST", "/rpc/stock/delete-group", Some(&keeper), Some(&empty), "/stock/groups").await;
    assert_eq!(gone.location().as_deref(), Some("/stock/groups"), "{} {}", gone.status, gone.body);
    assert_eq!(app.get_json(&s.admin, "/api/v1/product-groups").await["items"].as_array().map(Vec::len), Some(1));
}
both_apps!(stock_groups_page, groups_page);

/// The price lists page without scripts: an administrator makes a list, sets a product's price from a day
/// by its barcode and from a later day by its SKU (an unknown product and a price that is no number refused
/// by their fields); a manager sees the prices in force on a day, and sets none.
async fn prices_page(app: TestApp) {
    let s = shop(&app).await;
    let admin = app.login("admin@karvon.uz").await;
    let manager = app.login("m@karvon.uz").await;
    let list = "name=Ulgurji&currency=uzs&is_default=true";
    let made = app.browser("POST", "/rpc/stock/save-price-list", Some(&admin), Some(list), "/stock/prices").await;
    let to = made.location().unwrap_or_default();
    assert!(to.starts_with("/stock/prices?list="), "{} {}", made.status, made.body);
    let list: i64 = to.rsplit('=').next().unwrap().parse().unwrap();
    let l = app.get_json(&s.admin, &format!("/api/v1/price-lists/{list}")).await;
    assert_eq!((l["currency"].as_str(), l["is_default"].as_bool()), (Some("UZS"), Some(true)), "{l}");
    let early = format!("list_id={list}&product=4780000000017&price=10+000&valid_from=2026-01-01");
    let set = app.browser("POST", "/rpc/stock/set-price", Some(&admin), Some(&early), "/stock/prices").await;
    assert_eq!(set.location(), Some(format!("/stock/prices?list={list}&on=2026-01-01")), "{}", set.body);
    let later = format!("list_id={list}&product=st-1&price=12000,50&valid_from=2026-06-01");
    assert_eq!(app.api_form("/rpc/stock/set-price", &admin, &later).await.status, 200);
    let unknown = format!("list_id={list}&product=yo%27q&price=1");
    assert_eq!(refused(&app.api_form("/rpc/stock/set-price", &admin, &unknown).await), ["product"]);
    let bad = format!("list_id={list}&product=ST-1&price=arzon");
    assert_eq!(refused(&app.api_form("/rpc/stock/set-price", &admin, &bad).await), ["price"]);
    assert_eq!(app.api_form("/rpc/stock/set-price", &manager, &later).await.status, 403);
    let quote = app.get_json(&s.manager, &format!("/api/v1/price-lists/{list}/prices?on=2026-07-01")).await;
    assert!(quote["items"][0]["price"].as_str().is_some_and(|p| p.starts_with("12000.5")), "{quote}");

    let on = |day: &str| {
        let (app, manager) = (&app, manager.clone());
        let path = format!("/stock/prices?list={list}&on={day}");
        async move { app.browser("GET", &path, Some(&manager), None, "/").await.body }
    };
    let march = on("2026-03-01").await;
    assert_eq!(march.matches("data-test=\"price-row\"").count(), 1, "{march}");
    assert!(march.contains("2026-01-01") && !march.contains("price-form"), "{march}");
    let july = on("2026-07-01").await;
    assert!(july.contains("2026-06-01") && july.contains("Ulgurji"), "{july}");
    let admin_page = app.browser("GET", &format!("/stock/prices?list={list}"), Some(&admin), None, "/").await;
    assert!(admin_page.body.contains("price-form") && admin_page.body.contains("new-price-list-form"));
}
both_apps!(stock_prices_page, prices_page);

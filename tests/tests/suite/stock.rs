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

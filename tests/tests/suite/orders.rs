//! Sales orders on both databases: made from a deal (whose amount then follows the order), priced from the
//! price list with changed prices kept with their reason, totals rounded once per line, confirmed with a
//! reservation that other orders cannot take, shipped partly and fully by the warehouse's keeper (the stock
//! ledger's shipments release the reservation), a cancelled shipment giving the goods back to the order,
//! cancellation refused once something shipped, closing releasing the rest; and the pages without JavaScript.

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::{TestApp, both_apps};

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> tests::Resp {
    app.api("POST", path, Some(token), Some(body)).await
}

/// On hand and reserved of `product` in `warehouse`, as the API writes them.
pub(crate) async fn stock(app: &TestApp, token: &str, warehouse: i64, product: i64) -> (String, String) {
    let b = app.get_json(token, &format!("/api/v1/stock/balances?warehouse_id={warehouse}&product_id={product}")).await;
    let item = &b["items"][0];
    (item["on_hand"].as_str().unwrap_or("none").to_string(), item["reserved"].as_str().unwrap_or("none").to_string())
}

/// What the sales suites start from: users, two warehouses, a chair (30 in stock, 300 on the default list,
/// VAT 12 %), a delivery service (50,000, VAT-exempt) and a customer of the manager's.
pub(crate) struct Sales {
    pub(crate) admin: String,
    pub(crate) keeper: String,
    pub(crate) manager: String,
    pub(crate) other: String,
    /// Empty; and the keeper's, with 30 chairs.
    pub(crate) empty: i64,
    pub(crate) store: i64,
    pub(crate) chair: i64,
    pub(crate) delivery: i64,
    pub(crate) customer: i64,
}

pub(crate) async fn sales(app: &TestApp) -> Sales {
    let (_, admin) = app.user_token("admin@karvon.uz", Role::Admin, None).await;
    let (keeper_id, keeper) = app.user_token("ombor@karvon.uz", Role::Storekeeper, None).await;
    let (_, manager) = app.user_token("m@karvon.uz", Role::Manager, None).await;
    let (_, other) = app.user_token("boshqa@karvon.uz", Role::Manager, None).await;
    let id = |r: tests::Resp| {
        assert!(r.status.is_success(), "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    };
    let empty = id(post(app, &admin, "/api/v1/warehouses", json!({"name": "Bo'sh ombor"})).await);
    let store = id(post(app, &admin, "/api/v1/warehouses", json!({"name": "Asosiy", "keepers": [keeper_id]})).await);
    let chair = id(post(
        app,
        &admin,
        "/api/v1/products",
        json!({"name": "Stul", "sku": "ST-1", "base_unit": "pcs", "units": [{"unit": "box", "factor": "12"}],
               "barcodes": ["4780000000017"], "vat": "12"}),
    )
    .await);
    let delivery = id(post(
        app,
        &admin,
        "/api/v1/products",
        json!({"name": "Yetkazib berish", "kind": "service", "base_unit": "job", "vat": "exempt"}),
    )
    .await);
    let list = id(post(app, &admin, "/api/v1/price-lists", json!({"name": "Chakana", "is_default": true})).await);
    let prices = json!({"items": [
        {"product_id": chair, "valid_from": "2026-01-01", "price": "300"},
        {"product_id": delivery, "valid_from": "2026-01-01", "price": "50000"}]});
    let r = post(app, &admin, &format!("/api/v1/price-lists/{list}/prices"), prices).await;
    assert!(r.status.is_success(), "{}", r.body);
    let receipt = json!({"kind": "receipt", "warehouse_id": store, "post": true,
        "lines": [{"product_id": chair, "qty": "30", "unit_cost": "200"}]});
    id(post(app, &admin, "/api/v1/stock-documents", receipt).await);
    let customer = app.customer(&manager, "Mebel Savdo").await;
    Sales { admin, keeper, manager, other, empty, store, chair, delivery, customer }
}

/// Whether a REST answer's validation failure names `field`.
pub(crate) fn field_has(res: &tests::Resp, field: &str) -> bool {
    res.json()["fields"].get(field).is_some()
}

async fn lifecycle(app: TestApp) {
    let s = sales(&app).await;
    let (m, chair) = (&s.manager, s.chair);
    let deal =
        post(&app, m, "/api/v1/deals", json!({"title": "Ofis mebeli", "customer_id": s.customer, "amount": "1000000"}))
            .await
            .json();
    let deal_id = deal["id"].as_i64().unwrap();

    // From the deal: its customer, manager and currency; one live order per deal.
    let o = post(&app, m, "/api/v1/orders/from-deal", json!({"deal_id": deal_id})).await;
    assert_eq!(o.status, 201, "{}", o.body);
    let o = o.json();
    assert_eq!(
        (o["status"].as_str(), o["customer_id"].as_i64(), o["currency"].as_str()),
        (Some("draft"), Some(s.customer), Some("UZS"))
    );
    assert!(o["number"].as_str().unwrap().starts_with("ZK-"), "{o}");
    let id = o["id"].as_i64().unwrap();
    let twice = post(&app, m, "/api/v1/orders/from-deal", json!({"deal_id": deal_id})).await;
    assert!(twice.status == 422 && field_has(&twice, "deal_id"), "{}", twice.body);
    let path = format!("/api/v1/orders/{id}");

    // Lines priced from the list; a changed price needs its reason; each refusal by its line's field.
    let put = |version: i64, lines: Value| {
        let (app, path, m) = (&app, path.clone(), m.clone());
        async move { app.api("PUT", &path, Some(&m), Some(json!({"version": version, "lines": lines}))).await }
    };
    let bad = put(
        1,
        json!([
        {"product_id": chair, "qty": "12"},
        {"product_id": chair, "unit": "box", "qty": "1", "price": "3500"},
        {"product_id": chair, "unit": "crate", "qty": "1"},
        {"product_id": s.delivery, "qty": "1", "discount": "120"}]),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    for f in ["lines[1].price_reason", "lines[2].unit", "lines[3].discount"] {
        assert!(field_has(&bad, f), "{f}: {}", bad.body);
    }
    assert!(!field_has(&bad, "lines[0].qty"), "{}", bad.body);
    let ok = put(
        1,
        json!([
        {"product_id": chair, "qty": "12"},
        {"product_id": chair, "unit": "box", "qty": "1", "price": "3500", "price_reason": "Ulgurji chegirma"},
        {"product_id": s.delivery, "qty": "1", "discount": "10"}]),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let o = ok.json();
    // 12 × 300 = 3,600 + VAT 432 = 4,032; a box at 3,500 (the list's 12 × 300 = 3,600 kept beside it) + 420;
    // the delivery 50,000 less 10 %, no VAT.
    let line = |i: usize, f: &str| o["lines"][i][f].as_str().unwrap_or("none").to_string();
    assert_eq!((line(0, "net"), line(0, "vat"), line(0, "total")), ("3600".into(), "432".into(), "4032".into()));
    assert_eq!(
        (line(1, "price"), line(1, "list_price"), line(1, "total")),
        ("3500".into(), "3600".into(), "3920".into())
    );
    assert_eq!((line(2, "vat_rate"), line(2, "total")), ("none".into(), "45000".into()));
    assert_eq!(
        (o["net"].as_str(), o["vat"].as_str(), o["total"].as_str()),
        (Some("52100"), Some("852"), Some("52952"))
    );
    // The deal's amount follows the order's total.
    let d = app.get_json(m, &format!("/api/v1/deals/{deal_id}")).await;
    assert_eq!(d["amount"].as_str(), Some("52952"), "{d}");

    // Another manager and the storekeeper do not see a draft of someone else's customer.
    assert_eq!(app.api("GET", &path, Some(&s.other), None).await.status, 403);
    assert_eq!(app.api("GET", &path, Some(&s.keeper), None).await.status, 403);

    // Confirming reserves in a warehouse that has the goods: 24 chairs of 30.
    let version = o["version"].as_i64().unwrap();
    let short = post(&app, m, &format!("{path}/confirm"), json!({"version": version, "warehouse_id": s.empty})).await;
    assert_eq!(short.status, 422, "{}", short.body);
    assert_eq!(short.json()["error"], "shortage", "{}", short.body);
    let c = post(&app, m, &format!("{path}/confirm"), json!({"version": version, "warehouse_id": s.store})).await;
    assert_eq!(c.status, 200, "{}", c.body);
    let o = c.json();
    assert_eq!((o["status"].as_str(), o["lines"][1]["reserved"].as_str()), (Some("confirmed"), Some("1")));
    assert_eq!(stock(&app, &s.admin, s.store, chair).await, ("30".into(), "24".into()));
    // What is reserved is not there for the next order: 10 more chairs are short (6 are free).
    let next = post(
        &app,
        m,
        "/api/v1/orders",
        json!({"customer_id": s.customer, "lines": [{"product_id": chair, "qty": "10"}]}),
    )
    .await;
    assert_eq!(next.status, 201, "{}", next.body);
    let next = next.json();
    let nid = next["id"].as_i64().unwrap();
    let r = post(
        &app,
        m,
        &format!("/api/v1/orders/{nid}/confirm"),
        json!({"version": next["version"], "warehouse_id": s.store}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("\"available\":\"6\"") || r.json()["message"].as_str().unwrap_or("").contains('6'),
        "{}",
        r.body
    );
    // A draft is cancelled; nothing was reserved for it.
    let r = post(&app, m, &format!("/api/v1/orders/{nid}/cancel"), json!({"version": next["version"]})).await;
    assert_eq!(r.json()["status"], "cancelled", "{}", r.body);

    // The storekeeper sees the confirmed order and ships part of it; the manager does not ship.
    assert_eq!(app.api("GET", &path, Some(&s.keeper), None).await.status, 200);
    let line0 = o["lines"][0]["id"].as_i64().unwrap();
    let v = o["version"].as_i64().unwrap();
    let by_manager = post(&app, m, &format!("{path}/ship"), json!({"version": v})).await;
    assert_eq!(by_manager.status, 403, "{}", by_manager.body);
    let too_many = post(
        &app,
        &s.keeper,
        &format!("{path}/ship"),
        json!({"version": v, "lines": [{"line_id": line0, "qty": "13"}]}),
    )
    .await;
    assert!(too_many.status == 422 && field_has(&too_many, "lines[0].qty"), "{}", too_many.body);
    let part = post(
        &app,
        &s.keeper,
        &format!("{path}/ship"),
        json!({"version": v, "lines": [{"line_id": line0, "qty": "5"}]}),
    )
    .await;
    assert_eq!(part.status, 200, "{}", part.body);
    let o = part.json();
    assert_eq!(
        (o["status"].as_str(), o["lines"][0]["shipped"].as_str(), o["lines"][0]["reserved"].as_str()),
        (Some("confirmed"), Some("5"), Some("7"))
    );
    assert_eq!(o["shipments"].as_array().unwrap().len(), 1, "{o}");
    assert_eq!(stock(&app, &s.admin, s.store, chair).await, ("25".into(), "19".into()));
    // Something has shipped: the order is closed, not cancelled.
    let r = post(&app, m, &format!("{path}/cancel"), json!({"version": o["version"]})).await;
    assert!(r.status == 422 && field_has(&r, "status"), "{}", r.body);
    // The rest ships at once: the order is shipped, nothing is reserved.
    let rest = post(&app, &s.keeper, &format!("{path}/ship"), json!({"version": o["version"]})).await;
    assert_eq!(rest.status, 200, "{}", rest.body);
    let o = rest.json();
    assert_eq!(o["status"], "shipped", "{o}");
    assert_eq!(stock(&app, &s.admin, s.store, chair).await, ("6".into(), "0".into()));
    let stale = post(&app, &s.keeper, &format!("{path}/ship"), json!({"version": o["version"]})).await;
    assert_eq!(stale.status, 422, "nothing left to ship: {}", stale.body);

    // The second shipment cancelled in the stock ledger: its 19 chairs come back, reserved for the order again.
    let doc = o["shipments"][1]["id"].as_i64().unwrap();
    let d = app.get_json(&s.admin, &format!("/api/v1/stock-documents/{doc}")).await;
    assert_eq!(d["order_id"].as_i64(), Some(id), "{d}");
    let r =
        post(&app, &s.admin, &format!("/api/v1/stock-documents/{doc}/cancel"), json!({"version": d["version"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let o = app.get_json(m, &path).await;
    assert_eq!((o["status"].as_str(), o["lines"][0]["shipped"].as_str()), (Some("confirmed"), Some("5")), "{o}");
    assert_eq!(stock(&app, &s.admin, s.store, chair).await, ("25".into(), "19".into()));
    // Closing releases what was not shipped.
    let r = post(&app, m, &format!("{path}/close"), json!({"version": o["version"]})).await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    assert_eq!(stock(&app, &s.admin, s.store, chair).await, ("25".into(), "0".into()));
    // The ledger never lost a row: the receipt, the first shipment, the second's two lines and their reversal.
    let moves =
        app.get_json(&s.admin, &format!("/api/v1/stock/movements?warehouse_id={}&product_id={chair}", s.store)).await;
    assert_eq!(moves["items"].as_array().unwrap().len(), 6, "{moves}");

    // The customer's other orders list, by status and by customer.
    let list = app.get_json(m, &format!("/api/v1/orders?customer_id={}", s.customer)).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");
    let theirs = app.get_json(&s.other, "/api/v1/orders").await;
    assert_eq!(theirs["items"], json!([]), "another manager's list: {theirs}");
    let kept = app.get_json(&s.keeper, "/api/v1/orders").await;
    assert_eq!(kept["items"].as_array().unwrap().len(), 1, "the keeper's list: {kept}");

    // A deleted deal leaves its order with the customer.
    let d = app.get_json(&s.admin, &format!("/api/v1/deals/{deal_id}")).await;
    let r = app.api("DELETE", &format!("/api/v1/deals/{deal_id}?version={}", d["version"]), Some(&s.admin), None).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let o = app.get_json(m, &path).await;
    assert!(o["deal_id"].is_null() && o["customer_id"] == s.customer, "{o}");
    // A merge takes the orders to the survivor.
    let twin = app.customer(m, "Mebel Savdo XK").await;
    let merge = json!({"survivor_id": twin, "merged_id": s.customer, "survivor_version": 1,
        "merged_version": app.get_json(m, &format!("/api/v1/customers/{}", s.customer)).await["version"]});
    let r = post(&app, m, "/api/v1/customers/merge", merge).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(app.get_json(m, &path).await["customer_id"], twin);
    // Documents were issued to it: the customer is not deleted (it is archived or erased instead).
    let v = app.get_json(m, &format!("/api/v1/customers/{twin}")).await["version"].clone();
    let r = app.api("DELETE", &format!("/api/v1/customers/{twin}?version={v}"), Some(&s.admin), None).await;
    assert!(r.status == 422 && field_has(&r, "id"), "{}", r.body);
    assert_eq!(app.api("GET", &path, Some(m), None).await.status, 200);
    // A customer with drafts only goes with them.
    let lone = app.customer(m, "Bir martalik").await;
    let draft =
        post(&app, m, "/api/v1/orders", json!({"customer_id": lone, "lines": [{"product_id": chair, "qty": "1"}]}))
            .await;
    let draft = draft.json()["id"].as_i64().unwrap();
    let preview = app.get_json(&s.admin, &format!("/api/v1/customers/{lone}/deletion")).await;
    assert!(preview.to_string().contains("orders"), "{preview}");
    let r = app.api("DELETE", &format!("/api/v1/customers/{lone}?version=1"), Some(&s.admin), None).await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(app.api("GET", &format!("/api/v1/orders/{draft}"), Some(&s.admin), None).await.status, 404);
}

both_apps!(orders_lifecycle, lifecycle);

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

async fn pages(app: TestApp) {
    let s = sales(&app).await;
    let manager = app.login("m@karvon.uz").await;
    let keeper = app.login("ombor@karvon.uz").await;
    // A new order from the customer's card (no JavaScript): a draft, opened.
    let card = app.browser("GET", &format!("/customers/{}", s.customer), Some(&manager), None, "/").await;
    assert!(card.body.contains("data-test=\"customer-orders\""), "the card has no orders panel");
    let res = app
        .browser(
            "POST",
            "/rpc/orders/create",
            Some(&manager),
            Some(&form(&[("customer", s.customer.to_string())])),
            "/",
        )
        .await;
    let to = res.location().expect("redirected to the order");
    let id: i64 = to.trim_start_matches("/orders/").parse().unwrap();
    let line = |product: &str, qty: &str, price: &str| {
        form(&[
            ("id", id.to_string()),
            // A new draft is at version 1.
            ("version", "1".to_string()),
            ("product", product.into()),
            ("qty", qty.into()),
            ("price", price.into()),
        ])
    };
    // Refusals come back by the form's own field names.
    let bad = app.api_form("/rpc/orders/add-line", &manager, &line("nima", "x", "")).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields = refused(&bad);
    assert!(fields.contains(&"product".into()) && fields.contains(&"qty".into()), "{fields:?}");
    let v = app.get_json(&s.manager, &format!("/api/v1/orders/{id}")).await["version"].as_i64().unwrap();
    let changed = form(&[
        ("id", id.to_string()),
        ("version", v.to_string()),
        ("product", "ST-1".into()),
        ("qty", "2".into()),
        ("price", "250".into()),
    ]);
    let res = app.api_form("/rpc/orders/add-line", &manager, &changed).await;
    assert_eq!(refused(&res), vec!["price_reason".to_string()], "{}", res.body);
    let good = form(&[
        ("id", id.to_string()),
        ("version", v.to_string()),
        ("product", "4780000000017".into()),
        ("qty", "1,5".into()),
    ]);
    let res = app.browser("POST", "/rpc/orders/add-line", Some(&manager), Some(&good), &to).await;
    assert_eq!(res.location().as_deref(), Some(to.as_str()), "{}", res.body);
    let page = app.browser("GET", &to, Some(&manager), None, "/").await;
    for text in ["Черновик", "Сумма с НДС", "Stul", "data-test=\"order-confirm\""] {
        assert!(page.body.contains(text), "{text} missing from the order page");
    }
    // Confirmed in the keeper's warehouse from the page; the keeper ships it from theirs.
    let v = app.get_json(&s.manager, &format!("/api/v1/orders/{id}")).await;
    let confirm = form(&[
        ("id", id.to_string()),
        ("version", v["version"].to_string()),
        ("act", "confirm".into()),
        ("warehouse", s.store.to_string()),
    ]);
    let res = app.browser("POST", "/rpc/orders/act", Some(&manager), Some(&confirm), &to).await;
    assert_eq!(res.location().as_deref(), Some(to.as_str()), "{}", res.body);
    let page = app.browser("GET", &to, Some(&keeper), None, "/").await;
    assert!(page.body.contains("data-test=\"order-ship\""), "the keeper is offered the shipment");
    let v = app.get_json(&s.manager, &format!("/api/v1/orders/{id}")).await;
    let line_id = v["lines"][0]["id"].as_i64().unwrap();
    let too_many = form(&[
        ("id", id.to_string()),
        ("version", v["version"].to_string()),
        (&format!("qty[{line_id}]"), "2".into()),
    ]);
    let res = app.api_form("/rpc/orders/ship", &keeper, &too_many).await;
    assert_eq!(refused(&res), vec![format!("qty[{line_id}]")], "{}", res.body);
    let ship = form(&[
        ("id", id.to_string()),
        ("version", v["version"].to_string()),
        (&format!("qty[{line_id}]"), "1.5".into()),
    ]);
    let res = app.browser("POST", "/rpc/orders/ship", Some(&keeper), Some(&ship), &to).await;
    assert_eq!(res.location().as_deref(), Some(to.as_str()), "{}", res.body);
    let o = app.get_json(&s.manager, &format!("/api/v1/orders/{id}")).await;
    assert_eq!(o["status"], "shipped", "{o}");
    let page = app.browser("GET", "/orders?status=shipped", Some(&manager), None, "/").await;
    assert!(page.body.contains(o["number"].as_str().unwrap()), "the list shows the shipped order");
}

both_apps!(orders_pages, pages);

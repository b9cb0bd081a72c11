//! Invoices on both databases: an advance invoice of a confirmed order, cancelled (its number kept, the order
//! billable again); then what shipped plus the services; lines given by hand, never past what was ordered;
//! the numbering prefix and payment days an administrator sets; a standalone invoice in dollars with its rate;
//! who sees and changes them; the pages without JavaScript; a counterparty that signed one is not deleted.

use serde_json::{Value, json};
use tests::{TestApp, both_apps};

use super::orders::{field_has, post, sales};

/// `(net, VAT, total)` of an invoice as the API writes them.
fn sums(i: &Value) -> (String, String, String) {
    let s = |f: &str| i[f].as_str().unwrap_or("none").to_string();
    (s("net"), s("vat"), s("total"))
}

fn owned(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

async fn lifecycle(app: TestApp) {
    let s = sales(&app).await;
    let m = &s.manager;
    let cp = post(
        &app,
        m,
        &format!("/api/v1/customers/{}/counterparties", s.customer),
        json!({"legal_name": "Mebel Savdo MChJ", "tax_id": "301234567"}),
    )
    .await;
    assert!(cp.status.is_success(), "{}", cp.body);
    let cp = cp.json()["id"].as_i64().unwrap();
    let order = post(
        &app,
        m,
        "/api/v1/orders",
        json!({"customer_id": s.customer, "counterparty_id": cp,
               "lines": [{"product_id": s.chair, "qty": "10"}, {"product_id": s.delivery, "qty": "1"}]}),
    )
    .await;
    assert_eq!(order.status, 201, "{}", order.body);
    let order = order.json();
    let oid = order["id"].as_i64().unwrap();
    let (chair_line, delivery_line) =
        (order["lines"][0]["id"].as_i64().unwrap(), order["lines"][1]["id"].as_i64().unwrap());
    let invoice_of = |body: Value| {
        let (app, m) = (&app, m.clone());
        async move { post(app, &m, &format!("/api/v1/orders/{oid}/invoice"), body).await }
    };
    // A draft is not invoiced.
    let r = invoice_of(json!({})).await;
    assert!(r.status == 422 && field_has(&r, "status"), "{}", r.body);
    let r = post(
        &app,
        m,
        &format!("/api/v1/orders/{oid}/confirm"),
        json!({"version": order["version"], "warehouse_id": s.store}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Nothing shipped: the whole order, as an advance invoice, due in the default 10 days.
    let r = invoice_of(json!({"invoice_date": "2026-12-07", "contract_no": "12/2026", "contract_date": "2026-11-30"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let advance = r.json();
    assert!(advance["number"].as_str().unwrap().starts_with("SF-2026-"), "{advance}");
    assert_eq!((advance["due_date"].as_str(), advance["counterparty_id"].as_i64()), (Some("2026-12-17"), Some(cp)));
    // 10 × 300 = 3,000 + 12 % = 3,360; the delivery 50,000 without VAT.
    assert_eq!(sums(&advance), owned("53000", "360", "53360"));
    assert_eq!(advance["lines"].as_array().unwrap().len(), 2);
    let o = app.get_json(m, &format!("/api/v1/orders/{oid}")).await;
    assert_eq!(
        (o["lines"][0]["invoiced"].as_str(), o["lines"][1]["invoiced"].as_str()),
        (Some("10"), Some("1")),
        "{o}"
    );
    let r = invoice_of(json!({})).await;
    assert!(r.status == 422 && field_has(&r, "lines"), "all of it is billed: {}", r.body);
    // Cancelled: its number stays, marked; the order is billable again.
    let path = format!("/api/v1/invoices/{}", advance["id"]);
    let r = post(&app, m, &format!("{path}/cancel"), json!({"version": advance["version"]})).await;
    assert_eq!((r.status.as_u16(), r.json()["status"].as_str()), (200, Some("cancelled")), "{}", r.body);
    let r = post(&app, m, &format!("{path}/cancel"), json!({"version": r.json()["version"]})).await;
    assert!(r.status == 422 && field_has(&r, "status"), "{}", r.body);
    let o = app.get_json(m, &format!("/api/v1/orders/{oid}")).await;
    assert_eq!(o["lines"][0]["invoiced"].as_str(), Some("0"), "{o}");

    // Four chairs ship: the invoice bills them and the service.
    let r = post(
        &app,
        &s.keeper,
        &format!("/api/v1/orders/{oid}/ship"),
        json!({"version": o["version"], "lines": [{"line_id": chair_line, "qty": "4"}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = invoice_of(json!({"invoice_date": "2026-12-08", "due_date": "2026-12-07"})).await;
    assert!(r.status == 422 && field_has(&r, "due_date"), "due before the invoice: {}", r.body);
    let r = invoice_of(json!({"invoice_date": "2026-12-08"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let shipped = r.json();
    // 4 × 300 = 1,200 + 144; 50,000.
    assert_eq!(sums(&shipped), owned("51200", "144", "51344"));
    assert_eq!(shipped["lines"][0]["order_line_id"].as_i64(), Some(chair_line));
    assert!(shipped["number"] != advance["number"]);
    // By hand: never past what was ordered (4 billed + 7 > 10); 6 more is the rest.
    let r = invoice_of(json!({"lines": [{"line_id": chair_line, "qty": "7"}]})).await;
    assert!(r.status == 422 && field_has(&r, "lines[0].qty"), "{}", r.body);
    let r = invoice_of(json!({"lines": [{"line_id": delivery_line, "qty": "1"}]})).await;
    assert!(r.status == 422 && field_has(&r, "lines[0].qty"), "the service is billed: {}", r.body);
    let r = invoice_of(json!({"lines": [{"line_id": chair_line, "qty": "6"}]})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(sums(&r.json()), owned("1800", "216", "2016"));

    // The prefix and payment days: administrators only; new numbers take them.
    let settings = json!({"prefix": "inv", "payment_days": 30});
    assert_eq!(app.api("PUT", "/api/v1/invoices/settings", Some(m), Some(settings.clone())).await.status, 403);
    let r = app
        .api("PUT", "/api/v1/invoices/settings", Some(&s.admin), Some(json!({"prefix": "S F", "payment_days": 400})))
        .await;
    assert!(r.status == 422 && field_has(&r, "prefix") && field_has(&r, "payment_days"), "{}", r.body);
    let r = app.api("PUT", "/api/v1/invoices/settings", Some(&s.admin), Some(settings)).await;
    assert_eq!(r.json(), json!({"prefix": "INV", "payment_days": 30}), "{}", r.body);

    // Standalone, in dollars: the rate of the day is required and kept.
    let usd = |rate: Option<&str>| {
        let mut body = json!({"customer_id": s.customer, "currency": "USD", "invoice_date": "2026-12-09",
            "lines": [{"product_id": s.chair, "qty": "2", "price": "25.5", "price_reason": "Dollar narxi"}]});
        if let Some(r) = rate {
            body["rate"] = json!(r);
        }
        body
    };
    let r = post(&app, m, "/api/v1/invoices", usd(None)).await;
    assert!(r.status == 422 && field_has(&r, "rate"), "{}", r.body);
    let r = post(&app, m, "/api/v1/invoices", usd(Some("12850.5"))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let dollars = r.json();
    assert!(dollars["number"].as_str().unwrap().starts_with("INV-2026-"), "{dollars}");
    assert_eq!((dollars["rate"].as_str(), dollars["due_date"].as_str()), (Some("12850.5"), Some("2027-01-08")));
    // 2 × 25.50 = 51.00 + 6.12.
    assert_eq!(sums(&dollars), owned("51", "6.12", "57.12"));
    assert!(dollars["order_id"].is_null());

    // Who sees them: the customer's manager, not another manager nor the storekeeper.
    let list = app.get_json(m, &format!("/api/v1/invoices?customer_id={}", s.customer)).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 4, "{list}");
    let of_order = app.get_json(m, &format!("/api/v1/invoices?order_id={oid}&status=issued")).await;
    assert_eq!(of_order["items"].as_array().unwrap().len(), 2, "{of_order}");
    assert_eq!(app.get_json(&s.other, "/api/v1/invoices").await["items"], json!([]));
    assert_eq!(app.api("GET", &path, Some(&s.other), None).await.status, 403);
    assert_eq!(app.api("GET", &path, Some(&s.keeper), None).await.status, 403);
    assert_eq!(app.api("POST", "/api/v1/invoices", Some(&s.other), Some(usd(Some("1")))).await.status, 403);

    // The pages, without JavaScript: the invoice, the order's invoices, the customer's card.
    let manager = app.login("m@karvon.uz").await;
    let page = app.browser("GET", &format!("/invoices/{}", dollars["id"]), Some(&manager), None, "/").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("data-test=\"invoice-line\"") && page.body.contains("850,5 UZS"),
        "the invoice page: {}",
        page.body
    );
    let page = app.browser("GET", &format!("/orders/{oid}"), Some(&manager), None, "/").await;
    assert!(page.body.contains("data-test=\"order-invoices\"") && page.body.contains("data-test=\"line-invoiced\""));
    let page = app.browser("GET", &format!("/customers/{}", s.customer), Some(&manager), None, "/").await;
    assert!(
        page.body.contains("data-test=\"customer-invoices\"")
            && page.body.contains(dollars["number"].as_str().unwrap())
    );
    let page = app.browser("GET", "/invoices?status=cancelled", Some(&manager), None, "/").await;
    assert!(page.body.contains(advance["number"].as_str().unwrap()), "the register keeps the cancelled one");

    // The counterparty that signed them is not deleted.
    let c = app.get_json(&s.admin, &format!("/api/v1/counterparties/{cp}")).await;
    let r =
        app.api("DELETE", &format!("/api/v1/counterparties/{cp}?version={}", c["version"]), Some(&s.admin), None).await;
    assert!(r.status == 422 && field_has(&r, "id"), "{}", r.body);
}

both_apps!(invoices_lifecycle, lifecycle);

/// The plain form on the order page invoices it and opens the invoice; cancelling it from its page.
async fn forms(app: TestApp) {
    let s = sales(&app).await;
    let order = post(
        &app,
        &s.manager,
        "/api/v1/orders",
        json!({"customer_id": s.customer, "lines": [{"product_id": s.chair, "qty": "2"}]}),
    )
    .await
    .json();
    let oid = order["id"].as_i64().unwrap();
    let r = post(
        &app,
        &s.manager,
        &format!("/api/v1/orders/{oid}/confirm"),
        json!({"version": order["version"], "warehouse_id": s.store}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let manager = app.login("m@karvon.uz").await;
    let res = app
        .browser(
            "POST",
            "/rpc/invoices/from-order",
            Some(&manager),
            Some(&format!("order={oid}&invoice_date=2026-12-07&due_date=")),
            "/",
        )
        .await;
    let to = res.location().expect("redirected to the invoice");
    let id: i64 = to.trim_start_matches("/invoices/").parse().unwrap();
    let i = app.get_json(&s.manager, &format!("/api/v1/invoices/{id}")).await;
    assert_eq!(sums(&i), owned("600", "72", "672"));
    // A bad date is refused by its field.
    let bad = app
        .api_form("/rpc/invoices/from-order", &manager, &format!("order={oid}&invoice_date=2026-02-30&rate=x"))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("invoice_date") || bad.body.contains("rate"), "{}", bad.body);
    let res = app
        .browser(
            "POST",
            "/rpc/invoices/cancel",
            Some(&manager),
            Some(&format!("id={id}&version={}", i["version"])),
            "/",
        )
        .await;
    assert_eq!(res.location().as_deref(), Some(format!("/invoices/{id}").as_str()));
    assert_eq!(app.get_json(&s.manager, &format!("/api/v1/invoices/{id}")).await["status"], "cancelled");
}

both_apps!(invoices_forms, forms);

/// The new-invoice page's form: blank rows left out, an error named by its row, then issued and opened.
async fn standalone_form(app: TestApp) {
    let s = sales(&app).await;
    let manager = app.login("m@karvon.uz").await;
    let rows = |row1: &str| {
        format!(
            "customer={}&currency=UZS&invoice_date=2026-12-07&product%5B0%5D=&qty%5B0%5D=&product%5B1%5D=ST-1&qty%5B1%5D={row1}\
             &product%5B2%5D=&qty%5B2%5D=&product%5B3%5D=Yetkazib&qty%5B3%5D=1",
            s.customer
        )
    };
    let bad = app.api_form("/rpc/invoices/create", &manager, &rows("x")).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("lines[1].qty") && !bad.body.contains("lines[3]"), "{}", bad.body);
    // Past the form's own checks, the service's errors name the form's row too (2 boxes is fine; 0 is not).
    let bad = app.api_form("/rpc/invoices/create", &manager, &rows("0")).await;
    assert!(bad.status == 422 && bad.body.contains("lines[1].qty"), "{}", bad.body);
    let empty = format!("customer={}&product%5B0%5D=&qty%5B0%5D=", s.customer);
    let bad = app.api_form("/rpc/invoices/create", &manager, &empty).await;
    assert!(bad.status == 422 && bad.body.contains("lines"), "{}", bad.body);
    let res = app.browser("POST", "/rpc/invoices/create", Some(&manager), Some(&rows("2")), "/").await;
    let to = res.location().expect("redirected to the invoice");
    let id: i64 = to.trim_start_matches("/invoices/").parse().unwrap();
    let i = app.get_json(&s.manager, &format!("/api/v1/invoices/{id}")).await;
    // 2 chairs at 300 + VAT 12 %, and the delivery at 50,000 exempt.
    assert_eq!(i["lines"].as_array().unwrap().len(), 2, "{i}");
    assert_eq!(sums(&i), owned("50600", "72", "50672"));
    // Another manager's customer: refused, nothing issued.
    let other = app.login("boshqa@karvon.uz").await;
    let r = app.api_form("/rpc/invoices/create", &other, &rows("2")).await;
    assert!(matches!(r.status.as_u16(), 403 | 422), "{}", r.body);
    assert_eq!(app.get_json(&s.admin, "/api/v1/invoices").await["items"].as_array().unwrap().len(), 1);
}
both_apps!(invoices_standalone_form, standalone_form);

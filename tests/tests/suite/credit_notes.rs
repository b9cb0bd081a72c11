//! Credit notes and e-invoices on both databases. A credit note takes back part of an invoice: the invoice
//! owes less, never below zero (what it frees beyond what was owed goes back to the payment as an advance),
//! the last part of a line takes exactly what is left of its sums, an invoice with live credit notes is not
//! cancelled, a cancelled credit note gives back what it took. An e-invoice lists every missing field at
//! once, then downloads as the operators' JSON with the company's and the buyer's details.

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::{TestApp, both_apps};

use super::orders::{field_has, post, sales};

/// An invoice's `(paid, credited, open)` as a receivables reader sees them.
async fn owed(app: &TestApp, token: &str, id: i64) -> (String, String, String) {
    let i = app.get_json(token, &format!("/api/v1/invoices/{id}")).await;
    let d = |f: &str| i[f].as_str().unwrap_or("none").parse::<rust_decimal::Decimal>().unwrap();
    let s = |f: &str| i[f].as_str().unwrap_or("none").to_string();
    (s("paid"), s("credited"), (d("total") - d("paid") - d("credited")).normalize().to_string())
}

fn three(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

async fn credit_notes(app: TestApp) {
    let s = sales(&app).await;
    let m = &s.manager;
    let (_, acc) = app.user_token("buxgalter@karvon.uz", Role::Accountant, None).await;
    let r = post(
        &app,
        m,
        "/api/v1/invoices",
        json!({"customer_id": s.customer, "invoice_date": "2026-12-01",
        "lines": [{"product_id": s.chair, "qty": "10"}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let inv = r.json();
    let iid = inv["id"].as_i64().unwrap();
    let bank = post(&app, &acc, "/api/v1/money-accounts", json!({"name": "Bank", "kind": "bank"})).await;
    let bank = bank.json()["id"].as_i64().unwrap();
    let p = post(
        &app,
        &acc,
        "/api/v1/payments",
        json!({"account_id": bank, "customer_id": s.customer,
        "amount": "2000", "pay_date": "2026-12-02"}),
    )
    .await;
    assert_eq!(p.status, 201, "{}", p.body);
    let pid = p.json()["id"].as_i64().unwrap();
    let version = || {
        let (app, m) = (&app, m.clone());
        async move { app.get_json(&m, &format!("/api/v1/invoices/{iid}")).await["version"].clone() }
    };
    let credit = |body: Value| {
        let (app, m) = (&app, m.clone());
        async move { post(app, &m, &format!("/api/v1/invoices/{iid}/credit-note"), body).await }
    };

    // Refused: no reason, a stale version, past what is left, before the invoice's date.
    let v = version().await;
    let r = credit(json!({"version": v, "reason": " "})).await;
    assert!(r.status == 422 && field_has(&r, "reason"), "{}", r.body);
    let r = credit(json!({"version": 0, "reason": "Qaytarildi", "lines": [{"line_no": 1, "qty": "1"}]})).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = credit(json!({"version": v, "reason": "Qaytarildi", "lines": [{"line_no": 1, "qty": "11"}]})).await;
    assert!(r.status == 422 && field_has(&r, "lines[0].qty"), "{}", r.body);
    let r = credit(json!({"version": v, "reason": "Qaytarildi", "credit_date": "2026-11-30"})).await;
    assert!(r.status == 422 && field_has(&r, "credit_date"), "{}", r.body);

    // Three chairs back: 3 × 300 + 12 % = 1,008 off what is owed (3,360 − 2,000 paid).
    let r = credit(json!({"version": v, "reason": "Qaytarildi", "credit_date": "2026-12-03",
        "lines": [{"line_no": 1, "qty": "3"}]}))
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let first = r.json();
    assert_eq!((first["kind"].as_str(), first["total"].as_str()), (Some("credit_note"), Some("1008")), "{first}");
    assert!(first["number"].as_str().unwrap().starts_with("SFK-2026-"), "{first}");
    assert_eq!(first["credits"], json!([iid, inv["number"]]));
    assert_eq!(first["note"].as_str(), Some("Qaytarildi"));
    assert_eq!(owed(&app, m, iid).await, three("2000", "1008", "352"));
    let i = app.get_json(m, &format!("/api/v1/invoices/{iid}")).await;
    assert_eq!(
        (i["lines"][0]["credited"].as_str(), i["credit_notes"][0]["id"].as_i64()),
        (Some("3"), first["id"].as_i64())
    );

    // The rest (no lines given: all that is left): 2,352 credited, 352 of it was owed, 2,000 goes back to
    // the payment as the customer's advance.
    let r = credit(json!({"version": version().await, "reason": "Shartnoma bekor"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let second = r.json();
    assert_eq!(second["total"].as_str(), Some("2352"));
    assert_eq!(owed(&app, m, iid).await, three("0", "3360", "0"));
    let pay = app.get_json(&acc, &format!("/api/v1/payments/{pid}")).await;
    assert_eq!((pay["allocated"].as_str(), pay["advance"].as_str()), (Some("0"), Some("2000")), "{pay}");
    let rec = app.get_json(&acc, "/api/v1/receivables").await;
    assert_eq!(rec["rows"], json!([]), "nothing owed: {rec}");
    assert_eq!(rec["totals"][0]["advance"].as_str(), Some("2000"), "{rec}");
    // Nothing is left to credit; a credit note is not credited; credit notes are never paid.
    let r = credit(json!({"version": version().await, "reason": "Yana"})).await;
    assert!(r.status == 422 && field_has(&r, "lines"), "{}", r.body);
    let r = post(
        &app,
        m,
        &format!("/api/v1/invoices/{}/credit-note", first["id"]),
        json!({"version": first["version"], "reason": "X"}),
    )
    .await;
    assert!(r.status == 422 && field_has(&r, "status"), "{}", r.body);
    let r = post(
        &app,
        &acc,
        &format!("/api/v1/payments/{pid}/allocate"),
        json!({"allocations": [{"invoice_id": first["id"], "amount": "1"}]}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);

    // The invoice is not cancelled while credit notes live; cancelling the first gives its 1,008 back to owe.
    let r = post(&app, m, &format!("/api/v1/invoices/{iid}/cancel"), json!({"version": version().await})).await;
    assert!(r.status == 422 && field_has(&r, "status"), "{}", r.body);
    let r =
        post(&app, m, &format!("/api/v1/invoices/{}/cancel", first["id"]), json!({"version": first["version"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(owed(&app, m, iid).await, three("0", "2352", "1008"));
    let i = app.get_json(m, &format!("/api/v1/invoices/{iid}")).await;
    assert_eq!(i["lines"][0]["credited"].as_str(), Some("7"));
    // The advance pays it again.
    let r = post(&app, &acc, &format!("/api/v1/payments/{pid}/allocate"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(owed(&app, m, iid).await, three("1008", "2352", "0"));
    // The customer's card lists the live invoice less its credit.
    let list = app.get_json(m, &format!("/api/v1/invoices?customer_id={}", s.customer)).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 3, "{list}");

    // Parts of a line round each on their own; the last part takes what is left, so they add up: 3 × 0.05
    // with 12 % VAT is 0.15 + 0.02 (one part's VAT rounds to 0.01).
    let r = post(
        &app,
        m,
        "/api/v1/invoices",
        json!({"customer_id": s.customer, "invoice_date": "2026-12-01",
        "lines": [{"product_id": s.chair, "qty": "3", "price": "0.05", "price_reason": "Aksiya"}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let small = r.json();
    assert_eq!(small["total"].as_str(), Some("0.17"), "{small}");
    let sid = small["id"].as_i64().unwrap();
    let mut totals = Vec::new();
    for _ in 0..3 {
        let v = app.get_json(m, &format!("/api/v1/invoices/{sid}")).await["version"].clone();
        let r = post(
            &app,
            m,
            &format!("/api/v1/invoices/{sid}/credit-note"),
            json!({"version": v, "reason": "Qaytarildi", "lines": [{"line_no": 1, "qty": "1"}]}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        totals.push(r.json()["total"].as_str().unwrap().to_string());
    }
    assert_eq!(totals, ["0.06", "0.06", "0.05"]);
    assert_eq!(owed(&app, m, sid).await, three("0", "0.17", "0"));
}
both_apps!(credit_notes_ledger, credit_notes);

async fn e_invoice(app: TestApp) {
    let s = sales(&app).await;
    let m = &s.manager;
    let (_, acc) = app.user_token("buxgalter@karvon.uz", Role::Accountant, None).await;
    let table = post(
        &app,
        &s.admin,
        "/api/v1/products",
        json!({"name": "Stol", "base_unit": "pcs", "vat": "12",
        "mxik": "09403001001000000", "package_code": "1503578"}),
    )
    .await;
    assert_eq!(table.status, 201, "{}", table.body);
    let table = table.json()["id"].as_i64().unwrap();
    let cp = post(
        &app,
        m,
        &format!("/api/v1/customers/{}/counterparties", s.customer),
        json!({"legal_name": "Mebel Savdo MChJ", "tax_id": "301234567"}),
    )
    .await;
    let cp = cp.json();
    let r = post(&app, m, "/api/v1/invoices", json!({"customer_id": s.customer, "counterparty_id": cp["id"],
        "invoice_date": "2026-12-04", "lines": [{"product_id": table, "qty": "12", "price": "300", "price_reason": "Kelishuv"},
            {"product_id": s.chair, "qty": "1"}]}))
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let inv = r.json();
    let path = format!("/api/v1/invoices/{}/e-invoice", inv["id"]);

    // Everything missing is named at once.
    let r = app.api("GET", &path, Some(m), None).await;
    assert_eq!(r.status, 422, "{}", r.body);
    for f in [
        "contract_no",
        "contract_date",
        "seller.tax_id",
        "seller.name",
        "seller.address",
        "seller.account",
        "seller.bank_code",
        "seller.vat_reg_code",
        "buyer.address",
        "lines.2.mxik",
        "lines.2.package_code",
    ] {
        assert!(field_has(&r, f), "{f}: {}", r.body);
    }
    assert!(!field_has(&r, "lines.1.mxik") && !field_has(&r, "buyer.tax_id"), "{}", r.body);

    // The company's details: administrators set them, accountants read them; checked field by field.
    let details = json!({"name": "\"Karvon Savdo\" MChJ", "tax_id": "302123456", "address": "Toshkent, Amir Temur 1",
        "oked": "46900", "vat_reg_code": "326010012345", "director": "Aliyev Anvar", "accountant": "Karimova Dilnoza"});
    assert_eq!(app.api("PUT", "/api/v1/company-details", Some(&acc), Some(details.clone())).await.status, 403);
    let bad = json!({"tax_id": "12345", "oked": "4690", "vat_reg_code": "x"});
    let r = app.api("PUT", "/api/v1/company-details", Some(&s.admin), Some(bad)).await;
    assert!(
        r.status == 422 && field_has(&r, "tax_id") && field_has(&r, "oked") && field_has(&r, "vat_reg_code"),
        "{}",
        r.body
    );
    let cash = post(&app, &acc, "/api/v1/money-accounts", json!({"name": "Kassa", "kind": "cash"})).await;
    let mut with_cash = details.clone();
    with_cash["account_id"] = cash.json()["id"].clone();
    let r = app.api("PUT", "/api/v1/company-details", Some(&s.admin), Some(with_cash)).await;
    assert!(r.status == 422 && field_has(&r, "account_id"), "a cash desk is no bank account: {}", r.body);
    let r = app.api("PUT", "/api/v1/company-details", Some(&s.admin), Some(details)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(app.get_json(&acc, "/api/v1/company-details").await["oked"].as_str(), Some("46900"));
    let bank =
        json!({"name": "Kapitalbank", "kind": "bank", "bank_code": "00440", "account_no": "20208000900123456001"});
    assert_eq!(post(&app, &acc, "/api/v1/money-accounts", bank).await.status, 201);

    // The buyer's address and requisites on its counterparty; the products' codes; the contract on a new invoice.
    let r = app
        .api(
            "PATCH",
            &format!("/api/v1/counterparties/{}", cp["id"]),
            Some(m),
            Some(json!({"version": cp["version"], "legal_address": "Samarqand, Registon 5", "oked": "47190"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app.api("GET", &path, Some(m), None).await;
    assert!(r.status == 422 && !field_has(&r, "seller.account") && !field_has(&r, "buyer.address"), "{}", r.body);
    let r = post(
        &app,
        m,
        "/api/v1/invoices",
        json!({"customer_id": s.customer, "counterparty_id": cp["id"],
        "invoice_date": "2026-12-04", "contract_no": "12/2026", "contract_date": "2026-01-15",
        "lines": [{"product_id": table, "qty": "12", "price": "300", "price_reason": "Kelishuv"}]}),
    )
    .await;
    let inv = r.json();
    let r = app.api("GET", &format!("/api/v1/invoices/{}/e-invoice", inv["id"]), Some(m), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cd = r.headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(cd.contains(&format!("{}.json", inv["number"].as_str().unwrap())), "{cd}");
    let doc = r.json();
    assert_eq!(doc["FacturaDoc"], json!({"FacturaNo": inv["number"], "FacturaDate": "2026-12-04"}));
    assert_eq!(doc["ContractDoc"], json!({"ContractNo": "12/2026", "ContractDate": "2026-01-15"}));
    assert_eq!((doc["SellerTin"].as_str(), doc["BuyerTin"].as_str()), (Some("302123456"), Some("301234567")));
    assert_eq!(doc["Seller"]["Account"].as_str(), Some("20208000900123456001"));
    assert_eq!(
        (doc["Seller"]["BankId"].as_str(), doc["Seller"]["VatRegCode"].as_str()),
        (Some("00440"), Some("326010012345"))
    );
    assert_eq!(
        (doc["Buyer"]["Name"].as_str(), doc["Buyer"]["Oked"].as_str()),
        (Some("Mebel Savdo MChJ"), Some("47190"))
    );
    let p = &doc["ProductList"]["Products"][0];
    assert_eq!(
        (p["CatalogCode"].as_str(), p["PackageCode"].as_str(), p["Count"].as_str(), p["Summa"].as_str()),
        (Some("09403001001000000"), Some("1503578"), Some("12"), Some("300.00"))
    );
    assert_eq!(
        (p["DeliverySum"].as_str(), p["VatRate"].as_i64(), p["VatSum"].as_str(), p["DeliverySumWithVat"].as_str()),
        (Some("3600.00"), Some(12), Some("432.00"), Some("4032.00"))
    );
    // Another team's manager sees no invoice of A's customer, so no e-invoice either.
    let r = app.api("GET", &format!("/api/v1/invoices/{}/e-invoice", inv["id"]), Some(&s.other), None).await;
    assert_eq!(r.status, 403);
}
both_apps!(e_invoice_export, e_invoice);

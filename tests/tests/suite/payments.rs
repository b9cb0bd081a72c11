//! Payments and receivables on both databases: accounts and cash desks kept by accountants; payments in paid
//! automatically to the oldest invoices, or first to the one their purpose names, the rest kept as an advance
//! and applied later; no invoice paid past its total nor a payment past its amount, nor across currencies;
//! a reversal opening the invoices again, a cancelled invoice's money an advance again; receivables aged into
//! buckets; payments out to suppliers; the ledger refusing edits; who sees and does what (the accountant: all
//! customers' money, no one's orders to change); the pages and the plain form that finds the payer by
//! taxpayer id.

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::{TestApp, both_apps};

use super::orders::{field_has, post, sales};

/// Today plus `days`, `YYYY-MM-DD`, as the server counts days.
fn day(days: i64) -> String {
    app::core::format::date_input(app::core::now_millis() + days * 86_400_000)
}

/// A payment's `(allocated, advance)` as the API writes them.
fn split(p: &Value) -> (String, String) {
    let s = |f: &str| p[f].as_str().unwrap_or("none").to_string();
    (s("allocated"), s("advance"))
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.into(), b.into())
}

async fn ledger(app: TestApp) {
    let s = sales(&app).await;
    let (_, acc) = app.user_token("buxgalter@karvon.uz", Role::Accountant, None).await;
    let m = &s.manager;
    let invoice_on = |date: String, due: String| {
        let (app, m, customer, chair) = (&app, m.clone(), s.customer, s.chair);
        async move {
            let r = post(
                app,
                &m,
                "/api/v1/invoices",
                json!({"customer_id": customer, "invoice_date": date, "due_date": due,
                       "lines": [{"product_id": chair, "qty": "10"}]}),
            )
            .await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()
        }
    };
    // 10 chairs × 300 + 12 % = 3,360 each: 100 days overdue, 10 days overdue, due in 10 days.
    let a = invoice_on(day(-120), day(-100)).await;
    let b = invoice_on(day(-20), day(-10)).await;
    let c = invoice_on(day(0), day(10)).await;
    let id = |v: &Value| v["id"].as_i64().unwrap();
    let (ia, ib, ic) = (id(&a), id(&b), id(&c));
    let open_of = |inv: i64| {
        let (app, m) = (&app, m.clone());
        async move {
            let i = app.get_json(&m, &format!("/api/v1/invoices/{inv}")).await;
            format!("{} / {}", i["paid"].as_str().unwrap(), i["total"].as_str().unwrap())
        }
    };

    // Accounts: only administrators and accountants add them; a bank's MFO has 5 digits.
    let bank =
        json!({"name": "Kapitalbank", "kind": "bank", "bank_code": "00440", "account_no": "20208000900123456001"});
    assert_eq!(post(&app, m, "/api/v1/money-accounts", bank.clone()).await.status, 403);
    let r = post(&app, &acc, "/api/v1/money-accounts", json!({"name": "X", "kind": "bank", "bank_code": "440"})).await;
    assert!(r.status == 422 && field_has(&r, "bank_code"), "{}", r.body);
    let r = post(&app, &acc, "/api/v1/money-accounts", bank.clone()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let bank_id = r.json()["id"].as_i64().unwrap();
    let r = post(&app, &acc, "/api/v1/money-accounts", bank).await;
    assert!(r.status == 422 && field_has(&r, "name"), "a name once: {}", r.body);
    let cash = post(&app, &s.admin, "/api/v1/money-accounts", json!({"name": "Kassa", "kind": "cash"})).await;
    let cash_id = cash.json()["id"].as_i64().unwrap();
    let usd =
        post(&app, &acc, "/api/v1/money-accounts", json!({"name": "USD hisob", "kind": "bank", "currency": "USD"}))
            .await;
    let usd_id = usd.json()["id"].as_i64().unwrap();

    // Before any payment: everything open, aged.
    let r = app.get_json(&acc, "/api/v1/receivables").await;
    assert_eq!(r["bounds"], json!([30, 60, 90]));
    let row = &r["rows"][0];
    assert_eq!(row["customer_id"].as_i64(), Some(s.customer), "{r}");
    assert_eq!((row["open"].as_str(), row["not_due"].as_str()), (Some("10080"), Some("3360")), "{row}");
    assert_eq!(row["overdue"], json!(["3360", "0", "0", "3360"]), "{row}");

    // A manager does not post payments; an accountant does, for any customer.
    let pay = |body: Value| {
        let (app, acc) = (&app, acc.clone());
        async move { post(app, &acc, "/api/v1/payments", body).await }
    };
    let body = json!({"account_id": bank_id, "customer_id": s.customer, "amount": "5000", "pay_date": day(0)});
    assert_eq!(post(&app, m, "/api/v1/payments", body.clone()).await.status, 403);
    // Automatically: the oldest due first, as far as the money goes.
    let p1 = pay(body).await;
    assert_eq!(p1.status, 201, "{}", p1.body);
    let p1 = p1.json();
    assert_eq!((p1["direction"].as_str(), p1["method"].as_str()), (Some("in"), Some("bank")));
    assert_eq!(split(&p1), pair("5000", "0"));
    assert_eq!((open_of(ia).await, open_of(ib).await), ("3360 / 3360".into(), "1640 / 3360".into()));
    // The purpose names the invoice to pay first.
    let purpose = format!("{} bo'yicha to'lov", c["number"].as_str().unwrap().to_lowercase());
    let p2 = pay(json!({"account_id": bank_id, "customer_id": s.customer, "amount": "4000", "purpose": purpose})).await;
    assert_eq!(p2.status, 201, "{}", p2.body);
    let p2 = p2.json();
    assert_eq!((open_of(ic).await, open_of(ib).await), ("3360 / 3360".into(), "2280 / 3360".into()));
    // Nothing allocated now: all of it an advance, applied later.
    let p3 = pay(json!({"account_id": bank_id, "customer_id": s.customer, "amount": "2000", "allocations": []})).await;
    let p3 = p3.json();
    assert_eq!(split(&p3), pair("0", "2000"));
    let money = app.get_json(m, &format!("/api/v1/receivables/{}", s.customer)).await;
    assert_eq!(
        (money["debts"][0]["open"].as_str(), money["debts"][0]["advance"].as_str()),
        (Some("1080"), Some("2000")),
        "{money}"
    );
    let p3_id = id(&p3);
    let r = post(
        &app,
        &acc,
        &format!("/api/v1/payments/{p3_id}/allocate"),
        json!({"allocations": [{"invoice_id": ib, "amount": "1500"}]}),
    )
    .await;
    assert!(r.status == 422 && field_has(&r, "allocations[0].amount"), "past what is open: {}", r.body);
    let r = post(&app, &acc, &format!("/api/v1/payments/{p3_id}/allocate"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(split(&r.json()), pair("1080", "920"));
    assert_eq!(open_of(ib).await, "3360 / 3360");
    let r = app.get_json(&acc, "/api/v1/receivables").await;
    assert_eq!(r["rows"], json!([]), "nothing owed: {r}");
    assert_eq!(r["totals"][0]["advance"].as_str(), Some("920"), "{r}");

    // Refused: more than the payment, another currency, a dollar payment without its rate, money out to no one.
    let more = json!({"account_id": bank_id, "customer_id": s.customer, "amount": "10",
        "allocations": [{"invoice_id": ia, "amount": "20"}]});
    let r = pay(more).await;
    assert!(r.status == 422 && (field_has(&r, "amount") || field_has(&r, "allocations[0].amount")), "{}", r.body);
    let r = pay(json!({"account_id": usd_id, "customer_id": s.customer, "amount": "10", "rate": "12850",
        "allocations": [{"invoice_id": ia, "amount": "10"}]}))
    .await;
    assert!(r.status == 422 && field_has(&r, "allocations[0].invoice_id"), "{}", r.body);
    let r = pay(json!({"account_id": usd_id, "customer_id": s.customer, "amount": "10"})).await;
    assert!(r.status == 422 && field_has(&r, "rate"), "{}", r.body);
    let r = pay(json!({"direction": "out", "account_id": cash_id, "amount": "10"})).await;
    assert!(r.status == 422 && field_has(&r, "party"), "{}", r.body);
    let r = pay(json!({"account_id": bank_id, "amount": "10"})).await;
    assert!(r.status == 422 && field_has(&r, "customer_id"), "money in needs its payer: {}", r.body);

    // A reversal: the opposite entry, today; the invoices it paid are open again, once.
    let p1_id = id(&p1);
    let r = post(&app, &acc, &format!("/api/v1/payments/{p1_id}/reverse"), json!({})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let reversal = r.json();
    assert_eq!((reversal["amount"].as_str(), reversal["reverses_id"].as_i64()), (Some("-5000"), Some(p1_id)));
    assert_eq!((open_of(ia).await, open_of(ib).await), ("0 / 3360".into(), "1720 / 3360".into()));
    let again = post(&app, &acc, &format!("/api/v1/payments/{p1_id}/reverse"), json!({})).await;
    assert!(again.status == 422 && field_has(&again, "id"), "{}", again.body);
    let of_reversal = post(&app, &acc, &format!("/api/v1/payments/{}/reverse", id(&reversal)), json!({})).await;
    assert_eq!(of_reversal.status, 422, "{}", of_reversal.body);
    let p1 = app.get_json(&acc, &format!("/api/v1/payments/{p1_id}")).await;
    assert_eq!((p1["reversed_by"].as_i64(), split(&p1)), (Some(id(&reversal)), pair("0", "0")), "{p1}");
    assert_eq!(p1["allocations"].as_array().unwrap().len(), 4, "two paid, two taken back: {p1}");

    // A cancelled invoice's money is its payment's advance again.
    let r = post(
        &app,
        m,
        &format!("/api/v1/invoices/{ic}/cancel"),
        json!({"version": app.get_json(m, &format!("/api/v1/invoices/{ic}")).await["version"]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["paid"].as_str(), Some("0"));
    let p2 = app.get_json(&acc, &format!("/api/v1/payments/{}", id(&p2))).await;
    assert_eq!(split(&p2), pair("640", "3360"), "{p2}");

    // Aged now: A 100 days overdue (90+), what B has open 10 days (1–30); the advances beside.
    let r = app.get_json(&acc, "/api/v1/receivables").await;
    let row = &r["rows"][0];
    assert_eq!((row["open"].as_str(), row["not_due"].as_str()), (Some("5000"), Some("0")), "{r}");
    assert_eq!(row["overdue"], json!(["1640", "0", "0", "3360"]), "{row}");
    assert_eq!(row["advance"].as_str(), Some("4280"), "{row}");
    // Buckets an administrator sets.
    let r = app.api("PUT", "/api/v1/receivables/settings", Some(&acc), Some(json!({"aging_days": [15, 45]}))).await;
    assert_eq!(r.status, 403);
    let r = app.api("PUT", "/api/v1/receivables/settings", Some(&s.admin), Some(json!({"aging_days": [45, 15]}))).await;
    assert!(r.status == 422 && field_has(&r, "aging_days"), "{}", r.body);
    let r = app.api("PUT", "/api/v1/receivables/settings", Some(&s.admin), Some(json!({"aging_days": [15, 45]}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app.get_json(&acc, "/api/v1/receivables").await;
    assert_eq!(r["rows"][0]["overdue"], json!(["1640", "0", "3360"]), "{r}");

    // Money out to a supplier from the cash desk; the accounts' balances.
    let r = pay(json!({"direction": "out", "account_id": cash_id, "party": "Taxta Savdo MChJ", "amount": "1500",
        "purpose": "Taxta uchun"}))
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let supplier = r.json();
    assert_eq!((supplier["method"].as_str(), supplier["advance"].as_str()), (Some("cash"), Some("0")));
    let accounts = app.get_json(&acc, "/api/v1/money-accounts").await;
    let balance = |name: &str| {
        accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .map(|a| a["balance"].as_str().unwrap().to_string())
    };
    assert_eq!((balance("Kapitalbank"), balance("Kassa")), (Some("6000".into()), Some("-1500".into())), "{accounts}");

    // Dynamics by day: today's money in (the reversal netted in) and out; both open invoices already overdue.
    let path = format!("/api/v1/payments/dynamics?period=day&from={}&to={}", day(-1), day(0));
    let d = app.get_json(&acc, &path).await;
    let points = d["points"].as_array().unwrap();
    assert_eq!(points.len(), 2, "{d}");
    assert_eq!((points[1]["income"].as_str(), points[1]["outgo"].as_str()), (Some("6000"), Some("1500")), "{d}");
    assert_eq!((points[0]["income"].as_str(), d["overdue"].as_str()), (Some("0"), Some("5000")), "{d}");
    let by_account: Vec<(&str, &str)> = d["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["account_name"].as_str().unwrap(), a["outgo"].as_str().unwrap()))
        .collect();
    assert_eq!(by_account, [("Kapitalbank", "0"), ("Kassa", "1500")], "{d}");
    let months = app.get_json(&acc, "/api/v1/payments/dynamics").await;
    assert_eq!((months["period"].as_str(), months["forecast"].as_array().unwrap().len()), (Some("month"), 12));
    assert_eq!(app.api("GET", "/api/v1/payments/dynamics", Some(m), None).await.status, 403);
    let r =
        app.api("GET", &format!("/api/v1/payments/dynamics?from={}&to={}", day(0), day(-1)), Some(&acc), None).await;
    assert!(r.status == 422 && field_has(&r, "from"), "{}", r.body);

    // Who sees what: the customer's manager its payments (not the supplier's), another manager and the
    // storekeeper nothing; the accountant every customer's money but not its CRM card, and changes no order.
    let mine = app.get_json(m, "/api/v1/payments").await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 4, "{mine}");
    assert_eq!(app.get_json(&acc, "/api/v1/payments").await["items"].as_array().unwrap().len(), 5);
    assert_eq!(app.get_json(&s.other, "/api/v1/payments").await["items"], json!([]));
    assert_eq!(app.get_json(&s.other, "/api/v1/receivables").await["rows"], json!([]));
    let path = format!("/api/v1/payments/{p3_id}");
    assert_eq!(app.api("GET", &path, Some(&s.other), None).await.status, 403);
    assert_eq!(app.api("GET", &path, Some(&s.keeper), None).await.status, 403);
    assert_eq!(app.api("GET", &format!("/api/v1/payments/{}", id(&supplier)), Some(m), None).await.status, 403);
    assert_eq!(app.api("GET", "/api/v1/receivables", Some(&s.keeper), None).await.status, 403);
    assert_eq!(app.api("GET", &format!("/api/v1/customers/{}", s.customer), Some(&acc), None).await.status, 403);
    assert_eq!(app.api("GET", &format!("/api/v1/invoices/{ia}"), Some(&acc), None).await.status, 200);
    let order = post(
        &app,
        m,
        "/api/v1/orders",
        json!({"customer_id": s.customer, "lines": [{"product_id": s.chair, "qty": "1"}]}),
    )
    .await
    .json();
    assert_eq!(app.api("GET", &format!("/api/v1/orders/{}", order["id"]), Some(&acc), None).await.status, 200);
    let r = app
        .api(
            "PUT",
            &format!("/api/v1/orders/{}", order["id"]),
            Some(&acc),
            Some(json!({"version": order["version"], "lines": []})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);

    // The ledger refuses edits and deletions.
    let db = app.db.clone();
    let edit = app::db_run!(&db, p => sqlx::query("UPDATE payments SET amount_minor = 1 WHERE id = $1")
        .bind(p3_id).execute(p).await.map(|_| ()));
    assert!(edit.is_err(), "a payment's amount is never edited");
    let gone = app::db_run!(&db, p => sqlx::query("DELETE FROM payment_allocations").execute(p).await.map(|_| ()));
    assert!(gone.is_err(), "allocations are never deleted");

    // The pages, without JavaScript.
    let accountant = app.login("buxgalter@karvon.uz").await;
    let page = app.browser("GET", "/payments", Some(&accountant), None, "/").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("data-test=\"payment-form\"") && page.body.contains("Taxta Savdo MChJ"),
        "{}",
        page.body
    );
    let page = app.browser("GET", "/payments/dynamics?period=day", Some(&accountant), None, "/").await;
    assert!(page.body.contains("data-test=\"chart\"") && page.body.contains("data-test=\"flow-row\""), "{}", page.body);
    let page = app.browser("GET", "/receivables", Some(&accountant), None, "/").await;
    assert!(page.body.contains("data-test=\"aging-row\"") && page.body.contains("Mebel Savdo"), "{}", page.body);
    let page_path = format!("/payments/{p3_id}");
    let page = app.browser("GET", &page_path, Some(&accountant), None, "/").await;
    assert!(page.body.contains("data-test=\"allocation\"") && page.body.contains("payment-reverse"), "{}", page.body);
    let manager = app.login("m@karvon.uz").await;
    let page = app.browser("GET", &format!("/customers/{}", s.customer), Some(&manager), None, "/").await;
    assert!(page.body.contains("data-test=\"customer-money\"") && page.body.contains("data-test=\"debt-overdue\""));
    let page = app.browser("GET", &page_path, Some(&manager), None, "/").await;
    assert!(page.status == 200 && !page.body.contains("payment-reverse"), "a manager reads, does not reverse");
    let page = app.browser("GET", &format!("/invoices/{ia}"), Some(&accountant), None, "/").await;
    assert!(page.body.contains("data-test=\"pay-invoice\""), "{}", page.body);
}

both_apps!(payments_ledger, ledger);

/// The plain form finds the payer by taxpayer id or invoice number and opens the payment; a payer nobody
/// has is refused by its field.
async fn forms(app: TestApp) {
    let s = sales(&app).await;
    let (_, acc) = app.user_token("buxgalter@karvon.uz", Role::Accountant, None).await;
    let cp = post(
        &app,
        &s.manager,
        &format!("/api/v1/customers/{}/counterparties", s.customer),
        json!({"legal_name": "Mebel Savdo MChJ", "tax_id": "301234567"}),
    )
    .await;
    assert!(cp.status.is_success(), "{}", cp.body);
    let inv = post(
        &app,
        &s.manager,
        "/api/v1/invoices",
        json!({"customer_id": s.customer, "lines": [{"product_id": s.chair, "qty": "1"}]}),
    )
    .await
    .json();
    let bank = post(&app, &acc, "/api/v1/money-accounts", json!({"name": "Hamkorbank", "kind": "bank"})).await;
    let bank = bank.json()["id"].as_i64().unwrap();
    let accountant = app.login("buxgalter@karvon.uz").await;
    let res = app
        .browser(
            "POST",
            "/rpc/payments/create",
            Some(&accountant),
            Some(&format!("direction=in&account_id={bank}&payer=301+234+567&amount=100&pay_date=&purpose=")),
            "/",
        )
        .await;
    let to = res.location().expect("redirected to the payment");
    let id: i64 = to.trim_start_matches("/payments/").parse().unwrap();
    let p = app.get_json(&acc, &format!("/api/v1/payments/{id}")).await;
    assert_eq!(
        (p["customer_id"].as_i64(), p["counterparty_name"].as_str()),
        (Some(s.customer), Some("Mebel Savdo MChJ"))
    );
    assert_eq!(p["allocations"][0]["invoice_id"], inv["id"], "{p}");
    // By the invoice's number: that invoice first.
    let number = inv["number"].as_str().unwrap();
    let res = app
        .browser(
            "POST",
            "/rpc/payments/create",
            Some(&accountant),
            Some(&format!("direction=in&account_id={bank}&payer={number}&amount=236")),
            "/",
        )
        .await;
    assert!(res.location().is_some_and(|l| l.starts_with("/payments/")), "{}", res.body);
    let i = app.get_json(&acc, &format!("/api/v1/invoices/{}", inv["id"])).await;
    assert_eq!((i["paid"].as_str(), i["total"].as_str()), (Some("336"), Some("336")), "{i}");
    let bad = app
        .api_form(
            "/rpc/payments/create",
            &accountant,
            &format!("direction=in&account_id={bank}&payer=999999999&amount=1"),
        )
        .await;
    assert!(bad.status == 422 && bad.body.contains("payer"), "{}", bad.body);
    let manager = app.login("m@karvon.uz").await;
    let refused = app
        .api_form("/rpc/payments/create", &manager, &format!("direction=in&account_id={bank}&payer={number}&amount=1"))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
}

both_apps!(payments_forms, forms);

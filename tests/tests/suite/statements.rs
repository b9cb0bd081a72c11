//! Bank statements on both databases: a statement of one of the company's accounts uploaded by an
//! accountant, its columns guessed from a Russian bank's headers, each line previewed with whom it will be
//! posted to (an invoice number in the purpose, the payer's taxpayer id, the amount of exactly one open
//! invoice) or why not; the run posting payments in and out and paying invoices; the same statement again
//! posting nothing twice.

use std::time::Duration;

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::{TestApp, both_apps};

use super::orders::{field_has, post, sales};

async fn upload(app: &TestApp, token: &str, query: &str, csv: &str) -> tests::Resp {
    let req = axum::http::Request::post(format!("/api/v1/imports?file_name=vypiska.csv&{query}"))
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::from(csv.to_string()))
        .unwrap();
    app.send(req).await
}

async fn run(app: &TestApp, token: &str, id: i64) -> Value {
    let start = app.api("POST", &format!("/api/v1/imports/{id}/start"), Some(token), None).await;
    assert_eq!(start.status, 202, "{}", start.body);
    let mut status = json!(null);
    for _ in 0..400 {
        status = app.api("GET", &format!("/api/v1/imports/{id}"), Some(token), None).await.json();
        if status["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    status
}

async fn statement(app: TestApp) {
    let s = sales(&app).await;
    let m = &s.manager;
    let (_, acc) = app.user_token("buxgalter@karvon.uz", Role::Accountant, None).await;
    let cp = post(
        &app,
        m,
        &format!("/api/v1/customers/{}/counterparties", s.customer),
        json!({"legal_name": "Mebel Savdo MChJ", "tax_id": "301234567"}),
    )
    .await;
    assert!(cp.status.is_success(), "{}", cp.body);
    let invoice = |customer: i64, qty: &str, date: &str| {
        let (app, m, chair) = (&app, m.clone(), s.chair);
        let body = json!({"customer_id": customer, "invoice_date": date, "lines": [{"product_id": chair, "qty": qty}]});
        async move {
            let r = post(app, &m, "/api/v1/invoices", body).await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()
        }
    };
    // 3,360 (the oldest), 1,008, and another customer's 672.
    let big = invoice(s.customer, "10", "2026-11-01").await;
    let small = invoice(s.customer, "3", "2026-11-20").await;
    let other = app.customer(m, "Oshxona Jihozlari").await;
    let other_inv = invoice(other, "2", "2026-11-25").await;
    let bank = post(
        &app,
        &acc,
        "/api/v1/money-accounts",
        json!({"name": "Kapitalbank", "kind": "bank", "bank_code": "00440", "account_no": "20208000900123456001"}),
    )
    .await;
    let bank = bank.json()["id"].as_i64().unwrap();
    let csv = format!(
        "Дата;№ док.;ИНН плательщика;Наименование плательщика;Назначение платежа;Дебет;Кредит\n\
         04.12.2026;101;301234567;Mebel Savdo MChJ;Оплата по счёту {} от 20.11.2026;;1 008,00\n\
         04.12.2026;102;;Oshxona;To'lov;;672,00\n\
         05.12.2026;103;;Elektr ta'minoti;Elektr uchun;150 000,00;\n\
         05.12.2026;104;999999999;Kimdir;Avans;;500,00\n\
         06.12.2026;105;301234567;Mebel Savdo MChJ;Avans;;1 000,00\n\
         31.02.2026;106;301234567;Mebel Savdo MChJ;X;;5,00\n",
        small["number"].as_str().unwrap()
    );

    // Who keeps the money uploads it, naming the account.
    assert_eq!(upload(&app, m, &format!("kind=payments&account_id={bank}"), &csv).await.status, 403);
    let r = upload(&app, &acc, "kind=payments", &csv).await;
    assert!(r.status == 422 && field_has(&r, "account_id"), "{}", r.body);
    let up = upload(&app, &acc, &format!("kind=payments&account_id={bank}"), &csv).await;
    assert_eq!(up.status, 201, "{}", up.body);
    let up = up.json();
    let id = up["id"].as_i64().unwrap();
    assert_eq!(up["mapping"], json!(["date", "doc_no", "tax_id", "payer", "purpose", "debit", "credit"]), "{up}");
    // The review: whom each line goes to, or why not.
    let preview = app.get_json(&acc, &format!("/api/v1/imports/{id}/preview")).await;
    let row = |i: usize| &preview[i];
    let small_no = small["number"].as_str().unwrap();
    assert_eq!(row(0)["matched"].as_str(), Some(format!("Mebel Savdo · {small_no}").as_str()), "{preview}");
    assert_eq!(
        row(1)["matched"].as_str(),
        Some(format!("Oshxona Jihozlari · {}", other_inv["number"].as_str().unwrap()).as_str())
    );
    assert_eq!(row(2)["matched"].as_str(), Some("Elektr ta'minoti"));
    assert_eq!(row(3)["errors"][0]["code"], "unknown_payer", "{preview}");
    assert_eq!(row(4)["matched"].as_str(), Some("Mebel Savdo"));
    assert_eq!(row(5)["errors"][0]["field"], "date", "{preview}");

    let done = run(&app, &acc, id).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(
        (done["created"].as_i64(), done["failed"].as_i64(), done["skipped"].as_i64()),
        (Some(4), Some(2), Some(0)),
        "{done}"
    );
    // The purpose's invoice is paid first, the amount found the other customer's; the advance line paid the
    // oldest; money out went to the payee named.
    let paid = |inv: &Value| {
        let (app, m, id) = (&app, m.clone(), inv["id"].as_i64().unwrap());
        async move { app.get_json(&m, &format!("/api/v1/invoices/{id}")).await["paid"].as_str().unwrap().to_string() }
    };
    assert_eq!(
        (paid(&small).await, paid(&other_inv).await, paid(&big).await),
        ("1008".into(), "672".into(), "1000".into())
    );
    let out = app.get_json(&acc, &format!("/api/v1/payments?account_id={bank}&direction=out")).await;
    assert_eq!(out["items"].as_array().unwrap().len(), 1, "{out}");
    assert_eq!(
        (out["items"][0]["payer"].as_str(), out["items"][0]["amount"].as_str()),
        (Some("Elektr ta'minoti"), Some("150000")),
        "{out}"
    );
    let errors = app.api("GET", &format!("/api/v1/imports/{id}/errors?format=csv"), Some(&acc), None).await;
    assert!(errors.body.contains("999999999") && errors.body.contains("31.02.2026"), "{}", errors.body);

    // The same statement again: everything already recorded is skipped, nothing posted twice.
    let again = upload(&app, &acc, &format!("kind=payments&account_id={bank}"), &csv).await.json();
    let again_id = again["id"].as_i64().unwrap();
    let preview = app.get_json(&acc, &format!("/api/v1/imports/{again_id}/preview")).await;
    assert!(preview[0]["duplicate_of"].as_str().is_some_and(|d| d.starts_with('#')), "{preview}");
    let done = run(&app, &acc, again_id).await;
    assert_eq!((done["created"].as_i64(), done["skipped"].as_i64()), (Some(0), Some(4)), "{done}");
    assert_eq!(paid(&big).await, "1000");

    // A mapping without any amount is refused.
    let mapping = json!({"mapping": ["date", "doc_no", "tax_id", "payer", "purpose", "", ""], "on_duplicate": "skip"});
    let third = upload(&app, &acc, &format!("kind=payments&account_id={bank}"), &csv).await.json();
    let r = app.api("PUT", &format!("/api/v1/imports/{}/mapping", third["id"]), Some(&acc), Some(mapping)).await;
    assert!(r.status == 422 && field_has(&r, "mapping"), "{}", r.body);
}
both_apps!(bank_statement_import, statement);

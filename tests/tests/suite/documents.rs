//! Documents from templates on both databases: an order's commercial offer and contract, an invoice, its act
//! and a reconciliation act printed to PDF
//! by the embedded Typst (read back with pdftotext: the parties, the lines, the total in words in Russian and
//! Uzbek); a template an administrator edits, refused with the line of what is wrong, saved over its
//! version, reset; the company's stamp shown; a document filed on the timeline and e-mailed with the PDF
//! attached through the real SMTP server.

use app::core::identity::Role;
use serde_json::json;
use tests::mailserver::{MailServers, install_mail_key};
use tests::{TestApp, both_apps};

use super::orders::{field_has, post, sales};

/// A 1×1 PNG, the company's stamp.
const STAMP: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D,
    0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// pdftotext lays text out in columns: compare with runs of spaces as one.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn documents(app: TestApp) {
    install_mail_key();
    let s = sales(&app).await;
    let m = &s.manager;
    let (_, acc) = app.user_token("buxgalter@karvon.uz", Role::Accountant, None).await;
    let details = json!({"name": "Karvon Savdo MChJ", "tax_id": "302123456", "address": "Toshkent, Amir Temur 1",
        "oked": "46900", "vat_reg_code": "326010012345", "director": "Aliyev Anvar", "accountant": "Karimova Dilnoza"});
    assert_eq!(app.api("PUT", "/api/v1/company-details", Some(&s.admin), Some(details)).await.status, 200);
    let cp = post(
        &app,
        m,
        &format!("/api/v1/customers/{}/counterparties", s.customer),
        json!({"legal_name": "Mebel Savdo MChJ", "tax_id": "301234567", "director": "Qodirov Jasur"}),
    )
    .await
    .json();
    let r = post(
        &app,
        m,
        "/api/v1/invoices",
        json!({"customer_id": s.customer, "counterparty_id": cp["id"],
        "invoice_date": "2026-12-04", "contract_no": "12/2026", "lines": [{"product_id": s.chair, "qty": "12"}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let inv = r.json();
    let (iid, number) = (inv["id"].as_i64().unwrap(), inv["number"].as_str().unwrap().to_string());

    // The invoice in Russian: the parties, the line, the totals and the total in words.
    let r = app.api("GET", &format!("/api/v1/invoices/{iid}/document?lang=ru"), Some(m), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.headers["content-type"], "application/pdf");
    assert!(r.headers["content-disposition"].to_str().unwrap().contains(&format!("{number}.pdf")));
    let text = squeeze(&r.pdf_text());
    for want in [
        format!("Счёт-фактура № {number}"),
        "Договор № 12/2026".into(),
        "Karvon Savdo MChJ".into(),
        "Mebel Savdo MChJ".into(),
        "ИНН: 301234567".into(),
        "3 600,00".into(),
        "432,00".into(),
        "4 032,00".into(),
        "Четыре тысячи тридцать два сума 00 тийинов".into(),
        "Aliyev Anvar".into(),
    ] {
        assert!(text.contains(&want), "{want:?} is not in:\n{text}");
    }
    // The act of work done in Uzbek, with the letters of the Uzbek alphabet.
    let r = app.api("GET", &format!("/api/v1/invoices/{iid}/document?kind=act&lang=uz"), Some(&acc), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let text = squeeze(&r.pdf_text());
    for want in ["Bajarilgan ishlar dalolatnomasi", "Toʻrt ming oʻttiz ikki soʻm 00 tiyin", "Buyurtmachi"] {
        assert!(text.contains(want), "{want:?} is not in:\n{text}");
    }
    // Someone else's invoice, a storekeeper, a reconciliation kind on an invoice: refused.
    assert_eq!(app.api("GET", &format!("/api/v1/invoices/{iid}/document"), Some(&s.other), None).await.status, 403);
    assert_eq!(app.api("GET", &format!("/api/v1/invoices/{iid}/document"), Some(&s.keeper), None).await.status, 403);
    let r = app.api("GET", &format!("/api/v1/invoices/{iid}/document?kind=reconciliation"), Some(m), None).await;
    assert!(r.status == 422 && field_has(&r, "kind"), "{}", r.body);

    // The reconciliation act: the invoice (debit), a payment of 1,000 (credit), the balance in words.
    let bank = post(&app, &acc, "/api/v1/money-accounts", json!({"name": "Bank", "kind": "bank"})).await.json();
    let p = post(
        &app,
        &acc,
        "/api/v1/payments",
        json!({"account_id": bank["id"], "customer_id": s.customer,
        "amount": "1000", "pay_date": "2026-12-05", "doc_no": "77"}),
    )
    .await;
    assert_eq!(p.status, 201, "{}", p.body);
    let recon = format!("/api/v1/customers/{}/reconciliation?from=2026-12-01&to=2026-12-31&lang=ru", s.customer);
    let r = app.api("GET", &recon, Some(&acc), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let text = squeeze(&r.pdf_text());
    for want in [
        "Акт сверки взаимных расчётов".to_string(),
        format!("Счёт-фактура № {number} 4 032,00"),
        "Оплата № 77 1 000,00".into(),
        "Сальдо на конец периода 3 032,00".into(),
        "Три тысячи тридцать два сума 00 тийинов".into(),
    ] {
        assert!(text.contains(&want), "{want:?} is not in:\n{text}");
    }
    // The period after it: the whole debt is the opening balance; a reversed period is refused.
    let later = format!("/api/v1/customers/{}/reconciliation?from=2027-01-01&to=2027-01-31&lang=en", s.customer);
    let text = squeeze(&app.api("GET", &later, Some(m), None).await.pdf_text());
    assert!(text.contains("Opening balance 3,032.00"), "{text}");
    let bad = format!("/api/v1/customers/{}/reconciliation?from=2027-02-01&to=2027-01-31", s.customer);
    let r = app.api("GET", &bad, Some(m), None).await;
    assert!(r.status == 422 && field_has(&r, "to"), "{}", r.body);

    // Templates: administrators only; checked with the line of what is wrong; saved over their version.
    let tpl = "/api/v1/document-templates/invoice/ru";
    assert_eq!(app.api("GET", tpl, Some(m), None).await.status, 403);
    let built_in = app.get_json(&s.admin, tpl).await;
    assert_eq!((built_in["custom"].as_bool(), built_in["version"].as_i64()), (Some(false), Some(0)));
    let put = |body: &str, version: i64| {
        let (app, admin, body) = (&app, s.admin.clone(), body.to_string());
        async move { app.api("PUT", tpl, Some(&admin), Some(json!({"body": body, "version": version}))).await }
    };
    let r = put("<h1>Счёт {{ doc.number }}</h1>\n<p>{{ buyer.nmae }}</p>", 0).await;
    assert!(r.status == 422 && field_has(&r, "body.2"), "{}", r.body);
    let r = put("<p>ok</p>\n\n<script>alert(1)</script>", 0).await;
    assert!(r.status == 422 && field_has(&r, "body.3") && !field_has(&r, "body.1"), "{}", r.body);
    let r = put("<p onclick=\"x()\">{% for l in lines %}</p>", 0).await;
    assert!(r.status == 422 && field_has(&r, "body.1"), "{}", r.body);
    let mine = "<h1 class=\"center\">СЧЁТ {{ doc.number }}</h1>\n<p>{{ buyer.name }}: {{ totals.words }}</p>\n\
                <table>{% for l in lines %}<tr><td>{{ l.name }}</td><td class=\"right\">{{ l.total }}</td></tr>{% endfor %}</table>\n\
                <img src=\"stamp\" width=\"3cm\">";
    let r = put(mine, 0).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.json()["custom"].as_bool(), r.json()["version"].as_i64()), (Some(true), Some(1)));
    assert_eq!(put(mine, 0).await.status, 409, "a second save over the built-in one");
    // The stamp: PNG or JPEG only; then the saved template prints with it.
    let img = "/api/v1/company-images/stamp";
    let r = app.api_with("PUT", img, Some(&s.admin), None, &[]).await;
    assert!(r.status == 422 && field_has(&r, "file"), "{}", r.body);
    let put_img = http::Request::builder()
        .method("PUT")
        .uri(img)
        .header("authorization", format!("Bearer {}", s.admin))
        .header("content-type", "image/png")
        .header("x-forwarded-for", "10.0.0.1")
        .body(axum::body::Body::from(STAMP.to_vec()))
        .unwrap();
    assert_eq!(app.send(put_img).await.status, 204);
    // A PNG that does not decode is refused at the upload, not at every print after it.
    let mut broken = STAMP.to_vec();
    broken[40] ^= 0xFF;
    let put_broken = http::Request::builder()
        .method("PUT")
        .uri(img)
        .header("authorization", format!("Bearer {}", s.admin))
        .header("x-forwarded-for", "10.0.0.1")
        .body(axum::body::Body::from(broken))
        .unwrap();
    let r = app.send(put_broken).await;
    assert!(r.status == 422 && field_has(&r, "file"), "{}", r.body);
    let r = app.api("GET", img, Some(m), None).await;
    assert_eq!((r.status.as_u16(), r.bytes.as_slice()), (200, STAMP));
    let r = app.api("GET", &format!("/api/v1/invoices/{iid}/document?lang=ru"), Some(m), None).await;
    let text = squeeze(&r.pdf_text());
    assert!(text.contains(&format!("СЧЁТ {number}")) && text.contains("Mebel Savdo MChJ: Четыре тысячи"), "{text}");
    assert!(!text.contains("Договор"), "the built-in template no longer prints: {text}");
    assert!(r.bytes.windows(8).any(|w| w == b"/Subtype") && r.bytes.windows(6).any(|w| w == b"/Image"), "the stamp");
    // The other languages keep the built-in template; a reset brings it back here too.
    let r = app.api("DELETE", tpl, Some(&s.admin), None).await;
    assert_eq!(r.json()["custom"].as_bool(), Some(false));
    let text =
        squeeze(&app.api("GET", &format!("/api/v1/invoices/{iid}/document?lang=ru"), Some(m), None).await.pdf_text());
    assert!(text.contains("Договор № 12/2026"), "{text}");

    // Filed on the timeline and e-mailed in one step, the PDF attached to both.
    let servers = MailServers::start(&[("alice", "alice-pw")]);
    let mb = post(
        &app,
        m,
        "/api/v1/mailboxes",
        json!({
        "address": "alice@mail.test", "password": "alice-pw",
        "imap_host": "127.0.0.1", "imap_port": servers.imap_port, "imap_security": "none",
        "smtp_host": "127.0.0.1", "smtp_port": servers.smtp_port, "smtp_security": "none"}),
    )
    .await;
    assert_eq!(mb.status, 201, "{}", mb.body);
    let mb = mb.json()["id"].as_i64().unwrap();
    let r = post(
        &app,
        m,
        "/api/v1/documents",
        json!({"kind": "invoice", "invoice_id": iid, "lang": "uz",
        "email": {"mailbox_id": mb, "to": "not an address", "subject": "Hisob-faktura"}}),
    )
    .await;
    assert!(r.status == 422 && field_has(&r, "email.to"), "{}", r.body);
    assert!(servers.spool().is_empty());
    let r = post(
        &app,
        m,
        "/api/v1/documents",
        json!({"kind": "invoice", "invoice_id": iid, "lang": "uz",
        "email": {"mailbox_id": mb, "to": "buyer@mebel.uz", "subject": "Hisob-faktura", "body": "Ilova qilindi."}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let filed = r.json();
    assert!(filed["message_id"].as_i64().is_some());
    let file = app.api("GET", &format!("/api/v1/attachments/{}", filed["attachment_id"]), Some(m), None).await;
    assert!(squeeze(&file.pdf_text()).contains("Toʻrt ming oʻttiz ikki soʻm 00 tiyin"));
    let notes = app.get_json(m, &format!("/api/v1/interactions?customer_id={}&kind=note", s.customer)).await;
    let note = &notes["items"][0];
    assert_eq!(note["attachments"][0]["file_name"], format!("{number}.pdf"), "{notes}");
    let spool = servers.spool();
    assert_eq!(spool.len(), 1);
    assert_eq!(spool[0].0, ["buyer@mebel.uz"]);
    let raw = &spool[0].1;
    assert!(
        raw.contains("multipart/mixed") && raw.contains("application/pdf") && raw.contains(&format!("{number}.pdf")),
        "{raw}"
    );
    let sent = app.get_json(m, &format!("/api/v1/messages/{}", filed["message_id"])).await;
    assert_eq!(sent["attachments"][0]["file_name"], format!("{number}.pdf"), "{sent}");
    // Filed without e-mail: only the note; someone else's invoice is not filed.
    let r = post(&app, &acc, "/api/v1/documents", json!({"kind": "act", "invoice_id": iid})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["message_id"], serde_json::Value::Null);
    assert_eq!(post(&app, &s.other, "/api/v1/documents", json!({"kind": "act", "invoice_id": iid})).await.status, 403);
}
both_apps!(documents_from_templates, documents);

/// An order's commercial offer and supply contract: printed from a draft, with its lines and total in words;
/// whoever may not see the order's money is refused; filed on the timeline.
async fn order_documents(app: TestApp) {
    let s = sales(&app).await;
    let m = &s.manager;
    let details = json!({"name": "Karvon Savdo MChJ", "tax_id": "302123456", "director": "Aliyev Anvar"});
    assert_eq!(app.api("PUT", "/api/v1/company-details", Some(&s.admin), Some(details)).await.status, 200);
    let r = post(
        &app,
        m,
        "/api/v1/orders",
        json!({"customer_id": s.customer, "lines": [{"product_id": s.chair, "qty": "12"}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let (oid, number) = (r.json()["id"].as_i64().unwrap(), r.json()["number"].as_str().unwrap().to_string());
    let doc = |kind: &str, lang: &str| format!("/api/v1/orders/{oid}/document?kind={kind}&lang={lang}");

    let r = app.api("GET", &format!("/api/v1/orders/{oid}/document?lang=ru"), Some(m), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.headers["content-disposition"].to_str().unwrap().contains(&format!("taklif-{number}.pdf")));
    let text = squeeze(&r.pdf_text());
    for want in [
        format!("Коммерческое предложение № {number}"),
        "Karvon Savdo MChJ предлагает вам".into(),
        "4 032,00".into(),
        "Четыре тысячи тридцать два сума 00 тийинов".into(),
    ] {
        assert!(text.contains(&want), "{want:?} is not in:\n{text}");
    }
    let text = squeeze(&app.api("GET", &doc("contract", "uz"), Some(m), None).await.pdf_text());
    for want in [
        format!("Yetkazib berish shartnomasi № {number}"),
        "Shartnomaning umumiy summasi 4 032,00 UZS (Toʻrt ming oʻttiz ikki soʻm 00 tiyin)".into(),
        "Spetsifikatsiya".into(),
        "Aliyev Anvar".into(),
    ] {
        assert!(text.contains(&want), "{want:?} is not in:\n{text}");
    }
    // An invoice's kind on an order, another manager, a storekeeper: refused.
    let r = app.api("GET", &doc("act", "ru"), Some(m), None).await;
    assert!(r.status == 422 && field_has(&r, "kind"), "{}", r.body);
    assert_eq!(app.api("GET", &doc("offer", "ru"), Some(&s.other), None).await.status, 403);
    assert_eq!(app.api("GET", &doc("offer", "ru"), Some(&s.keeper), None).await.status, 403);

    let r = post(&app, m, "/api/v1/documents", json!({"kind": "contract", "order_id": oid, "lang": "en"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["file_name"], format!("shartnoma-{number}.pdf"));
    let file = app.api("GET", &format!("/api/v1/attachments/{}", r.json()["attachment_id"]), Some(m), None).await;
    assert!(squeeze(&file.pdf_text()).contains(&format!("Supply contract № {number}")));
    let r = post(&app, m, "/api/v1/documents", json!({"kind": "offer", "order_id": oid, "invoice_id": 1})).await;
    assert!(r.status == 422 && field_has(&r, "invoice_id"), "{}", r.body);
}
both_apps!(order_documents_from_templates, order_documents);

//! Import and export: CSV (UTF-8 and Windows-1251) and Excel files, mapping guessed and remembered, preview
//! with per-row errors, the background run with progress, duplicates skipped or updated, re-import creating
//! nothing twice, failed rows downloadable, exports with formulas neutralised. Both databases.

use std::time::Duration;

use app::auth::store as auth_store;
use app::core::ErrCode;
use app::core::db::Db;
use app::core::identity::{CurrentUser, Role};
use app::custom_fields::{NewCustomField, service as fields};
use app::customers::{NewCustomer, service as customers};
use app::imports::{Import, ImportKind, ImportStatus, export, file, service};
use serde_json::json;
use tests::{TestApp, both_apps, both_backends, make_user};

async fn user(db: &Db, email: &str, role: Role) -> CurrentUser {
    auth_store::load_user(db, make_user(db, email, role, None).await).await.unwrap().unwrap()
}

/// Waits for a run to end.
async fn finished(db: &Db, u: &CurrentUser, id: i64) -> Import {
    for _ in 0..600 {
        let i = service::get(db, u, id).await.unwrap();
        if !matches!(i.status, ImportStatus::Running | ImportStatus::Uploaded) {
            return i;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("import {id} did not finish");
}

const FILE: &str = "Nomi;Telefon;E-mail;Bosqich;Teglar;Region;Izoh\n\
Alfa Savdo MChJ;+998 90 111 22 33;info@alfa.uz;Doimiy;vip, opt;Toshkent;\n\
Beta LLC;90 222 33 44;;potential;;Samarqand;\n\
=HYPERLINK(\"http://evil\");;;;;;\n\
Gamma;12;not-an-email;gold;;Paris;\n\
ALFA SAVDO;;;;;;in-file duplicate\n\
Delta XK;;delta@d.uz;;;;;extra\n\
Mavjud MChJ;;;;;;already there\n";

async fn import_customers(db: Db) {
    let admin = user(&db, "a@k.uz", Role::Admin).await;
    let m = user(&db, "m@k.uz", Role::Manager).await;
    let region = NewCustomField {
        label: "Region".into(),
        kind: "choice".into(),
        options: Some(vec!["Toshkent".into(), "Samarqand".into()]),
        ..Default::default()
    };
    fields::create(&db, &admin, &region).await.unwrap();
    customers::create(&db, &m, &NewCustomer { name: "Mavjud".into(), ..Default::default() }).await.unwrap();

    let up = service::upload(&db, &m, ImportKind::Customers, "mijozlar.csv", FILE.as_bytes()).await.unwrap();
    assert_eq!(up.total_rows, 7);
    assert_eq!(up.mapping, ["name", "phone", "email", "stage", "tags", "custom.region", "notes"]);
    let (_, preview) = service::preview(&db, &m, up.id).await.unwrap();
    assert!(preview[0].errors.is_empty(), "{:?}", preview[0].errors);
    let codes =
        |i: usize, f: &str| preview[i].errors.iter().filter(|e| e.field == f).map(|e| e.code).collect::<Vec<_>>();
    assert_eq!(codes(2, "name"), [ErrCode::FormulaNotAllowed]);
    assert_eq!(codes(3, "phone"), [ErrCode::InvalidPhone]);
    assert_eq!(codes(3, "email"), [ErrCode::InvalidEmail]);
    assert_eq!(codes(3, "stage"), [ErrCode::InvalidChoice]);
    assert_eq!(codes(3, "custom.region"), [ErrCode::InvalidChoice]);
    assert_eq!(codes(5, "row"), [ErrCode::RaggedRow]);
    assert_eq!(preview[6].duplicate_of.as_deref(), Some("Mavjud"));

    // A mapping without the name is refused; the mapping is remembered for the next file like it.
    let mut no_name = up.mapping.clone();
    no_name[0] = String::new();
    let err = service::set_mapping(&db, &m, up.id, &no_name, "skip").await.unwrap_err();
    assert_eq!(err.field_codes("mapping"), [ErrCode::NameNotMapped]);
    let mut mapping = up.mapping.clone();
    mapping[6] = String::new();
    service::set_mapping(&db, &m, up.id, &mapping, "skip").await.unwrap();
    let started = service::start(&db, &m, up.id).await.unwrap();
    assert_eq!(started.status, ImportStatus::Running);
    assert!(service::start(&db, &m, up.id).await.is_err(), "a run starts once");
    let done = finished(&db, &m, up.id).await;
    assert_eq!(done.status, ImportStatus::Done, "{:?}", done.error);
    assert_eq!((done.processed, done.created, done.skipped, done.failed), (7, 2, 2, 3));
    let failed = app::imports::store::errors(&db, up.id).await.unwrap();
    assert_eq!(failed.iter().map(|f| f.row_no).collect::<Vec<_>>(), [4, 5, 7]);
    assert_eq!(failed[0].raw[0], "=HYPERLINK(\"http://evil\")");

    let q = app::customers::store::ListQuery { q: Some("alfa".into()), limit: 10, ..Default::default() };
    let alfa = customers::list_full(&db, &m, &q).await.unwrap().items.remove(0);
    assert_eq!(alfa.phone.as_deref(), Some("+998901112233"));
    assert_eq!(alfa.stage, app::customers::CustomerStage::Regular, "stage given by its Uzbek name");
    assert_eq!(alfa.tags, ["vip", "opt"]);
    assert_eq!(alfa.custom["region"], json!("Toshkent"));
    let timeline = customers::timeline(&db, &m, alfa.id, None, 5).await.unwrap();
    assert!(timeline.items[0].changes.iter().any(|c| c.field == "import"));

    // The same file again creates nothing twice; with "update" the file's values win.
    let again = service::upload(&db, &m, ImportKind::Customers, "mijozlar.csv", FILE.as_bytes()).await.unwrap();
    assert_eq!(again.mapping, mapping, "the mapping is remembered");
    service::set_mapping(&db, &m, again.id, &mapping, "skip").await.unwrap();
    service::start(&db, &m, again.id).await.unwrap();
    let again = finished(&db, &m, again.id).await;
    assert_eq!((again.created, again.skipped, again.failed), (0, 4, 3));
    let changed = FILE.replace("Doimiy", "Yo'qotilgan");
    let update = service::upload(&db, &m, ImportKind::Customers, "mijozlar2.csv", changed.as_bytes()).await.unwrap();
    service::set_mapping(&db, &m, update.id, &mapping, "update").await.unwrap();
    service::start(&db, &m, update.id).await.unwrap();
    let update = finished(&db, &m, update.id).await;
    assert_eq!((update.created, update.updated), (0, 3), "{update:?}");
    let alfa = customers::get(&db, &m, alfa.id).await.unwrap();
    assert_eq!(alfa.stage, app::customers::CustomerStage::Lost);

    // Windows-1251 and Excel files; broken ones get a clear refusal.
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Наименование,Телефон\nООО Ромашка,+998 93 444 55 66\n");
    let ru = service::upload(&db, &m, ImportKind::Customers, "old.csv", &cp1251).await.unwrap();
    assert_eq!(
        (ru.encoding.as_deref(), ru.mapping.as_slice()),
        (Some("windows-1251"), ["name", "phone"].map(String::from).as_slice())
    );
    service::start(&db, &m, ru.id).await.unwrap();
    assert_eq!(finished(&db, &m, ru.id).await.created, 1);
    let broken = service::upload(&db, &m, ImportKind::Customers, "x.xlsx", b"PK\x03\x04garbage").await.unwrap_err();
    assert_eq!(broken.field_codes("file"), [ErrCode::UnreadableFile]);
    // A legacy .xls as 1C writes it (Windows-1251 text, dates, a table that starts in the second column):
    // read like an .xlsx and imported.
    let xls = include_bytes!("../../fixtures/legacy-1c.xls");
    let table = file::read("контрагенты.xls", xls).unwrap();
    assert_eq!(table.format, "xls");
    assert_eq!(table.headers, ["Наименование", "ИНН", "Телефон", "Дата договора", "Сумма"]);
    assert_eq!(table.rows[0], ["ООО «Ромашка»", "301234567", "+998 93 444 55 66", "2024-03-05", "1250000"]);
    assert_eq!(table.rows[1][0], "Qo'qon Yog' MChJ");
    assert_eq!(table.rows[1][4], "99.5");
    let legacy = service::upload(&db, &m, ImportKind::Customers, "контрагенты.xls", xls).await.unwrap();
    assert_eq!(&legacy.mapping[..3], ["name", "", "phone"].map(String::from).as_slice(), "{legacy:?}");
    service::start(&db, &m, legacy.id).await.unwrap();
    let legacy = finished(&db, &m, legacy.id).await;
    // «Ромашка» came in from the Windows-1251 file above: the same customer, skipped.
    assert_eq!((legacy.created, legacy.skipped), (1, 1), "{legacy:?}");
    let broken =
        service::upload(&db, &m, ImportKind::Customers, "x.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1junk").await;
    assert_eq!(broken.unwrap_err().field_codes("file"), [ErrCode::UnreadableFile]);

    // Export what a filter shows: CSV with formulas neutralised, and Excel read back.
    customers::create(&db, &m, &NewCustomer { name: "=1+2 Trading".into(), ..Default::default() }).await.unwrap();
    let all = app::customers::store::ListQuery::default();
    let csv = export::customers(&db, &m, &all, "csv", app::core::Lang::En).await.unwrap();
    let text = String::from_utf8(csv.bytes().await.unwrap()).unwrap();
    assert!(text.starts_with("\u{feff}ID,Name,"));
    assert!(text.contains("'=1+2 Trading"));
    assert!(text.contains("+998901112233"), "phones are not mangled");
    let xlsx = export::customers(&db, &m, &all, "xlsx", app::core::Lang::Ru).await.unwrap();
    let table = file::read("e.xlsx", &xlsx.bytes().await.unwrap()).unwrap();
    assert_eq!(table.headers[1], "Название");
    assert_eq!(table.rows.len(), 6, "Mavjud, Alfa, Beta, Romashka, Qo'qon from the .xls and the formula-named one");
    let seg = app::customers::store::ListQuery { q: Some("ромашка".into()), ..Default::default() };
    let only = export::customers(&db, &m, &seg, "csv", app::core::Lang::En).await.unwrap();
    assert_eq!(String::from_utf8(only.bytes().await.unwrap()).unwrap().lines().count(), 2);
}
both_backends!(customer_import_export, import_customers);

/// Runs a file through upload, the guessed mapping and the background run.
async fn import_file(db: &Db, u: &CurrentUser, kind: ImportKind, text: &str, on_duplicate: &str) -> Import {
    let up = service::upload(db, u, kind, "f.csv", text.as_bytes()).await.unwrap();
    service::set_mapping(db, u, up.id, &up.mapping, on_duplicate).await.unwrap();
    service::start(db, u, up.id).await.unwrap();
    let done = finished(db, u, up.id).await;
    assert_eq!(done.status, ImportStatus::Done, "{:?}", done.error);
    done
}

const CONTACTS: &str = "Mijoz;FIO;Lavozim;Telefon;E-mail;Tug'ilgan kun\n\
Alfa Savdo;Aziz Karimov;Direktor;+998 90 700 11 22;aziz@alfa.uz;05.03.1980\n\
info@alfa.uz;Dilnoza;Buxgalter;;;\n\
#BETA;Sergey;Menejer;93 555 66 77, 93 555 66 78;;\n\
Omega;Olga;;;;\n\
Twin Co;Ivan;;;;\n\
Alfa Savdo;;;;;\n\
Beta;Aziz K.;;+998907001122;;\n\
ALFA SAVDO;dilnoza;;;;\n";

const COUNTERPARTIES: &str = "Mijoz;Yuridik nomi;STIR;QQS;MFO;Hisob raqami\n\
Alfa Savdo;Alfa Savdo MChJ;301234567;ha;00873;20208000905123456001\n\
Alfa Savdo;Alfa Savdo MChJ;301234567;ha;00444;20208000905123456002\n\
Beta;Beta XK;12345;;;\n\
Beta;Beta XK;302222222;balki;;\n\
Omega;Omega MChJ;303333333;;;\n\
Beta;Beta Group;304444444;yo'q;;\n";

async fn import_contacts_and_counterparties(db: Db) {
    let m = user(&db, "m@k.uz", Role::Manager).await;
    let o = user(&db, "o@k.uz", Role::Manager).await;
    let new = |name: &str, phone: Option<&str>, email: Option<&str>| NewCustomer {
        name: name.into(),
        phone: phone.map(Into::into),
        email: email.map(Into::into),
        ..Default::default()
    };
    let alfa =
        customers::create(&db, &m, &new("Alfa Savdo", Some("+998901112233"), Some("info@alfa.uz"))).await.unwrap();
    let beta = customers::create(&db, &m, &new("Beta", None, None)).await.unwrap();
    customers::create(&db, &o, &new("Omega", None, None)).await.unwrap();
    customers::create(&db, &m, &new("Twin Co", None, None)).await.unwrap();
    customers::create(&db, &m, &new("Twin Co.", None, None)).await.unwrap();

    // Contacts: the customer named by name, e-mail or number; another manager's customer, a name two
    // customers share and a missing name fail; repeats in the file (by phone, by name at the customer) skip.
    let text = CONTACTS.replace("BETA", &beta.id.to_string());
    let up = service::upload(&db, &m, ImportKind::Contacts, "c.csv", text.as_bytes()).await.unwrap();
    assert_eq!(up.mapping, ["customer", "name", "position", "phone", "email", "birthday"]);
    let (_, preview) = service::preview(&db, &m, up.id).await.unwrap();
    let codes = |i: usize| preview[i].errors.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>();
    assert_eq!(codes(3), [("customer", ErrCode::CustomerNotFound)]);
    assert_eq!(codes(4), [("customer", ErrCode::CustomerAmbiguous)]);
    assert_eq!(codes(5), [("name", ErrCode::Required)]);
    let mut no_customer = up.mapping.clone();
    no_customer[0] = String::new();
    let err = service::set_mapping(&db, &m, up.id, &no_customer, "skip").await.unwrap_err();
    assert_eq!(err.field_codes("mapping"), [ErrCode::CustomerNotMapped]);
    let done = import_file(&db, &m, ImportKind::Contacts, &text, "skip").await;
    assert_eq!((done.created, done.skipped, done.failed), (3, 2, 3), "{done:?}");
    let at_alfa = app::contacts::service::list_for_customer(&db, &m, alfa.id).await.unwrap();
    let aziz = at_alfa.iter().find(|c| c.name == "Aziz Karimov").unwrap();
    assert_eq!(
        (aziz.phones.as_slice(), aziz.birthday.as_deref()),
        (["+998907001122".to_string()].as_slice(), Some("1980-03-05"))
    );
    let at_beta = app::contacts::service::list_for_customer(&db, &m, beta.id).await.unwrap();
    assert_eq!(at_beta[0].phones.len(), 2, "two phones in one cell");
    let found = app::customers::search::quick(&db, m.scope(), "sergey", 5).await.unwrap();
    assert_eq!(found.first().map(|f| f.id), Some(beta.id), "imported contacts are searchable");
    let timeline = customers::timeline(&db, &m, alfa.id, None, 5).await.unwrap();
    assert!(timeline.items.iter().any(|t| t.entity == "contact" && t.changes.iter().any(|c| c.field == "import")));
    let again = import_file(&db, &m, ImportKind::Contacts, &text, "skip").await;
    assert_eq!((again.created, again.skipped, again.failed), (0, 5, 3), "nothing twice");
    let update = import_file(&db, &m, ImportKind::Contacts, &text.replace("Direktor", "Bosh direktor"), "update").await;
    assert_eq!((update.created, update.updated, update.failed), (0, 5, 3), "{update:?}");
    let aziz = app::contacts::service::get(&db, &m, aziz.id).await.unwrap();
    assert_eq!(aziz.customers.len(), 2, "linked to the second customer its phone appeared at");

    // Counterparties: one row per bank account adds accounts to the first; bad taxpayer ids, yes/no values
    // and other managers' customers fail.
    let up = service::upload(&db, &m, ImportKind::Counterparties, "k.csv", COUNTERPARTIES.as_bytes()).await.unwrap();
    assert_eq!(up.mapping, ["customer", "legal_name", "tax_id", "vat_payer", "bank_code", "account"]);
    let done = import_file(&db, &m, ImportKind::Counterparties, COUNTERPARTIES, "skip").await;
    assert_eq!((done.created, done.updated, done.failed), (2, 1, 3), "{done:?}");
    let failed = app::imports::store::errors(&db, done.id).await.unwrap();
    let codes: Vec<_> = failed.iter().flat_map(|f| f.errors.iter().map(|e| (e.field.as_str(), e.code))).collect();
    assert_eq!(
        codes,
        [
            ("tax_id", ErrCode::InvalidTaxId),
            ("vat_payer", ErrCode::InvalidChoice),
            ("customer", ErrCode::CustomerNotFound)
        ]
    );
    let cps = app::counterparties::service::list_for_customer(&db, &m, alfa.id).await.unwrap().current;
    assert_eq!((cps.len(), cps[0].bank_accounts.len(), cps[0].vat_payer), (1, 2, true));
    let again = import_file(&db, &m, ImportKind::Counterparties, COUNTERPARTIES, "skip").await;
    assert_eq!((again.created, again.updated, again.skipped), (0, 0, 3), "nothing twice");
    let renamed = COUNTERPARTIES.replace("Beta Group", "Beta Group MChJ");
    let update = import_file(&db, &m, ImportKind::Counterparties, &renamed, "update").await;
    assert_eq!((update.created, update.updated), (0, 3), "{update:?}");
    let beta_cps = app::counterparties::service::list_for_customer(&db, &m, beta.id).await.unwrap().current;
    assert_eq!(beta_cps[0].legal_name, "Beta Group MChJ");
}
both_backends!(contact_and_counterparty_import, import_contacts_and_counterparties);

async fn over_http(app: TestApp) {
    let (_, token) = app.user_token("m@k.uz", Role::Manager, None).await;
    let (_, other) = app.user_token("o@k.uz", Role::Manager, None).await;
    let csv = "Name,Manager\nOlma,m@k.uz\nNok,o@k.uz\n";
    let req = axum::http::Request::post("/api/v1/imports?file_name=a.csv")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::from(csv))
        .unwrap();
    let up = app.send(req).await;
    assert_eq!(up.status, 201, "{}", up.body);
    let id = up.json()["id"].as_i64().unwrap();
    assert_eq!(up.json()["mapping"], json!(["name", "manager"]));
    assert_eq!(app.api("GET", &format!("/api/v1/imports/{id}"), Some(&other), None).await.status, 404);
    let preview = app.api("GET", &format!("/api/v1/imports/{id}/preview"), Some(&token), None).await;
    assert_eq!(preview.json()[1]["errors"][0]["field"], "manager", "a manager imports only for themselves");
    let bad = app
        .api("PUT", &format!("/api/v1/imports/{id}/mapping"), Some(&token), Some(json!({"mapping": ["colour", ""]})))
        .await;
    assert_eq!(bad.status, 422);
    let start = app.api("POST", &format!("/api/v1/imports/{id}/start"), Some(&token), None).await;
    assert_eq!(start.status, 202, "{}", start.body);
    let mut status = json!(null);
    for _ in 0..200 {
        status = app.api("GET", &format!("/api/v1/imports/{id}"), Some(&token), None).await.json();
        if status["status"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!((status["created"].clone(), status["failed"].clone()), (json!(1), json!(1)), "{status}");
    let errors = app.api("GET", &format!("/api/v1/imports/{id}/errors?format=csv"), Some(&token), None).await;
    assert_eq!(errors.status, 200);
    assert!(errors.body.contains("Nok,o@k.uz,") && errors.body.contains(" 3: manager: "), "{}", errors.body);
    let export = app.api("GET", "/api/v1/exports/customers?format=csv&q=olma", Some(&token), None).await;
    assert_eq!(export.status, 200);
    assert!(export.body.contains("Olma"));
    let bad_format = app.api("GET", "/api/v1/exports/customers?format=pdf", Some(&token), None).await;
    assert_eq!(bad_format.status, 422);
}
both_apps!(api_imports, over_http);

/// A run whose server died (here: its task aborted between batches, as `kill -9` would leave it) is taken
/// over once its lease lapses, by any live server, and finishes with every row counted exactly once, also
/// when its batches updated duplicates. A server that lost its lease commits nothing more.
async fn takeover_after_a_crash(db: Db) {
    use app::imports::store as imports;
    let m = user(&db, "m@k.uz", Role::Manager).await;
    for i in 0..40 {
        let c = NewCustomer {
            name: format!("Eski mijoz {i}"),
            phone: Some(format!("+99890100{i:04}")),
            ..Default::default()
        };
        customers::create(&db, &m, &c).await.unwrap();
    }
    // 2,000 rows; every 25th names a customer by phone: the first 40 of those exist (updated), the rest new.
    let mut text = String::from("Nomi;Telefon;Izoh\n");
    for i in 0..2000 {
        if i % 25 == 0 {
            text.push_str(&format!("Eski mijoz {};+99890100{:04};yangilandi\n", i / 25, i / 25));
        } else {
            text.push_str(&format!("Yangi mijoz {i};+99891{i:07};\n"));
        }
    }
    let up = service::upload(&db, &m, ImportKind::Customers, "big.csv", text.as_bytes()).await.unwrap();
    service::set_mapping(&db, &m, up.id, &up.mapping, "update").await.unwrap();
    let token = imports::claim(&db, up.id, 0).await.unwrap().expect("the first server's lease");
    let first = {
        let db = db.clone();
        tokio::spawn(async move { service::run(&db, up.id, &token).await })
    };
    // Let it commit a batch or two, then "kill" it.
    for _ in 0..400 {
        if service::get(&db, &m, up.id).await.unwrap().processed >= 500 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.abort();
    let _ = first.await;
    let left = service::get(&db, &m, up.id).await.unwrap();
    assert_eq!(left.status, ImportStatus::Running);
    assert!(left.processed > 0 && left.processed < 2000 && left.processed % 500 == 0, "{}", left.processed);
    // Nobody takes over while the heartbeat is fresh...
    assert_eq!(service::resume_stale(&db, app::core::now_millis() - service::STALE_MS).await.unwrap(), 0);
    // ...and once it lapses, a live server does.
    assert_eq!(service::resume_stale(&db, app::core::now_millis() + 1).await.unwrap(), 1);
    let done = finished(&db, &m, up.id).await;
    assert_eq!(done.status, ImportStatus::Done, "{:?}", done.error);
    assert_eq!((done.processed, done.created, done.updated, done.skipped, done.failed), (2000, 1960, 40, 0, 0));
    let count: i64 =
        app::db_run!(&db, p => sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(p).await).unwrap();
    assert_eq!(count, 40 + 1960, "every new row created once");

    // A server whose lease was taken over writes nothing more of the run.
    let up = service::upload(&db, &m, ImportKind::Customers, "again.csv", b"Nomi\nKeyin MChJ\n").await.unwrap();
    service::set_mapping(&db, &m, up.id, &up.mapping, "skip").await.unwrap();
    let old = imports::claim(&db, up.id, 0).await.unwrap().unwrap();
    let new = imports::claim(&db, up.id, app::core::now_millis() + 1).await.unwrap().expect("taken over");
    assert_ne!(old, new);
    assert!(service::run(&db, up.id, &old).await.is_err(), "the old lease cannot commit");
    assert_eq!(service::get(&db, &m, up.id).await.unwrap().processed, 0);
    service::run(&db, up.id, &new).await.unwrap();
    assert_eq!(service::get(&db, &m, up.id).await.unwrap().created, 1);
}
both_backends!(import_takeover, takeover_after_a_crash);

/// A file holding NUL characters (binary, or UTF-16 read as text) is refused whole with a 422 naming the
/// file, on both databases (PostgreSQL stores no NUL in text; API fuzzing posted one as a header cell).
async fn nul_in_a_file_is_refused(db: Db) {
    let u = user(&db, "nul-import@k.uz", Role::Manager).await;
    for bytes in [&b"name\x00;phone\nAli;+998901234567\n"[..], &b"name;phone\nA\x00li;+998901234567\n"[..]] {
        let err = service::upload(&db, &u, ImportKind::Customers, "nul.csv", bytes).await.unwrap_err();
        assert_eq!(err.field_codes("file"), vec![ErrCode::ControlCharacter]);
    }
    assert!(service::list(&db, &u).await.unwrap().is_empty(), "nothing kept");
}
both_backends!(nul_import, nul_in_a_file_is_refused);

/// A run that fails as a whole (here its stored file no longer reads) keeps the error itself, so the page
/// says it in the user's language; the API's `error` is its English text.
async fn a_failed_run_says_why_in_every_language(db: Db) {
    let u = user(&db, "m@k.uz", Role::Manager).await;
    let up = service::upload(&db, &u, ImportKind::Customers, "f.csv", FILE.as_bytes()).await.unwrap();
    service::set_mapping(&db, &u, up.id, &up.mapping, "skip").await.unwrap();
    app::db_run!(&db, p => sqlx::query("UPDATE imports SET file_name = 'f.xlsx', content = $1 WHERE id = $2")
        .bind(b"not a zip".to_vec()).bind(up.id).execute(p).await.map(|_| ()))
    .unwrap();
    service::start(&db, &u, up.id).await.unwrap();
    let done = finished(&db, &u, up.id).await;
    assert_eq!(done.status, ImportStatus::Failed);
    let failure = done.failure.expect("the error is kept");
    assert_eq!(failure.field_codes("file"), vec![ErrCode::UnreadableFile], "{failure:?}");
    assert_eq!(done.error.as_deref(), Some(ErrCode::UnreadableFile.msg().text(app::core::Lang::En)));
    assert_ne!(failure.explained(app::core::Lang::Ru), failure.explained(app::core::Lang::En));
}
both_backends!(failed_import, a_failed_run_says_why_in_every_language);

const CATALOG: &str = "Наименование;Артикул;Штрихкод;Группа;Ед. изм.;Доп. ед.;ИКПУ;Ставка НДС;Вес;Тип\n\
Stul ofis;ST-1;4780000000011;Mebel / Stullar;dona;quti=12;10101001001000000;12%;4,5;Товар\n\
Stol;ST-2;;Mebel;dona;;;;;\n\
Yetkazib berish;;;Xizmatlar;;;;Без НДС;;Услуга\n\
Stul ofis (nusxa);st-1;;;;;;;;\n\
Shkaf;SH-1;4780000000011;;;;;;;\n\
Yomon;B-1;;;;;123;15;og'ir;quti\n\
Mavjud tovar;M-1;;;;;;;;\n";

/// The catalog comes in from a 1C-style file: headers guessed in Russian, groups made from paths, units,
/// VAT and kinds read as written; duplicates by SKU (case ignored), barcode, or name when neither is given,
/// in the file and in the database; only those who keep the catalog import it. Then it goes out to CSV
/// and comes back creating nothing.
async fn import_export_catalog(db: Db) {
    let admin = user(&db, "a@k.uz", Role::Admin).await;
    let m = user(&db, "m@k.uz", Role::Manager).await;
    let existing = app::stock::ProductInput { name: "Mavjud".into(), sku: Some("m-1".into()), ..Default::default() };
    app::stock::service::create_product(&db, &admin, &existing).await.unwrap();
    let refused = service::upload(&db, &m, ImportKind::Products, "katalog.csv", CATALOG.as_bytes()).await;
    assert!(matches!(refused, Err(app::core::AppError::Forbidden)), "{refused:?}");

    let up = service::upload(&db, &admin, ImportKind::Products, "katalog.csv", CATALOG.as_bytes()).await.unwrap();
    let guessed = ["name", "sku", "barcode", "group", "unit", "units", "mxik", "vat", "weight", "kind"];
    assert_eq!(up.mapping, guessed);
    let (_, preview) = service::preview(&db, &admin, up.id).await.unwrap();
    assert!(preview[0].errors.is_empty(), "{:?}", preview[0].errors);
    let codes = |f: &str| preview[5].errors.iter().filter(|e| e.field == f).map(|e| e.code).collect::<Vec<_>>();
    assert_eq!(codes("mxik"), [ErrCode::InvalidMxik]);
    assert_eq!(codes("vat"), [ErrCode::InvalidChoice]);
    assert_eq!(codes("weight"), [ErrCode::NotANumber]);
    assert_eq!(codes("kind"), [ErrCode::InvalidChoice]);
    assert_eq!(preview[6].duplicate_of.as_deref(), Some("Mavjud"));
    service::set_mapping(&db, &admin, up.id, &up.mapping, "skip").await.unwrap();
    service::start(&db, &admin, up.id).await.unwrap();
    let done = finished(&db, &admin, up.id).await;
    assert_eq!(done.status, ImportStatus::Done, "{:?}", done.error);
    assert_eq!((done.created, done.updated, done.skipped, done.failed), (3, 0, 3, 1));

    let find = |q: &str| {
        let q = app::stock::store::ProductQuery { search: Some(q.into()), limit: 10, ..Default::default() };
        let db = db.clone();
        async move { app::stock::store::products(&db, &q).await.unwrap().items }
    };
    let chair = find("ST-1").await.remove(0);
    assert_eq!((chair.name.as_str(), chair.base_unit.as_str(), chair.vat.as_str()), ("Stul ofis", "dona", "12"));
    assert_eq!(chair.barcodes, ["4780000000011"]);
    assert_eq!(
        (chair.units[0].unit.as_str(), chair.units[0].factor.normalize().to_string()),
        ("quti", "12".to_string())
    );
    assert_eq!(chair.weight_kg.map(|w| w.normalize().to_string()), Some("4.5".to_string()));
    assert_eq!(chair.mxik.as_deref(), Some("10101001001000000"));
    let tree = app::stock::groups::Tree::load(&db).await.unwrap();
    let paths: Vec<&str> = tree.groups.iter().map(|g| g.path.as_str()).collect();
    assert_eq!(paths, ["Mebel", "Mebel / Stullar", "Xizmatlar"]);
    assert_eq!(tree.get(chair.group_id.unwrap()).unwrap().path, "Mebel / Stullar");
    let delivery = find("Yetkazib").await.remove(0);
    assert_eq!((delivery.kind, delivery.vat.as_str()), (app::stock::ProductKind::Service, "exempt"));

    // A second file updates what it names by SKU: the fields it gives (a product custom field's column
    // found by its label), the rest (group, barcodes) kept.
    let color = NewCustomField {
        entity: Some("product".into()),
        key: Some("rangi".into()),
        label: "Rangi".into(),
        kind: "text".into(),
        ..Default::default()
    };
    fields::create(&db, &admin, &color).await.unwrap();
    let update = "Артикул;Наименование;Вес;Штрихкод;Rangi\nst-1;Stul ofis (yangi);5;4780000000028;Qora\n";
    let done = import_file(&db, &admin, ImportKind::Products, update, "update").await;
    assert_eq!((done.created, done.updated), (0, 1));
    let chair = find("ST-1").await.remove(0);
    assert_eq!(
        (chair.name.as_str(), chair.weight_kg.map(|w| w.normalize().to_string())),
        ("Stul ofis (yangi)", Some("5".into()))
    );
    assert_eq!(chair.barcodes, ["4780000000011", "4780000000028"]);
    assert_eq!(tree.get(chair.group_id.unwrap()).unwrap().path, "Mebel / Stullar");
    assert_eq!(chair.custom.get("rangi"), Some(&json!("Qora")));

    // Out to CSV in Russian and back in: every column maps itself, nothing is made twice.
    let query = app::stock::store::ProductQuery::default();
    let file = export::products(&db, &query, "csv", app::core::Lang::Ru).await.unwrap();
    let text = String::from_utf8(file.bytes().await.unwrap()).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.contains("Mebel / Stullar") && text.contains("quti=12") && text.contains("Услуга"), "{text}");
    let up = service::upload(&db, &admin, ImportKind::Products, "export.csv", text.as_bytes()).await.unwrap();
    let mut mapped = up.mapping.clone();
    assert_eq!(mapped.remove(0), "", "the id column is left alone");
    assert_eq!(mapped.pop().as_deref(), Some("custom.rangi"), "the custom field's column comes back to it");
    assert_eq!(mapped, ImportKind::Products.targets());
    let again = import_file(&db, &admin, ImportKind::Products, text, "skip").await;
    assert_eq!((again.created, again.skipped, again.failed), (0, 4, 0));
    assert_eq!(app::stock::groups::Tree::load(&db).await.unwrap().groups.len(), 3);
}
both_backends!(catalog_import_export, import_export_catalog);

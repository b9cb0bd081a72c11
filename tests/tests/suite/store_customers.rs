//! Store contract: customers with role scopes, search, keyset pages and optimistic versions.

use app::auth::store as auth_store;
use app::core::db::Db;
use app::core::identity::{CurrentUser, Role};
use app::core::{AppError, ErrCode};
use app::customers::store::ListQuery;
use app::customers::{CustomerPatch, CustomerStage, NewCustomer, service};
use tests::{both_backends, make_user};

async fn user(db: &Db, id: i64) -> CurrentUser {
    auth_store::load_user(db, id).await.unwrap().unwrap()
}

fn new(name: &str) -> NewCustomer {
    NewCustomer { name: name.into(), ..Default::default() }
}

async fn scopes(db: Db) {
    let team = app::admin::store::create_team(&db, "A").await.unwrap();
    let admin = user(&db, make_user(&db, "admin@k.uz", Role::Admin, None).await).await;
    let head = user(&db, make_user(&db, "head@k.uz", Role::SalesHead, Some(team)).await).await;
    let m1 = user(&db, make_user(&db, "m1@k.uz", Role::Manager, Some(team)).await).await;
    let m2 = user(&db, make_user(&db, "m2@k.uz", Role::Manager, None).await).await;

    let c1 = service::create(&db, &m1, &new("Samarqand Savdo MChJ")).await.unwrap();
    let c2 = service::create(&db, &m2, &new("ООО Восток")).await.unwrap();
    assert_eq!(c1.manager_id, m1.id);
    assert_eq!(c1.manager_name, "m1@k.uz");

    let q = ListQuery { limit: 50, ..Default::default() };
    let names = |p: app::customers::CustomerPage| p.items.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(names(service::list(&db, &m1, &q).await.unwrap()), vec![c1.id]);
    assert_eq!(names(service::list(&db, &m2, &q).await.unwrap()), vec![c2.id]);
    assert_eq!(names(service::list(&db, &head, &q).await.unwrap()), vec![c1.id]);
    assert_eq!(names(service::list(&db, &admin, &q).await.unwrap()), vec![c2.id, c1.id]);

    // Out of scope is Forbidden; missing is NotFound.
    assert_eq!(service::get(&db, &m1, c2.id).await, Err(AppError::Forbidden));
    assert_eq!(service::get(&db, &head, c2.id).await, Err(AppError::Forbidden));
    assert_eq!(service::get(&db, &admin, 999_999).await, Err(AppError::NotFound));
    let patch = CustomerPatch { version: c2.version, name: Some("Hijack".into()), ..Default::default() };
    assert_eq!(service::update(&db, &m1, c2.id, &patch).await, Err(AppError::Forbidden));

    // Assigning: a manager only to themselves; a head within the team; admin anyone active.
    let to_m2 = NewCustomer { manager_id: Some(m2.id), ..new("X") };
    assert_eq!(
        service::create(&db, &m1, &to_m2).await.unwrap_err().field_codes("manager_id"),
        vec![ErrCode::InvalidChoice]
    );
    assert!(service::create(&db, &head, &to_m2).await.is_err());
    let to_m1 = NewCustomer { manager_id: Some(m1.id), ..new("Y") };
    assert_eq!(service::create(&db, &head, &to_m1).await.unwrap().manager_id, m1.id);
    assert_eq!(service::create(&db, &admin, &to_m2).await.unwrap().manager_id, m2.id);
}
both_backends!(customer_scopes, scopes);

async fn versions(db: Db) {
    let m = user(&db, make_user(&db, "m@k.uz", Role::Manager, None).await).await;
    let c = service::create(&db, &m, &NewCustomer { phone: Some("+998 90 123 45 67".into()), ..new("Buxoro Tekstil") })
        .await
        .unwrap();
    assert_eq!(c.version, 1);
    let patch = CustomerPatch { version: 1, email: Some("info@buxoro.uz".into()), ..Default::default() };
    let updated = service::update(&db, &m, c.id, &patch).await.unwrap();
    assert_eq!(
        (updated.version, updated.email.as_deref(), updated.phone.as_deref()),
        (2, Some("info@buxoro.uz"), Some("+998901234567"))
    );
    // The same stale version again is a conflict, and nothing changes.
    let stale = CustomerPatch { version: 1, name: Some("Overwrite".into()), ..Default::default() };
    assert_eq!(service::update(&db, &m, c.id, &stale).await, Err(AppError::Conflict));
    assert_eq!(service::get(&db, &m, c.id).await.unwrap().name, "Buxoro Tekstil");
    // Bad input is refused whole.
    let bad = CustomerPatch { version: 2, name: Some("Fine".into()), email: Some("nope".into()), ..Default::default() };
    assert_eq!(
        service::update(&db, &m, c.id, &bad).await.unwrap_err().field_codes("email"),
        vec![ErrCode::InvalidEmail]
    );
    let now = service::get(&db, &m, c.id).await.unwrap();
    assert_eq!((now.name.as_str(), now.version), ("Buxoro Tekstil", 2));
    // An empty string clears an optional field.
    let clear = CustomerPatch { version: 2, phone: Some(String::new()), ..Default::default() };
    assert_eq!(service::update(&db, &m, c.id, &clear).await.unwrap().phone, None);
}
both_backends!(customer_versions, versions);

async fn search_and_pages(db: Db) {
    let m = user(&db, make_user(&db, "m@k.uz", Role::Manager, None).await).await;
    for i in 0..7 {
        service::create(&db, &m, &new(&format!("Toshkent Savdo {i}"))).await.unwrap();
    }
    service::create(&db, &m, &new("ООО Ромашка")).await.unwrap();
    service::create(&db, &m, &new("100% Cotton_Co")).await.unwrap();

    let find = |q: &str| ListQuery { q: Some(q.into()), limit: 50, ..Default::default() };
    assert_eq!(service::list(&db, &m, &find("savdo")).await.unwrap().items.len(), 7);
    assert_eq!(service::list(&db, &m, &find("РОМАШ")).await.unwrap().items[0].name, "ООО Ромашка");
    // LIKE wildcards in the query are literal.
    assert_eq!(service::list(&db, &m, &find("100%")).await.unwrap().items.len(), 1);
    assert_eq!(service::list(&db, &m, &find("t_n")).await.unwrap().items.len(), 0);

    // Keyset pages: every customer exactly once, newest first.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = service::list(&db, &m, &ListQuery { cursor: cursor.clone(), limit: 4, ..Default::default() })
            .await
            .unwrap();
        assert!(page.items.len() <= 4);
        seen.extend(page.items.iter().map(|c| c.id));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 9);
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted);
    let bad = ListQuery { cursor: Some("abc".into()), ..find("x") };
    assert!(matches!(service::list(&db, &m, &bad).await, Err(AppError::Validation { .. })));
    assert_eq!(app::customers::store::count(&db, m.scope()).await.unwrap(), 9);
}
both_backends!(customer_search_and_pages, search_and_pages);

async fn stage_tags_and_history(db: Db) {
    let head_team = app::admin::store::create_team(&db, "T").await.unwrap();
    let m = user(&db, make_user(&db, "m@k.uz", Role::Manager, Some(head_team)).await).await;
    let m2 = user(&db, make_user(&db, "m2@k.uz", Role::Manager, None).await).await;
    let head = user(&db, make_user(&db, "head@k.uz", Role::SalesHead, Some(head_team)).await).await;
    let input = NewCustomer {
        stage: Some("regular".into()),
        source: Some("Exhibition".into()),
        tags: Some(vec!["vip".into(), " opt ".into(), "VIP".into()]),
        phone: Some("90 123 45 67".into()),
        ..new("Xorazm Savdo")
    };
    let c = service::create(&db, &m, &input).await.unwrap();
    assert_eq!(c.stage, CustomerStage::Regular);
    assert_eq!(c.tags, vec!["vip", "opt"]);
    assert_eq!((c.phone.as_deref(), c.source.as_deref()), (Some("+998901234567"), Some("Exhibition")));
    let bad = NewCustomer { stage: Some("gold".into()), phone: Some("12".into()), ..new("X") };
    let err = service::create(&db, &m, &bad).await.unwrap_err();
    assert_eq!(
        (err.field_codes("stage"), err.field_codes("phone")),
        (vec![ErrCode::InvalidChoice], vec![ErrCode::InvalidPhone])
    );

    // A change records who, when, which field, old and new value; the timeline is newest first.
    let patch = CustomerPatch {
        version: c.version,
        stage: Some("lost".into()),
        tags: Some(vec!["vip".into()]),
        manager_id: Some(m.id),
        ..Default::default()
    };
    service::update(&db, &m, c.id, &patch).await.unwrap();
    let t = service::timeline(&db, &m, c.id, None, 50).await.unwrap();
    assert_eq!(t.items.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["changed", "created"]);
    let changed = &t.items[0];
    assert_eq!(changed.user_name.as_deref(), Some("m@k.uz"));
    let fields: Vec<(&str, Option<&str>, Option<&str>)> =
        changed.changes.iter().map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref())).collect();
    assert_eq!(fields, vec![("stage", Some("regular"), Some("lost")), ("tags", Some("vip, opt"), Some("vip"))]);
    assert!(t.items[1].changes.iter().any(|c| c.field == "name" && c.new.as_deref() == Some("Xorazm Savdo")));
    // A head reassigning within the team: recorded with names.
    let reassign = CustomerPatch { version: 2, manager_id: Some(head.id), ..Default::default() };
    service::update(&db, &head, c.id, &reassign).await.unwrap();
    let t = service::timeline(&db, &head, c.id, None, 1).await.unwrap();
    assert_eq!(t.items[0].changes[0].field, "manager");
    assert_eq!(t.items[0].changes[0].new.as_deref(), Some("head@k.uz"));
    let older = service::timeline(&db, &head, c.id, t.next_cursor.as_deref(), 50).await.unwrap();
    assert_eq!(older.items.len(), 2);
    // Nothing changed: no audit row. Out of scope: no timeline.
    let same = CustomerPatch { version: 3, ..Default::default() };
    service::update(&db, &head, c.id, &same).await.unwrap();
    assert_eq!(service::timeline(&db, &head, c.id, None, 50).await.unwrap().items.len(), 3);
    assert_eq!(service::timeline(&db, &m2, c.id, None, 50).await, Err(AppError::Forbidden));
}
both_backends!(customer_stage_tags_and_history, stage_tags_and_history);

async fn counterparties(db: Db) {
    use app::core::format::parse_date;
    use app::counterparties::{
        CounterpartyPatch, MoveCounterparty, NewBankAccount, NewCounterparty, service as cps, store as cp_store,
    };
    let m1 = user(&db, make_user(&db, "m1@k.uz", Role::Manager, None).await).await;
    let m2 = user(&db, make_user(&db, "m2@k.uz", Role::Manager, None).await).await;
    let admin = user(&db, make_user(&db, "a@k.uz", Role::Admin, None).await).await;
    let a = service::create(&db, &m1, &new("Aziz Group")).await.unwrap();
    let b = service::create(&db, &m1, &new("Bek Holding")).await.unwrap();
    let other = service::create(&db, &m2, &new("Other")).await.unwrap();

    let input = NewCounterparty {
        legal_name: "Aziz Savdo MChJ".into(),
        tax_id: "301 234 567".into(),
        vat_payer: Some(true),
        from: Some("2024-01-10".into()),
        ..Default::default()
    };
    let cp = cps::create(&db, &m1, a.id, &input).await.unwrap();
    assert_eq!(
        (cp.tax_id.as_str(), cp.country.as_str(), cp.customer_id, cp.vat_payer),
        ("301234567", "UZ", a.id, true)
    );
    // The same taxpayer id again is refused, with the field named; so is a bad one.
    let again = cps::create(&db, &admin, b.id, &input).await.unwrap_err();
    assert_eq!(again.field_codes("tax_id"), vec![ErrCode::TaxIdTaken]);
    let bad = NewCounterparty { legal_name: String::new(), tax_id: "12345".into(), ..Default::default() };
    let err = cps::create(&db, &m1, a.id, &bad).await.unwrap_err();
    assert_eq!(
        (err.field_codes("legal_name"), err.field_codes("tax_id")),
        (vec![ErrCode::Required], vec![ErrCode::InvalidTaxId])
    );
    // Out of scope: another manager's customer.
    assert_eq!(
        cps::create(&db, &m2, a.id, &NewCounterparty { tax_id: "301234568".into(), ..input.clone() })
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(cps::get(&db, &m2, cp.id).await, Err(AppError::Forbidden));

    // Bank accounts: validated, no duplicates.
    let acct = NewBankAccount {
        bank_code: "00873".into(),
        account: "20208000905123456001".into(),
        bank_name: Some("Kapitalbank".into()),
        version: None,
    };
    let cp = cps::add_bank_account(&db, &m1, cp.id, &acct).await.unwrap();
    assert_eq!(cp.bank_accounts.len(), 1);
    assert_eq!(
        cps::add_bank_account(&db, &m1, cp.id, &acct).await.unwrap_err().field_codes("account"),
        vec![ErrCode::AlreadyThere]
    );
    let short = NewBankAccount { account: "123".into(), ..acct.clone() };
    assert_eq!(
        cps::add_bank_account(&db, &m1, cp.id, &short).await.unwrap_err().field_codes("account"),
        vec![ErrCode::InvalidBankAccount]
    );

    // Edit with versions.
    let patch = CounterpartyPatch {
        version: cp.version,
        legal_address: Some("Toshkent, Amir Temur 1".into()),
        ..Default::default()
    };
    let cp = cps::update(&db, &m1, cp.id, &patch).await.unwrap();
    assert_eq!(cps::update(&db, &m1, cp.id, &patch).await, Err(AppError::Conflict));
    // The e-invoice requisites: checked, kept, and the address stays when they change.
    let requisites = app::counterparties::Requisites {
        oked: Some("46 900".into()),
        vat_reg_code: Some("326010012345".into()),
        director: Some("Aliyev Anvar".into()),
        accountant: None,
    };
    let patch = CounterpartyPatch { version: cp.version, requisites, ..Default::default() };
    let cp = cps::update(&db, &m1, cp.id, &patch).await.unwrap();
    let r = &cps::get(&db, &m1, cp.id).await.unwrap().requisites;
    assert_eq!((r.oked.as_deref(), r.vat_reg_code.as_deref()), (Some("46900"), Some("326010012345")));
    assert_eq!(
        (r.director.as_deref(), cp.legal_address.as_deref()),
        (Some("Aliyev Anvar"), Some("Toshkent, Amir Temur 1"))
    );

    // Move to B from 2025-03-01: history kept, dated things count for the owner of that date.
    let mv = |to: i64, from: &str, version: i64| MoveCounterparty { customer_id: to, from: from.into(), version };
    assert_eq!(
        cps::move_to(&db, &m1, cp.id, &mv(b.id, "2023-12-31", cp.version)).await.unwrap_err().field_codes("from"),
        vec![ErrCode::InvalidDate]
    );
    assert_eq!(
        cps::move_to(&db, &m1, cp.id, &mv(b.id, "2999-01-01", cp.version)).await.unwrap_err().field_codes("from"),
        vec![ErrCode::InvalidDate]
    );
    assert_eq!(
        cps::move_to(&db, &m1, cp.id, &mv(a.id, "2025-03-01", cp.version))
            .await
            .unwrap_err()
            .field_codes("customer_id"),
        vec![ErrCode::AlreadyThere]
    );
    assert_eq!(
        cps::move_to(&db, &m1, cp.id, &mv(other.id, "2025-03-01", cp.version))
            .await
            .unwrap_err()
            .field_codes("customer_id"),
        vec![ErrCode::InvalidChoice]
    );
    assert_eq!(cps::move_to(&db, &m1, cp.id, &mv(b.id, "2025-03-01", cp.version - 1)).await, Err(AppError::Conflict));
    let moved = cps::move_to(&db, &m1, cp.id, &mv(b.id, "2025-03-01", cp.version)).await.unwrap();
    assert_eq!(moved.customer_id, b.id);
    let periods: Vec<(i64, bool)> = moved.owners.iter().map(|o| (o.customer_id, o.to.is_some())).collect();
    assert_eq!(periods, vec![(a.id, true), (b.id, false)]);
    let day = |s: &str| parse_date(s).unwrap();
    assert_eq!(cp_store::owner_at(&db, cp.id, day("2024-06-01")).await.unwrap(), Some(a.id));
    assert_eq!(cp_store::owner_at(&db, cp.id, day("2025-02-28")).await.unwrap(), Some(a.id));
    assert_eq!(cp_store::owner_at(&db, cp.id, day("2025-03-01")).await.unwrap(), Some(b.id));
    assert_eq!(cp_store::owner_at(&db, cp.id, day("2020-01-01")).await.unwrap(), Some(a.id));
    // A's card shows it as former, B's as current; both timelines tell the move.
    let la = cps::list_for_customer(&db, &m1, a.id).await.unwrap();
    let lb = cps::list_for_customer(&db, &m1, b.id).await.unwrap();
    assert_eq!((la.current.len(), la.former.len(), lb.current.len(), lb.former.len()), (0, 1, 1, 0));
    let ta = service::timeline(&db, &m1, a.id, None, 50).await.unwrap();
    let tb = service::timeline(&db, &m1, b.id, None, 50).await.unwrap();
    assert_eq!(
        ta.items.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        vec!["moved_out", "changed", "changed", "changed", "created", "created"]
    );
    assert_eq!(tb.items[0].action, "moved_in");
    assert_eq!(tb.items[0].changes[0].new.as_deref(), Some("Bek Holding"));
}
both_backends!(counterparty_history, counterparties);

async fn contacts(db: Db) {
    use app::contacts::{ContactPatch, LinkContact, Messenger, NewContact, service as contacts};
    let m1 = user(&db, make_user(&db, "m1@k.uz", Role::Manager, None).await).await;
    let m2 = user(&db, make_user(&db, "m2@k.uz", Role::Manager, None).await).await;
    let a = service::create(&db, &m1, &new("Aziz Group")).await.unwrap();
    let b = service::create(&db, &m1, &new("Bek Holding")).await.unwrap();
    let other = service::create(&db, &m2, &new("Other")).await.unwrap();

    let input = NewContact {
        name: "Karim Aliyev".into(),
        position: Some("Director".into()),
        role: Some("decision maker".into()),
        phones: vec!["90 123-45-67".into(), "+998 90 123 45 67".into()],
        emails: vec!["Karim@Aziz.uz".into()],
        messengers: vec![Messenger { kind: "telegram".into(), handle: "@karim".into() }],
        birthday: Some("1985-04-12".into()),
        ..Default::default()
    };
    let c = contacts::create(&db, &m1, a.id, &input).await.unwrap();
    assert_eq!(c.phones, vec!["+998901234567"]);
    assert_eq!(c.emails, vec!["karim@aziz.uz"]);
    assert_eq!((c.messengers[0].handle.as_str(), c.customers[0].role.as_deref()), ("karim", Some("decision maker")));
    let bad = NewContact { name: "X".into(), phones: vec!["12".into()], ..Default::default() };
    assert_eq!(
        contacts::create(&db, &m1, a.id, &bad).await.unwrap_err().field_codes("phones[0]"),
        vec![ErrCode::InvalidPhone]
    );
    assert_eq!(contacts::create(&db, &m2, a.id, &input).await.unwrap_err(), AppError::Forbidden);

    // Linked to a second customer with another role; both lists show it; not to one out of scope, not twice.
    let link = LinkContact { customer_id: b.id, role: Some("accountant".into()) };
    let c = contacts::link(&db, &m1, c.id, &link).await.unwrap();
    assert_eq!(c.customers.len(), 2);
    assert_eq!(
        contacts::link(&db, &m1, c.id, &link).await.unwrap_err().field_codes("customer_id"),
        vec![ErrCode::AlreadyThere]
    );
    let out = LinkContact { customer_id: other.id, role: None };
    assert_eq!(
        contacts::link(&db, &m1, c.id, &out).await.unwrap_err().field_codes("customer_id"),
        vec![ErrCode::InvalidChoice]
    );
    assert_eq!(contacts::list_for_customer(&db, &m1, b.id).await.unwrap()[0].id, c.id);
    assert_eq!(contacts::get(&db, &m2, c.id).await, Err(AppError::Forbidden));

    // A change lands on both customers' timelines; a stale version is a conflict.
    let patch = ContactPatch { version: c.version, position: Some("CEO".into()), ..Default::default() };
    let c2 = contacts::update(&db, &m1, c.id, &patch).await.unwrap();
    assert_eq!((c2.position.as_deref(), c2.phones.len()), (Some("CEO"), 1));
    assert_eq!(contacts::update(&db, &m1, c.id, &patch).await, Err(AppError::Conflict));
    for customer in [a.id, b.id] {
        let t = service::timeline(&db, &m1, customer, None, 1).await.unwrap();
        assert_eq!((t.items[0].entity.as_str(), t.items[0].action.as_str()), ("contact", "changed"));
    }
}
both_backends!(contact_persons, contacts);

async fn bulk_rows(db: Db) {
    use app::core::db::{Rows, V};
    app::db_run!(&db, p => sqlx::query("CREATE TABLE bulk_probe (a BIGINT NOT NULL, b TEXT, c BOOLEAN, d BIGINT)")
        .execute(p).await.map(|_| ()))
    .unwrap();
    // 12,345 rows of 4 values: several statements of at most 1,000 rows, NULLs of both types, text that
    // looks like a placeholder.
    let mut rows = Rows::new(&db, "INSERT INTO bulk_probe (a, b, c, d)", 4);
    for i in 0..12_345i64 {
        let b = if i % 3 == 0 { V::NS } else { V::S(format!("?{i} $1 'x'")) };
        rows.push([V::I(i), b, V::B(i % 2 == 0), Some(i * 10).filter(|_| i % 5 != 0).into()]);
    }
    assert_eq!(rows.statements().len(), 13);
    app::db_run!(&db, p => async {
        let mut tx = p.begin().await?;
        app::insert_rows!(tx, rows);
        tx.commit().await
    }.await)
    .unwrap();
    let (n, sum_a, texts, trues, sum_d): (i64, i64, i64, i64, i64) = app::db_run!(&db, p => sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(a) AS BIGINT), COUNT(b), CAST(SUM(CASE WHEN c THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(COALESCE(SUM(d), 0) AS BIGINT) FROM bulk_probe")
        .fetch_one(p).await)
    .unwrap();
    let expected_d: i64 = (0..12_345i64).filter(|i| i % 5 != 0).map(|i| i * 10).sum();
    assert_eq!((n, sum_a, texts, trues, sum_d), (12_345, 12_345 * 12_344 / 2, 8_230, 6_173, expected_d));
    let sample: String = app::db_run!(&db, p => sqlx::query_scalar("SELECT b FROM bulk_probe WHERE a = 7")
        .fetch_one(p).await)
    .unwrap();
    assert_eq!(sample, "?7 $1 'x'");
}
both_backends!(bulk_inserts, bulk_rows);

async fn demo_seed(db: Db) {
    use app::core::db::Db as D;
    server::seed::seed_customers(&db, 300, 7).await.unwrap();
    // Seeding again continues the taxpayer ids instead of colliding.
    server::seed::seed_customers(&db, 100, 8).await.unwrap();
    let count = |sql: &'static str| {
        let db: D = db.clone();
        async move { app::db_run!(&db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap() }
    };
    assert_eq!(count("SELECT COUNT(*) FROM customers").await, 400);
    let cps = count("SELECT COUNT(*) FROM counterparties").await;
    let cts = count("SELECT COUNT(*) FROM contacts").await;
    assert!((360..=600).contains(&cps), "{cps} counterparties");
    assert!((450..=750).contains(&cts), "{cts} contacts");
    assert_eq!(count("SELECT COUNT(*) FROM counterparty_owners").await, cps);
    // Seeded values pass the same rules as typed ones.
    let admin = user(&db, make_user(&db, "a@k.uz", Role::Admin, None).await).await;
    let (mut phones, mut tax_ids) = (0, 0);
    for customer in 1..=10 {
        for c in app::contacts::service::list_for_customer(&db, &admin, customer).await.unwrap() {
            for p in &c.phones {
                assert_eq!(app::core::phone::normalize(p).as_deref(), Some(p.as_str()));
                phones += 1;
            }
        }
        for c in app::counterparties::service::list_for_customer(&db, &admin, customer).await.unwrap().current {
            let mut checks = app::core::Checks::default();
            assert_eq!(app::counterparties::check_tax_id(&mut checks, "UZ", &c.tax_id), c.tax_id);
            assert!(checks.finish().is_ok());
            let a = &c.bank_accounts[0];
            let again = app::counterparties::NewBankAccount {
                bank_code: a.bank_code.clone(),
                account: a.account.clone(),
                bank_name: None,
                version: None,
            };
            assert!(again.validate("UZ").is_ok());
            tax_ids += 1;
        }
    }
    assert!(phones > 0 && tax_ids > 0);
    // The seeder gave ids itself: records created afterwards get fresh ones.
    let fresh = NewCustomer { name: "After seeding".into(), ..Default::default() };
    let fresh = service::create(&db, &admin, &fresh).await.unwrap();
    assert_eq!(fresh.id, 401);
    let contact = app::contacts::NewContact { name: "Yangi".into(), ..Default::default() };
    app::contacts::service::create(&db, &admin, fresh.id, &contact).await.unwrap();
    let cp = app::counterparties::NewCounterparty {
        legal_name: "Yangi MChJ".into(),
        tax_id: "399999999".into(),
        ..Default::default()
    };
    app::counterparties::service::create(&db, &admin, fresh.id, &cp).await.unwrap();

    // A demo manager's day is a working one: overdue, today's and coming tasks, timelines with every kind.
    let (tasks, interactions) = server::seed::seed_demo_activity(&db, 7).await.unwrap();
    assert!(tasks >= 48 && interactions >= 100, "{tasks} tasks, {interactions} interactions");
    let manager: i64 = app::db_run!(&db, p => sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'manager' AND email LIKE 'demo%' ORDER BY id LIMIT 1").fetch_one(p).await)
    .unwrap();
    let m = user(&db, manager).await;
    let day = app::tasks::service::my_day(&db, &m, None).await.unwrap();
    assert!(day.overdue_count >= 2 && day.upcoming_count >= 3, "{day:?}");
    assert!(day.today_count + day.overdue_count >= 5, "{day:?}");
    let kinds: std::collections::BTreeSet<String> = app::db_run!(&db, p => sqlx::query_scalar(
        "SELECT DISTINCT kind FROM interactions").fetch_all(p).await)
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
}
both_backends!(seed_demo_data, demo_seed);

async fn global_search(db: Db) {
    use app::contacts::{NewContact, service as contacts};
    use app::counterparties::{MoveCounterparty, NewCounterparty, service as cps};
    let m = user(&db, make_user(&db, "m@k.uz", Role::Manager, None).await).await;
    let m2 = user(&db, make_user(&db, "m2@k.uz", Role::Manager, None).await).await;
    let a = service::create(
        &db,
        &m,
        &NewCustomer {
            phone: Some("+998 90 111 22 33".into()),
            email: Some("info@aziz.uz".into()),
            ..new("Aziz Group")
        },
    )
    .await
    .unwrap();
    let b = service::create(&db, &m, &new("ООО Ромашка")).await.unwrap();
    service::create(&db, &m2, &NewCustomer { phone: Some("+998 90 111 22 33".into()), ..new("Hidden") }).await.unwrap();
    let cp_in = NewCounterparty {
        legal_name: "Aziz Savdo MChJ".into(),
        tax_id: "301234567".into(),
        from: Some("2024-01-01".into()),
        ..Default::default()
    };
    let cp = cps::create(&db, &m, a.id, &cp_in).await.unwrap();
    let ct = NewContact {
        name: "Karim Aliyev".into(),
        phones: vec!["93 555 66 77".into()],
        emails: vec!["karim@mail.uz".into()],
        ..Default::default()
    };
    contacts::create(&db, &m, b.id, &ct).await.unwrap();

    let find = |q: &str| {
        let (db, m, q) = (db.clone(), m.clone(), q.to_string());
        async move {
            let query = ListQuery { q: Some(q), limit: 50, ..Default::default() };
            service::list(&db, &m, &query).await.unwrap().items.into_iter().map(|c| c.name).collect::<Vec<_>>()
        }
    };
    // Phone in any format, only customers in scope.
    for q in ["+998 (90) 111-22-33", "901112233", "90 111 22"] {
        assert_eq!(find(q).await, vec!["Aziz Group"], "{q}");
    }
    assert_eq!(find("INFO@AZIZ").await, vec!["Aziz Group"]);
    assert_eq!(find("301234567").await, vec!["Aziz Group"]);
    assert_eq!(find("savdo mchj").await, vec!["Aziz Group"]);
    assert_eq!(find("аля").await, Vec::<String>::new());
    assert_eq!(find("ромаш").await, vec!["ООО Ромашка"]);
    // Contact persons: name, phone, e-mail.
    assert_eq!(find("karim").await, vec!["ООО Ромашка"]);
    assert_eq!(find("935556677").await, vec!["ООО Ромашка"]);
    assert_eq!(find("karim@mail").await, vec!["ООО Ромашка"]);
    assert_eq!(find("ka").await, vec!["ООО Ромашка"]);
    // A moved counterparty is found under its new customer.
    let mv = MoveCounterparty { customer_id: b.id, from: "2025-01-01".into(), version: cp.version };
    cps::move_to(&db, &m, cp.id, &mv).await.unwrap();
    assert_eq!(find("301234567").await, vec!["ООО Ромашка"]);
}
both_backends!(customer_global_search, global_search);

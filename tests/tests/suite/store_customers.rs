//! Store contract: customers with role scopes, search, keyset pages and optimistic versions.

use app::auth::{CurrentUser, Role, store as auth_store};
use app::core::db::Db;
use app::core::{AppError, ErrCode};
use app::customers::store::ListQuery;
use app::customers::{CustomerPatch, NewCustomer, service};
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
        (2, Some("info@buxoro.uz"), Some("+998 90 123 45 67"))
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

    let find = |q: &str| ListQuery { q: Some(q.into()), limit: 50, cursor: None };
    assert_eq!(service::list(&db, &m, &find("savdo")).await.unwrap().items.len(), 7);
    assert_eq!(service::list(&db, &m, &find("РОМАШ")).await.unwrap().items[0].name, "ООО Ромашка");
    // LIKE wildcards in the query are literal.
    assert_eq!(service::list(&db, &m, &find("100%")).await.unwrap().items.len(), 1);
    assert_eq!(service::list(&db, &m, &find("t_n")).await.unwrap().items.len(), 0);

    // Keyset pages: every customer exactly once, newest first.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = service::list(&db, &m, &ListQuery { q: None, cursor: cursor.clone(), limit: 4 }).await.unwrap();
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

//! Segments and list filters: rules over attributes, tags, custom fields, manager and dates; dynamic and static
//! segments; sorting by a custom field; bad rules refused by part; role rules. Both databases.

use app::auth::store as auth_store;
use app::core::db::Db;
use app::core::identity::{CurrentUser, Role};
use app::core::{AppError, ErrCode};
use app::custom_fields::{NewCustomField, service as fields};
use app::customers::store::ListQuery;
use app::customers::{CustomerPatch, NewCustomer, service};
use app::segments::{NewSegment, Op, Rule, Rules, SegmentPatch, service as segments};
use serde_json::{Value, json};
use tests::{TestApp, both_apps, both_backends, make_user};

async fn user(db: &Db, email: &str, role: Role, team: Option<i64>) -> CurrentUser {
    auth_store::load_user(db, make_user(db, email, role, team).await).await.unwrap().unwrap()
}

fn rule(field: &str, op: Op, value: Value) -> Rule {
    Rule { field: field.into(), op, value }
}

fn all(rules: Vec<Rule>) -> Rules {
    Rules { any: false, rules }
}

async fn names(db: &Db, u: &CurrentUser, query: ListQuery) -> Vec<String> {
    let q = ListQuery { limit: 50, ..query };
    service::list(db, u, &q).await.unwrap().items.into_iter().map(|c| c.name).collect()
}

async fn rules_and_segments(db: Db) {
    let admin = user(&db, "a@k.uz", Role::Admin, None).await;
    let m1 = user(&db, "m1@k.uz", Role::Manager, None).await;
    let m2 = user(&db, "m2@k.uz", Role::Manager, None).await;
    let limit = NewCustomField { label: "Limit".into(), kind: "money".into(), ..Default::default() };
    fields::create(&db, &admin, &limit).await.unwrap();
    let region = NewCustomField {
        label: "Region".into(),
        kind: "choice".into(),
        options: Some(vec!["Toshkent".into(), "Samarqand".into()]),
        ..Default::default()
    };
    fields::create(&db, &admin, &region).await.unwrap();
    let mk = |name: &str, stage: &str, tags: &[&str], limit: Option<&str>, region: Option<&str>| {
        let mut custom = serde_json::Map::new();
        if let Some(l) = limit {
            custom.insert("limit".into(), json!(l));
        }
        if let Some(r) = region {
            custom.insert("region".into(), json!(r));
        }
        NewCustomer {
            name: name.into(),
            stage: Some(stage.into()),
            tags: Some(tags.iter().map(|t| t.to_string()).collect()),
            custom: Some(custom.into_iter().collect()),
            email: name.len().is_multiple_of(2).then(|| format!("{}@k.uz", name.len())),
            ..Default::default()
        }
    };
    service::create(&db, &m1, &mk("Alfa", "regular", &["vip"], Some("5000000"), Some("Toshkent"))).await.unwrap();
    service::create(&db, &m1, &mk("Beta", "regular", &[], Some("900000.50"), Some("Samarqand"))).await.unwrap();
    service::create(&db, &m2, &mk("Gamma", "potential", &["vip", "opt"], None, Some("Toshkent"))).await.unwrap();
    service::create(&db, &m2, &mk("Delta", "lost", &["opt"], Some("12000000"), None)).await.unwrap();

    let by = |rules: Rules| ListQuery { rules: Some(rules), sort: Some("name".into()), ..Default::default() };
    assert_eq!(names(&db, &admin, by(all(vec![rule("stage", Op::Eq, json!("regular"))]))).await, ["Alfa", "Beta"]);
    assert_eq!(
        names(&db, &admin, by(all(vec![rule("stage", Op::In, json!("lost, potential"))]))).await,
        ["Delta", "Gamma"]
    );
    assert_eq!(names(&db, &admin, by(all(vec![rule("tag", Op::Eq, json!("vip"))]))).await, ["Alfa", "Gamma"]);
    assert_eq!(names(&db, &admin, by(all(vec![rule("tag", Op::Ne, json!("vip"))]))).await, ["Beta", "Delta"]);
    assert_eq!(
        names(&db, &admin, by(all(vec![rule("custom.limit", Op::Gte, json!("1 000 000"))]))).await,
        ["Alfa", "Delta"]
    );
    assert_eq!(names(&db, &admin, by(all(vec![rule("custom.limit", Op::NotSet, Value::Null)]))).await, ["Gamma"]);
    assert_eq!(
        names(&db, &admin, by(all(vec![rule("custom.region", Op::Ne, json!("Toshkent"))]))).await,
        ["Beta", "Delta"]
    );
    assert_eq!(names(&db, &admin, by(all(vec![rule("name", Op::Contains, json!("ELT"))]))).await, ["Delta"]);
    assert_eq!(names(&db, &admin, by(all(vec![rule("manager", Op::Eq, json!(m2.id))]))).await, ["Delta", "Gamma"]);
    assert_eq!(names(&db, &admin, by(all(vec![rule("email", Op::IsSet, Value::Null)]))).await, ["Alfa", "Beta"]);
    assert_eq!(
        names(&db, &admin, by(all(vec![rule("created_at", Op::Lt, json!("2000-01-01"))]))).await,
        Vec::<String>::new()
    );
    let either =
        Rules { any: true, rules: vec![rule("tag", Op::Eq, json!("opt")), rule("stage", Op::Eq, json!("regular"))] };
    assert_eq!(names(&db, &admin, by(either)).await.len(), 4);
    // Scope still applies under filters.
    assert_eq!(names(&db, &m1, by(all(vec![rule("tag", Op::Eq, json!("vip"))]))).await, ["Alfa"]);

    // Sorting by a custom field: numeric order, empty last, offset cursors.
    let sorted = ListQuery { sort: Some("-custom.limit".into()), limit: 2, ..Default::default() };
    let p1 = service::list(&db, &admin, &sorted).await.unwrap();
    assert_eq!(p1.items.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Delta", "Alfa"]);
    let p2 = service::list(&db, &admin, &ListQuery { cursor: p1.next_cursor, ..sorted.clone() }).await.unwrap();
    assert_eq!(p2.items.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Beta", "Gamma"]);
    assert_eq!(p2.next_cursor, None);
    let bad_sort = ListQuery { sort: Some("custom.nope".into()), ..Default::default() };
    assert_eq!(
        service::list(&db, &admin, &bad_sort).await.unwrap_err().field_codes("sort"),
        vec![ErrCode::InvalidChoice]
    );

    // Bad rules are refused by part, never a database error.
    let bad = all(vec![
        rule("colour", Op::Eq, json!("red")),
        rule("stage", Op::Gt, json!("regular")),
        rule("custom.limit", Op::Gte, json!("lots")),
        rule("custom.region", Op::Eq, json!("Paris")),
        rule("created_at", Op::Gte, json!("2026-13-01")),
    ]);
    let err = service::list(&db, &admin, &ListQuery { rules: Some(bad), ..Default::default() }).await.unwrap_err();
    assert_eq!(err.field_codes("rules[0].field"), vec![ErrCode::UnknownField]);
    assert_eq!(err.field_codes("rules[1].op"), vec![ErrCode::InvalidChoice]);
    assert_eq!(err.field_codes("rules[2].value"), vec![ErrCode::NotANumber]);
    assert_eq!(err.field_codes("rules[3].value"), vec![ErrCode::InvalidChoice]);
    assert_eq!(err.field_codes("rules[4].value"), vec![ErrCode::InvalidDate]);

    // Segments: managers use them, administrators and sales heads define them.
    let vip = NewSegment { name: "VIP".into(), kind: None, rules: all(vec![rule("tag", Op::Eq, json!("vip"))]) };
    assert_eq!(segments::create(&db, &m1, &vip).await, Err(AppError::Forbidden));
    let dynamic = segments::create(&db, &admin, &vip).await.unwrap();
    assert_eq!(dynamic.member_count, 2);
    let snapshot = NewSegment { name: "VIP then".into(), kind: Some("static".into()), ..vip.clone() };
    let frozen = segments::create(&db, &admin, &snapshot).await.unwrap();
    assert_eq!(frozen.member_count, 2);
    // Beta becomes VIP: the dynamic segment follows, the snapshot does not until it is retaken.
    let beta = service::list(&db, &m1, &ListQuery { q: Some("beta".into()), limit: 1, ..Default::default() })
        .await
        .unwrap()
        .items
        .remove(0);
    let patch = CustomerPatch { version: beta.version, tags: Some(vec!["vip".into()]), ..Default::default() };
    service::update(&db, &m1, beta.id, &patch).await.unwrap();
    assert_eq!(segments::count(&db, &admin, dynamic.id).await.unwrap(), 3);
    assert_eq!(segments::count(&db, &admin, frozen.id).await.unwrap(), 2);
    assert_eq!(segments::count(&db, &m1, dynamic.id).await.unwrap(), 2, "a manager counts only their own");
    let in_frozen = ListQuery { segment: Some(frozen.id), sort: Some("name".into()), ..Default::default() };
    assert_eq!(names(&db, &admin, in_frozen.clone()).await, ["Alfa", "Gamma"]);
    let retake = SegmentPatch { version: frozen.version, refresh: Some(true), ..Default::default() };
    let frozen = segments::update(&db, &admin, frozen.id, &retake).await.unwrap();
    assert_eq!(frozen.member_count, 3);
    assert_eq!(names(&db, &admin, in_frozen).await, ["Alfa", "Beta", "Gamma"]);
    assert_eq!(segments::update(&db, &admin, frozen.id, &retake).await, Err(AppError::Conflict));

    // A segment in a rule, combined with other rules; a segment cannot contain itself.
    let vip_regular = all(vec![rule("segment", Op::Eq, json!(dynamic.id)), rule("stage", Op::Eq, json!("regular"))]);
    assert_eq!(names(&db, &admin, by(vip_regular)).await, ["Alfa", "Beta"]);
    let selfish = SegmentPatch {
        version: dynamic.version,
        rules: Some(all(vec![rule("segment", Op::Eq, json!(dynamic.id))])),
        ..Default::default()
    };
    assert!(matches!(segments::update(&db, &admin, dynamic.id, &selfish).await, Err(AppError::Validation { .. })));
    let unknown = ListQuery { segment: Some(999_999), ..Default::default() };
    assert_eq!(
        service::list(&db, &admin, &unknown).await.unwrap_err().field_codes("segment"),
        vec![ErrCode::InvalidChoice]
    );
}
both_backends!(segment_rules, rules_and_segments);

async fn over_http(app: TestApp) {
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    let (_, manager) = app.user_token("m@k.uz", Role::Manager, None).await;
    for (name, stage) in [("Olma", "regular"), ("Nok", "lost"), ("Uzum", "regular")] {
        let r = app.api("POST", "/api/v1/customers", Some(&manager), Some(json!({"name": name, "stage": stage}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let seg = json!({"name": "Doimiy", "rules": {"rules": [{"field": "stage", "op": "eq", "value": "regular"}]}});
    assert_eq!(app.api("POST", "/api/v1/segments", Some(&manager), Some(seg.clone())).await.status, 403);
    let created = app.api("POST", "/api/v1/segments", Some(&admin), Some(seg)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["member_count"], 2);
    let id = created.json()["id"].as_i64().unwrap();
    let one = app.api("GET", &format!("/api/v1/segments/{id}"), Some(&manager), None).await;
    assert_eq!(one.json()["visible_members"], 2);
    let members = app.api("GET", &format!("/api/v1/segments/{id}/members?limit=1"), Some(&manager), None).await;
    assert_eq!(members.json()["items"][0]["name"], "Uzum");
    assert!(members.json()["next_cursor"].is_string());

    let bad = json!({"name": "X", "rules": {"rules": [{"field": "stage", "op": "eq", "value": "gold"}]}});
    let refused = app.api("POST", "/api/v1/segments", Some(&admin), Some(bad)).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.json()["fields"]["rules[0].value"].is_array());

    let rules =
        "%7B%22rules%22%3A%5B%7B%22field%22%3A%22stage%22%2C%22op%22%3A%22eq%22%2C%22value%22%3A%22lost%22%7D%5D%7D";
    let filtered = app.api("GET", &format!("/api/v1/customers?rules={rules}"), Some(&manager), None).await;
    assert_eq!(filtered.status, 200, "{}", filtered.body);
    assert_eq!(filtered.json()["items"].as_array().unwrap().len(), 1);
    let broken = app.api("GET", "/api/v1/customers?rules=%7Bnope", Some(&manager), None).await;
    assert_eq!(broken.status, 422);
}
both_apps!(api_segments, over_http);

//! Custom fields: definitions (administrators only), typed values on customers, audit, retiring; both
//! databases, through the services and through the REST API.

use app::auth::store as auth_store;
use app::core::db::Db;
use app::core::identity::Role;
use app::core::{AppError, ErrCode};
use app::custom_fields::{CustomFieldPatch, FieldEntity, NewCustomField, service as fields};
use app::customers::{CustomerPatch, NewCustomer, service};
use serde_json::json;
use tests::{TestApp, both_apps, both_backends, make_user};

fn field(label: &str, kind: &str) -> NewCustomField {
    NewCustomField { label: label.into(), kind: kind.into(), ..Default::default() }
}

async fn definitions_and_values(db: Db) {
    let admin = auth_store::load_user(&db, make_user(&db, "a@k.uz", Role::Admin, None).await).await.unwrap().unwrap();
    let m = auth_store::load_user(&db, make_user(&db, "m@k.uz", Role::Manager, None).await).await.unwrap().unwrap();

    // Only administrators define fields; keys are unique per entity.
    assert_eq!(fields::create(&db, &m, &field("Contract", "text")).await, Err(AppError::Forbidden));
    let contract = fields::create(&db, &admin, &field("Contract No.", "text")).await.unwrap();
    assert_eq!(contract.key, "contract_no");
    let dup = fields::create(&db, &admin, &field("Contract no", "text")).await.unwrap_err();
    assert_eq!(dup.field_codes("key"), vec![ErrCode::KeyTaken]);
    let contact_field = NewCustomField { entity: Some("contact".into()), ..field("Contract no", "text") };
    assert_eq!(fields::create(&db, &admin, &contact_field).await.unwrap().entity, FieldEntity::Contact);
    let limit = fields::create(&db, &admin, &field("Credit limit", "money")).await.unwrap();
    assert_eq!(limit.currency.as_deref(), Some("UZS"));
    let segment = NewCustomField {
        options: Some(vec!["Retail".into(), "Wholesale".into(), "HoReCa".into()]),
        required: Some(true),
        ..field("Channel", "choices")
    };
    let channel = fields::create(&db, &admin, &segment).await.unwrap();
    let listed = fields::list(&db, &m, FieldEntity::Customer).await.unwrap();
    assert_eq!(
        listed.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(),
        vec!["contract_no", "credit_limit", "channel"]
    );

    // Typed validation on create; all errors at once; nothing saved.
    let bad = NewCustomer {
        name: "Farg'ona Meva".into(),
        custom: Some(
            [("credit_limit".to_string(), json!("12.345")), ("nope".to_string(), json!("x"))].into_iter().collect(),
        ),
        ..Default::default()
    };
    let err = service::create(&db, &m, &bad).await.unwrap_err();
    assert_eq!(err.field_codes("custom.credit_limit"), vec![ErrCode::TooPrecise]);
    assert_eq!(err.field_codes("custom.nope"), vec![ErrCode::UnknownField]);
    assert_eq!(err.field_codes("custom.channel"), vec![ErrCode::Required]);
    let q = app::customers::store::ListQuery { limit: 50, ..Default::default() };
    assert!(service::list(&db, &m, &q).await.unwrap().items.is_empty());

    let good = NewCustomer {
        custom: Some(
            [
                ("credit_limit".to_string(), json!("50000000")),
                ("channel".to_string(), json!(["Wholesale", "Retail"])),
                ("contract_no".to_string(), json!("  D-17 ")),
            ]
            .into_iter()
            .collect(),
        ),
        ..bad
    };
    let c = service::create(&db, &m, &good).await.unwrap();
    assert_eq!(c.custom["credit_limit"], json!("50000000"));
    assert_eq!(c.custom["channel"], json!(["Retail", "Wholesale"]));
    assert_eq!(c.custom["contract_no"], json!("D-17"));

    // A patch changes only the fields it names; the audit log records them by label.
    let patch = CustomerPatch {
        version: c.version,
        custom: Some([("contract_no".to_string(), json!(null))].into_iter().collect()),
        ..Default::default()
    };
    let c = service::update(&db, &m, c.id, &patch).await.unwrap();
    assert!(!c.custom.contains_key("contract_no"));
    assert_eq!(c.custom["credit_limit"], json!("50000000"));
    let timeline = service::timeline(&db, &m, c.id, None, 10).await.unwrap();
    let change = &timeline.items[0].changes[0];
    assert_eq!(
        (change.field.as_str(), change.old.as_deref(), change.new.as_deref()),
        ("custom:Contract No.", Some("D-17"), None)
    );

    // Retiring keeps the values but refuses new ones; a stale version of the field is a conflict.
    let retire = CustomFieldPatch { version: limit.version, retired: Some(true), ..Default::default() };
    assert_eq!(fields::update(&db, &m, limit.id, &retire).await, Err(AppError::Forbidden));
    fields::update(&db, &admin, limit.id, &retire).await.unwrap();
    assert_eq!(fields::update(&db, &admin, limit.id, &retire).await, Err(AppError::Conflict));
    let c = service::get(&db, &m, c.id).await.unwrap();
    assert_eq!(c.custom["credit_limit"], json!("50000000"));
    let set_retired = CustomerPatch {
        version: c.version,
        custom: Some([("credit_limit".to_string(), json!("1"))].into_iter().collect()),
        ..Default::default()
    };
    let err = service::update(&db, &m, c.id, &set_retired).await.unwrap_err();
    assert_eq!(err.field_codes("custom.credit_limit"), vec![ErrCode::FieldRetired]);
    let _ = channel;

    // Contacts have their own fields, validated and stored the same way.
    use app::contacts::{ContactPatch, NewContact, service as contacts};
    let bad = NewContact {
        name: "Aziz".into(),
        custom: Some([("credit_limit".to_string(), json!("1"))].into_iter().collect()),
        ..Default::default()
    };
    let err = contacts::create(&db, &m, c.id, &bad).await.unwrap_err();
    assert_eq!(
        err.field_codes("custom.credit_limit"),
        vec![ErrCode::UnknownField],
        "customer fields are not contact fields"
    );
    let good = NewContact { custom: Some([("contract_no".to_string(), json!("C-9"))].into_iter().collect()), ..bad };
    let ct = contacts::create(&db, &m, c.id, &good).await.unwrap();
    assert_eq!(ct.custom["contract_no"], json!("C-9"));
    let patch = ContactPatch {
        version: ct.version,
        custom: Some([("contract_no".to_string(), json!("C-10"))].into_iter().collect()),
        ..Default::default()
    };
    let ct = contacts::update(&db, &m, ct.id, &patch).await.unwrap();
    assert_eq!(ct.custom["contract_no"], json!("C-10"));
    let listed = contacts::list_for_customer(&db, &m, c.id).await.unwrap();
    assert_eq!(listed[0].custom["contract_no"], json!("C-10"));
    // The customer's own value of a same-named key is separate (record ids of both kinds may coincide).
    assert!(!service::get(&db, &m, c.id).await.unwrap().custom.contains_key("contract_no"));
}
both_backends!(custom_field_values, definitions_and_values);

async fn over_http(app: TestApp) {
    let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
    let (_, manager) = app.user_token("m@k.uz", Role::Manager, None).await;
    let def = json!({"label": "Tuman", "key": "district", "kind": "choice", "options": ["Chilonzor", "Yunusobod"]});
    assert_eq!(app.api("POST", "/api/v1/custom-fields", Some(&manager), Some(def.clone())).await.status, 403);
    let created = app.api("POST", "/api/v1/custom-fields", Some(&admin), Some(def)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let bad =
        app.api("POST", "/api/v1/custom-fields", Some(&admin), Some(json!({"label": "X", "kind": "colour"}))).await;
    assert_eq!(bad.status, 422);
    assert!(bad.json()["fields"]["kind"].is_array());
    let list = app.api("GET", "/api/v1/custom-fields?entity=customer", Some(&manager), None).await;
    assert_eq!(list.json()[0]["key"], "district");

    let refused = app
        .api(
            "POST",
            "/api/v1/customers",
            Some(&manager),
            Some(json!({"name": "Oqtepa", "custom": {"district": "Sergeli"}})),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.json()["fields"]["custom.district"].is_array());
    let ok = app
        .api(
            "POST",
            "/api/v1/customers",
            Some(&manager),
            Some(json!({"name": "Oqtepa", "custom": {"district": "Chilonzor"}})),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let id = ok.json()["id"].as_i64().unwrap();
    let one = app.api("GET", &format!("/api/v1/customers/{id}"), Some(&manager), None).await;
    assert_eq!(one.json()["custom"]["district"], "Chilonzor");
    let page = app.api("GET", "/api/v1/customers", Some(&manager), None).await;
    assert_eq!(page.json()["items"][0]["custom"]["district"], "Chilonzor");
}
both_apps!(api_custom_fields, over_http);

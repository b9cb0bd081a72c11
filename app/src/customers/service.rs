//! Customer operations with their permission rules; shared by the server functions and the REST API.

use super::dupes::DuplicateHit;
use super::filter::FilterCtx;
use super::store::{self, ListQuery};
use super::{Customer, CustomerPage, CustomerPatch, DuplicateProbe, MergeRequest, NewCustomer};
use crate::audit::{FieldChange, TimelinePage};
use crate::core::AppError;
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::custom_fields::store as fields;
use crate::custom_fields::{CustomField, FieldEntity};
use crate::segments::Rules;

/// What rules and sorts may refer to: the custom fields, and the segments `rules` and `segment` name.
pub async fn filter_ctx(db: &Db, rules: Option<&Rules>, segment: Option<i64>) -> Result<FilterCtx, AppError> {
    let mut ids: Vec<i64> = rules.map(super::filter::segment_ids).unwrap_or_default();
    ids.extend(segment);
    let segments = crate::segments::store::rules_of(db, &ids).await?;
    if let Some(id) = segment
        && !segments.contains_key(&id)
    {
        return Err(AppError::field("segment", crate::core::ErrCode::InvalidChoice));
    }
    Ok(FilterCtx { defs: fields::list(db, FieldEntity::Customer).await?, segments })
}

/// A page of the customers `user` may see, filtered and sorted as asked.
pub async fn list(db: &Db, user: &CurrentUser, query: &ListQuery) -> Result<CustomerPage, AppError> {
    let ctx = if query.rules.is_some() || query.segment.is_some() || query.sort.is_some() {
        filter_ctx(db, query.rules.as_ref(), query.segment).await?
    } else {
        FilterCtx::default()
    };
    store::list(db, user.scope(), query, &ctx).await
}

/// A page of the customers `user` may see, with their custom field values (the API's list).
pub async fn list_full(db: &Db, user: &CurrentUser, query: &ListQuery) -> Result<CustomerPage, AppError> {
    let mut page = list(db, user, query).await?;
    let defs = fields::list(db, FieldEntity::Customer).await?;
    let ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
    let mut values = fields::values(db, &defs, &ids).await?;
    for c in &mut page.items {
        c.custom = values.remove(&c.id).unwrap_or_default();
    }
    Ok(page)
}

/// One customer with its custom field values, if `user` may see it.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Customer, AppError> {
    let defs = fields::list(db, FieldEntity::Customer).await?;
    get_with(db, user, id, &defs).await
}

/// [`get`] with the custom field definitions already at hand.
pub async fn get_with(db: &Db, user: &CurrentUser, id: i64, defs: &[CustomField]) -> Result<Customer, AppError> {
    let mut c = store::get(db, user.scope(), id).await?;
    c.custom = fields::values_of(db, defs, id).await?;
    Ok(c)
}

/// A customer whose money (orders, invoices, payments, debts) `user` may see ([`CurrentUser::money_scope`]):
/// `Forbidden` for a storekeeper, `NotFound` outside the scope.
pub async fn money_of(db: &Db, user: &CurrentUser, id: i64) -> Result<Customer, AppError> {
    store::get(db, user.money_scope().ok_or(AppError::Forbidden)?, id).await
}

/// Validates and creates a customer; the responsible manager defaults to `user`.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewCustomer) -> Result<Customer, AppError> {
    let defs = fields::list(db, FieldEntity::Customer).await?;
    let values = input.validate_with(&defs, true)?;
    let manager_id = input.manager_id.unwrap_or(user.id);
    store::check_assignable(db, user, manager_id).await?;
    let custom = crate::custom_fields::merged(&defs, &Default::default(), &values.custom);
    let custom_changes = crate::custom_fields::changes(&defs, &Default::default(), &custom);
    let created = store::create(db, user, manager_id, &values, &custom_changes).await?;
    super::search::refresh(db, created.id).await?;
    get_with(db, user, created.id, &defs).await
}

/// Applies a patch based on `patch.version`; a stale version is a `Conflict`, never an overwrite.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &CustomerPatch) -> Result<Customer, AppError> {
    let defs = fields::list(db, FieldEntity::Customer).await?;
    let current = get_with(db, user, id, &defs).await?;
    if current.version != patch.version {
        return Err(AppError::Conflict);
    }
    let values = patch.apply(&current, &defs)?;
    let manager_id = patch.manager_id.unwrap_or(current.manager_id);
    let mut changes = values.changes_from(&current);
    let custom = crate::custom_fields::merged(&defs, &current.custom, &values.custom);
    changes.extend(crate::custom_fields::changes(&defs, &current.custom, &custom));
    if manager_id != current.manager_id {
        store::check_assignable(db, user, manager_id).await?;
        let new = store::user_name(db, manager_id).await?;
        changes.push(FieldChange { field: "manager".into(), old: Some(current.manager_name.clone()), new: Some(new) });
    }
    store::update(db, user, id, patch.version, manager_id, &values, &changes).await?;
    super::search::refresh(db, id).await?;
    get_with(db, user, id, &defs).await
}

/// A page of the customer's timeline (its audit log, newest first), if `user` may see the customer.
pub async fn timeline(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    cursor: Option<&str>,
    limit: u32,
) -> Result<TimelinePage, AppError> {
    store::get(db, user.scope(), id).await?;
    crate::audit::store::timeline(db, id, cursor, limit).await
}

/// Customers that look like the one described (same phone or e-mail, or a name with the same key).
pub async fn duplicates(db: &Db, _user: &CurrentUser, probe: &DuplicateProbe) -> Result<Vec<DuplicateHit>, AppError> {
    let phone = probe.phone.as_deref().and_then(crate::core::phone::normalize);
    let email = probe.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty());
    store::duplicates(db, &probe.name, phone.as_deref(), email.as_deref(), probe.exclude).await
}

/// Merges `merged_id` into `survivor_id` with the values chosen field by field (see [`store::merge`]).
/// The user must be allowed to edit both; merging a customer into itself is refused.
pub async fn merge(db: &Db, user: &CurrentUser, req: &MergeRequest) -> Result<Customer, AppError> {
    use crate::core::ErrCode;
    if req.survivor_id == req.merged_id {
        return Err(AppError::field("merged_id", ErrCode::MergeIntoItself));
    }
    let all_defs = fields::list(db, FieldEntity::Customer).await?;
    let defs: Vec<CustomField> = all_defs.iter().filter(|d| !d.retired).cloned().collect();
    let s = get_with(db, user, req.survivor_id, &all_defs).await?;
    let m = get_with(db, user, req.merged_id, &all_defs).await?;
    if s.version != req.survivor_version || m.version != req.merged_version {
        return Err(AppError::Conflict);
    }
    let mut checks = crate::core::Checks::default();
    for (field, side) in &req.take {
        let known = super::MERGE_FIELDS.contains(&field.as_str())
            || field.strip_prefix("custom.").is_some_and(|k| defs.iter().any(|d| d.key == k));
        if !known || !matches!(side.as_str(), "survivor" | "merged") {
            checks.fail(&format!("take.{field}"), ErrCode::InvalidChoice);
        }
    }
    checks.finish()?;
    let from = |field: &str| if req.take.get(field).map(String::as_str) == Some("merged") { &m } else { &s };
    let mut tags = s.tags.clone();
    for tag in &m.tags {
        if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag.clone());
        }
    }
    tags.truncate(super::MAX_TAGS);
    let custom: crate::custom_fields::CustomValues = defs
        .iter()
        .map(|d| {
            let v = from(&format!("custom.{}", d.key)).custom.get(&d.key).cloned().unwrap_or(serde_json::Value::Null);
            (d.key.clone(), v)
        })
        .collect();
    let input = NewCustomer {
        name: from("name").name.clone(),
        kind: Some(from("kind").kind.as_str().into()),
        stage: Some(from("stage").stage.as_str().into()),
        phone: from("phone").phone.clone(),
        email: from("email").email.clone(),
        notes: from("notes").notes.clone(),
        source: from("source").source.clone(),
        tags: Some(tags),
        custom: Some(custom),
        manager_id: None,
    };
    let values = input.validate_with(&defs, false)?;
    let manager = from("manager");
    let mut changes = values.changes_from(&s);
    let merged_custom = crate::custom_fields::merged(&all_defs, &s.custom, &values.custom);
    changes.extend(crate::custom_fields::changes(&all_defs, &s.custom, &merged_custom));
    if manager.manager_id != s.manager_id {
        store::check_assignable(db, user, manager.manager_id).await?;
        changes.push(FieldChange {
            field: "manager".into(),
            old: Some(s.manager_name.clone()),
            new: Some(manager.manager_name.clone()),
        });
    }
    changes.push(FieldChange { field: "merged_from".into(), old: None, new: Some(format!("{} (#{})", m.name, m.id)) });
    // Everything the merged customer held, as "old" values.
    let mut snapshot = NewCustomer {
        name: m.name.clone(),
        kind: Some(m.kind.as_str().into()),
        stage: Some(m.stage.as_str().into()),
        phone: m.phone.clone(),
        email: m.email.clone(),
        notes: m.notes.clone(),
        source: m.source.clone(),
        tags: Some(m.tags.clone()),
        ..Default::default()
    }
    .validate()
    .map(|v| v.changes_from(&Customer::empty()))
    .unwrap_or_default();
    snapshot.extend(crate::custom_fields::changes(&all_defs, &Default::default(), &m.custom));
    snapshot.push(FieldChange { field: "manager".into(), old: None, new: Some(m.manager_name.clone()) });
    let plan = store::MergePlan {
        survivor_id: s.id,
        survivor_version: s.version,
        merged_id: m.id,
        merged_version: m.version,
        manager_id: manager.manager_id,
        values: &values,
        changes: &changes,
        merged_snapshot: &snapshot,
    };
    store::merge(db, user, &plan).await?;
    super::search::refresh(db, s.id).await?;
    get_with(db, user, s.id, &all_defs).await
}

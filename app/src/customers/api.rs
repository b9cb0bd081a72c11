//! Server functions for customers: thin shims over [`super::service`].

// One argument per form field: plain HTML forms post them by name (the `#[server]` expansion does not
// carry an item-level allow, hence module level).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use std::collections::BTreeMap;

use super::Customer;
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};
use crate::custom_fields::CustomField;
#[cfg(feature = "ssr")]
use crate::custom_fields::CustomValues;

/// How many customers the signed-in user is responsible for, and how many they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomerTally {
    pub own: i64,
    pub visible: i64,
}

/// One row of the customer list page: only what the table shows, so the page (and the copy of its data
/// for hydration) stays small.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub kind: super::CustomerKind,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub manager_name: String,
    pub created_at: i64,
    pub archived: bool,
}

/// A page of the list, with what the filter bar offers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListPage {
    pub items: Vec<ListRow>,
    pub next_cursor: Option<String>,
    /// Segments to filter by: `(id, name)`.
    pub segments: Vec<(i64, String)>,
    /// Active custom fields to filter and sort by: `(key, label)`.
    pub fields: Vec<(String, String)>,
    /// With a segment: how many of its members the user may see.
    pub total: Option<i64>,
    /// Who the user may hand customers to: `(id, name)`.
    pub people: Vec<(i64, String)>,
    /// Static segments customers may be added to (for sales heads and administrators): `(id, name)`.
    pub static_segments: Vec<(i64, String)>,
}

/// A page of customers, searched by name, phone, e-mail, taxpayer id or contact person, filtered by segment,
/// stage and one custom field (`field` = key, `value`), sorted by `sort`.
#[server(prefix = "/rpc", endpoint = "customers/list")]
pub async fn list_customers(
    q: Option<String>,
    cursor: Option<String>,
    segment: Option<i64>,
    stage: Option<String>,
    field: Option<String>,
    value: Option<String>,
    sort: Option<String>,
    archived: Option<String>,
) -> Result<ListPage, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let defs = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Customer).await?;
        let rules = super::simple_filters(&defs, stage, field, value);
        let query = super::store::ListQuery {
            q,
            cursor,
            segment,
            rules,
            sort: sort.filter(|s| !s.is_empty()),
            limit: super::DEFAULT_PAGE,
            archived: crate::core::archive::Archived::parse(archived.as_deref())?,
            ..Default::default()
        };
        let page = super::service::list(&db, user, &query).await?;
        let items = page
            .items
            .into_iter()
            .map(|c| ListRow {
                id: c.id,
                name: c.name,
                kind: c.kind,
                phone: c.phone,
                email: c.email,
                manager_name: c.manager_name,
                created_at: c.created_at,
                archived: c.archived_at.is_some(),
            })
            .collect();
        let all_segments = crate::segments::service::list(&db, user).await?;
        let may_define =
            matches!(user.role, crate::core::identity::Role::Admin | crate::core::identity::Role::SalesHead);
        let static_segments = all_segments
            .iter()
            .filter(|s| may_define && s.kind == crate::segments::SegmentKind::Static)
            .map(|s| (s.id, s.name.clone()))
            .collect();
        let segments = all_segments.into_iter().map(|s| (s.id, s.name)).collect();
        let people = crate::admin::store::staff(&db, user.scope()).await?;
        let total = match segment {
            Some(id) => Some(crate::segments::service::count(&db, user, id).await?),
            None => None,
        };
        let fields = defs.into_iter().filter(|d| !d.retired).map(|d| (d.key, d.label)).collect();
        Ok(ListPage { items, next_cursor: page.next_cursor, segments, fields, total, people, static_segments })
    };
    run.await.inspect_err(set_status)
}

/// Counts for the home page.
#[server(prefix = "/rpc", endpoint = "customers/counts")]
pub async fn customer_counts() -> Result<CustomerTally, AppError> {
    use crate::core::identity::Scope;
    let (ctx, db) = session()?;
    ctx.require_module(super::MODULE.key)?;
    let user = ctx.user()?;
    let own = super::store::count(&db, Scope::Own { user_id: user.id }).await?;
    let visible = super::store::count(&db, user.scope()).await?;
    Ok(CustomerTally { own, visible })
}

/// What the card shows: the customer, the definitions of its custom fields, and customers that look like
/// it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomerCard {
    pub customer: Customer,
    pub fields: Vec<CustomField>,
    /// The contacts' custom fields (for the contacts section).
    pub contact_fields: Vec<CustomField>,
    pub duplicates: Vec<super::dupes::DuplicateHit>,
}

/// One customer for the card.
#[server(prefix = "/rpc", endpoint = "customers/get")]
pub async fn get_customer(id: i64) -> Result<CustomerCard, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        use crate::custom_fields::{FieldEntity, store};
        let user = ctx.user()?;
        let fields = store::list(&db, FieldEntity::Customer).await?;
        let customer = super::service::get_with(&db, user, id, &fields).await?;
        let contact_fields = store::list(&db, FieldEntity::Contact).await?;
        let probe = super::DuplicateProbe {
            name: customer.name.clone(),
            phone: customer.phone.clone(),
            email: customer.email.clone(),
            exclude: Some(customer.id),
        };
        let duplicates = super::service::duplicates(&db, user, &probe).await?;
        Ok(CustomerCard { customer, fields, contact_fields, duplicates })
    };
    run.await.inspect_err(set_status)
}

/// A plain form's `custom[...]` inputs as values of the customers' active custom fields.
#[cfg(feature = "ssr")]
async fn form_custom(
    db: &crate::core::db::Db,
    form: Option<BTreeMap<String, String>>,
) -> Result<CustomValues, AppError> {
    let defs = crate::custom_fields::store::list(db, crate::custom_fields::FieldEntity::Customer).await?;
    Ok(crate::custom_fields::from_form(&defs, &form.unwrap_or_default()))
}

/// Creates a customer from the form and opens its card.
#[server(prefix = "/rpc", endpoint = "customers/create")]
pub async fn create_customer(
    name: String,
    kind: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    notes: Option<String>,
    stage: Option<String>,
    source: Option<String>,
    tags: Option<String>,
    custom: Option<BTreeMap<String, String>>,
) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let tags = Some(super::split_tags(&tags.unwrap_or_default()));
        let custom = Some(form_custom(&db, custom).await?);
        let input =
            super::NewCustomer { name, kind, phone, email, notes, stage, source, tags, custom, manager_id: None };
        let created = super::service::create(&db, ctx.user()?, &input).await?;
        leptos_axum::redirect(&format!("/customers/{}", created.id));
        Ok(created.id)
    };
    run.await.inspect_err(set_status)
}

/// Saves the card's edit form; a stale `version` is refused.
#[server(prefix = "/rpc", endpoint = "customers/update")]
pub async fn update_customer(
    id: i64,
    version: i64,
    name: String,
    kind: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    notes: Option<String>,
    stage: Option<String>,
    source: Option<String>,
    tags: Option<String>,
    custom: Option<BTreeMap<String, String>>,
) -> Result<Customer, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let custom = Some(form_custom(&db, custom).await?);
        // A form always sends every field: an empty one clears it.
        let patch = super::CustomerPatch {
            version,
            name: Some(name),
            kind,
            phone: Some(phone.unwrap_or_default()),
            email: Some(email.unwrap_or_default()),
            notes: Some(notes.unwrap_or_default()),
            stage,
            source: Some(source.unwrap_or_default()),
            tags: Some(super::split_tags(&tags.unwrap_or_default())),
            custom,
            manager_id: None,
        };
        super::service::update(&db, ctx.user()?, id, &patch).await
    };
    run.await.inspect_err(set_status)
}

/// A page of the customer's timeline (newest first).
#[server(prefix = "/rpc", endpoint = "customers/timeline")]
pub async fn customer_timeline(id: i64, cursor: Option<String>) -> Result<crate::audit::TimelinePage, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::timeline(&db, ctx.user()?, id, cursor.as_deref(), TIMELINE_PAGE).await
    };
    run.await.inspect_err(set_status)
}

/// Timeline entries per page on the card.
pub const TIMELINE_PAGE: u32 = 30;

/// A customer found by the top bar's search as you type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchHit {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub manager_name: String,
}

/// Up to 8 customers matching `q` (name, phone in any format, e-mail, taxpayer id, contact person).
#[server(prefix = "/rpc", endpoint = "customers/quick-search")]
pub async fn quick_search(q: String) -> Result<Vec<SearchHit>, AppError> {
    let (ctx, db) = session()?;
    ctx.require_module(super::MODULE.key)?;
    if q.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    let found = super::search::quick(&db, ctx.user()?.scope(), &q, 8).await?;
    Ok(found
        .into_iter()
        .map(|c| SearchHit { id: c.id, name: c.name, phone: c.phone, manager_name: c.manager_name })
        .collect())
}

/// Customers that look like the one being entered or shown (same phone or e-mail, similar name).
#[server(prefix = "/rpc", endpoint = "customers/duplicates")]
pub async fn find_duplicates(
    name: String,
    phone: Option<String>,
    email: Option<String>,
    exclude: Option<i64>,
) -> Result<Vec<super::dupes::DuplicateHit>, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let probe = super::DuplicateProbe { name, phone, email, exclude };
        super::service::duplicates(&db, ctx.user()?, &probe).await
    };
    run.await.inspect_err(set_status)
}

/// The merge page's data: the customer that stays (with the field definitions) and the one merged into it.
#[server(prefix = "/rpc", endpoint = "customers/merge-preview")]
pub async fn merge_preview(survivor_id: i64, merged_id: i64) -> Result<(CustomerCard, Customer), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let customer = super::service::get(&db, user, survivor_id).await?;
        let merged = super::service::get(&db, user, merged_id).await?;
        let fields = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Customer).await?;
        Ok((CustomerCard { customer, fields, contact_fields: Vec::new(), duplicates: Vec::new() }, merged))
    };
    run.await.inspect_err(set_status)
}

/// Merges from the merge page (`take[field]` = `survivor` or `merged`) and opens the survivor's card.
#[server(prefix = "/rpc", endpoint = "customers/merge")]
pub async fn merge_customers(
    survivor_id: i64,
    merged_id: i64,
    survivor_version: i64,
    merged_version: i64,
    take: Option<BTreeMap<String, String>>,
) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let req = super::MergeRequest {
            survivor_id,
            merged_id,
            survivor_version,
            merged_version,
            take: take.unwrap_or_default(),
        };
        let merged = super::service::merge(&db, ctx.user()?, &req).await?;
        leptos_axum::redirect(&format!("/customers/{}", merged.id));
        Ok(merged.id)
    };
    run.await.inspect_err(set_status)
}

/// The list's bulk action on the ticked customers (`sel[<id>]`), or with `all` on every customer the list's
/// filters find (up to [`super::bulk::MAX_BULK`]). `action` is `reassign` (with `manager_id`), `tag` (with
/// `tag`), `segment` (with `segment_id`, a static segment), `archive` or `restore`.
#[server(prefix = "/rpc", endpoint = "customers/bulk")]
pub async fn bulk_customers(
    action: String,
    sel: Option<BTreeMap<String, String>>,
    all: Option<String>,
    q: Option<String>,
    segment: Option<String>,
    stage: Option<String>,
    field: Option<String>,
    value: Option<String>,
    archived: Option<String>,
    manager_id: Option<String>,
    tag: Option<String>,
    segment_id: Option<String>,
) -> Result<super::bulk::BulkResult, AppError> {
    use super::bulk::{BulkAction, MAX_BULK};
    use crate::core::ErrCode;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let id_of = |field: &str, v: Option<String>| -> Result<i64, AppError> {
            let v = v.filter(|s| !s.trim().is_empty()).ok_or_else(|| AppError::field(field, ErrCode::Required))?;
            v.trim().parse().map_err(|_| AppError::field(field, ErrCode::InvalidChoice))
        };
        let action = match action.as_str() {
            "reassign" => BulkAction::Reassign { manager_id: id_of("manager_id", manager_id)? },
            "tag" => BulkAction::Tag { tag: tag.unwrap_or_default() },
            "segment" => BulkAction::AddToSegment { segment_id: id_of("segment_id", segment_id)? },
            "archive" => BulkAction::Archive,
            "restore" => BulkAction::Restore,
            _ => return Err(AppError::field("action", ErrCode::InvalidChoice)),
        };
        let ids: Vec<i64> = if all.is_some_and(|a| a == "true" || a == "on") {
            // Every customer the filters find, page by page.
            let defs = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Customer).await?;
            let mut query = super::store::ListQuery {
                q,
                segment: segment.filter(|s| !s.is_empty()).and_then(|s| s.parse().ok()),
                rules: super::simple_filters(&defs, stage, field, value),
                limit: super::MAX_PAGE,
                archived: crate::core::archive::Archived::parse(archived.as_deref())?,
                ..Default::default()
            };
            let mut ids = Vec::new();
            loop {
                let page = super::service::list(&db, user, &query).await?;
                ids.extend(page.items.iter().map(|c| c.id));
                if ids.len() > MAX_BULK {
                    return Err(AppError::field("ids", ErrCode::TooMany));
                }
                match page.next_cursor {
                    Some(c) => query.cursor = Some(c),
                    None => break,
                }
            }
            ids
        } else {
            sel.unwrap_or_default().keys().filter_map(|k| k.parse().ok()).collect()
        };
        super::bulk::run(&db, user, &ids, &action).await
    };
    run.await.inspect_err(set_status)
}

//! Server functions for segments: thin shims over [`super::service`].

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{Rule, Rules, Segment};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};
use crate::custom_fields::CustomField;

/// The segments page's data: the segments and the customers' custom fields (for the rule builder).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SegmentsPage {
    pub segments: Vec<Segment>,
    pub fields: Vec<CustomField>,
}

/// Segments and custom fields.
#[server(prefix = "/rpc", endpoint = "segments/list")]
pub async fn segments_data() -> Result<SegmentsPage, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let user = ctx.user()?;
        let segments = super::service::list(&db, user).await?;
        let fields =
            crate::custom_fields::service::list(&db, user, crate::custom_fields::FieldEntity::Customer).await?;
        Ok(SegmentsPage { segments, fields })
    };
    run.await.inspect_err(set_status)
}

/// The rule builder's rows (`rule[field.N]`, `rule[op.N]`, `rule[value.N]`) as rules; rows without a field
/// are skipped. A `value` of an `in` rule is comma-separated.
pub fn rules_from_form(form: &BTreeMap<String, String>, any: bool) -> Rules {
    let mut rows: Vec<usize> =
        form.keys().filter_map(|k| k.strip_prefix("field.").and_then(|n| n.parse().ok())).collect();
    rows.sort_unstable();
    let rules = rows
        .into_iter()
        .filter_map(|n| {
            let field = form.get(&format!("field.{n}")).map(|f| f.trim().to_string()).filter(|f| !f.is_empty())?;
            let op = form.get(&format!("op.{n}")).and_then(|o| super::Op::parse(o)).unwrap_or(super::Op::Eq);
            let value = form.get(&format!("value.{n}")).cloned().unwrap_or_default();
            Some(Rule { field, op, value: serde_json::Value::String(value) })
        })
        .collect();
    Rules { any, rules }
}

/// Creates a segment from the rule builder.
#[server(prefix = "/rpc", endpoint = "segments/create")]
pub async fn create_segment(
    name: String,
    kind: Option<String>,
    any: Option<String>,
    rule: Option<BTreeMap<String, String>>,
) -> Result<Segment, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let rules = rules_from_form(&rule.unwrap_or_default(), any.as_deref() == Some("any"));
        let input = super::NewSegment { name, kind, rules };
        super::service::create(&db, ctx.user()?, &input).await
    };
    run.await.inspect_err(set_status)
}

/// Saves a segment's edit form: its name and rules (a static one's snapshot is retaken when they change).
#[server(prefix = "/rpc", endpoint = "segments/update")]
pub async fn update_segment(
    id: i64,
    version: i64,
    name: String,
    any: Option<String>,
    rule: Option<BTreeMap<String, String>>,
) -> Result<Segment, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let rules = rules_from_form(&rule.unwrap_or_default(), any.as_deref() == Some("any"));
        let patch = super::SegmentPatch { version, name: Some(name), rules: Some(rules), refresh: None };
        super::service::update(&db, ctx.user()?, id, &patch).await
    };
    run.await.inspect_err(set_status)
}

/// One segment with the number of its members the user may see, evaluated now.
#[server(prefix = "/rpc", endpoint = "segments/get")]
pub async fn segment_with_count(id: i64) -> Result<(Segment, i64), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let user = ctx.user()?;
        let count = super::service::count(&db, user, id).await?;
        Ok((super::service::get(&db, user, id).await?, count))
    };
    run.await.inspect_err(set_status)
}

/// Retakes a static segment's snapshot.
#[server(prefix = "/rpc", endpoint = "segments/refresh")]
pub async fn refresh_segment(id: i64, version: i64) -> Result<Segment, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let patch = super::SegmentPatch { version, refresh: Some(true), ..Default::default() };
        super::service::update(&db, ctx.user()?, id, &patch).await
    };
    run.await.inspect_err(set_status)
}

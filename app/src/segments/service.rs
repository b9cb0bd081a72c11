//! Segment operations with their permission rules: everyone signed in uses segments (their members limited to
//! the customers the user may see); administrators and sales heads define and change them.

use super::{NewSegment, Segment, SegmentKind, SegmentPatch, store};
use crate::auth::{CurrentUser, Role, Scope};
use crate::core::AppError;
use crate::core::db::Db;
use crate::customers::store::{ListQuery, count_matching};
use crate::customers::{CustomerPage, service as customers};

fn may_define(user: &CurrentUser) -> Result<(), AppError> {
    if matches!(user.role, Role::Admin | Role::SalesHead) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Every segment.
pub async fn list(db: &Db, _user: &CurrentUser) -> Result<Vec<Segment>, AppError> {
    store::list(db).await
}

/// One segment.
pub async fn get(db: &Db, _user: &CurrentUser, id: i64) -> Result<Segment, AppError> {
    store::get(db, id).await
}

/// Creates a segment after checking its rules (a bad rule is a validation error on `rules[i]`); a static
/// segment takes its snapshot of members at once.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewSegment) -> Result<Segment, AppError> {
    may_define(user)?;
    let (name, kind) = input.validate()?;
    let ctx = customers::filter_ctx(db, Some(&input.rules), None).await?;
    let count = count_matching(db, Scope::All, &input.rules, &ctx).await?;
    let id = store::create(db, user.id, &name, kind, &input.rules, count).await?;
    if kind == SegmentKind::Static {
        store::snapshot(db, id, &input.rules, &ctx).await?;
    }
    store::get(db, id).await
}

/// Renames a segment or changes its rules; a static segment's snapshot is retaken when its rules change or
/// `refresh` asks for it.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &SegmentPatch) -> Result<Segment, AppError> {
    may_define(user)?;
    let current = store::get(db, id).await?;
    if current.version != patch.version {
        return Err(AppError::Conflict);
    }
    let (name, rules) = patch.apply(&current)?;
    if super::super::customers::filter::segment_ids(&rules).contains(&id) {
        return Err(AppError::field("rules", crate::core::ErrCode::InvalidChoice));
    }
    let ctx = customers::filter_ctx(db, Some(&rules), None).await?;
    let count = count_matching(db, Scope::All, &rules, &ctx).await?;
    store::update(db, id, patch.version, &name, &rules, count).await?;
    if current.kind == SegmentKind::Static && (rules != current.rules || patch.refresh == Some(true)) {
        store::snapshot(db, id, &rules, &ctx).await?;
    }
    store::get(db, id).await
}

/// How many of the segment's members `user` may see, evaluated now (a dynamic segment's stored total is
/// refreshed on the way when the user sees everything).
pub async fn count(db: &Db, user: &CurrentUser, id: i64) -> Result<i64, AppError> {
    let segment = store::get(db, id).await?;
    let ctx = customers::filter_ctx(db, None, Some(id)).await?;
    let member = super::Rules {
        any: false,
        rules: vec![super::Rule { field: "segment".into(), op: super::Op::Eq, value: id.into() }],
    };
    let n = count_matching(db, user.scope(), &member, &ctx).await?;
    if user.scope() == Scope::All && segment.kind == SegmentKind::Dynamic && n != segment.member_count {
        store::set_count(db, id, n).await?;
    }
    Ok(n)
}

/// A page of the segment's members that `user` may see.
pub async fn members(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    cursor: Option<String>,
    limit: u32,
) -> Result<CustomerPage, AppError> {
    store::get(db, id).await?;
    let query = ListQuery { segment: Some(id), cursor, limit, ..Default::default() };
    customers::list_full(db, user, &query).await
}

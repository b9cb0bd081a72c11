//! Segment operations with their permission rules: everyone signed in uses segments (their members limited to
//! the customers the user may see); administrators and sales heads define and change them.

use super::{NewSegment, Segment, SegmentKind, SegmentPatch, store};
use crate::core::AppError;
use crate::core::db::Db;
use crate::core::identity::{CurrentUser, Role, Scope};
use crate::customers::filter::FilterCtx;
use crate::customers::store::{ListQuery, count_matching};
use crate::customers::{CustomerPage, service as customers};

fn may_define(user: &CurrentUser) -> Result<(), AppError> {
    if matches!(user.role, Role::Admin | Role::SalesHead) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The segment as `user` sees it: its member count is of the customers in the user's scope. The stored
/// company-wide total is for those who see every customer; anyone else could otherwise probe rules such as
/// `phone contains …` against the whole company.
async fn as_seen_by(db: &Db, user: &CurrentUser, mut segment: Segment) -> Result<Segment, AppError> {
    if user.scope() != Scope::All {
        let ctx = customers::filter_ctx(db, None, Some(segment.id)).await?;
        segment.member_count = count_in_scope(db, user.scope(), segment.id, &ctx).await?;
    }
    Ok(segment)
}

/// Every segment, each counted within `user`'s scope: one count per segment, with the field definitions
/// and every segment's rules (which a segment's rules may name) read once for all of them.
pub async fn list(db: &Db, user: &CurrentUser) -> Result<Vec<Segment>, AppError> {
    let mut segments = store::list(db).await?;
    if user.scope() != Scope::All {
        let ctx = FilterCtx {
            defs: crate::custom_fields::store::list(db, crate::custom_fields::FieldEntity::Customer).await?,
            segments: segments.iter().map(|s| (s.id, (s.kind, s.rules.clone()))).collect(),
        };
        for s in &mut segments {
            s.member_count = count_in_scope(db, user.scope(), s.id, &ctx).await?;
        }
    }
    Ok(segments)
}

/// One segment, counted within `user`'s scope.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Segment, AppError> {
    as_seen_by(db, user, store::get(db, id).await?).await
}

/// How many members of segment `id` are in `scope`, evaluated now (`ctx` knows the segment's rules).
async fn count_in_scope(db: &Db, scope: Scope, id: i64, ctx: &FilterCtx) -> Result<i64, AppError> {
    let member = super::Rules {
        any: false,
        rules: vec![super::Rule { field: "segment".into(), op: super::Op::Eq, value: id.into() }],
    };
    count_matching(db, scope, &member, ctx).await
}

/// Creates a segment after checking its rules (a bad rule is a validation error on `rules[i]`); a static
/// segment takes its snapshot of members at once.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewSegment) -> Result<Segment, AppError> {
    may_define(user)?;
    let (name, kind) = input.validate()?;
    let ctx = customers::filter_ctx(db, Some(&input.rules), None).await?;
    let count = count_matching(db, Scope::All, &input.rules, &ctx).await?;
    let id = store::create(db, user.id, &name, kind, &input.rules, count, &ctx).await?;
    get(db, user, id).await
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
    let retake = current.kind == SegmentKind::Static && (rules != current.rules || patch.refresh == Some(true));
    store::update(db, id, patch.version, &name, &rules, count, retake.then_some(&ctx)).await?;
    get(db, user, id).await
}

/// How many of the segment's members `user` may see, evaluated now (a dynamic segment's stored total is
/// refreshed on the way when the user sees everything).
pub async fn count(db: &Db, user: &CurrentUser, id: i64) -> Result<i64, AppError> {
    let segment = store::get(db, id).await?;
    let ctx = customers::filter_ctx(db, None, Some(id)).await?;
    let n = count_in_scope(db, user.scope(), id, &ctx).await?;
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

//! Bulk actions on customers chosen in the list (or every customer a filter finds): hand them to another
//! manager, tag them, add them to a static segment, archive or restore them. Each customer changed gets
//! its own history row, so a bulk change reads on every card like one made by hand.

use serde::{Deserialize, Serialize};

/// Most customers one bulk action takes (a larger selection is refused: narrow the filter).
pub const MAX_BULK: usize = 10_000;

/// What to do with the chosen customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BulkAction {
    /// Makes `manager_id` responsible (someone the caller may assign to).
    Reassign {
        manager_id: i64,
    },
    /// Adds `tag` (customers that have it stay as they are).
    Tag {
        tag: String,
    },
    /// Adds them to static segment `segment_id` (sales heads and administrators; retaking the segment's
    /// snapshot later replaces its members by its rules again).
    AddToSegment {
        segment_id: i64,
    },
    Archive,
    Restore,
}

/// A bulk action on customers by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkRequest {
    /// Up to [`MAX_BULK`] customers, each in the caller's scope (one outside it refuses the whole request).
    pub ids: Vec<i64>,
    #[serde(flatten)]
    pub action: BulkAction,
}

/// What a bulk action did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkResult {
    /// Customers changed.
    pub changed: i64,
    /// Customers that were already so (or changed by someone else meanwhile, for archive and restore).
    pub unchanged: i64,
}

#[cfg(feature = "ssr")]
pub use server::run;

#[cfg(feature = "ssr")]
mod server {
    use super::{BulkAction, BulkResult, MAX_BULK};
    use crate::audit::FieldChange;
    use crate::core::db::{BeginWrite, Db, placeholders_after};
    use crate::core::identity::{CurrentUser, Role};
    use crate::core::{AppError, ErrCode, now_millis};
    use crate::customers::store::{Arg, bind_args, scope_sql};
    use crate::db_run;
    use crate::segments::SegmentKind;

    /// One chosen customer as read before the change.
    #[derive(sqlx::FromRow)]
    struct Chosen {
        id: i64,
        manager_id: i64,
        manager_name: String,
        tags: String,
        version: i64,
        archived_at: Option<i64>,
    }

    /// Ids per statement (well under both databases' limits on parameters).
    const CHUNK: usize = 500;

    /// Reads the chosen customers; one missing or outside `user`'s scope refuses them all.
    async fn chosen(db: &Db, user: &CurrentUser, ids: &[i64]) -> Result<Vec<Chosen>, AppError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            let mut args: Vec<Arg> = chunk.iter().map(|id| Arg::I(*id)).collect();
            let mut sql = format!(
                "SELECT c.id, c.manager_id, u.name AS manager_name, c.tags, c.version, c.archived_at \
                 FROM customers c JOIN users u ON u.id = c.manager_id WHERE c.id IN ({})",
                placeholders_after(0, chunk.len())
            );
            scope_sql(user.scope(), &mut sql, &mut args);
            let rows: Vec<Chosen> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
            if rows.len() != chunk.len() {
                return Err(AppError::Forbidden);
            }
            out.extend(rows);
        }
        Ok(out)
    }

    /// Runs `action` on customers `ids` (deduplicated) as `user`: every customer must be in the user's scope
    /// (403 otherwise), then the action's input is checked (422), then the change is made.
    pub async fn run(db: &Db, user: &CurrentUser, ids: &[i64], action: &BulkAction) -> Result<BulkResult, AppError> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(AppError::field("ids", ErrCode::Required));
        }
        if ids.len() > MAX_BULK {
            return Err(AppError::field("ids", ErrCode::TooMany));
        }
        let rows = chosen(db, user, &ids).await?;
        let target = match action {
            BulkAction::Reassign { manager_id } => {
                crate::customers::store::check_assignable(db, user, *manager_id).await?;
                Some(crate::customers::store::user_name(db, *manager_id).await?)
            }
            BulkAction::Tag { tag } => {
                let tag = tag.trim();
                if tag.is_empty() {
                    return Err(AppError::field("tag", ErrCode::Required));
                }
                if tag.chars().count() > 50 {
                    return Err(AppError::field("tag", ErrCode::TooLong));
                }
                None
            }
            BulkAction::AddToSegment { segment_id } => {
                if !matches!(user.role, Role::Admin | Role::SalesHead) {
                    return Err(AppError::Forbidden);
                }
                match crate::segments::store::get(db, *segment_id).await {
                    Ok(s) if s.kind == SegmentKind::Static => None,
                    Ok(_) | Err(AppError::NotFound) => {
                        return Err(AppError::field("segment_id", ErrCode::InvalidChoice));
                    }
                    Err(e) => return Err(e),
                }
            }
            BulkAction::Archive | BulkAction::Restore => None,
        };
        let now = now_millis();
        let mut changed: Vec<i64> = Vec::new();
        match action {
            BulkAction::Reassign { manager_id } => {
                let new = target.unwrap_or_default();
                let moving: Vec<&Chosen> = rows.iter().filter(|c| c.manager_id != *manager_id).collect();
                db_run!(db, p => async {
                    let mut tx = p.begin_write().await?;
                    for c in &moving {
                        sqlx::query("UPDATE customers SET manager_id = $1, updated_by = $2, updated_at = $3, \
                                     version = version + 1 WHERE id = $4")
                            .bind(manager_id).bind(user.id).bind(now).bind(c.id).execute(&mut *tx).await?;
                        let change = [FieldChange {
                            field: "manager".into(),
                            old: Some(c.manager_name.clone()),
                            new: Some(new.clone()),
                        }];
                        crate::audit!(tx, c.id, "customer", c.id, "changed", &change, user.id, now)?;
                    }
                    tx.commit().await
                }.await)?;
                changed.extend(moving.iter().map(|c| c.id));
            }
            BulkAction::Tag { tag } => {
                let tag = tag.trim().to_string();
                let sep = crate::customers::store::TAG_SEP;
                let tagging: Vec<&Chosen> =
                    rows.iter().filter(|c| !c.tags.split(sep).any(|t| t.eq_ignore_ascii_case(&tag))).collect();
                db_run!(db, p => async {
                    let mut tx = p.begin_write().await?;
                    for c in &tagging {
                        let mut tags: Vec<&str> = c.tags.split(sep).filter(|t| !t.is_empty()).collect();
                        let old = (!tags.is_empty()).then(|| tags.join(", "));
                        tags.push(&tag);
                        sqlx::query("UPDATE customers SET tags = $1, updated_by = $2, updated_at = $3, \
                                     version = version + 1 WHERE id = $4")
                            .bind(tags.join(&sep.to_string())).bind(user.id).bind(now).bind(c.id)
                            .execute(&mut *tx).await?;
                        sqlx::query("INSERT INTO customer_tags (customer_id, tag) VALUES ($1, $2)")
                            .bind(c.id).bind(&tag).execute(&mut *tx).await?;
                        let change = [FieldChange { field: "tags".into(), old, new: Some(tags.join(", ")) }];
                        crate::audit!(tx, c.id, "customer", c.id, "changed", &change, user.id, now)?;
                    }
                    tx.commit().await
                }.await)?;
                changed.extend(tagging.iter().map(|c| c.id));
            }
            BulkAction::AddToSegment { segment_id } => {
                let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
                let added = db_run!(db, p => async {
                    let mut tx = p.begin_write().await?;
                    let mut added = Vec::new();
                    for id in &ids {
                        let n = sqlx::query("INSERT INTO segment_members (segment_id, customer_id) VALUES ($1, $2) \
                                             ON CONFLICT DO NOTHING")
                            .bind(segment_id).bind(id).execute(&mut *tx).await?.rows_affected();
                        if n == 1 {
                            added.push(*id);
                        }
                    }
                    sqlx::query("UPDATE segments SET member_count = (SELECT COUNT(*) FROM segment_members \
                                 WHERE segment_id = $1), updated_at = $2, version = version + 1 WHERE id = $1")
                        .bind(segment_id).bind(now).execute(&mut *tx).await?;
                    tx.commit().await.map(|_| added)
                }.await)?;
                // The card's history does not list segment memberships; nothing else to refresh.
                return Ok(BulkResult { changed: added.len() as i64, unchanged: (ids.len() - added.len()) as i64 });
            }
            BulkAction::Archive | BulkAction::Restore => {
                let archive = matches!(action, BulkAction::Archive);
                for c in rows.iter().filter(|c| c.archived_at.is_some() != archive) {
                    let kind = crate::records::RecordKind::Customer;
                    match crate::records::store::set_archived(db, kind, c.id, c.version, archive, user.id, Some(c.id))
                        .await
                    {
                        Ok(_) => changed.push(c.id),
                        // Changed by someone else since it was read: left for them, counted as unchanged.
                        Err(AppError::Conflict) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        crate::customers::search::refresh_all(db, changed.iter().copied()).await?;
        Ok(BulkResult { changed: changed.len() as i64, unchanged: (rows.len() - changed.len()) as i64 })
    }
}

//! Archive, restore, delete and erase with their permission rules; shared by the server functions and the
//! REST API. Who may see a record (each area's own rule) may archive and restore it; deleting and erasing
//! are for administrators.

use super::{ArchiveState, Deletion, RecordKind, store};
use crate::core::AppError;
use crate::core::db::Db;
use crate::core::identity::{CurrentUser, Role};

/// What the archive needs of a record, read through its area's access rule.
struct Head {
    name: String,
    version: i64,
    archived_at: Option<i64>,
    /// The customer whose timeline shows its audit rows.
    customer_id: Option<i64>,
    /// A deal as read (open boards are told of its change).
    deal: Option<crate::deals::Deal>,
}

async fn head(db: &Db, user: &CurrentUser, kind: RecordKind, id: i64) -> Result<Head, AppError> {
    Ok(match kind {
        RecordKind::Customer => {
            let c = crate::customers::store::get(db, user.scope(), id).await?;
            Head { name: c.name, version: c.version, archived_at: c.archived_at, customer_id: Some(c.id), deal: None }
        }
        RecordKind::Contact => {
            let c = crate::contacts::service::get(db, user, id).await?;
            let customer_id = c.customers.first().map(|l| l.customer_id);
            Head { name: c.name, version: c.version, archived_at: c.archived_at, customer_id, deal: None }
        }
        RecordKind::Counterparty => {
            let c = crate::counterparties::service::get(db, user, id).await?;
            let customer_id = Some(c.customer_id).filter(|id| *id > 0);
            Head { name: c.legal_name, version: c.version, archived_at: c.archived_at, customer_id, deal: None }
        }
        RecordKind::Deal => {
            let d = crate::deals::service::get(db, user, id).await?;
            Head {
                name: d.title.clone(),
                version: d.version,
                archived_at: d.archived_at,
                customer_id: Some(d.customer_id),
                deal: Some(d),
            }
        }
        RecordKind::Task => {
            let t = crate::tasks::service::get(db, user, id).await?;
            Head {
                name: t.title,
                version: t.version,
                archived_at: t.archived_at,
                customer_id: t.customer_id,
                deal: None,
            }
        }
        RecordKind::Interaction => {
            let i = crate::interactions::service::get(db, user, id).await?;
            let name = i.subject.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| i.kind.code().to_string());
            Head { name, version: i.version, archived_at: i.archived_at, customer_id: Some(i.customer_id), deal: None }
        }
    })
}

/// Archives (`archived = true`) or restores a record `user` may see, based on `version` (a stale one is a
/// `Conflict`). Asking for the state it is already in changes nothing and answers its state.
pub async fn set_archived(
    db: &Db,
    user: &CurrentUser,
    kind: RecordKind,
    id: i64,
    version: i64,
    archived: bool,
) -> Result<ArchiveState, AppError> {
    let h = head(db, user, kind, id).await?;
    if h.version != version {
        return Err(AppError::Conflict);
    }
    if h.archived_at.is_some() == archived {
        return Ok(ArchiveState { kind, id, archived_at: h.archived_at, version: h.version });
    }
    let state = store::set_archived(db, kind, id, version, archived, user.id, h.customer_id).await?;
    if let Some(deal) = h.deal {
        let deal = crate::deals::Deal { version: state.version, archived_at: state.archived_at, ..deal };
        crate::deals::service::announce(db, &deal).await;
    }
    Ok(state)
}

fn admin_only(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

/// What deleting the record would take with it (administrators only).
pub async fn deletion(db: &Db, user: &CurrentUser, kind: RecordKind, id: i64) -> Result<Deletion, AppError> {
    admin_only(user)?;
    let h = head(db, user, kind, id).await?;
    let goes = store::deletion(db, kind, id).await?;
    Ok(Deletion { kind, id, name: h.name, version: h.version, goes })
}

/// Deletes a record and what goes with it, at `version` (administrators only).
pub async fn delete(db: &Db, user: &CurrentUser, kind: RecordKind, id: i64, version: i64) -> Result<(), AppError> {
    admin_only(user)?;
    let h = head(db, user, kind, id).await?;
    if h.version != version {
        return Err(AppError::Conflict);
    }
    if store::issued_documents(db, kind, id).await? > 0 {
        return Err(AppError::field("id", crate::core::ErrCode::HasDocuments));
    }
    store::delete(db, kind, id, version, &h.name, user.id, h.customer_id).await?;
    // The customers whose contacts or counterparties went were marked stale in the same transaction.
    crate::customers::search::sweep(db, 100).await?;
    if let Some(deal) = h.deal {
        crate::deals::service::announce(db, &deal).await;
    }
    Ok(())
}

/// Erases the personal data of a customer or contact at `version` (administrators only).
pub async fn erase(db: &Db, user: &CurrentUser, kind: RecordKind, id: i64, version: i64) -> Result<(), AppError> {
    admin_only(user)?;
    if !kind.erasable() {
        return Err(AppError::NotFound);
    }
    let h = head(db, user, kind, id).await?;
    if h.version != version {
        return Err(AppError::Conflict);
    }
    store::erase(db, kind, id, version, user.id, h.customer_id).await?;
    crate::customers::search::sweep(db, 100).await?;
    Ok(())
}

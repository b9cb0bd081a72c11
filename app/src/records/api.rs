//! Server functions to archive, restore, delete and erase: thin shims over [`super::service`]. Plain forms
//! post them too (the record's kind as its code).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::RecordKind;
use super::{ArchiveState, Deletion};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// The kind named by a form, in a module that is switched on.
#[cfg(feature = "ssr")]
fn kind_of(ctx: &crate::core::request::RequestCtx, code: &str) -> Result<RecordKind, AppError> {
    let kind = RecordKind::parse(code).ok_or(AppError::NotFound)?;
    let module = match kind {
        RecordKind::Customer | RecordKind::Contact | RecordKind::Counterparty => crate::customers::MODULE.key,
        RecordKind::Deal => crate::deals::MODULE.key,
        RecordKind::Task => crate::tasks::MODULE.key,
        RecordKind::Interaction => crate::interactions::MODULE.key,
    };
    ctx.require_module(module)?;
    Ok(kind)
}

/// Archives (`archived` true) or restores a record at `version`.
#[server(prefix = "/rpc", endpoint = "records/archive")]
pub async fn set_archived(kind: String, id: i64, version: i64, archived: bool) -> Result<ArchiveState, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let kind = kind_of(&ctx, &kind)?;
        super::service::set_archived(&db, ctx.user()?, kind, id, version, archived).await
    };
    run.await.inspect_err(set_status)
}

/// What deleting a record takes with it (administrators).
#[server(prefix = "/rpc", endpoint = "records/deletion")]
pub async fn deletion_of(kind: String, id: i64) -> Result<Deletion, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let kind = kind_of(&ctx, &kind)?;
        super::service::deletion(&db, ctx.user()?, kind, id).await
    };
    run.await.inspect_err(set_status)
}

/// Deletes a record and what goes with it (administrators), then leads to `back`.
#[server(prefix = "/rpc", endpoint = "records/delete")]
pub async fn delete_record(kind: String, id: i64, version: i64, back: Option<String>) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let kind = kind_of(&ctx, &kind)?;
        super::service::delete(&db, ctx.user()?, kind, id, version).await?;
        // Only a path of this site (never `//elsewhere`).
        let back = back.filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'));
        leptos_axum::redirect(back.as_deref().unwrap_or("/"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// Erases a customer's or contact's personal data (administrators).
#[server(prefix = "/rpc", endpoint = "records/erase")]
pub async fn erase_record(kind: String, id: i64, version: i64) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let kind = kind_of(&ctx, &kind)?;
        super::service::erase(&db, ctx.user()?, kind, id, version).await
    };
    run.await.inspect_err(set_status)
}

//! Server functions for imports: thin shims over [`super::service`]. The file itself is uploaded by a plain
//! form to `POST /customers/import` (multipart) or by the REST API.

use leptos::prelude::*;

use super::{Import, PreviewRow};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// The user's latest imports.
#[server(prefix = "/rpc", endpoint = "imports/list")]
pub async fn list_imports() -> Result<Vec<Import>, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        super::service::list(&db, ctx.user()?).await
    };
    run.await.inspect_err(set_status)
}

/// The import page's data: the import, the first rows as they would be imported, and the fields a column
/// can go to (`(target, label)`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportData {
    pub import: Import,
    pub preview: Vec<PreviewRow>,
    pub targets: Vec<(String, String)>,
}

/// One import with its preview (while not started) and the mapping choices.
#[server(prefix = "/rpc", endpoint = "imports/get")]
pub async fn get_import(id: i64) -> Result<ImportData, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let user = ctx.user()?;
        let (import, preview) = match super::service::get(&db, user, id).await? {
            i if i.status == super::ImportStatus::Uploaded => super::service::preview(&db, user, id).await?,
            i => (i, Vec::new()),
        };
        let defs = match import.kind.custom_fields() {
            Some(entity) => crate::custom_fields::store::list(&db, entity).await?,
            None => Vec::new(),
        };
        let lang = ctx.lang;
        let mut targets: Vec<(String, String)> = import
            .kind
            .targets()
            .iter()
            .map(|t| (t.to_string(), super::target_msg(t).text(lang).to_string()))
            .collect();
        targets.extend(defs.into_iter().filter(|d| !d.retired).map(|d| (format!("custom.{}", d.key), d.label)));
        Ok(ImportData { import, preview, targets })
    };
    run.await.inspect_err(set_status)
}

/// Saves the mapping (`col[N]` = target) and what to do with duplicates.
#[server(prefix = "/rpc", endpoint = "imports/mapping")]
pub async fn set_import_mapping(
    id: i64,
    on_duplicate: String,
    col: Option<std::collections::BTreeMap<String, String>>,
) -> Result<Import, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let user = ctx.user()?;
        let import = super::service::get(&db, user, id).await?;
        let col = col.unwrap_or_default();
        let mapping: Vec<String> =
            (0..import.headers.len()).map(|i| col.get(&i.to_string()).cloned().unwrap_or_default()).collect();
        super::service::set_mapping(&db, user, id, &mapping, &on_duplicate).await
    };
    run.await.inspect_err(set_status)
}

/// Starts the import in the background.
#[server(prefix = "/rpc", endpoint = "imports/start")]
pub async fn start_import(id: i64) -> Result<Import, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        super::service::start(&db, ctx.user()?, id).await
    };
    run.await.inspect_err(set_status)
}

/// The progress of an import (polled by the page while it runs).
#[server(prefix = "/rpc", endpoint = "imports/status")]
pub async fn import_status(id: i64) -> Result<Import, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        super::service::get(&db, ctx.user()?, id).await
    };
    run.await.inspect_err(set_status)
}

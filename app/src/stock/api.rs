//! Server functions for the stock pages: thin shims over the services.

use leptos::prelude::*;

use super::dashboard::Dashboard;
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// The warehouse dashboard of one warehouse (`warehouse`: its id) or of all of them.
#[server(prefix = "/rpc", endpoint = "stock/dashboard")]
pub async fn stock_dashboard(warehouse: Option<String>) -> Result<Dashboard, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let warehouse = match warehouse.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            Some(w) => Some(w.parse::<i64>().map_err(|_| AppError::NotFound)?),
            None => None,
        };
        super::dashboard_store::dashboard(&db, ctx.user()?, warehouse).await
    };
    run.await.inspect_err(set_status)
}

//! Server functions for Settings > Modules (administrator only).

use leptos::prelude::*;

use crate::core::AppError;

/// Switches a registered module on or off.
#[server(prefix = "/rpc", endpoint = "settings/modules")]
pub async fn set_module_enabled(key: String, enabled: bool) -> Result<(), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        let cache = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::core::modules::ModuleCache>().cloned())
            .ok_or_else(|| crate::core::request::internal("module cache missing from the request"))?;
        if cache.modules().get(&key).is_none() {
            return Err(AppError::NotFound);
        }
        crate::core::modules::set_module(&db, &key, enabled).await?;
        cache.invalidate();
        Ok(())
    };
    run.await.inspect_err(crate::core::request::set_status)
}

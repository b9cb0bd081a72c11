//! Server functions for Settings > Modules (administrator only).

use leptos::prelude::*;

use crate::core::AppError;

/// Switches a registered module on or off.
#[server(prefix = "/rpc", endpoint = "settings/modules")]
pub async fn set_module_enabled(key: String, enabled: bool) -> Result<(), AppError> {
    let run = async {
        let (_, db) = crate::admin::api::admin_session()?;
        if !crate::core::modules::MODULES.iter().any(|m| m.key == key) {
            return Err(AppError::NotFound);
        }
        crate::auth::store::set_module(&db, &key, enabled).await?;
        if let Some(parts) = use_context::<http::request::Parts>()
            && let Some(cache) = parts.extensions.get::<crate::core::modules::ModuleCache>()
        {
            cache.invalidate();
        }
        Ok(())
    };
    run.await.inspect_err(crate::core::request::set_status)
}

//! Business modules that can be switched off. Each area declares its `MODULE`; this registry lists them.

use super::Msg;

/// A switchable business module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleDef {
    /// Stable key stored in the database (`customers`).
    pub key: &'static str,
    /// Its name in Settings > Modules.
    pub name: Msg,
    /// URL prefixes (pages and REST) that answer 404 while the module is off.
    pub paths: &'static [&'static str],
}

/// Every module, in menu order. A new area adds its `MODULE` here.
pub const MODULES: &[ModuleDef] = &[
    crate::customers::MODULE,
    crate::interactions::MODULE,
    crate::tasks::MODULE,
    crate::mail::MODULE,
    crate::deals::MODULE,
];

/// The module that owns `path`, if any.
pub fn module_for_path(path: &str) -> Option<&'static ModuleDef> {
    MODULES.iter().find(|m| {
        m.paths.iter().any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with(['/', '?'])))
    })
}

/// The switched-off modules, cached per process for [`ModuleCache::TTL`] so that a request does not pay a
/// database round trip for them. A switch on this server is seen at once; other servers see it within the TTL.
#[cfg(feature = "ssr")]
#[derive(Clone, Default, Debug)]
pub struct ModuleCache(std::sync::Arc<std::sync::Mutex<Option<CachedModules>>>);

/// When the switched-off module keys were read, and the keys.
#[cfg(feature = "ssr")]
type CachedModules = (std::time::Instant, Vec<String>);

#[cfg(feature = "ssr")]
impl ModuleCache {
    /// How long a read stays valid.
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(2);

    /// The cached keys, or a fresh read when stale.
    pub async fn disabled(&self, db: &super::db::Db) -> Result<Vec<String>, super::AppError> {
        if let Ok(guard) = self.0.lock()
            && let Some((at, keys)) = guard.as_ref()
            && at.elapsed() < Self::TTL
        {
            return Ok(keys.clone());
        }
        let keys = crate::auth::store::disabled_modules(db).await?;
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some((std::time::Instant::now(), keys.clone()));
        }
        Ok(keys)
    }

    /// Forgets the cached value (after a switch).
    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_on_segment_boundaries() {
        assert_eq!(module_for_path("/customers").map(|m| m.key), Some("customers"));
        assert_eq!(module_for_path("/customers/12").map(|m| m.key), Some("customers"));
        assert_eq!(module_for_path("/api/v1/customers?q=a").map(|m| m.key), Some("customers"));
        assert_eq!(module_for_path("/customersX"), None);
        assert_eq!(module_for_path("/admin/users"), None);
    }
}

//! Business modules that can be switched off. Each area declares its `MODULE`; the top registers them.

use super::Msg;
#[cfg(feature = "ssr")]
use super::{AppError, db::Db};
#[cfg(feature = "ssr")]
use crate::db_run;

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

/// The registered modules, in menu order. The top of the app (the one place that names every area) builds
/// the list; it reaches the rest as Leptos context in the UI ([`Modules::current`]) and inside [`ModuleCache`]
/// on the server, so no area and nothing in `core` needs to know the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modules(pub &'static [ModuleDef]);

impl Modules {
    /// Every registered module.
    pub fn all(self) -> &'static [ModuleDef] {
        self.0
    }

    /// The module with this key.
    pub fn get(self, key: &str) -> Option<&'static ModuleDef> {
        self.0.iter().find(|m| m.key == key)
    }

    /// The module that owns `path`, if any (a prefix matches on a segment boundary).
    pub fn for_path(self, path: &str) -> Option<&'static ModuleDef> {
        self.0.iter().find(|m| {
            m.paths.iter().any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with(['/', '?'])))
        })
    }

    /// The list the app's root component provided.
    pub fn current() -> Modules {
        leptos::prelude::expect_context::<Modules>()
    }
}

/// The switched-off modules, cached per process for [`ModuleCache::TTL`] so that a request does not pay a
/// database round trip for them. A switch on this server is seen at once; other servers see it within the TTL.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ModuleCache {
    modules: Modules,
    cached: std::sync::Arc<std::sync::Mutex<Option<CachedModules>>>,
}

/// When the switched-off module keys were read, and the keys.
#[cfg(feature = "ssr")]
type CachedModules = (std::time::Instant, Vec<String>);

#[cfg(feature = "ssr")]
impl ModuleCache {
    /// How long a read stays valid.
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(2);

    /// A cache for the registered `modules`, empty until the first read.
    pub fn new(modules: Modules) -> ModuleCache {
        ModuleCache { modules, cached: Default::default() }
    }

    /// The registered modules.
    pub fn modules(&self) -> Modules {
        self.modules
    }

    /// The cached keys, or a fresh read when stale.
    pub async fn disabled(&self, db: &Db) -> Result<Vec<String>, AppError> {
        if let Ok(guard) = self.cached.lock()
            && let Some((at, keys)) = guard.as_ref()
            && at.elapsed() < Self::TTL
        {
            return Ok(keys.clone());
        }
        let keys = disabled_modules(db).await?;
        if let Ok(mut guard) = self.cached.lock() {
            *guard = Some((std::time::Instant::now(), keys.clone()));
        }
        Ok(keys)
    }

    /// Forgets the cached value (after a switch).
    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.cached.lock() {
            *guard = None;
        }
    }
}

/// Keys of the modules switched off.
#[cfg(feature = "ssr")]
pub async fn disabled_modules(db: &Db) -> Result<Vec<String>, AppError> {
    let sql = "SELECT key FROM modules WHERE NOT enabled ORDER BY key";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).fetch_all(p).await)?)
}

/// Switches a module on or off.
#[cfg(feature = "ssr")]
pub async fn set_module(db: &Db, key: &str, enabled: bool) -> Result<(), AppError> {
    let sql =
        "INSERT INTO modules (key, enabled) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET enabled = excluded.enabled";
    db_run!(db, p => sqlx::query(sql).bind(key).bind(enabled).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: ModuleDef =
        ModuleDef { key: "customers", name: Msg::NavCustomers, paths: &["/customers", "/api/v1/customers"] };
    const B: ModuleDef = ModuleDef { key: "tasks", name: Msg::NavMyDay, paths: &["/tasks"] };

    #[test]
    fn paths_match_on_segment_boundaries() {
        let modules = Modules(&[A, B]);
        let key = |p: &str| modules.for_path(p).map(|m| m.key);
        assert_eq!(key("/customers"), Some("customers"));
        assert_eq!(key("/customers/12"), Some("customers"));
        assert_eq!(key("/api/v1/customers?q=a"), Some("customers"));
        assert_eq!(key("/tasks/3"), Some("tasks"));
        assert_eq!(key("/customersX"), None);
        assert_eq!(key("/admin/users"), None);
        assert_eq!(modules.get("tasks"), Some(&B));
    }
}

//! Product groups: a tree (a group inside a group, at most [`MAX_DEPTH`] levels) that the catalog and the
//! stock lists filter by (a group with all its subgroups) and an import file names by path ("Mebel / Stullar").
//! A name is unique among its siblings and holds no `/`, so a path names one group. The tree is read whole
//! (at most [`MAX_GROUPS`] groups, a few milliseconds) and its pages are cut in memory, in path order.

use serde::{Deserialize, Serialize};

use crate::core::Millis;

/// How deep groups nest.
pub const MAX_DEPTH: usize = 8;
/// How many groups a catalog may have.
pub const MAX_GROUPS: usize = 10_000;
/// What separates the groups of a path.
pub const PATH_SEP: &str = " / ";

/// A group of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductGroup {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    /// Its names from the root: `"Mebel / Stullar"`.
    pub path: String,
    /// 1 for a group at the root.
    pub depth: i64,
    /// Products in this group itself (not in its subgroups).
    pub products: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
}

/// A new group, or (with `version`) the new name and place of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupInput {
    /// Required when changing a group: the version read.
    #[serde(default)]
    pub version: Option<i64>,
    /// The group it goes in; none: the root.
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub name: String,
}

/// The names of a path (`"Mebel / Stullar"`, `"Mebel/Stullar"`), trimmed, empty ones dropped.
pub fn split_path(path: &str) -> Vec<String> {
    path.split('/').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// How a name is compared with its siblings'.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use std::collections::HashMap;

    use super::*;
    use crate::core::db::{BeginWrite, Db, is_unique_violation};
    use crate::core::identity::CurrentUser;
    use crate::core::{AppError, Checks, ErrCode, now_millis};
    use crate::db_run;

    /// The whole tree, in path order.
    pub struct Tree {
        pub groups: Vec<ProductGroup>,
    }

    impl Tree {
        /// Reads every group, with its path, depth and product count.
        pub async fn load(db: &Db) -> Result<Tree, AppError> {
            let sql = "SELECT id, parent_id, name, created_at, updated_at, version FROM product_groups";
            let rows: Vec<(i64, Option<i64>, String, i64, i64, i64)> =
                db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)?;
            let counts_sql = "SELECT group_id, COUNT(*) FROM products WHERE group_id IS NOT NULL GROUP BY group_id";
            let counts: HashMap<i64, i64> =
                db_run!(db, p => sqlx::query_as::<_, (i64, i64)>(counts_sql).fetch_all(p).await)?.into_iter().collect();
            let by_id: HashMap<i64, (Option<i64>, &str)> = rows.iter().map(|r| (r.0, (r.1, r.2.as_str()))).collect();
            let mut groups: Vec<ProductGroup> = rows
                .iter()
                .map(|r| {
                    let mut names = vec![r.2.as_str()];
                    let mut up = r.1;
                    // The tree has no loops (every move is checked); the bound keeps a broken row from hanging.
                    while let Some(u) = up.filter(|_| names.len() <= MAX_DEPTH + 1) {
                        let Some((parent, name)) = by_id.get(&u) else { break };
                        names.push(name);
                        up = *parent;
                    }
                    names.reverse();
                    ProductGroup {
                        id: r.0,
                        parent_id: r.1,
                        name: r.2.clone(),
                        path: names.join(PATH_SEP),
                        depth: names.len() as i64,
                        products: counts.get(&r.0).copied().unwrap_or(0),
                        created_at: r.3,
                        updated_at: r.4,
                        version: r.5,
                    }
                })
                .collect();
            groups.sort_by_cached_key(|g| (g.path.to_lowercase(), g.id));
            Ok(Tree { groups })
        }

        pub fn get(&self, id: i64) -> Option<&ProductGroup> {
            self.groups.iter().find(|g| g.id == id)
        }

        /// `id` and every group below it.
        pub fn subtree(&self, id: i64) -> Vec<i64> {
            let mut out = vec![id];
            let mut i = 0;
            while i < out.len() {
                let parent = out[i];
                out.extend(self.groups.iter().filter(|g| g.parent_id == Some(parent)).map(|g| g.id));
                i += 1;
            }
            out
        }

        /// How many levels the subtree of `id` spans (1: no subgroups).
        fn height(&self, id: i64) -> usize {
            let children: Vec<i64> = self.groups.iter().filter(|g| g.parent_id == Some(id)).map(|g| g.id).collect();
            1 + children.into_iter().map(|c| self.height(c)).max().unwrap_or(0)
        }

        /// The group a path names (compared as [`name_key`]), if there is one.
        pub fn find_path(&self, names: &[String]) -> Option<i64> {
            let mut parent = None;
            for n in names {
                let key = name_key(n);
                parent =
                    Some(self.groups.iter().find(|g| g.parent_id == parent && name_key(&g.name) == key).map(|g| g.id)?);
            }
            parent
        }

        /// A page in path order after `cursor` (the last id of the previous page).
        pub fn page(self, cursor: Option<i64>, limit: i64) -> (Vec<ProductGroup>, Option<String>) {
            let limit = limit.clamp(1, i64::from(crate::core::MAX_PAGE)) as usize;
            let start = cursor.and_then(|c| self.groups.iter().position(|g| g.id == c)).map_or(0, |i| i + 1);
            let mut items: Vec<ProductGroup> = self.groups.into_iter().skip(start).take(limit + 1).collect();
            let next = (items.len() > limit).then(|| {
                items.truncate(limit);
                items.last().map(|g| g.id.to_string()).unwrap_or_default()
            });
            (items, next)
        }
    }

    /// A group's name, checked.
    fn checked_name(c: &mut Checks, name: &str) -> String {
        let name = c.text("name", name, 120);
        if name.contains('/') {
            c.fail("name", ErrCode::SlashInName);
        }
        name
    }

    /// Creates a group (`id: None`) or renames and moves one at `input.version`.
    pub async fn save(
        db: &Db,
        user: &CurrentUser,
        id: Option<i64>,
        input: &GroupInput,
    ) -> Result<ProductGroup, AppError> {
        crate::stock::service::catalog_keeper(user)?;
        let tree = Tree::load(db).await?;
        if let Some(id) = id {
            tree.get(id).ok_or(AppError::NotFound)?;
        }
        let mut c = Checks::default();
        let name = checked_name(&mut c, &input.name);
        let version = match id {
            Some(_) => input.version.ok_or_else(|| AppError::field("version", ErrCode::Required))?,
            None => 0,
        };
        if let Some(parent) = input.parent_id {
            match tree.get(parent) {
                None => c.fail("parent_id", ErrCode::InvalidChoice),
                Some(_) if id.is_some_and(|i| tree.subtree(i).contains(&parent)) => {
                    c.fail("parent_id", ErrCode::GroupLoop)
                }
                Some(p) => {
                    let height = id.map_or(1, |i| tree.height(i));
                    if p.depth as usize + height > MAX_DEPTH {
                        c.fail("parent_id", ErrCode::GroupTooDeep);
                    }
                }
            }
        }
        if id.is_none() && tree.groups.len() >= MAX_GROUPS {
            c.fail("name", ErrCode::TooMany);
        }
        c.finish()?;
        let id = write(db, id, version, input.parent_id, &name).await?;
        Tree::load(db).await?.get(id).cloned().ok_or(AppError::NotFound)
    }

    /// Inserts or updates one group row; a sibling's name is `NameTaken`.
    async fn write(db: &Db, id: Option<i64>, version: i64, parent: Option<i64>, name: &str) -> Result<i64, AppError> {
        let now = now_millis();
        let key = name_key(name);
        let taken = |e: sqlx::Error| {
            if is_unique_violation(&e) { AppError::field("name", ErrCode::NameTaken) } else { AppError::from(e) }
        };
        match id {
            None => {
                let sql = "INSERT INTO product_groups (parent_id, name, name_key, created_at, updated_at) \
                           VALUES ($1, $2, $3, $4, $4) RETURNING id";
                db_run!(db, p => sqlx::query_scalar(sql).bind(parent).bind(name).bind(&key).bind(now)
                    .fetch_one(p).await.map_err(taken))
            }
            Some(id) => {
                let sql = "UPDATE product_groups SET parent_id = $1, name = $2, name_key = $3, updated_at = $4, \
                           version = version + 1 WHERE id = $5 AND version = $6";
                let n = db_run!(db, p => sqlx::query(sql).bind(parent).bind(name).bind(&key).bind(now).bind(id)
                    .bind(version).execute(p).await.map(|r| r.rows_affected()).map_err(taken))?;
                if n == 1 { Ok(id) } else { Err(AppError::Conflict) }
            }
        }
    }

    /// Deletes an empty group (no products, no subgroups) at `version`.
    pub async fn delete(db: &Db, user: &CurrentUser, id: i64, version: Option<i64>) -> Result<(), AppError> {
        crate::stock::service::catalog_keeper(user)?;
        let version = version.ok_or_else(|| AppError::field("version", ErrCode::Required))?;
        db_run!(db, p => {
            let mut tx = p.begin_write().await?;
            let found: Option<(i64, i64, i64)> = sqlx::query_as(
                "SELECT version, (SELECT COUNT(*) FROM products WHERE group_id = $1), \
                 (SELECT COUNT(*) FROM product_groups WHERE parent_id = $1) FROM product_groups WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let (v, products, children) = found.ok_or(AppError::NotFound)?;
            if v != version {
                return Err(AppError::Conflict);
            }
            if products + children > 0 {
                return Err(AppError::field("id", ErrCode::GroupNotEmpty));
            }
            sqlx::query("DELETE FROM product_groups WHERE id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<(), AppError>(())
        })
    }

    /// The group a path names, made (with any missing groups above it) when there is none: what an import
    /// does with its group column. `tree` is kept up to date with what was made.
    pub async fn ensure_path(db: &Db, tree: &mut Tree, names: &[String]) -> Result<Option<i64>, AppError> {
        if names.is_empty() {
            return Ok(None);
        }
        let mut c = Checks::default();
        for n in names {
            checked_name(&mut c, n);
        }
        if names.len() > MAX_DEPTH {
            c.fail("group", ErrCode::GroupTooDeep);
        }
        c.finish().map_err(|e| e.renamed(&[("name", "group")]))?;
        let mut parent: Option<i64> = None;
        for (i, n) in names.iter().enumerate() {
            if let Some(found) = tree.find_path(&names[..=i]) {
                parent = Some(found);
                continue;
            }
            if tree.groups.len() >= MAX_GROUPS {
                return Err(AppError::field("group", ErrCode::TooMany));
            }
            let id = match write(db, None, 0, parent, n.trim()).await {
                Ok(id) => id,
                // Made meanwhile by another import: read the tree again.
                Err(AppError::Validation { .. }) => {
                    *tree = Tree::load(db).await?;
                    tree.find_path(&names[..=i]).ok_or(AppError::Conflict)?
                }
                Err(e) => return Err(e),
            };
            let now = now_millis();
            tree.groups.push(ProductGroup {
                id,
                parent_id: parent,
                name: n.trim().to_string(),
                path: names[..=i].join(PATH_SEP),
                depth: i as i64 + 1,
                products: 0,
                created_at: now,
                updated_at: now,
                version: 1,
            });
            parent = Some(id);
        }
        Ok(parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_on_slashes_with_or_without_spaces() {
        assert_eq!(split_path("Mebel / Stullar"), vec!["Mebel", "Stullar"]);
        assert_eq!(split_path(" Mebel/Stullar/ "), vec!["Mebel", "Stullar"]);
        assert!(split_path(" / ").is_empty());
        assert_eq!(name_key(" ОФИС "), "офис");
    }
}

//! SQL for customers, written once for SQLite and PostgreSQL. Every read and write is limited to the
//! caller's [`Scope`].

use super::dupes::{DuplicateHit, DuplicateReason, name_key};
use super::filter::FilterCtx;
use super::{Customer, CustomerKind, CustomerPage, CustomerStage, CustomerValues, search_key};
use crate::audit::FieldChange;
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::{CurrentUser, Scope};
use crate::core::{AppError, ErrCode, Millis, now_millis};
use crate::db_run;
use crate::segments::{Op, Rule, Rules};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    stage: String,
    source: Option<String>,
    tags: String,
    phone: Option<String>,
    email: Option<String>,
    notes: Option<String>,
    manager_id: i64,
    manager_name: String,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
    /// The value a page is ordered by, besides the id (for the next page's cursor); absent in other reads.
    #[sqlx(default)]
    sort_text: Option<String>,
    #[sqlx(default)]
    sort_num: Option<i64>,
}

impl From<Row> for Customer {
    fn from(r: Row) -> Self {
        Customer {
            id: r.id,
            name: r.name,
            kind: CustomerKind::parse(&r.kind).unwrap_or_default(),
            stage: CustomerStage::parse(&r.stage).unwrap_or_default(),
            source: r.source,
            tags: r.tags.split(TAG_SEP).filter(|t| !t.is_empty()).map(str::to_string).collect(),
            phone: r.phone,
            email: r.email,
            notes: r.notes,
            custom: Default::default(),
            manager_id: r.manager_id,
            manager_name: r.manager_name,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
            archived_at: r.archived_at,
        }
    }
}

/// Separates the tags in `customers.tags`.
pub(crate) const TAG_SEP: char = '\u{1f}';

fn tags_text(tags: &[String]) -> String {
    tags.join(&TAG_SEP.to_string())
}

const SELECT: &str = "SELECT c.id, c.name, c.kind, c.stage, c.source, c.tags, c.phone, c.email, c.notes, c.manager_id, \
    u.name AS manager_name, c.created_at, c.updated_at, c.version, c.archived_at FROM customers c JOIN users u ON u.id = c.manager_id";

/// A bound parameter of a query assembled at run time (filters and segments build theirs with it).
#[derive(Clone)]
pub enum Arg {
    I(i64),
    S(String),
}

/// Appends the scope condition on customers (`c`); parameters continue from `args.len() + 1`.
pub fn scope_sql(scope: Scope, sql: &mut String, args: &mut Vec<Arg>) {
    scope_sql_on(scope, "c.manager_id", sql, args);
}

/// Appends the scope condition on the manager column `col` (`c.manager_id`, `d.manager_id`, …).
pub fn scope_sql_on(scope: Scope, col: &str, sql: &mut String, args: &mut Vec<Arg>) {
    match scope {
        Scope::All => {}
        Scope::Own { user_id } => {
            args.push(Arg::I(user_id));
            sql.push_str(&format!(" AND {col} = ${}", args.len()));
        }
        Scope::Team { team_id, user_id } => {
            args.push(Arg::I(user_id));
            args.push(Arg::I(team_id));
            let (a, b) = (args.len() - 1, args.len());
            sql.push_str(&format!(" AND ({col} = ${a} OR {col} IN (SELECT id FROM users WHERE team_id = ${b}))"));
        }
    }
}

/// Appends ` AND …` with its one parameter: `#` in `text` becomes that parameter's `$n`.
pub fn push_cond(sql: &mut String, args: &mut Vec<Arg>, text: &str, arg: Arg) {
    args.push(arg);
    sql.push_str(&text.replace('#', &format!("${}", args.len())));
}

/// A sync job's read of a list (`updated_since`): the rows created or changed (archiving and restoring are
/// changes) at or after `since`, oldest change first, in pages by `(updated_at, id)` with the cursor
/// `"{updated_at}_{id}"`. Every list of records takes it, on its index `(updated_at, id)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangedSince {
    pub since: Millis,
    /// Where the previous page ended.
    pub after: Option<(Millis, i64)>,
}

impl ChangedSince {
    /// `since` with the page's cursor (a bad cursor is a field error on `cursor`).
    pub fn new(since: Millis, cursor: Option<&str>) -> Result<ChangedSince, AppError> {
        let after = match cursor.filter(|c| !c.is_empty()) {
            Some(c) => Some(
                crate::interactions::store::parse_position(c)
                    .ok_or_else(|| AppError::field("cursor", ErrCode::InvalidChoice))?,
            ),
            None => None,
        };
        Ok(ChangedSince { since, after })
    }

    /// Appends the conditions on the table aliased `alias`.
    pub fn push(&self, alias: &str, sql: &mut String, args: &mut Vec<Arg>) {
        push_cond(sql, args, &format!(" AND {alias}.updated_at >= #"), Arg::I(self.since));
        if let Some((at, id)) = self.after {
            args.push(Arg::I(at));
            args.push(Arg::I(id));
            let (a, b) = (args.len() - 1, args.len());
            sql.push_str(&format!(" AND ({alias}.updated_at, {alias}.id) > (${a}, ${b})"));
        }
    }

    /// The order that goes with it.
    pub fn order(alias: &str) -> String {
        format!(" ORDER BY {alias}.updated_at, {alias}.id")
    }

    /// The cursor after a row.
    pub fn cursor(updated_at: Millis, id: i64) -> String {
        format!("{updated_at}_{id}")
    }
}

/// A sync job's read of a whole collection: what changed since, which archive state, how many.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyncRead {
    pub changed: ChangedSince,
    pub archived: crate::core::archive::Archived,
    pub limit: i64,
}

impl SyncRead {
    /// From a request's `updated_since`, `cursor`, `archived` and `limit` (clamped to a page).
    pub fn new(
        since: Millis,
        cursor: Option<&str>,
        archived: crate::core::archive::Archived,
        limit: u32,
    ) -> Result<SyncRead, AppError> {
        let limit = i64::from(limit.clamp(1, crate::core::MAX_PAGE));
        Ok(SyncRead { changed: ChangedSince::new(since, cursor)?, archived, limit })
    }
}

/// The ids of a page of `table`'s rows (aliased `k`) changed since `changed.since`, oldest change first,
/// with the next page's cursor. Outside `Scope::All` a row must be `visible`: the body of an `EXISTS` that
/// joins the customers it belongs to as `c` (the scope's condition is added to it).
pub async fn changed_ids(
    db: &Db,
    table: &str,
    visible: &str,
    scope: Scope,
    read: &SyncRead,
) -> Result<(Vec<i64>, Option<String>), AppError> {
    let SyncRead { changed, archived, limit } = *read;
    let mut sql = format!("SELECT k.id, k.updated_at FROM {table} k WHERE 1 = 1{}", archived.sql("k"));
    let mut args = Vec::new();
    if scope != Scope::All {
        sql.push_str(&format!(" AND EXISTS ({visible}"));
        scope_sql(scope, &mut sql, &mut args);
        sql.push(')');
    }
    changed.push("k", &mut sql, &mut args);
    sql.push_str(&ChangedSince::order("k"));
    sql.push_str(&format!(" LIMIT {}", limit + 1));
    let mut rows: Vec<(i64, i64)> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|(id, at)| ChangedSince::cursor(*at, *id))
    } else {
        None
    };
    Ok((rows.into_iter().map(|(id, _)| id).collect(), next))
}

macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::customers::store::Arg::I(v) => q.bind(*v),
                $crate::customers::store::Arg::S(s) => q.bind(s.clone()),
            };
        }
        q
    }};
}
pub(crate) use bind_args;

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Any part of the name, phone, e-mail, taxpayer id or contact person.
    pub q: Option<String>,
    /// Conditions (the rule builder's, or a list filter's).
    pub rules: Option<Rules>,
    /// Only members of this segment.
    pub segment: Option<i64>,
    /// `newest` (default), `oldest`, `name`, `-name`, `custom.<key>`, `-custom.<key>`.
    pub sort: Option<String>,
    /// The opaque `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: u32,
    /// Living customers (default), archived ones, or both.
    pub archived: crate::core::archive::Archived,
    /// Only these customers (a list's selection; at most [`super::bulk::MAX_BULK`]); empty: no such limit.
    pub ids: Vec<i64>,
    /// A sync job's read: changed at or after this, oldest change first (the sort is then this order).
    pub updated_since: Option<Millis>,
}

/// How a page is ordered: newest first by default. Every order pages by keyset (the last row's sort value and
/// id in the cursor), so the millionth row costs what the first does, in the list and in an export.
enum Order {
    Newest,
    Oldest,
    Name { desc: bool },
    Custom { field_id: i64, numeric: bool, desc: bool },
}

fn order_of(sort: Option<&str>, ctx: &FilterCtx) -> Result<Order, AppError> {
    let bad = || AppError::field("sort", ErrCode::InvalidChoice);
    let Some(sort) = sort.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(Order::Newest) };
    let (desc, key) = match sort.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, sort),
    };
    Ok(match key {
        "newest" => Order::Newest,
        "oldest" => Order::Oldest,
        "name" => Order::Name { desc },
        k => {
            let key = k.strip_prefix("custom.").ok_or_else(bad)?;
            let d = ctx.defs.iter().find(|d| d.key == key).ok_or_else(bad)?;
            let numeric = d.kind.is_numeric() || d.kind == crate::custom_fields::FieldKind::YesNo;
            Order::Custom { field_id: d.id, numeric, desc }
        }
    })
}

/// Where the previous page ended: the last row's id and the value it was ordered by (`None` for a customer
/// without a value in the sorted custom field, which sort last).
#[derive(Debug, Clone, PartialEq)]
struct Cursor {
    id: i64,
    value: Option<String>,
}

impl Cursor {
    /// The cursor after row `r` in `order`.
    fn after(order: &Order, r: &Row) -> Cursor {
        let value = match order {
            Order::Newest | Order::Oldest => None,
            Order::Name { .. } => r.sort_text.clone(),
            Order::Custom { numeric: true, .. } => r.sort_num.map(|n| n.to_string()),
            Order::Custom { numeric: false, .. } => r.sort_text.clone(),
        };
        Cursor { id: r.id, value }
    }

    /// `id` alone, or `id.` and the value (URL-safe base64) — opaque to callers.
    fn encode(&self) -> String {
        use base64::Engine;
        match &self.value {
            None => self.id.to_string(),
            Some(v) => format!("{}.{}", self.id, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)),
        }
    }

    fn parse(s: &str) -> Option<Cursor> {
        use base64::Engine;
        let (id, value) = match s.split_once('.') {
            Some((id, v)) => {
                let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(v).ok()?;
                (id, Some(String::from_utf8(bytes).ok()?))
            }
            None => (s, None),
        };
        Some(Cursor { id: id.parse().ok()?, value })
    }

    /// The condition for the rows after this one in `order` (`None`: the cursor does not fit the order).
    fn condition(&self, order: &Order, args: &mut Vec<Arg>) -> Option<String> {
        let mut p = |a: Arg| {
            args.push(a);
            format!("${}", args.len())
        };
        let id = self.id;
        Some(match (order, &self.value) {
            (Order::Newest, None) => format!("c.id < {}", p(Arg::I(id))),
            (Order::Oldest, None) => format!("c.id > {}", p(Arg::I(id))),
            (Order::Name { desc }, Some(v)) => {
                let (cmp, v, id) = (if *desc { "<" } else { ">" }, p(Arg::S(v.clone())), p(Arg::I(id)));
                format!("(c.name_search {cmp} {v} OR (c.name_search = {v} AND c.id {cmp} {id}))")
            }
            (Order::Custom { numeric, desc, .. }, value) => {
                let col = if *numeric { "sv.num" } else { "sv.sort_key" };
                let cmp = if *desc { "<" } else { ">" };
                match value {
                    // Rows without a value come last, by id.
                    None => format!("({col} IS NULL AND c.id {cmp} {})", p(Arg::I(id))),
                    Some(v) => {
                        let v = if *numeric { p(Arg::I(v.parse().ok()?)) } else { p(Arg::S(v.clone())) };
                        let id = p(Arg::I(id));
                        format!("({col} IS NULL OR {col} {cmp} {v} OR ({col} = {v} AND c.id {cmp} {id}))")
                    }
                }
            }
            _ => return None,
        })
    }
}

/// One page of the customers in scope matching the query.
pub async fn list(db: &Db, scope: Scope, query: &ListQuery, ctx: &FilterCtx) -> Result<CustomerPage, AppError> {
    let limit = query.limit.clamp(1, super::MAX_PAGE) as i64;
    let order = order_of(query.sort.as_deref(), ctx)?;
    let q = query.q.as_deref().map(super::search::normalise).filter(|q| !q.is_empty());
    // A search in id order on SQLite is driven by the full-text index itself, read in rowid order and stopped
    // at the page's end: a common word (15,744 matches of "karim" at 100k customers) no longer collects every
    // match before ordering (4 ms → 0.2 ms at 100k, also within one manager's scope).
    let changed = match query.updated_since {
        Some(since) => Some(ChangedSince::new(since, query.cursor.as_deref())?),
        None => None,
    };
    let fts_order = changed.is_none()
        && q.as_deref().is_some_and(|q| super::search::drives_order(db, q))
        && matches!(order, Order::Newest | Order::Oldest);
    let mut args = Vec::new();
    let mut sql = if fts_order {
        SELECT.replacen(" FROM customers c", " FROM customer_search s JOIN customers c ON c.id = s.rowid", 1)
    } else {
        SELECT.to_string()
    };
    if let Order::Custom { field_id, .. } = order {
        args.push(Arg::I(field_id));
        sql.push_str(" LEFT JOIN custom_values sv ON sv.field_id = $1 AND sv.record_id = c.id AND sv.seq = 0");
    }
    sql.push_str(" WHERE 1 = 1");
    sql.push_str(&query.archived.sql("c"));
    scope_sql(scope, &mut sql, &mut args);
    if let Some(q) = &q {
        let (cond, arg) = if fts_order {
            super::search::match_on_driver(q, args.len() + 1)
        } else {
            super::search::condition(db, q, args.len() + 1)
        };
        args.push(Arg::S(arg));
        sql.push_str(" AND ");
        sql.push_str(&cond);
    }
    if let Some(rules) = query.rules.as_ref().filter(|r| !r.rules.is_empty()) {
        sql.push_str(" AND ");
        sql.push_str(&super::filter::rules_sql(ctx, rules, &mut args, 0)?);
    }
    if !query.ids.is_empty() {
        let first = args.len();
        args.extend(query.ids.iter().take(super::bulk::MAX_BULK).map(|id| Arg::I(*id)));
        let n = args.len() - first;
        sql.push_str(&format!(" AND c.id IN ({})", crate::core::db::placeholders_after(first, n)));
    }
    if let Some(id) = query.segment {
        let member = Rules { any: false, rules: vec![Rule { field: "segment".into(), op: Op::Eq, value: id.into() }] };
        sql.push_str(" AND ");
        sql.push_str(&super::filter::rules_sql(ctx, &member, &mut args, 0)?);
    }
    let bad_cursor = || AppError::field("cursor", ErrCode::InvalidChoice);
    if let Some(changed) = &changed {
        changed.push("c", &mut sql, &mut args);
    } else if let Some(cursor) = &query.cursor {
        let after = Cursor::parse(cursor).ok_or_else(bad_cursor)?;
        let cond = after.condition(&order, &mut args).ok_or_else(bad_cursor)?;
        sql.push_str(" AND ");
        // The index's own rowid, so that it starts reading where the previous page ended.
        sql.push_str(&if fts_order { cond.replacen("c.id", "s.rowid", 1) } else { cond });
    }
    sql.push_str(match order {
        _ if changed.is_some() => " ORDER BY c.updated_at, c.id",
        Order::Newest if fts_order => " ORDER BY s.rowid DESC",
        Order::Oldest if fts_order => " ORDER BY s.rowid",
        Order::Newest => " ORDER BY c.id DESC",
        Order::Oldest => " ORDER BY c.id",
        Order::Name { desc: false } => " ORDER BY c.name_search, c.id",
        Order::Name { desc: true } => " ORDER BY c.name_search DESC, c.id DESC",
        Order::Custom { numeric: true, desc: false, .. } => " ORDER BY (sv.num IS NULL), sv.num, c.id",
        Order::Custom { numeric: true, desc: true, .. } => " ORDER BY (sv.num IS NULL), sv.num DESC, c.id DESC",
        Order::Custom { numeric: false, desc: false, .. } => " ORDER BY (sv.sort_key IS NULL), sv.sort_key, c.id",
        Order::Custom { numeric: false, desc: true, .. } => {
            " ORDER BY (sv.sort_key IS NULL), sv.sort_key DESC, c.id DESC"
        }
    });
    args.push(Arg::I(limit + 1));
    sql.push_str(&format!(" LIMIT ${}", args.len()));
    let select_sort = match order {
        _ if changed.is_some() => " FROM",
        Order::Name { .. } => ", c.name_search AS sort_text FROM",
        Order::Custom { .. } => ", sv.sort_key AS sort_text, sv.num AS sort_num FROM",
        _ => " FROM",
    };
    let sql = sql.replacen(" FROM", select_sort, 1);
    let mut rows: Vec<Row> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| match changed {
            Some(_) => ChangedSince::cursor(r.updated_at, r.id),
            None => Cursor::after(&order, r).encode(),
        })
    } else {
        None
    };
    let items: Vec<Customer> = rows.into_iter().map(Into::into).collect();
    Ok(CustomerPage { items, next_cursor })
}

/// Number of customers in `scope` matching `rules`.
pub async fn count_matching(db: &Db, scope: Scope, rules: &Rules, ctx: &FilterCtx) -> Result<i64, AppError> {
    let mut sql = "SELECT COUNT(*) FROM customers c WHERE c.archived_at IS NULL".to_string();
    let mut args = Vec::new();
    scope_sql(scope, &mut sql, &mut args);
    sql.push_str(" AND ");
    sql.push_str(&super::filter::rules_sql(ctx, rules, &mut args, 0)?);
    Ok(db_run!(db, p => bind_args!(sqlx::query_scalar(&sql), &args).fetch_one(p).await)?)
}

/// Number of customers in scope.
pub async fn count(db: &Db, scope: Scope) -> Result<i64, AppError> {
    let mut sql = "SELECT COUNT(*) FROM customers c WHERE c.archived_at IS NULL".to_string();
    let mut args = Vec::new();
    scope_sql(scope, &mut sql, &mut args);
    Ok(db_run!(db, p => bind_args!(sqlx::query_scalar(&sql), &args).fetch_one(p).await)?)
}

/// One customer: `NotFound` if it does not exist, `Forbidden` if it is outside the scope.
pub async fn get(db: &Db, scope: Scope, id: i64) -> Result<Customer, AppError> {
    let mut sql = format!("{SELECT} WHERE c.id = $1");
    let mut args = vec![Arg::I(id)];
    scope_sql(scope, &mut sql, &mut args);
    let row: Option<Row> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_optional(p).await)?;
    match row {
        Some(r) => Ok(r.into()),
        None => {
            let exists: Option<i64> = db_run!(db, p => sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
                .bind(id).fetch_optional(p).await)?;
            Err(if exists.is_some() { AppError::Forbidden } else { AppError::NotFound })
        }
    }
}

/// Checks that `user` may make `manager_id` responsible: themselves always, their team's members as a
/// sales head, any active user as administrator.
pub async fn check_assignable(db: &Db, user: &CurrentUser, manager_id: i64) -> Result<(), AppError> {
    if manager_id == user.id {
        return Ok(());
    }
    let target: Option<(Option<i64>, bool)> = db_run!(db, p => sqlx::query_as("SELECT team_id, active FROM users WHERE id = $1")
        .bind(manager_id).fetch_optional(p).await)?;
    let allowed = match (target, user.scope()) {
        (Some((_, true)), Scope::All) => true,
        (Some((Some(team), true)), Scope::Team { team_id, .. }) => team == team_id,
        _ => false,
    };
    if allowed { Ok(()) } else { Err(AppError::field("manager_id", ErrCode::InvalidChoice)) }
}

/// Creates a customer made by `user`, responsible `manager_id`, with its tags and a "created" audit row,
/// in one transaction.
/// `custom_changes` are the audit rows of the custom fields (the store does not know their labels).
pub async fn create(
    db: &Db,
    user: &CurrentUser,
    manager_id: i64,
    v: &CustomerValues,
    custom_changes: &[FieldChange],
) -> Result<Customer, AppError> {
    let now = now_millis();
    let sql = "INSERT INTO customers (name, name_search, kind, stage, source, phone, email, notes, manager_id, \
               created_by, updated_by, created_at, updated_at, version, tags, dup_key) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $11, 1, $12, $13) RETURNING id";
    let mut changes = v.changes_from(&Customer::empty());
    changes.extend_from_slice(custom_changes);
    let id: i64 = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(sql)
            .bind(&v.name).bind(search_key(&v.name)).bind(v.kind.as_str()).bind(v.stage.as_str()).bind(&v.source)
            .bind(&v.phone).bind(&v.email).bind(&v.notes).bind(manager_id).bind(user.id).bind(now)
            .bind(tags_text(&v.tags)).bind(name_key(&v.name))
            .fetch_one(&mut *tx).await?;
        for tag in &v.tags {
            sqlx::query("INSERT INTO customer_tags (customer_id, tag) VALUES ($1, $2)").bind(id).bind(tag)
                .execute(&mut *tx).await?;
        }
        crate::save_custom!(tx, id, &v.custom)?;
        crate::audit!(tx, id, "customer", id, "created", &changes, user.id, now)?;
        tx.commit().await.map(|_| id)
    })?;
    get(db, Scope::All, id).await
}

/// Updates a customer if `version` is still current (`Conflict` otherwise), replacing its tags and recording
/// `changes` in the audit log, all in one transaction.
pub async fn update(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    version: i64,
    manager_id: i64,
    v: &CustomerValues,
    changes: &[FieldChange],
) -> Result<Customer, AppError> {
    let now = now_millis();
    let sql = "UPDATE customers SET name = $1, name_search = $2, kind = $3, stage = $4, source = $5, phone = $6, \
               email = $7, notes = $8, manager_id = $9, updated_by = $10, updated_at = $11, version = version + 1, \
               tags = $14, dup_key = $15 WHERE id = $12 AND version = $13";
    let done = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(sql)
            .bind(&v.name).bind(search_key(&v.name)).bind(v.kind.as_str()).bind(v.stage.as_str()).bind(&v.source)
            .bind(&v.phone).bind(&v.email).bind(&v.notes).bind(manager_id).bind(user.id).bind(now)
            .bind(id).bind(version).bind(tags_text(&v.tags)).bind(name_key(&v.name))
            .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            sqlx::query("DELETE FROM customer_tags WHERE customer_id = $1").bind(id).execute(&mut *tx).await?;
            for tag in &v.tags {
                sqlx::query("INSERT INTO customer_tags (customer_id, tag) VALUES ($1, $2)").bind(id).bind(tag)
                    .execute(&mut *tx).await?;
            }
            crate::save_custom!(tx, id, &v.custom)?;
            if !changes.is_empty() {
                crate::audit!(tx, id, "customer", id, "changed", changes, user.id, now)?;
            }
        }
        tx.commit().await.map(|_| n)
    })?;
    if done == 0 {
        return Err(AppError::Conflict);
    }
    get(db, Scope::All, id).await
}

/// A user's display name (for the audit log).
pub async fn user_name(db: &Db, id: i64) -> Result<String, AppError> {
    Ok(db_run!(db, p => sqlx::query_scalar("SELECT name FROM users WHERE id = $1").bind(id).fetch_one(p).await)?)
}

/// Customers (any manager's: two managers must not work the same client unknowingly) with the same phone or
/// e-mail as given, or a name with the same key; `exclude` is the customer being edited.
pub async fn duplicates(
    db: &Db,
    name: &str,
    phone: Option<&str>,
    email: Option<&str>,
    exclude: Option<i64>,
) -> Result<Vec<DuplicateHit>, AppError> {
    let key = Some(name_key(name)).filter(|k| k.chars().count() >= 3);
    let sql = "SELECT c.id, c.name, u.name, c.phone, c.email, c.dup_key FROM customers c JOIN users u ON u.id = c.manager_id \
               WHERE (c.phone = $1 OR c.email = $2 OR c.dup_key = $3) AND c.id <> $4 ORDER BY c.id LIMIT 10";
    type HitRow = (i64, String, String, Option<String>, Option<String>, String);
    let rows: Vec<HitRow> = db_run!(db, p => sqlx::query_as(sql).bind(phone).bind(email).bind(&key)
        .bind(exclude.unwrap_or(0)).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, manager_name, p, e, k)| {
            let mut reasons = Vec::new();
            if p.is_some() && p.as_deref() == phone {
                reasons.push(DuplicateReason::Phone);
            }
            if e.is_some() && e.as_deref() == email {
                reasons.push(DuplicateReason::Email);
            }
            if Some(&k) == key.as_ref() {
                reasons.push(DuplicateReason::Name);
            }
            DuplicateHit { id, name, manager_name, reasons }
        })
        .collect())
}

/// Fills the duplicate key of customers stored before it existed (once, at start), in batches.
pub async fn backfill_dup_keys(db: &Db) -> Result<u64, AppError> {
    let mut done = 0u64;
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, String)> = db_run!(db, p => sqlx::query_as(
            "SELECT id, name FROM customers WHERE dup_key = '' AND id > $1 ORDER BY id LIMIT 1000")
            .bind(after).fetch_all(p).await)?;
        let Some(last) = rows.last() else { return Ok(done) };
        after = last.0;
        db_run!(db, p => {
            let mut tx = p.begin_write().await?;
            for (id, name) in &rows {
                sqlx::query("UPDATE customers SET dup_key = $1 WHERE id = $2").bind(name_key(name)).bind(id)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        done += rows.len() as u64;
    }
}

/// What a merge writes: the survivor's new values and both audit rows.
pub struct MergePlan<'a> {
    pub survivor_id: i64,
    pub survivor_version: i64,
    pub merged_id: i64,
    pub merged_version: i64,
    pub manager_id: i64,
    pub values: &'a CustomerValues,
    /// The survivor's changes, with `merged_from`.
    pub changes: &'a [FieldChange],
    /// Every value the merged customer had (kept in the audit log after its row is gone).
    pub merged_snapshot: &'a [FieldChange],
}

/// Merges one customer into another in one transaction: the survivor takes the chosen values and every
/// tag; contacts, counterparties (with their whole ownership history), segment memberships, custom values of
/// retired fields the survivor lacks and the audit history move to it; the merged row is removed, its values
/// kept in the audit log. Either version being stale is a `Conflict` and nothing changes.
/// Later areas that link to customers add their tables here.
/// Tables whose rows follow their customer into the survivor of a merge unchanged (`customer_id` moves).
/// Every table with a foreign key to `customers` is here or in [`MERGE_SPECIAL`]; a test reads the schema
/// of both databases and fails for one that is in neither, so a new area cannot forget its table.
pub const MERGE_MOVES: &[&str] = &[
    "counterparty_owners",
    "interactions",
    "tasks",
    "calls",
    "deals",
    "mail_messages",
    "audit_log",
    "stock_documents",
    "sales_orders",
    "invoices",
    "payments",
];

/// Tables a merge handles by their own rule: tags and contacts are united, segment memberships kept once,
/// the search document of the merged customer dropped (the survivor's is rebuilt).
pub const MERGE_SPECIAL: &[&str] = &["customer_tags", "customer_contacts", "segment_members", "customer_search"];

pub async fn merge(db: &Db, user: &CurrentUser, plan: &MergePlan<'_>) -> Result<(), AppError> {
    let now = now_millis();
    let (s, m, v) = (plan.survivor_id, plan.merged_id, plan.values);
    let update = "UPDATE customers SET name = $1, name_search = $2, kind = $3, stage = $4, source = $5, phone = $6, \
               email = $7, notes = $8, manager_id = $9, updated_by = $10, updated_at = $11, version = version + 1, \
               tags = $14, dup_key = $15 WHERE id = $12 AND version = $13";
    let search_delete = if db.is_postgres() {
        "DELETE FROM customer_search WHERE customer_id = $1"
    } else {
        "DELETE FROM customer_search WHERE rowid = $1"
    };
    let ok = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        let merged_now: Option<i64> = sqlx::query_scalar("SELECT version FROM customers WHERE id = $1")
            .bind(m).fetch_optional(&mut *tx).await?;
        let n = sqlx::query(update)
            .bind(&v.name).bind(search_key(&v.name)).bind(v.kind.as_str()).bind(v.stage.as_str()).bind(&v.source)
            .bind(&v.phone).bind(&v.email).bind(&v.notes).bind(plan.manager_id).bind(user.id).bind(now)
            .bind(s).bind(plan.survivor_version).bind(tags_text(&v.tags)).bind(name_key(&v.name))
            .execute(&mut *tx).await?.rows_affected();
        if n != 1 || merged_now != Some(plan.merged_version) {
            tx.rollback().await?;
            return Ok::<bool, sqlx::Error>(false);
        }
        sqlx::query("DELETE FROM customer_tags WHERE customer_id = $1 OR customer_id = $2").bind(s).bind(m)
            .execute(&mut *tx).await?;
        for tag in &v.tags {
            sqlx::query("INSERT INTO customer_tags (customer_id, tag) VALUES ($1, $2)").bind(s).bind(tag)
                .execute(&mut *tx).await?;
        }
        crate::save_custom!(tx, s, &v.custom)?;
        sqlx::query("UPDATE custom_values SET record_id = $1 WHERE record_id = $2 \
                     AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'customer' AND retired = TRUE) \
                     AND field_id NOT IN (SELECT field_id FROM custom_values WHERE record_id = $1)")
            .bind(s).bind(m).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM custom_values WHERE record_id = $1 \
                     AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'customer')")
            .bind(m).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO customer_contacts (customer_id, contact_id, role, created_at) \
                     SELECT $1, contact_id, role, created_at FROM customer_contacts WHERE customer_id = $2 \
                     AND contact_id NOT IN (SELECT contact_id FROM customer_contacts WHERE customer_id = $1)")
            .bind(s).bind(m).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM customer_contacts WHERE customer_id = $1").bind(m).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO segment_members (segment_id, customer_id) \
                     SELECT segment_id, $1 FROM segment_members WHERE customer_id = $2 \
                     AND segment_id NOT IN (SELECT segment_id FROM segment_members WHERE customer_id = $1)")
            .bind(s).bind(m).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM segment_members WHERE customer_id = $1").bind(m).execute(&mut *tx).await?;
        for table in MERGE_MOVES {
            sqlx::query(&format!("UPDATE {table} SET customer_id = $1 WHERE customer_id = $2")).bind(s).bind(m)
                .execute(&mut *tx).await?;
        }
        crate::audit!(tx, s, "customer", m, "merged_away", plan.merged_snapshot, user.id, now)?;
        crate::audit!(tx, s, "customer", s, "merged", plan.changes, user.id, now)?;
        sqlx::query(search_delete).bind(m).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM customers WHERE id = $1").bind(m).execute(&mut *tx).await?;
        tx.commit().await.map(|_| true)
    }.await)?;
    if ok { Ok(()) } else { Err(AppError::Conflict) }
}

/// A customer's name, if it exists.
pub async fn name_of(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    let sql = "SELECT name FROM customers WHERE id = $1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(id).fetch_optional(p).await)?)
}

/// The responsible manager of a customer, if it exists (live events name them, so that each listener's
/// scope decides who hears of a change).
pub async fn manager_of(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    let sql = "SELECT manager_id FROM customers WHERE id = $1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(id).fetch_optional(p).await)?)
}

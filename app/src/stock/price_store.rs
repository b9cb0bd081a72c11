//! SQL for price lists and their prices, on both databases.

use super::money_of;
use super::prices::{Price, PriceList, PricePage, PriceQuote};
use super::store::cut_page;
use crate::core::db::{BeginWrite, Db, is_unique_violation};
use crate::core::{AppError, ErrCode, now_millis};
use crate::db_run;

#[derive(sqlx::FromRow)]
struct ListRow {
    id: i64,
    name: String,
    currency: String,
    is_default: bool,
    customers: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
}

const LIST: &str = "SELECT l.id, l.name, l.currency, l.is_default, \
    (SELECT COUNT(*) FROM customers c WHERE c.price_list_id = l.id) AS customers, \
    l.created_at, l.updated_at, l.version, l.archived_at FROM price_lists l";

fn list_of(r: ListRow) -> PriceList {
    PriceList {
        id: r.id,
        name: r.name,
        currency: r.currency,
        is_default: r.is_default,
        customers: r.customers,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
        archived_at: r.archived_at,
    }
}

/// One price list, or `NotFound`.
pub async fn price_list(db: &Db, id: i64) -> Result<PriceList, AppError> {
    let sql = format!("{LIST} WHERE l.id = $1");
    let row: Option<ListRow> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    row.map(list_of).ok_or(AppError::NotFound)
}

/// A page of price lists by id.
pub async fn price_lists(
    db: &Db,
    archived: crate::core::archive::Archived,
    after: Option<i64>,
    limit: i64,
) -> Result<(Vec<PriceList>, Option<String>), AppError> {
    let limit = limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    let sql = format!("{LIST} WHERE l.id > $1{} ORDER BY l.id LIMIT {}", archived.sql("l"), limit + 1);
    let mut rows: Vec<ListRow> = db_run!(db, p => sqlx::query_as(&sql).bind(after.unwrap_or(0)).fetch_all(p).await)?;
    let next = cut_page(&mut rows, limit, |r| r.id.to_string());
    Ok((rows.into_iter().map(list_of).collect(), next))
}

/// Creates (`id: None`) or changes a list at `version`; a default list takes the place of the currency's
/// previous default. Returns the id.
pub async fn save_price_list(
    db: &Db,
    id: Option<i64>,
    version: i64,
    name: &str,
    currency: &str,
    is_default: bool,
) -> Result<i64, AppError> {
    let now = now_millis();
    let name_taken = |e: sqlx::Error| {
        if is_unique_violation(&e) { AppError::field("name", ErrCode::NameTaken) } else { AppError::from(e) }
    };
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        if let Some(id) = id {
            // Prices are in the list's currency: a list with prices keeps it.
            let (old, priced): (String, i64) = sqlx::query_as(
                "SELECT currency, (SELECT COUNT(*) FROM prices WHERE price_list_id = $1) FROM price_lists WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
            if old != currency && priced > 0 {
                return Err(AppError::field("currency", ErrCode::CurrencyFixed));
            }
        }
        if is_default {
            sqlx::query("UPDATE price_lists SET is_default = FALSE, updated_at = $2, version = version + 1 \
                         WHERE currency = $1 AND is_default AND id <> $3")
                .bind(currency).bind(now).bind(id.unwrap_or(0)).execute(&mut *tx).await?;
        }
        let id = match id {
            None => sqlx::query_scalar(
                "INSERT INTO price_lists (name, currency, is_default, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id")
                .bind(name).bind(currency).bind(is_default).bind(now)
                .fetch_one(&mut *tx).await.map_err(name_taken)?,
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE price_lists SET name = $1, currency = $2, is_default = $3, updated_at = $4, \
                     version = version + 1 WHERE id = $5 AND version = $6")
                    .bind(name).bind(currency).bind(is_default).bind(now).bind(id).bind(version)
                    .execute(&mut *tx).await.map_err(name_taken)?.rows_affected();
                if n != 1 {
                    return Err(AppError::Conflict);
                }
                id
            }
        };
        tx.commit().await?;
        Ok::<i64, AppError>(id)
    })
}

/// Archives (`at`) or restores (`None`) a list at `version`. An archived list prices nothing: its customers
/// buy from the default list until they are given another.
pub async fn set_price_list_archived(db: &Db, id: i64, version: i64, at: Option<i64>) -> Result<(), AppError> {
    let sql = "UPDATE price_lists SET archived_at = $1, is_default = CASE WHEN $1 IS NULL THEN is_default ELSE FALSE END, \
               updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4";
    let n = db_run!(db, p => sqlx::query(sql).bind(at).bind(now_millis()).bind(id).bind(version).execute(p).await
        .map(|r| r.rows_affected()))?;
    if n == 1 { Ok(()) } else { Err(AppError::Conflict) }
}

/// Sets prices in list `list_id`, all in one transaction: a price for a date that already has one replaces it
/// (that day's correction); an earlier date's price stays as history.
pub async fn set_prices(db: &Db, list_id: i64, user_id: i64, items: &[(i64, String, i64)]) -> Result<(), AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        for (product, from, price) in items {
            sqlx::query(
                "INSERT INTO prices (price_list_id, product_id, valid_from, price_minor, set_by, set_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (price_list_id, product_id, valid_from) \
                 DO UPDATE SET price_minor = excluded.price_minor, set_by = excluded.set_by, set_at = excluded.set_at")
                .bind(list_id).bind(product).bind(from).bind(price).bind(user_id).bind(now)
                .execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE price_lists SET updated_at = $1 WHERE id = $2").bind(now).bind(list_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    })
}

/// Of `ids`, those that are no product.
pub async fn missing_products(db: &Db, ids: &[i64]) -> Result<Vec<i64>, AppError> {
    let mut unique: Vec<i64> = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut found = Vec::new();
    for chunk in unique.chunks(500) {
        let sql = format!("SELECT id FROM products WHERE id IN ({})", crate::core::db::placeholders(chunk.len()));
        let got: Vec<i64> = db_run!(db, p => {
            let mut q = sqlx::query_scalar(&sql);
            for id in chunk { q = q.bind(id); }
            q.fetch_all(p).await
        })?;
        found.extend(got);
    }
    Ok(unique.into_iter().filter(|id| !found.contains(id)).collect())
}

#[derive(sqlx::FromRow)]
struct PriceRow {
    price_list_id: i64,
    product_id: i64,
    product_name: String,
    sku: Option<String>,
    unit: String,
    valid_from: String,
    price_minor: i64,
    set_at: i64,
}

fn price_of(r: PriceRow) -> Price {
    Price {
        price_list_id: r.price_list_id,
        product_id: r.product_id,
        product_name: r.product_name,
        sku: r.sku,
        unit: r.unit,
        valid_from: r.valid_from,
        price: money_of(r.price_minor),
        set_at: r.set_at,
    }
}

const PRICE: &str = "SELECT x.price_list_id, x.product_id, pr.name AS product_name, pr.sku, pr.base_unit AS unit, \
    x.valid_from, x.price_minor, x.set_at FROM prices x JOIN products pr ON pr.id = x.product_id";

/// The prices of list `list_id` in force on `on` (`YYYY-MM-DD`), by product id; or, for one product, its
/// whole history in the list, newest first.
pub async fn prices(
    db: &Db,
    list_id: i64,
    on: &str,
    product_id: Option<i64>,
    after: Option<i64>,
    limit: i64,
) -> Result<PricePage, AppError> {
    let limit = limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    if let Some(product) = product_id {
        let sql = format!("{PRICE} WHERE x.price_list_id = $1 AND x.product_id = $2 ORDER BY x.valid_from DESC");
        let rows: Vec<PriceRow> =
            db_run!(db, p => sqlx::query_as(&sql).bind(list_id).bind(product).fetch_all(p).await)?;
        return Ok(PricePage { items: rows.into_iter().map(price_of).collect(), next_cursor: None });
    }
    let sql = format!(
        "{PRICE} WHERE x.price_list_id = $1 AND x.product_id > $3 AND x.valid_from = \
         (SELECT MAX(y.valid_from) FROM prices y WHERE y.price_list_id = x.price_list_id \
          AND y.product_id = x.product_id AND y.valid_from <= $2) \
         ORDER BY x.product_id LIMIT {}",
        limit + 1
    );
    let mut rows: Vec<PriceRow> = db_run!(db, p => sqlx::query_as(&sql)
        .bind(list_id).bind(on).bind(after.unwrap_or(0)).fetch_all(p).await)?;
    let next_cursor = cut_page(&mut rows, limit, |r| r.product_id.to_string());
    Ok(PricePage { items: rows.into_iter().map(price_of).collect(), next_cursor })
}

/// The list customer `customer_id` buys from, if one of their own is set.
pub async fn customer_list(db: &Db, customer_id: i64) -> Result<Option<i64>, AppError> {
    let sql = "SELECT price_list_id FROM customers WHERE id = $1";
    let got: Option<Option<i64>> = db_run!(db, p => sqlx::query_scalar(sql).bind(customer_id).fetch_optional(p).await)?;
    got.ok_or(AppError::NotFound)
}

/// The currency's default list, if it has one.
pub async fn default_list(db: &Db, currency: &str) -> Result<Option<i64>, AppError> {
    let sql = "SELECT id FROM price_lists WHERE currency = $1 AND is_default AND archived_at IS NULL";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(currency).fetch_optional(p).await)?)
}

/// The price of `product_id` on `on` in the first of `lists` (active, and in `currency` when given) that has
/// one.
pub async fn quote(
    db: &Db,
    product_id: i64,
    lists: &[i64],
    currency: Option<&str>,
    on: &str,
) -> Result<Option<PriceQuote>, AppError> {
    let sql = "SELECT l.id, l.name, l.currency, x.price_minor, x.valid_from FROM prices x \
               JOIN price_lists l ON l.id = x.price_list_id \
               WHERE x.price_list_id = $1 AND x.product_id = $2 AND x.valid_from <= $3 AND l.archived_at IS NULL \
               ORDER BY x.valid_from DESC LIMIT 1";
    for list in lists {
        let row: Option<(i64, String, String, i64, String)> = db_run!(db, p => sqlx::query_as(sql)
            .bind(list).bind(product_id).bind(on).fetch_optional(p).await)?;
        if let Some((id, name, cur, price, from)) = row
            && currency.is_none_or(|c| c == cur)
        {
            return Ok(Some(PriceQuote {
                product_id,
                price_list_id: id,
                price_list_name: name,
                currency: cur,
                price: money_of(price),
                valid_from: from,
            }));
        }
    }
    Ok(None)
}

/// Puts `customer_ids` on list `list_id` (`None`: back to the default list); returns how many changed.
pub async fn assign(db: &Db, list_id: Option<i64>, customer_ids: &[i64]) -> Result<u64, AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let mut n = 0;
        for chunk in customer_ids.chunks(500) {
            let sql = format!(
                "UPDATE customers SET price_list_id = $1, updated_at = $2, version = version + 1 WHERE id IN ({})",
                crate::core::db::placeholders_after(2, chunk.len()));
            let mut q = sqlx::query(&sql).bind(list_id).bind(now);
            for id in chunk { q = q.bind(id); }
            n += q.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok::<u64, AppError>(n)
    })
}

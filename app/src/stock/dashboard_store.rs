//! SQL for the warehouse dashboard, on both databases: each list a few rows through its own index, the value
//! and its chart from the day totals (`stock_daily`), never a scan of the ledger.

use super::dashboard::{CHART_DAYS, Dashboard, LIST_ROWS, WarehouseChoice, chart_values};
use super::store::{DocQuery, live_balances};
use super::{DocKind, DocStatus, money_of};
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, Millis, now_millis};
use crate::db_run;

/// The dashboard of `warehouse` (or all warehouses) as `user` sees it (a storekeeper's document lists keep to
/// their warehouses).
pub async fn dashboard(db: &Db, user: &CurrentUser, warehouse: Option<i64>) -> Result<Dashboard, AppError> {
    let now = now_millis();
    let warehouses: Vec<(i64, String)> = db_run!(db, p => sqlx::query_as(
        "SELECT id, name FROM warehouses WHERE archived_at IS NULL ORDER BY name, id LIMIT 500").fetch_all(p).await)?;
    if let Some(w) = warehouse {
        super::store::warehouse(db, w).await?;
    }
    let zone = crate::core::zone::current();
    let today = crate::core::format::day_start_in(&zone, now);
    let chart_from = crate::core::format::day_start_in(&zone, now - (CHART_DAYS as i64 - 1) * 86_400_000);
    let (place, w) = match warehouse {
        Some(w) => (" AND warehouse_id = $1", w),
        None => (" AND $1 = 0", 0),
    };
    let total_sql = format!("SELECT CAST(COALESCE(SUM(value_minor), 0) AS BIGINT) FROM stock_daily WHERE 1 = 1{place}");
    let value: i64 = db_run!(db, p => sqlx::query_scalar(&total_sql).bind(w).fetch_one(p).await)?;
    let days_sql =
        format!("SELECT day, CAST(SUM(value_minor) AS BIGINT) FROM stock_daily WHERE day >= $2{place} GROUP BY day");
    let changes: Vec<(Millis, i64)> =
        db_run!(db, p => sqlx::query_as(&days_sql).bind(w).bind(chart_from).fetch_all(p).await)?;
    let low_cond = "b.min_milli IS NOT NULL AND b.on_hand_milli < b.min_milli";
    let low = live_balances(db, warehouse, low_cond, "b.on_hand_milli - b.min_milli, b.product_id", LIST_ROWS).await?;
    let negative =
        live_balances(db, warehouse, "b.on_hand_milli < 0", "b.on_hand_milli, b.product_id", LIST_ROWS).await?;
    let top = live_balances(db, warehouse, "1 = 1", "b.value_minor DESC", LIST_ROWS).await?;
    let slow =
        live_balances(db, warehouse, "b.on_hand_milli > 0", "COALESCE(b.last_out_at, b.last_in_at)", LIST_ROWS).await?;
    let count = |cond: &'static str| {
        let sql = format!(
            "SELECT COUNT(*) FROM stock_balances b WHERE {cond}{}",
            place.replace("warehouse_id", "b.warehouse_id")
        );
        async move { db_run!(db, p => sqlx::query_scalar::<_, i64>(&sql).bind(w).fetch_one(p).await) }
    };
    let low_count = count(low_cond).await?;
    let negative_count = count("b.on_hand_milli < 0").await?;
    let kinds_sql = format!(
        "SELECT kind, COUNT(*) FROM stock_documents WHERE posted_at >= $2{} GROUP BY kind",
        if warehouse.is_some() { " AND (warehouse_id = $1 OR to_warehouse_id = $1)" } else { " AND $1 = 0" }
    );
    let kinds: Vec<(String, i64)> =
        db_run!(db, p => sqlx::query_as(&kinds_sql).bind(w).bind(today).fetch_all(p).await)?;
    let today_counts =
        DocKind::ALL.iter().map(|k| (*k, kinds.iter().find(|(s, _)| s == k.as_str()).map_or(0, |(_, n)| *n))).collect();
    let docs = |q: DocQuery| super::service::documents(db, user, q);
    let today_docs =
        docs(DocQuery { warehouse_id: warehouse, posted_since: Some(today), limit: LIST_ROWS, ..Default::default() })
            .await?
            .items;
    let in_transit = docs(DocQuery {
        warehouse_id: warehouse,
        status: Some(DocStatus::InTransit),
        limit: LIST_ROWS,
        ..Default::default()
    })
    .await?
    .items;
    Ok(Dashboard {
        warehouse_id: warehouse,
        warehouses: warehouses.into_iter().map(|(id, name)| WarehouseChoice { id, name }).collect(),
        value: money_of(value),
        chart: chart_values(value, chart_from, CHART_DAYS, &changes),
        chart_from,
        low,
        low_count,
        negative,
        negative_count,
        top,
        slow,
        today_counts,
        today: today_docs,
        in_transit,
        at: now,
    })
}

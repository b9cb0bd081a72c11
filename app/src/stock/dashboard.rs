//! The warehouse dashboard: what a storekeeper keeps open on a tablet all day, for one warehouse or all of
//! them. Every list on it is short and read through an index, so the page renders in milliseconds at a
//! million balances; it follows postings live (see `page_dashboard`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Balance, DocKind, DocSummary};
use crate::core::Millis;

/// Days the value chart covers.
pub const CHART_DAYS: usize = 90;
/// Rows each short list shows.
pub const LIST_ROWS: i64 = 8;

/// A warehouse to choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseChoice {
    pub id: i64,
    pub name: String,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The warehouse shown; `None`: all of them.
    pub warehouse_id: Option<i64>,
    pub warehouses: Vec<WarehouseChoice>,
    /// The stock's value now (UZS).
    pub value: Decimal,
    /// The value at the end of each of the last [`CHART_DAYS`] days, oldest first (tiyin).
    pub chart: Vec<i64>,
    /// The first day of the chart (local midnight).
    pub chart_from: Millis,
    pub low: Vec<Balance>,
    pub low_count: i64,
    pub negative: Vec<Balance>,
    pub negative_count: i64,
    pub top: Vec<Balance>,
    pub slow: Vec<Balance>,
    /// Documents posted today: how many of each kind, and the latest.
    pub today_counts: Vec<(DocKind, i64)>,
    pub today: Vec<DocSummary>,
    pub in_transit: Vec<DocSummary>,
    /// When it was read.
    pub at: Millis,
}

/// The chart's values from the value now and the day changes (`(day, change)`, any order): the value at the
/// end of day `d` is today's less every change dated after `d`.
pub fn chart_values(now_value: i64, first_day: Millis, days: usize, changes: &[(Millis, i64)]) -> Vec<i64> {
    const DAY: i64 = 86_400_000;
    (0..days as i64)
        .map(|i| {
            // Days are local midnights: compare by the day they start, with an hour's room for clock changes.
            let end = first_day + (i + 1) * DAY - DAY / 24;
            now_value - changes.iter().filter(|(d, _)| *d >= end).map(|(_, v)| v).sum::<i64>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_walks_back_from_now() {
        const DAY: i64 = 86_400_000;
        // 1,000 now; +300 on day 1, -100 on day 2 of a three-day chart starting at day 0.
        let v = chart_values(1000, 0, 3, &[(DAY, 300), (2 * DAY, -100)]);
        assert_eq!(v, vec![800, 1100, 1000]);
        // A change dated after the chart (a document dated tomorrow) counts in no day shown.
        assert_eq!(chart_values(1000, 0, 1, &[(5 * DAY, 50)]), vec![950]);
    }
}

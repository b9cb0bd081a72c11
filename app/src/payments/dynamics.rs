//! Payment dynamics: what came in and went out per day, week or month, per account, and what open invoices
//! are expected to bring by their due dates. The SQL sums per day (the same on both databases); periods
//! are folded here, so a week or a month means the same everywhere.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::{FlowPoint, Period};

/// The first day of the period holding `date`: itself, its week's Monday, its month's first.
pub fn period_start(period: Period, date: NaiveDate) -> NaiveDate {
    match period {
        Period::Day => date,
        Period::Week => date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday())),
        Period::Month => date.with_day(1).unwrap_or(date),
    }
}

/// The first day of the period after the one starting on `start`.
pub fn next_period(period: Period, start: NaiveDate) -> NaiveDate {
    match period {
        Period::Day => start + chrono::Duration::days(1),
        Period::Week => start + chrono::Duration::days(7),
        Period::Month => start.checked_add_months(chrono::Months::new(1)).unwrap_or(start),
    }
}

/// Folds `(day, income, outgo)` sums into every period from `from`'s to `to`'s, in order (empty periods as
/// zeros; days outside the range left out).
pub fn fold_periods(
    period: Period,
    from: NaiveDate,
    to: NaiveDate,
    days: &[(NaiveDate, Decimal, Decimal)],
) -> Vec<FlowPoint> {
    let mut out: Vec<(NaiveDate, Decimal, Decimal)> = Vec::new();
    let mut start = period_start(period, from);
    while start <= to {
        out.push((start, Decimal::ZERO, Decimal::ZERO));
        start = next_period(period, start);
    }
    for (day, income, outgo) in days {
        if *day < from || *day > to {
            continue;
        }
        let s = period_start(period, *day);
        if let Ok(i) = out.binary_search_by(|p| p.0.cmp(&s)) {
            out[i].1 += income;
            out[i].2 += outgo;
        }
    }
    out.into_iter()
        .map(|(s, income, outgo)| FlowPoint { start: s.format("%Y-%m-%d").to_string(), income, outgo })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 2026-12-07 is a Monday.
        assert_eq!(period_start(Period::Week, d("2026-12-13")), d("2026-12-07"));
        assert_eq!(period_start(Period::Week, d("2026-12-07")), d("2026-12-07"));
        assert_eq!(period_start(Period::Month, d("2026-12-31")), d("2026-12-01"));
        assert_eq!(next_period(Period::Month, d("2027-01-01")), d("2027-02-01"));
        let (one, ten, zero) = (Decimal::ONE, Decimal::TEN, Decimal::ZERO);
        let days = [
            (d("2026-11-30"), one, zero),
            (d("2026-12-01"), one, one),
            (d("2026-12-09"), ten, zero),
            (d("2027-01-01"), one, zero),
        ];
        let weeks = fold_periods(Period::Week, d("2026-12-01"), d("2026-12-20"), &days);
        let got: Vec<(&str, Decimal, Decimal)> = weeks.iter().map(|p| (p.start.as_str(), p.income, p.outgo)).collect();
        // From the week holding the first day; the days outside the range left out; an empty week kept.
        assert_eq!(got, [("2026-11-30", one, one), ("2026-12-07", ten, zero), ("2026-12-14", zero, zero)]);
        assert_eq!(fold_periods(Period::Month, d("2026-12-01"), d("2027-01-31"), &days).len(), 2);
        assert_eq!(fold_periods(Period::Day, d("2026-12-01"), d("2026-12-01"), &days)[0].income, one);
    }
}

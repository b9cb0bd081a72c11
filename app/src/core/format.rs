//! Numbers, money and dates formatted per locale (UZS in Uzbek as `1 234 567 so'm`).

use rust_decimal::Decimal;

use super::{Lang, Millis};

use super::zone;

/// Groups the integer digits of `digits` with `sep` every three places.
fn group(digits: &str, sep: &str) -> String {
    let mut out = String::new();
    let n = digits.len();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(ch);
    }
    out
}

/// A decimal number in the locale's style: `1 234 567,5` (uz, ru) or `1,234,567.5` (en).
pub fn number(lang: Lang, value: Decimal) -> String {
    localise(lang, value.is_sign_negative() && !value.is_zero(), &value.normalize().abs().to_string())
}

/// Puts the locale's separators into a plain `1234.5` digit string.
fn localise(lang: Lang, negative: bool, plain: &str) -> String {
    let (thousands, decimal) = match lang {
        // A no-break space keeps the digits of one number on one line.
        Lang::Uz | Lang::Ru => ("\u{a0}", ","),
        Lang::En => (",", "."),
    };
    let (int, frac) = plain.split_once('.').map_or((plain, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(if negative { "-" } else { "" });
    out.push_str(&group(int, thousands));
    if let Some(f) = frac {
        out.push_str(decimal);
        out.push_str(f);
    }
    out
}

/// A sum on a printed document: always two decimals, the locale's separators (`1 234 567,50`).
pub fn document_amount(lang: Lang, value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let plain = format!("{:.2}", rounded.abs());
    localise(lang, rounded.is_sign_negative() && !rounded.is_zero(), &plain)
}

/// Money with its currency, e.g. `1 234 567 so'm`, `1 234 567 сум`, `1,234,567 UZS`, `$1,234.50`.
pub fn money(lang: Lang, amount: Decimal, currency: &str) -> String {
    // Sums are shown in whole so'm; other currencies with cents.
    let scale = if currency == "UZS" { 0 } else { 2 };
    let rounded = amount.round_dp(scale);
    let plain = format!("{:.*}", scale as usize, rounded.abs());
    let n = localise(lang, rounded.is_sign_negative() && !rounded.is_zero(), &plain);
    match (currency, lang) {
        ("UZS", Lang::Uz) => format!("{n}\u{a0}so'm"),
        ("UZS", Lang::Ru) => format!("{n}\u{a0}сум"),
        ("USD", Lang::En) => format!("${n}"),
        (cur, _) => format!("{n}\u{a0}{cur}"),
    }
}

/// A date in the reader's time zone (their own, else the company's; see [`zone::current`]): `27.11.2026`
/// (uz, ru) or `27 Nov 2026` (en).
pub fn date(lang: Lang, at: Millis) -> String {
    let t = Civil::local(at);
    match lang {
        Lang::Uz | Lang::Ru => format!("{:02}.{:02}.{}", t.day, t.month, t.year),
        Lang::En => format!("{} {} {}", t.day, MONTHS_EN[t.month as usize - 1], t.year),
    }
}

/// A calendar day given as `YYYY-MM-DD` (a price's or an order's date: no time zone), written like [`date`];
/// anything else as it is.
pub fn calendar_date(lang: Lang, iso: &str) -> String {
    let mut it = iso.splitn(3, '-');
    let parsed = (|| {
        let (y, m, d) = (it.next()?, it.next()?.parse::<usize>().ok()?, it.next()?.parse::<u32>().ok()?);
        MONTHS_EN.get(m.checked_sub(1)?).map(|name| (y, m, d, *name))
    })();
    match (parsed, lang) {
        (None, _) => iso.to_string(),
        (Some((y, m, d, _)), Lang::Uz | Lang::Ru) => format!("{d:02}.{m:02}.{y}"),
        (Some((y, _, d, name)), Lang::En) => format!("{d} {name} {y}"),
    }
}

/// Date and time in the reader's time zone.
pub fn date_time(lang: Lang, at: Millis) -> String {
    let t = Civil::local(at);
    match lang {
        Lang::Uz | Lang::Ru => format!("{:02}.{:02}.{} {:02}:{:02}", t.day, t.month, t.year, t.hour, t.minute),
        Lang::En => format!("{} {} {}, {:02}:{:02}", t.day, MONTHS_EN[t.month as usize - 1], t.year, t.hour, t.minute),
    }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A calendar date and wall-clock time. Computed by hand (days-from-civil, proleptic Gregorian) rather than
/// with chrono's formatter, which would add its whole strftime machinery to the WASM bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl Civil {
    /// The reader's local calendar time of an epoch-millisecond instant.
    pub fn local(at: Millis) -> Civil {
        Civil::at_offset(at, zone::current().offset_at(at))
    }

    /// The calendar time of an instant at a UTC offset (minutes; 0: UTC).
    pub fn at_offset(at: Millis, offset_minutes: i32) -> Civil {
        let secs = at.div_euclid(1000) + i64::from(offset_minutes) * 60;
        let (days, secs_of_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        // Howard Hinnant's civil_from_days: eras of 400 years starting on 1 March.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil { year, month, day, hour: (secs_of_day / 3600) as u32, minute: (secs_of_day % 3600 / 60) as u32 }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Midnight, the reader's time, of a `YYYY-MM-DD` date (the value of `<input type="date">`), as epoch ms.
/// `None` for anything that is not a real calendar date between 1900 and 2200.
pub fn parse_date(s: &str) -> Option<Millis> {
    let mut it = s.trim().splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (year, month, day): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // Day 31 of a 30-day month rolls over into the next month: refuse it.
    (Civil::at_offset(days * 86_400_000, 0).day == day).then(|| zone::current().utc_of_local(days * 86_400_000))
}

/// A local (the reader's zone) `YYYY-MM-DDTHH:MM` (the value of `<input type="datetime-local">`; seconds allowed and
/// dropped, a space instead of `T` too), as epoch ms.
pub fn parse_date_time(s: &str) -> Option<Millis> {
    let s = s.trim();
    let (d, t) = s.split_once(['T', ' ']).unwrap_or((s, "00:00"));
    let day = parse_date(d)?;
    let mut it = t.split(':');
    let (h, m) = (it.next()?, it.next()?);
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    // The wall clock of that day, then to UTC (a day with a clock change is not 24 hours long).
    let z = zone::current();
    let local_midnight = day + i64::from(z.offset_at(day)) * 60_000;
    Some(z.utc_of_local(local_midnight + (h * 60 + m) * 60_000))
}

/// The `YYYY-MM-DDTHH:MM` form of an instant in the reader's time (for `<input type="datetime-local">`).
pub fn date_time_input(at: Millis) -> String {
    let t = Civil::local(at);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute)
}

/// `HH:MM` of an instant in the reader's time.
pub fn time_of_day(at: Millis) -> String {
    let t = Civil::local(at);
    format!("{:02}:{:02}", t.hour, t.minute)
}

/// Midnight (the reader's time) that starts the day of `at`.
pub fn day_start(at: Millis) -> Millis {
    day_start_in(&zone::current(), at)
}

/// Midnight in zone `z` that starts the day of `at`.
pub fn day_start_in(z: &zone::Zone, at: Millis) -> Millis {
    let local = at + i64::from(z.offset_at(at)) * 60_000;
    z.utc_of_local(local.div_euclid(86_400_000) * 86_400_000)
}

/// The `YYYY-MM-DD` form of an instant's local date (the reader's zone).
pub fn date_input(at: Millis) -> String {
    let t = Civil::local(at);
    format!("{:04}-{:02}-{:02}", t.year, t.month, t.day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn uzs_per_locale() {
        assert_eq!(money(Lang::Uz, d("1234567"), "UZS"), "1\u{a0}234\u{a0}567\u{a0}so'm");
        assert_eq!(money(Lang::Ru, d("1234567.4"), "UZS"), "1\u{a0}234\u{a0}567\u{a0}сум");
        assert_eq!(money(Lang::En, d("1234567"), "UZS"), "1,234,567\u{a0}UZS");
        assert_eq!(money(Lang::En, d("1234.5"), "USD"), "$1,234.50");
        assert_eq!(money(Lang::Ru, d("-12.5"), "EUR"), "-12,50\u{a0}EUR");
    }

    #[test]
    fn date_inputs_round_trip() {
        let at = parse_date("2026-11-27").unwrap();
        assert_eq!(date_input(at), "2026-11-27");
        assert_eq!(date_time(Lang::Ru, at), "27.11.2026 00:00");
        assert_eq!(date_input(parse_date("2024-02-29").unwrap()), "2024-02-29");
        let t = parse_date_time("2026-11-27T14:05").unwrap();
        assert_eq!(date_time_input(t), "2026-11-27T14:05");
        assert_eq!(parse_date_time("2026-11-27 14:05:59"), Some(t));
        assert_eq!(day_start(t), at);
        assert_eq!(day_start(at), at);
        assert_eq!(time_of_day(t), "14:05");
        for bad in ["2026-11-27T24:00", "2026-11-27T1:00", "2026-11-27Tab:cd", "2026-11-31T10:00"] {
            assert_eq!(parse_date_time(bad), None, "{bad}");
        }
        for bad in ["2025-02-29", "2026-04-31", "2026-13-01", "26-11-27", "", "2026-11-2x", "1800-01-01"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(number(Lang::En, d("999")), "999");
        assert_eq!(number(Lang::En, d("1000")), "1,000");
        assert_eq!(number(Lang::Uz, d("0.25")), "0,25");
        // 2026-11-27 03:25 UTC is 08:25 in Tashkent.
        let at = 1_795_749_900_000;
        assert_eq!(date_time(Lang::Ru, at), "27.11.2026 08:25");
        assert_eq!(date(Lang::En, at), "27 Nov 2026");
        // Year, leap-day and epoch boundaries, checked against chrono.
        for at in [0, -1, 951_782_400_000, 951_868_799_999, 4_107_542_399_000, -2_208_988_800_000, 1_709_164_800_000] {
            let c = chrono::DateTime::from_timestamp_millis(at).unwrap().naive_utc() + chrono::Duration::minutes(300);
            let mine = Civil::local(at);
            use chrono::{Datelike, Timelike};
            assert_eq!(
                (mine.year, mine.month, mine.day, mine.hour, mine.minute),
                (i64::from(c.year()), c.month(), c.day(), c.hour(), c.minute()),
                "{at}"
            );
        }
    }
}

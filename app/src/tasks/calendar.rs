//! The calendar: meetings and tasks of a user or a team by day or week, and the private iCalendar feed
//! (RFC 5545) that Google Calendar, Outlook or Thunderbird subscribe to.

use serde::{Deserialize, Serialize};

use crate::core::Millis;
use crate::core::format::day_start;

/// One thing in the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarItem {
    /// `meeting` or `task`.
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub start: Millis,
    pub end: Option<Millis>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    /// Whose it is (the meeting's author, the task's assignee).
    pub user_name: String,
    /// A meeting's status, or `open` / `done` for a task.
    pub status: String,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub remind_at: Option<Millis>,
}

/// Monday 00:00 (the reader's time) of the week that holds `at`.
pub fn week_start(at: Millis) -> Millis {
    let z = crate::core::zone::current();
    let day = day_start(at);
    let days = (day + i64::from(z.offset_at(day)) * 60_000).div_euclid(86_400_000);
    // 1970-01-01 was a Thursday: Monday is 0 after shifting by 3.
    z.utc_of_local((days - (days + 3).rem_euclid(7)) * 86_400_000)
}

/// The escaped form of a TEXT value (backslash, semicolon, comma, newline).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (continuations start with a space), never inside a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for ch in content.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

/// `YYYYMMDDTHHMMSSZ` (UTC).
fn utc(at: Millis) -> String {
    let secs = at.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let c = crate::core::format::Civil::at_offset(days * 86_400_000, 0);
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The feed: every item as a `VEVENT` (tasks too: most calendar apps ignore `VTODO`), with an alarm where a
/// reminder is set. `host` names the UIDs' domain, `base` is the app's URL for links.
pub fn ics(items: &[CalendarItem], now: Millis, base: &str, lang_name: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Karvon//CRM//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(&format!("Karvon: {lang_name}"))));
    for i in items {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}-{}@karvon", i.kind, i.id));
        line(&mut out, &format!("DTSTAMP:{}", utc(now)));
        line(&mut out, &format!("DTSTART:{}", utc(i.start)));
        let end = i.end.filter(|e| *e > i.start).unwrap_or(i.start + if i.kind == "task" { 30 } else { 60 } * 60_000);
        line(&mut out, &format!("DTEND:{}", utc(end)));
        let summary = match &i.customer_name {
            Some(c) => format!("{} · {c}", i.title),
            None => i.title.clone(),
        };
        line(&mut out, &format!("SUMMARY:{}", text(&summary)));
        if let Some(p) = &i.place {
            line(&mut out, &format!("LOCATION:{}", text(p)));
        }
        if let Some(n) = &i.notes {
            line(&mut out, &format!("DESCRIPTION:{}", text(n)));
        }
        if let Some(c) = i.customer_id {
            line(&mut out, &format!("URL:{base}/customers/{c}"));
        }
        match i.status.as_str() {
            "cancelled" => line(&mut out, "STATUS:CANCELLED"),
            "planned" | "open" => line(&mut out, "STATUS:CONFIRMED"),
            _ => {}
        }
        if let Some(r) = i.remind_at.filter(|_| i.status == "open") {
            line(&mut out, "BEGIN:VALARM");
            line(&mut out, "ACTION:DISPLAY");
            line(&mut out, &format!("DESCRIPTION:{}", text(&i.title)));
            line(&mut out, &format!("TRIGGER;VALUE=DATE-TIME:{}", utc(r)));
            line(&mut out, "END:VALARM");
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_company_time() {
        // Friday 2026-11-27 08:25 Tashkent -> Monday 2026-11-23 00:00 Tashkent.
        let at = 1_795_749_900_000;
        let monday = crate::core::format::parse_date("2026-11-23").unwrap();
        assert_eq!(week_start(at), monday);
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), crate::core::format::parse_date("2026-11-16").unwrap());
    }

    #[test]
    fn lines_are_escaped_and_folded() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "ё".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("SUMMARY:{}", "ё".repeat(60)));
        assert_eq!(utc(1_795_749_900_000), "20261127T032500Z");
    }
}

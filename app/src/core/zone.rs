//! Time zones: the company's (a setting) and each user's own (in the profile). A zone travels as a small
//! table of UTC offsets with the instants they start (built on the server from the IANA database, around
//! now), so the browser formats exactly as the server does without carrying the database.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Millis;

/// The zone a company starts with.
pub const DEFAULT_ZONE: &str = "Asia/Tashkent";

/// A time zone as offsets from UTC: `changes` holds `(from, offset in minutes)` in time order; an instant
/// before the first change takes the first offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    /// The IANA name (`Asia/Tashkent`).
    pub name: String,
    pub changes: Vec<(Millis, i32)>,
}

impl Default for Zone {
    /// Tashkent: UTC+5, no daylight saving.
    fn default() -> Zone {
        Zone { name: DEFAULT_ZONE.into(), changes: vec![(0, 300)] }
    }
}

impl Zone {
    /// The offset from UTC, in minutes, at `at`.
    pub fn offset_at(&self, at: Millis) -> i32 {
        let i = self.changes.partition_point(|(from, _)| *from <= at);
        self.changes.get(i.saturating_sub(1)).map_or(0, |(_, o)| *o)
    }

    /// The instant of a wall-clock time (epoch ms as if the wall clock were UTC). A time skipped by a
    /// change (spring forward) comes out an hour later; a repeated one (fall back) takes the later.
    pub fn utc_of_local(&self, local: Millis) -> Millis {
        let guess = local - i64::from(self.offset_at(local)) * 60_000;
        let offset = self.offset_at(guess);
        let at = local - i64::from(offset) * 60_000;
        // Near a change the first guess may sit on the other side of it.
        let again = self.offset_at(at);
        if again == offset { at } else { local - i64::from(again.min(offset)) * 60_000 }
    }
}

/// The zone in force where a page is rendered or a server function runs (see [`current`]).
#[derive(Debug, Clone)]
pub struct ZoneCtx(pub Arc<Zone>);

/// The zone to format in: the page's (the signed-in user's own, else the company's), else (background work,
/// the REST API) the company's.
pub fn current() -> Arc<Zone> {
    if let Some(ZoneCtx(z)) = leptos::prelude::use_context::<ZoneCtx>() {
        return z;
    }
    #[cfg(feature = "ssr")]
    if let Some(ZoneCtx(z)) =
        leptos::prelude::use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<ZoneCtx>().cloned())
    {
        return z;
    }
    company()
}

static COMPANY: std::sync::RwLock<Option<Arc<Zone>>> = std::sync::RwLock::new(None);

/// The company's zone as last loaded (Tashkent until then).
pub fn company() -> Arc<Zone> {
    COMPANY.read().unwrap_or_else(|e| e.into_inner()).clone().unwrap_or_else(|| Arc::new(Zone::default()))
}

/// Replaces the company's zone for work outside a request (see `refresh_company`).
pub fn set_company(zone: Arc<Zone>) {
    *COMPANY.write().unwrap_or_else(|e| e.into_inner()) = Some(zone);
}

/// The `company_settings` key of the company's zone.
#[cfg(feature = "ssr")]
pub const SETTING: &str = "time_zone";

/// The company's zone as its settings say now.
#[cfg(feature = "ssr")]
pub async fn company_of(db: &crate::core::db::Db) -> Result<Arc<Zone>, crate::core::AppError> {
    let name = crate::core::settings::get(db, SETTING).await?;
    Ok(named(name.as_deref().unwrap_or(DEFAULT_ZONE)).unwrap_or_else(|| Arc::new(Zone::default())))
}

/// Reads the company's zone into the copy that work outside a request (imports, jobs) uses: at start and
/// every minute (an administrator's change reaches every app server so).
#[cfg(feature = "ssr")]
pub async fn refresh_company(db: &crate::core::db::Db) -> Result<(), crate::core::AppError> {
    set_company(company_of(db).await?);
    Ok(())
}

/// Sets the company's zone (a known IANA name).
#[cfg(feature = "ssr")]
pub async fn set_company_zone(db: &crate::core::db::Db, name: &str) -> Result<(), crate::core::AppError> {
    let zone = named(name.trim())
        .ok_or_else(|| crate::core::AppError::field("time_zone", crate::core::ErrCode::InvalidChoice))?;
    crate::core::settings::set(db, SETTING, Some(&zone.name)).await
}

/// The zone a user reads in: their own, else the company's.
#[cfg(feature = "ssr")]
pub async fn for_user(
    db: &crate::core::db::Db,
    user: Option<&crate::core::identity::CurrentUser>,
) -> Result<Arc<Zone>, crate::core::AppError> {
    match user.and_then(|u| u.time_zone.as_deref()).and_then(named) {
        Some(z) => Ok(z),
        None => company_of(db).await,
    }
}

/// The zone named `name` (IANA), as offsets from two years back to two years ahead; `None` for an unknown
/// name. Built once per name and day.
#[cfg(feature = "ssr")]
pub fn named(name: &str) -> Option<Arc<Zone>> {
    use std::collections::HashMap;
    use std::sync::Mutex;
    /// Built zones by name, with the day they were built.
    type Built = Mutex<HashMap<String, (i64, Arc<Zone>)>>;
    static CACHE: std::sync::LazyLock<Built> = std::sync::LazyLock::new(|| Mutex::new(HashMap::new()));
    let tz: chrono_tz::Tz = name.parse().ok()?;
    let now = super::now_millis();
    let day = now / 86_400_000;
    if let Some((d, z)) = CACHE.lock().unwrap_or_else(|e| e.into_inner()).get(name)
        && *d == day
    {
        return Some(z.clone());
    }
    let offset = |at: Millis| -> i32 {
        use chrono::{Offset, TimeZone};
        let utc = chrono::DateTime::from_timestamp_millis(at).unwrap_or_default().naive_utc();
        tz.offset_from_utc_datetime(&utc).fix().local_minus_utc() / 60
    };
    let (start, end) = (now - 2 * 366 * 86_400_000, now + 2 * 366 * 86_400_000);
    let mut changes = vec![(start, offset(start))];
    let step = 6 * 3_600_000;
    let mut at = start;
    while at < end {
        let next = at + step;
        if offset(next) != offset(at) {
            // The change is within (at, next]: found to the millisecond.
            let (mut lo, mut hi) = (at, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(mid) == offset(at) { lo = mid } else { hi = mid }
            }
            changes.push((hi, offset(hi)));
        }
        at = next;
    }
    // Before the table: its first offset; the first entry covers all earlier time.
    changes[0].0 = i64::MIN;
    let zone = Arc::new(Zone { name: name.to_string(), changes });
    CACHE.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), (day, zone.clone()));
    Some(zone)
}

/// Every IANA zone name, for the choices in the settings and the profile.
#[cfg(feature = "ssr")]
pub fn names() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn tashkent_has_one_offset_and_berlin_changes_twice_a_year() {
        let t = named("Asia/Tashkent").unwrap();
        assert_eq!(t.changes.len(), 1);
        assert_eq!(t.offset_at(0), 300);
        let b = named("Europe/Berlin").unwrap();
        assert!((7..=10).contains(&b.changes.len()), "{:?}", b.changes);
        // 2026-03-29 01:00 UTC: Berlin goes from +1 to +2.
        let change = 1_774_746_000_000;
        assert_eq!((b.offset_at(change - 1), b.offset_at(change)), (60, 120));
        // 02:30 local does not exist that night: it comes out as 03:30 CEST (01:30 UTC).
        let local = change + 3_600_000 + 30 * 60_000; // 02:30 as if UTC
        assert_eq!(b.utc_of_local(local), change + 30 * 60_000);
        // A summer noon.
        let noon = 1_782_900_000_000; // 2026-07-01 10:00 UTC
        assert_eq!(b.utc_of_local(noon + 120 * 60_000), noon);
        assert!(named("Mars/Olympus").is_none());
    }
}

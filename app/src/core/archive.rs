//! Which records a list shows: the living ones (the default everywhere), only the archived ones, or all of
//! them (what a sync job reads with `updated_since`).

use serde::{Deserialize, Serialize};

use super::{AppError, ErrCode};

/// The `archived` parameter of every list of archivable records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Archived {
    /// Records not archived.
    #[default]
    Active,
    /// Archived records only.
    Only,
    /// Both.
    All,
}

impl Archived {
    /// `active` (or empty, `false`), `only` (or `true`), `all`; anything else is a field error on `archived`.
    pub fn parse(text: Option<&str>) -> Result<Archived, AppError> {
        match text.map(str::trim).unwrap_or_default() {
            "" | "active" | "false" => Ok(Archived::Active),
            "only" | "true" => Ok(Archived::Only),
            "all" => Ok(Archived::All),
            _ => Err(AppError::field("archived", ErrCode::InvalidChoice)),
        }
    }

    /// As [`Archived::parse`], except that a sync job's read (`updated_since` given) sees archived records
    /// too unless it says otherwise: an archive is a change it must learn of.
    pub fn parse_for_sync(text: Option<&str>, updated_since: Option<i64>) -> Result<Archived, AppError> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None if updated_since.is_some() => Ok(Archived::All),
            text => Archived::parse(text),
        }
    }

    /// The code [`Archived::parse`] reads.
    pub fn code(self) -> &'static str {
        match self {
            Archived::Active => "active",
            Archived::Only => "only",
            Archived::All => "all",
        }
    }

    /// Whether a record archived at `archived_at` is in the choice (for lists filtered after reading).
    pub fn keeps(self, archived_at: Option<i64>) -> bool {
        match self {
            Archived::Active => archived_at.is_none(),
            Archived::Only => archived_at.is_some(),
            Archived::All => true,
        }
    }

    /// ` AND <alias>.archived_at …` for this choice (empty for `All`).
    pub fn sql(self, alias: &str) -> String {
        match self {
            Archived::Active => format!(" AND {alias}.archived_at IS NULL"),
            Archived::Only => format!(" AND {alias}.archived_at IS NOT NULL"),
            Archived::All => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_codes_and_refuses_others() {
        for (text, want) in [
            (None, Archived::Active),
            (Some(""), Archived::Active),
            (Some("false"), Archived::Active),
            (Some("true"), Archived::Only),
            (Some("only"), Archived::Only),
            (Some(" all "), Archived::All),
        ] {
            assert_eq!(Archived::parse(text).unwrap(), want, "{text:?}");
        }
        assert_eq!(Archived::parse(Some("yes")).unwrap_err().field_codes("archived"), vec![ErrCode::InvalidChoice]);
        for a in [Archived::Active, Archived::Only, Archived::All] {
            assert_eq!(Archived::parse(Some(a.code())).unwrap(), a);
        }
        assert_eq!(Archived::Only.sql("c"), " AND c.archived_at IS NOT NULL");
        assert!(Archived::Active.keeps(None) && !Archived::Active.keeps(Some(1)));
        assert!(Archived::Only.keeps(Some(1)) && !Archived::Only.keeps(None));
        assert!(Archived::All.keeps(None) && Archived::All.keeps(Some(1)));
    }
}

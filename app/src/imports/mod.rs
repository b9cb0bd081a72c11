//! Importing customers from CSV and Excel files: upload, map columns (the mapping is remembered), preview with
//! per-row errors, then a background run with progress; failed rows can be downloaded. Duplicates (same
//! phone, e-mail or name key, in the database or earlier in the file) are skipped or update the existing
//! customer, as the user chooses, so importing the same file again creates nothing twice.

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod file;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::{FieldError, Msg};

/// What an import can set on a customer, besides `custom.<key>`; `""` ignores the column.
pub const TARGETS: [&str; 9] = ["name", "kind", "stage", "phone", "email", "source", "tags", "notes", "manager"];

/// The UI name of a target field.
pub fn target_msg(target: &str) -> Msg {
    match target {
        "manager" => Msg::ManagerEmail,
        other => crate::audit::field_msg(other),
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    Uploaded,
    Running,
    Done,
    Failed,
}

impl ImportStatus {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Uploaded => "uploaded",
            ImportStatus::Running => "running",
            ImportStatus::Done => "done",
            ImportStatus::Failed => "failed",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        [ImportStatus::Uploaded, ImportStatus::Running, ImportStatus::Done, ImportStatus::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// Its name in the UI.
    pub fn msg(self) -> Msg {
        match self {
            ImportStatus::Uploaded => Msg::ImportUploaded,
            ImportStatus::Running => Msg::ImportRunning,
            ImportStatus::Done => Msg::ImportDone,
            ImportStatus::Failed => Msg::ImportFailed,
        }
    }
}

/// An import: the file, its mapping and the run's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Import {
    pub id: i64,
    pub file_name: String,
    /// `csv` or `xlsx`.
    pub format: String,
    /// How a CSV file was read (`utf-8` or `windows-1251`).
    pub encoding: Option<String>,
    pub headers: Vec<String>,
    /// For each column, the field it goes to (`""`: ignored).
    pub mapping: Vec<String>,
    /// `skip` or `update`.
    pub on_duplicate: String,
    pub status: ImportStatus,
    pub total_rows: i64,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
    /// Why a run failed as a whole.
    pub error: Option<String>,
    /// Epoch milliseconds.
    pub created_at: i64,
}

impl Import {
    /// Progress in percent (0 to 100).
    pub fn percent(&self) -> i64 {
        if self.total_rows == 0 { 100 } else { (self.processed * 100 / self.total_rows).clamp(0, 100) }
    }
}

/// A row of the preview: its number in the file (the header is row 1), the values as mapped, and what is
/// wrong with it (empty: it would be imported), or the customer it duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PreviewRow {
    pub row_no: i64,
    pub cells: Vec<String>,
    pub errors: Vec<FieldError>,
    pub duplicate_of: Option<String>,
}

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportError {
    pub row_no: i64,
    pub errors: Vec<FieldError>,
    pub raw: Vec<String>,
}

/// The target a header most likely means (in Uzbek, Russian or English), for the first mapping of a file.
pub fn guess_target(header: &str) -> &'static str {
    let h = header.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["e-mail", "email", "почта", "pochta"]) {
        "email"
    } else if has(&["phone", "телефон", "telefon", "tel"]) {
        "phone"
    } else if has(&["manager", "менеджер", "menejer", "ответствен", "mas'ul"]) {
        "manager"
    } else if has(&["stage", "стадия", "bosqich"]) {
        "stage"
    } else if has(&["kind", "type", "тип", "turi"]) {
        "kind"
    } else if has(&["source", "источник", "manba", "heard"]) {
        "source"
    } else if has(&["tag", "тег", "метк", "teg"]) {
        "tags"
    } else if has(&["note", "comment", "примеч", "коммент", "izoh"]) {
        "notes"
    } else if has(&["name", "назван", "наимен", "клиент", "nomi", "mijoz", "company", "компан"])
    {
        "name"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_guessed_in_three_languages() {
        assert_eq!(guess_target("Наименование"), "name");
        assert_eq!(guess_target("Telefon raqami"), "phone");
        assert_eq!(guess_target("E-mail"), "email");
        assert_eq!(guess_target("Ответственный менеджер"), "manager");
        assert_eq!(guess_target("Colour"), "");
    }
}

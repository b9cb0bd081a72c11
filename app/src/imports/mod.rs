//! Importing customers, contacts and counterparties from CSV and Excel files: upload, map columns (the
//! mapping is remembered), preview with per-row errors, then a background run with progress; failed rows can
//! be downloaded. Duplicates (in the database or earlier in the file) are skipped or update the existing
//! record, as the user chooses, so importing the same file again creates nothing twice: customers by phone,
//! e-mail or name key; contacts by phone or e-mail, else by name at the same customer; counterparties by
//! country and taxpayer id. Contacts and counterparties name their customer in a column (its number, phone,
//! e-mail or name).

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod file;
#[cfg(feature = "ssr")]
pub mod linked;
pub mod page;
#[cfg(feature = "ssr")]
pub mod products;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod statement;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::{FieldError, Msg};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    #[default]
    Customers,
    Contacts,
    Counterparties,
    /// The stock catalog (administrators and storekeepers).
    Products,
    /// A bank statement of one of the company's accounts: payments in and out (administrators and
    /// accountants; see [`statement`]).
    Payments,
}

impl ImportKind {
    pub const ALL: [ImportKind; 5] = [
        ImportKind::Customers,
        ImportKind::Contacts,
        ImportKind::Counterparties,
        ImportKind::Products,
        ImportKind::Payments,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Contacts => "contacts",
            ImportKind::Counterparties => "counterparties",
            ImportKind::Products => "products",
            ImportKind::Payments => "payments",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name in the UI ("Import contacts").
    pub fn msg(self) -> Msg {
        match self {
            ImportKind::Customers => Msg::ImportCustomers,
            ImportKind::Contacts => Msg::ImportContacts,
            ImportKind::Counterparties => Msg::ImportCounterparties,
            ImportKind::Products => Msg::ImportProducts,
            ImportKind::Payments => Msg::ImportStatement,
        }
    }

    /// The fields a column can go to, besides `custom.<key>` (customers and contacts); `""` ignores it.
    pub fn targets(self) -> &'static [&'static str] {
        match self {
            ImportKind::Customers => &["name", "kind", "stage", "phone", "email", "source", "tags", "notes", "manager"],
            ImportKind::Contacts => &["customer", "name", "position", "role", "phone", "email", "birthday", "notes"],
            ImportKind::Counterparties => &[
                "customer",
                "legal_name",
                "tax_id",
                "country",
                "vat_payer",
                "legal_address",
                "from",
                "bank_code",
                "account",
                "bank_name",
            ],
            ImportKind::Products => &[
                "name",
                "name_ru",
                "name_en",
                "sku",
                "barcode",
                "kind",
                "group",
                "unit",
                "units",
                "mxik",
                "package_code",
                "vat",
                "weight",
            ],
            ImportKind::Payments => {
                &["date", "credit", "debit", "amount", "tax_id", "payer", "purpose", "doc_no", "rate"]
            }
        }
    }

    /// The fields that must be mapped before a run starts.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            ImportKind::Customers => &["name"],
            ImportKind::Contacts => &["customer", "name"],
            ImportKind::Counterparties => &["customer", "legal_name", "tax_id"],
            ImportKind::Products => &["name"],
            // And one of `credit`, `debit` or `amount` (checked with the mapping).
            ImportKind::Payments => &["date"],
        }
    }

    /// Whose custom fields a column can go to.
    pub fn custom_fields(self) -> Option<crate::custom_fields::FieldEntity> {
        match self {
            ImportKind::Customers => Some(crate::custom_fields::FieldEntity::Customer),
            ImportKind::Contacts => Some(crate::custom_fields::FieldEntity::Contact),
            ImportKind::Products => Some(crate::custom_fields::FieldEntity::Product),
            ImportKind::Counterparties | ImportKind::Payments => None,
        }
    }
}

/// The UI name of a target field.
pub fn target_msg(target: &str) -> Msg {
    match target {
        "manager" => Msg::ManagerEmail,
        "customer" => Msg::CustomerRef,
        "role" => Msg::ContactRole,
        "phone" | "email" | "name" | "notes" | "kind" => crate::audit::field_msg(target),
        "bank_code" => Msg::BankCode,
        "account" => Msg::AccountNumber,
        "bank_name" => Msg::BankName,
        "name_ru" => Msg::NameRu,
        "name_en" => Msg::NameEn,
        "sku" => Msg::Sku,
        "barcode" => Msg::Barcodes,
        "group" => Msg::ProductGroupField,
        "unit" => Msg::BaseUnit,
        "units" => Msg::ExtraUnits,
        "mxik" => Msg::Mxik,
        "package_code" => Msg::PackageCode,
        "vat" => Msg::VatRate,
        "weight" => Msg::WeightKg,
        "date" => Msg::PayDate,
        "credit" => Msg::StatementCredit,
        "debit" => Msg::StatementDebit,
        "amount" => Msg::Amount,
        "payer" => Msg::Payer,
        "purpose" => Msg::Purpose,
        "doc_no" => Msg::DocNo,
        "rate" => Msg::ExchangeRate,
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
    pub kind: ImportKind,
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
    /// A bank statement's account (the company's bank account or cash desk).
    #[serde(default)]
    pub account_id: Option<i64>,
    pub status: ImportStatus,
    pub total_rows: i64,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
    /// Why a run failed as a whole (in English; `failure` has it to translate).
    pub error: Option<String>,
    /// Why a run failed as a whole, as the error it was (the page says it in the user's language).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    #[serde(default)]
    pub failure: Option<crate::core::AppError>,
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
    /// A bank statement's line: whom (and which invoice) it will be posted to.
    #[serde(default)]
    pub matched: Option<String>,
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
pub fn guess_target(kind: ImportKind, header: &str) -> &'static str {
    let h = header.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    let customer = ["customer", "client", "клиент", "mijoz", "покупател"];
    match kind {
        ImportKind::Customers => {}
        ImportKind::Products => return guess_product(&h),
        ImportKind::Payments => return statement_column(&h),
        ImportKind::Contacts => {
            return if has(&customer) || has(&["company", "компан", "kompaniya"]) {
                "customer"
            } else if has(&["e-mail", "email", "почта", "pochta"]) {
                "email"
            } else if has(&["phone", "телефон", "telefon", "tel"]) {
                "phone"
            } else if has(&["position", "должност", "lavozim", "title"]) {
                "position"
            } else if has(&["role", "роль", "rol"]) {
                "role"
            } else if has(&["birth", "рожден", "tug'ilgan", "tugilgan"]) {
                "birthday"
            } else if has(&["note", "comment", "примеч", "коммент", "izoh"]) {
                "notes"
            } else if has(&["name", "имя", "фио", "fio", "ism", "контакт", "kontakt"]) {
                "name"
            } else {
                ""
            };
        }
        ImportKind::Counterparties => {
            return if has(&customer) {
                "customer"
            } else if has(&["inn", "инн", "stir", "tax", "налог"]) {
                "tax_id"
            } else if has(&["mfo", "мфо", "bank code", "код банка", "bik", "бик"]) {
                "bank_code"
            } else if has(&["account", "счет", "счёт", "hisob", "р/с"]) {
                "account"
            } else if has(&["bank", "банк"]) {
                "bank_name"
            } else if has(&["vat", "ндс", "qqs"]) {
                "vat_payer"
            } else if has(&["address", "адрес", "manzil"]) {
                "legal_address"
            } else if has(&["country", "стран", "davlat", "mamlakat"]) {
                "country"
            } else if has(&["since", "from", "дата", "sana"]) {
                "from"
            } else if has(&["name", "назван", "наимен", "nomi", "organ", "юр"]) {
                "legal_name"
            } else {
                ""
            };
        }
    }
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

/// The statement field a (lower-cased) header means, in the words Uzbek banks' statements use.
fn statement_column(h: &str) -> &'static str {
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["inn", "инн", "stir", "tax", "pinfl", "пинфл"]) {
        "tax_id"
    } else if has(&["назначен", "maqsad", "purpose", "тўлов мақсади", "to'lov maqsadi"]) {
        "purpose"
    } else if has(&["кредит", "kredit", "credit", "приход", "kirim", "поступ"]) {
        "credit"
    } else if has(&["дебет", "debet", "debit", "расход", "chiqim", "списан"]) {
        "debit"
    } else if has(&["курс", "kurs", "rate"]) {
        "rate"
    } else if has(&["сумма", "summa", "amount"]) {
        "amount"
    } else if has(&["№", "номер", "raqam", "number", "doc"]) {
        "doc_no"
    } else if has(&["дата", "sana", "date"]) {
        "date"
    } else if has(&[
        "плательщ",
        "получател",
        "корреспондент",
        "to'lovchi",
        "payer",
        "контрагент",
        "kontragent",
        "наимен",
        "nomi",
    ]) {
        "payer"
    } else {
        ""
    }
}

/// The product field a (lower-cased) header means: the export's own headers in any language first, then
/// the usual words of 1C and Excel price lists.
fn guess_product(h: &str) -> &'static str {
    let targets = ImportKind::Products.targets();
    if let Some(t) =
        targets.iter().find(|t| crate::core::Lang::ALL.iter().any(|l| target_msg(t).text(*l).to_lowercase() == h))
    {
        return t;
    }
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["barcode", "штрих", "shtrix", "ean"]) {
        "barcode"
    } else if has(&["sku", "артикул", "artikul", "article", "код товара"]) {
        "sku"
    } else if has(&["mxik", "ikpu", "икпу", "мхик"]) {
        "mxik"
    } else if has(&["упаков", "qadoq", "package"]) {
        "package_code"
    } else if has(&["vat", "ндс", "qqs"]) {
        "vat"
    } else if has(&["weight", "вес", "og'irli", "ogirli"]) {
        "weight"
    } else if has(&["group", "групп", "guruh", "категор", "kategoriya", "category", "папка"]) {
        "group"
    } else if has(&["доп. ед", "extra unit", "qo'shimcha"]) {
        "units"
    } else if has(&["unit", "ед. изм", "единиц", "birlik", "ед.изм"]) {
        "unit"
    } else if has(&["type", "kind", "тип", "вид", "turi"]) {
        "kind"
    } else if has(&["name", "назван", "наимен", "nomi", "товар", "mahsulot"]) {
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
        let c = ImportKind::Customers;
        assert_eq!(guess_target(c, "Наименование"), "name");
        assert_eq!(guess_target(c, "Telefon raqami"), "phone");
        assert_eq!(guess_target(c, "E-mail"), "email");
        assert_eq!(guess_target(c, "Ответственный менеджер"), "manager");
        assert_eq!(guess_target(c, "Colour"), "");
        let k = ImportKind::Contacts;
        assert_eq!(guess_target(k, "ФИО"), "name");
        assert_eq!(guess_target(k, "Клиент"), "customer");
        assert_eq!(guess_target(k, "Lavozimi"), "position");
        let p = ImportKind::Counterparties;
        assert_eq!(guess_target(p, "ИНН"), "tax_id");
        assert_eq!(guess_target(p, "Юридическое наименование"), "legal_name");
        assert_eq!(guess_target(p, "МФО"), "bank_code");
        assert_eq!(guess_target(p, "Расчётный счёт"), "account");
        assert_eq!(guess_target(p, "Mijoz"), "customer");
        let g = ImportKind::Products;
        assert_eq!(guess_target(g, "Наименование"), "name");
        assert_eq!(guess_target(g, "Штрихкод"), "barcode");
        assert_eq!(guess_target(g, "Артикул"), "sku");
        assert_eq!(guess_target(g, "ИКПУ"), "mxik");
        assert_eq!(guess_target(g, "Ед. изм."), "unit");
        assert_eq!(guess_target(g, "Группа"), "group");
        assert_eq!(guess_target(g, "Ставка НДС"), "vat");
        let b = ImportKind::Payments;
        assert_eq!(guess_target(b, "Дата документа"), "date");
        assert_eq!(guess_target(b, "№ док."), "doc_no");
        assert_eq!(guess_target(b, "Оборот по кредиту"), "credit");
        assert_eq!(guess_target(b, "Debet"), "debit");
        assert_eq!(guess_target(b, "ИНН плательщика"), "tax_id");
        assert_eq!(guess_target(b, "Наименование плательщика"), "payer");
        assert_eq!(guess_target(b, "Назначение платежа"), "purpose");
        // The export's own headers come back to their fields, whatever the language.
        for t in g.targets() {
            for l in crate::core::Lang::ALL {
                assert_eq!(guess_target(g, target_msg(t).text(l)), *t, "{t} in {l:?}");
            }
        }
    }
}

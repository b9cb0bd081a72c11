//! Customers: the centre of the CRM. Shared model and validation rules.

pub mod api;
pub mod bulk;
pub mod dupes;
#[cfg(feature = "ssr")]
pub mod filter;
pub mod form;
pub mod page_card;
pub mod page_list;
pub mod page_merge;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::modules::ModuleDef;
use crate::core::{AppError, Checks, ErrCode, Msg};
use crate::custom_fields::{CheckedValues, CustomField, CustomValues};

/// The customers module (switchable in Settings > Modules).
pub const MODULE: ModuleDef = ModuleDef {
    key: "customers",
    name: Msg::ModuleCustomers,
    paths: &[
        "/customers",
        "/segments",
        "/api/v1/customers",
        "/api/v1/counterparties",
        "/api/v1/contacts",
        "/api/v1/segments",
        "/api/v1/imports",
        "/api/v1/exports",
    ],
};

/// Largest page a list call returns.
pub const MAX_PAGE: u32 = crate::core::MAX_PAGE;
/// Default page size.
pub const DEFAULT_PAGE: u32 = 50;

/// Company or private person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    #[default]
    Company,
    Person,
}

impl CustomerKind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerKind::Company => "company",
            CustomerKind::Person => "person",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "company" => Some(CustomerKind::Company),
            "person" => Some(CustomerKind::Person),
            _ => None,
        }
    }

    /// Its name in the UI.
    pub fn msg(self) -> Msg {
        match self {
            CustomerKind::Company => Msg::KindCompany,
            CustomerKind::Person => Msg::KindPerson,
        }
    }
}

/// Where the relationship stands (the XYZ analysis uses it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerStage {
    #[default]
    Potential,
    OneTime,
    Regular,
    Lost,
}

impl CustomerStage {
    /// Every stage, in the order of a relationship.
    pub const ALL: [CustomerStage; 4] =
        [CustomerStage::Potential, CustomerStage::OneTime, CustomerStage::Regular, CustomerStage::Lost];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStage::Potential => "potential",
            CustomerStage::OneTime => "one_time",
            CustomerStage::Regular => "regular",
            CustomerStage::Lost => "lost",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name in the UI.
    pub fn msg(self) -> Msg {
        match self {
            CustomerStage::Potential => Msg::StagePotential,
            CustomerStage::OneTime => Msg::StageOneTime,
            CustomerStage::Regular => Msg::StageRegular,
            CustomerStage::Lost => Msg::StageLost,
        }
    }
}

/// A customer as shown and returned by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub kind: CustomerKind,
    pub stage: CustomerStage,
    /// E.164, e.g. `+998901234567`.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
    /// How they heard of us.
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Custom field values by field key (see `/api/v1/custom-fields`).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    #[serde(default)]
    pub custom: CustomValues,
    pub manager_id: i64,
    pub manager_name: String,
    /// Epoch milliseconds.
    pub created_at: i64,
    /// Epoch milliseconds.
    pub updated_at: i64,
    /// Increases with every change; send it back when updating.
    pub version: i64,
    /// When it was archived (epoch milliseconds); archived customers leave lists, searches and counts.
    #[serde(default)]
    pub archived_at: Option<i64>,
}

impl Customer {
    /// A blank customer: the "before" of a creation, and the new-customer form's starting values.
    pub fn empty() -> Customer {
        Customer {
            id: 0,
            name: String::new(),
            kind: CustomerKind::Company,
            stage: CustomerStage::Potential,
            phone: None,
            email: None,
            notes: None,
            source: None,
            tags: Vec::new(),
            custom: CustomValues::new(),
            manager_id: 0,
            manager_name: String::new(),
            created_at: 0,
            updated_at: 0,
            version: 0,
            archived_at: None,
        }
    }
}

/// A page of customers; pass `next_cursor` as `cursor` for the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerPage {
    pub items: Vec<Customer>,
    pub next_cursor: Option<String>,
}

/// Input for a new customer. Without `manager_id` the creator becomes responsible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewCustomer {
    pub name: String,
    #[serde(default)]
    pub kind: Option<String>,
    /// `potential` (default), `one_time`, `regular` or `lost`.
    #[serde(default)]
    pub stage: Option<String>,
    /// Any common spelling; stored in E.164 (numbers without a country code are taken as Uzbek).
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// How they heard of us.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Custom field values by key; required fields must be given.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    #[serde(default)]
    pub custom: Option<CustomValues>,
    #[serde(default)]
    pub manager_id: Option<i64>,
}

/// A change to a customer. Absent fields stay; an empty string clears an optional field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerPatch {
    /// The `version` the change is based on; a stale one is refused with 409.
    pub version: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// Replaces all tags when present.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Custom field values to change, by key (`null` or `""` clears); fields not named stay.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    #[serde(default)]
    pub custom: Option<CustomValues>,
    #[serde(default)]
    pub manager_id: Option<i64>,
}

/// The list page's simple filters as rules: a stage, and one custom field (`field` = key) holding `value`
/// (text fields contain it; others equal it).
pub fn simple_filters(
    defs: &[CustomField],
    stage: Option<String>,
    field: Option<String>,
    value: Option<String>,
) -> Option<crate::segments::Rules> {
    use crate::segments::{Op, Rule, Rules};
    let mut rules = Vec::new();
    if let Some(stage) = stage.filter(|s| !s.is_empty()) {
        rules.push(Rule { field: "stage".into(), op: Op::Eq, value: stage.into() });
    }
    if let (Some(key), Some(value)) = (field.filter(|f| !f.is_empty()), value.filter(|v| !v.trim().is_empty())) {
        use crate::custom_fields::FieldKind as K;
        let textual =
            defs.iter().find(|d| d.key == key).is_some_and(|d| matches!(d.kind, K::Text | K::LongText | K::Link));
        let op = if textual { Op::Contains } else { Op::Eq };
        rules.push(Rule { field: format!("custom.{key}"), op, value: value.into() });
    }
    (!rules.is_empty()).then_some(Rules { any: false, rules })
}

/// A merge of `merged_id` into `survivor_id`: per field, whose value survives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MergeRequest {
    pub survivor_id: i64,
    pub merged_id: i64,
    /// The versions both customers were read at; a stale one is refused with 409.
    pub survivor_version: i64,
    pub merged_version: i64,
    /// Field (`name`, `kind`, `stage`, `phone`, `email`, `notes`, `source`, `manager`, `custom.<key>`) to
    /// `survivor` (the default) or `merged`. Tags are always united.
    #[serde(default)]
    pub take: std::collections::BTreeMap<String, String>,
}

/// The fields a merge lets the user choose, besides custom fields.
pub const MERGE_FIELDS: [&str; 8] = ["name", "kind", "stage", "phone", "email", "notes", "source", "manager"];

/// What to look for when checking a customer being entered for duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DuplicateProbe {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The customer being edited (not its own duplicate).
    pub exclude: Option<i64>,
}

/// Validated values ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerValues {
    pub name: String,
    pub kind: CustomerKind,
    pub stage: CustomerStage,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Checked custom field values to write (only the fields given).
    pub custom: CheckedValues,
}

const MAX_NAME: usize = 300;
const MAX_NOTES: usize = 10_000;
const MAX_SOURCE: usize = 200;
/// Most tags on one customer, and the longest tag.
pub const MAX_TAGS: usize = 20;
const MAX_TAG_LEN: usize = 50;

/// A phone in any common spelling, stored in E.164.
fn check_phone(checks: &mut Checks, phone: Option<&str>) -> Option<String> {
    let p = checks.opt_text("phone", phone, 40)?;
    #[cfg(feature = "ssr")]
    match crate::core::phone::normalize(&p) {
        Some(e164) => return Some(e164),
        None => checks.fail("phone", ErrCode::InvalidPhone),
    }
    // Without the metadata (the browser build) only the shape is checked.
    #[cfg(not(feature = "ssr"))]
    {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) || !(7..=15).contains(&digits) {
            checks.fail("phone", ErrCode::InvalidPhone);
        }
    }
    Some(p)
}

fn check_choice<T: Copy + Default>(
    checks: &mut Checks,
    field: &str,
    v: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> T {
    match v.map(str::trim).filter(|k| !k.is_empty()) {
        None => T::default(),
        Some(k) => parse(k).unwrap_or_else(|| {
            checks.fail(field, ErrCode::InvalidChoice);
            T::default()
        }),
    }
}

/// Trimmed, de-duplicated (ignoring case) tags, in the order given.
fn check_tags(checks: &mut Checks, tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG_LEN {
            checks.fail("tags", ErrCode::TooLong);
        } else if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag.to_string());
        }
    }
    if out.len() > MAX_TAGS {
        checks.fail("tags", ErrCode::TooMany);
    }
    out
}

/// Splits a comma-separated tag field (the form's input).
pub fn split_tags(s: &str) -> Vec<String> {
    s.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect()
}

impl NewCustomer {
    /// Checks every field at once, so the form can show all problems together (without custom fields).
    pub fn validate(&self) -> Result<CustomerValues, AppError> {
        self.validate_with(&[], true)
    }

    /// Checks every field, custom ones against `defs`; `creating` also requires the required custom fields.
    pub fn validate_with(&self, defs: &[CustomField], creating: bool) -> Result<CustomerValues, AppError> {
        let mut checks = Checks::default();
        let custom = crate::custom_fields::check_values(
            &mut checks,
            defs,
            self.custom.as_ref().unwrap_or(&CustomValues::new()),
            creating,
        );
        let values = CustomerValues {
            name: checks.text("name", &self.name, MAX_NAME),
            kind: check_choice(&mut checks, "kind", self.kind.as_deref(), CustomerKind::parse),
            stage: check_choice(&mut checks, "stage", self.stage.as_deref(), CustomerStage::parse),
            phone: check_phone(&mut checks, self.phone.as_deref()),
            email: checks.opt_email("email", self.email.as_deref()),
            notes: checks.opt_text("notes", self.notes.as_deref(), MAX_NOTES),
            source: checks.opt_text("source", self.source.as_deref(), MAX_SOURCE),
            tags: check_tags(&mut checks, self.tags.as_deref().unwrap_or_default()),
            custom,
        };
        checks.finish()?;
        Ok(values)
    }
}

impl CustomerPatch {
    /// Applies the patch to the current values and validates the result (custom fields against `defs`).
    pub fn apply(&self, current: &Customer, defs: &[CustomField]) -> Result<CustomerValues, AppError> {
        let keep = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
        let merged = NewCustomer {
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            kind: Some(self.kind.clone().unwrap_or_else(|| current.kind.as_str().to_string())),
            stage: Some(self.stage.clone().unwrap_or_else(|| current.stage.as_str().to_string())),
            phone: keep(&self.phone, &current.phone),
            email: keep(&self.email, &current.email),
            notes: keep(&self.notes, &current.notes),
            source: keep(&self.source, &current.source),
            tags: Some(self.tags.clone().unwrap_or_else(|| current.tags.clone())),
            custom: self.custom.clone(),
            manager_id: None,
        };
        merged.validate_with(defs, false)
    }
}

impl CustomerValues {
    /// What differs from `current`, field by field, for the audit log.
    pub fn changes_from(&self, current: &Customer) -> Vec<crate::audit::FieldChange> {
        use crate::audit::FieldChange;
        let mut out = Vec::new();
        let mut cmp = |field: &str, old, new| FieldChange::diff(&mut out, field, old, new);
        cmp("name", Some(current.name.clone()), Some(self.name.clone()));
        cmp("kind", Some(current.kind.as_str().into()), Some(self.kind.as_str().into()));
        cmp("stage", Some(current.stage.as_str().into()), Some(self.stage.as_str().into()));
        cmp("phone", current.phone.clone(), self.phone.clone());
        cmp("email", current.email.clone(), self.email.clone());
        cmp("notes", current.notes.clone(), self.notes.clone());
        cmp("source", current.source.clone(), self.source.clone());
        let tags = |t: &[String]| (!t.is_empty()).then(|| t.join(", "));
        cmp("tags", tags(&current.tags), tags(&self.tags));
        out
    }
}

/// The lower-cased form searched by name.
pub fn search_key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(name: &str, phone: Option<&str>, email: Option<&str>) -> NewCustomer {
        NewCustomer {
            name: name.into(),
            phone: phone.map(Into::into),
            email: email.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn validation_reports_every_field() {
        let err = new("  ", Some("abc"), Some("x@")).validate().unwrap_err();
        assert_eq!(err.field_codes("name"), vec![ErrCode::Required]);
        assert_eq!(err.field_codes("phone"), vec![ErrCode::InvalidPhone]);
        assert_eq!(err.field_codes("email"), vec![ErrCode::InvalidEmail]);
    }

    #[test]
    fn valid_customer_is_trimmed() {
        let v = new(" Toshkent Savdo MChJ ", Some("+998 90 123-45-67"), Some("Info@TS.uz")).validate().unwrap();
        assert_eq!(v.name, "Toshkent Savdo MChJ");
        assert_eq!(v.email.as_deref(), Some("info@ts.uz"));
        #[cfg(feature = "ssr")]
        assert_eq!(v.phone.as_deref(), Some("+998901234567"));
        assert_eq!(v.kind, CustomerKind::Company);
        assert_eq!(new("A", Some(""), None).validate().unwrap().phone, None);
    }

    #[test]
    fn tags_are_trimmed_and_deduplicated() {
        let c = NewCustomer { name: "A".into(), tags: Some(split_tags(" vip, Opt ,VIP,, opt")), ..Default::default() };
        assert_eq!(c.validate().unwrap().tags, vec!["vip", "Opt"]);
        let many = NewCustomer {
            name: "A".into(),
            tags: Some((0..21).map(|i| format!("t{i}")).collect()),
            ..Default::default()
        };
        assert_eq!(many.validate().unwrap_err().field_codes("tags"), vec![ErrCode::TooMany]);
    }

    #[test]
    fn unknown_kind_is_refused() {
        let c = NewCustomer { name: "A".into(), kind: Some("alien".into()), ..Default::default() };
        assert_eq!(c.validate().unwrap_err().field_codes("kind"), vec![ErrCode::InvalidChoice]);
    }

    #[test]
    fn search_key_lowers_cyrillic() {
        assert_eq!(search_key("ООО Ромашка"), "ооо ромашка");
    }
}

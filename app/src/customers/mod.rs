//! Customers: the centre of the CRM. Shared model and validation rules.

pub mod api;
pub mod form;
pub mod page_card;
pub mod page_list;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::modules::ModuleDef;
use crate::core::{AppError, Checks, ErrCode, Msg};

/// The customers module (switchable in Settings > Modules).
pub const MODULE: ModuleDef =
    ModuleDef { key: "customers", name: Msg::ModuleCustomers, paths: &["/customers", "/api/v1/customers"] };

/// Largest page a list call returns.
pub const MAX_PAGE: u32 = 200;
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

/// A customer as shown and returned by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub kind: CustomerKind,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
    pub manager_id: i64,
    pub manager_name: String,
    /// Epoch milliseconds.
    pub created_at: i64,
    /// Epoch milliseconds.
    pub updated_at: i64,
    /// Increases with every change; send it back when updating.
    pub version: i64,
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
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
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
    pub manager_id: Option<i64>,
}

/// Validated values ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerValues {
    pub name: String,
    pub kind: CustomerKind,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
}

const MAX_NAME: usize = 300;
const MAX_NOTES: usize = 10_000;

fn check_phone(checks: &mut Checks, phone: Option<&str>) -> Option<String> {
    let p = checks.opt_text("phone", phone, 40)?;
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let allowed = p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if !allowed || !(7..=15).contains(&digits) {
        checks.fail("phone", ErrCode::InvalidPhone);
    }
    Some(p)
}

fn check_kind(checks: &mut Checks, kind: Option<&str>) -> CustomerKind {
    match kind.map(str::trim).filter(|k| !k.is_empty()) {
        None => CustomerKind::Company,
        Some(k) => CustomerKind::parse(k).unwrap_or_else(|| {
            checks.fail("kind", ErrCode::InvalidChoice);
            CustomerKind::Company
        }),
    }
}

impl NewCustomer {
    /// Checks every field at once, so the form can show all problems together.
    pub fn validate(&self) -> Result<CustomerValues, AppError> {
        let mut checks = Checks::default();
        let values = CustomerValues {
            name: checks.text("name", &self.name, MAX_NAME),
            kind: check_kind(&mut checks, self.kind.as_deref()),
            phone: check_phone(&mut checks, self.phone.as_deref()),
            email: checks.opt_email("email", self.email.as_deref()),
            notes: checks.opt_text("notes", self.notes.as_deref(), MAX_NOTES),
        };
        checks.finish()?;
        Ok(values)
    }
}

impl CustomerPatch {
    /// Applies the patch to the current values and validates the result.
    pub fn apply(&self, current: &Customer) -> Result<CustomerValues, AppError> {
        let merged = NewCustomer {
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            kind: Some(self.kind.clone().unwrap_or_else(|| current.kind.as_str().to_string())),
            phone: self.phone.clone().or_else(|| current.phone.clone()),
            email: self.email.clone().or_else(|| current.email.clone()),
            notes: self.notes.clone().or_else(|| current.notes.clone()),
            manager_id: None,
        };
        merged.validate()
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
        assert_eq!(v.kind, CustomerKind::Company);
        assert_eq!(new("A", Some(""), None).validate().unwrap().phone, None);
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

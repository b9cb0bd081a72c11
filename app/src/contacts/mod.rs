//! Contact persons: the people at a customer. One contact may be linked to several customers, with a role
//! at each; phones are stored in E.164.

pub mod api;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::custom_fields::{CheckedValues, CustomField, CustomValues};

use crate::audit::FieldChange;
use crate::core::{AppError, Checks, ErrCode};

/// A messenger handle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Messenger {
    /// `telegram` or `whatsapp`.
    pub kind: String,
    pub handle: String,
}

/// A customer the contact is linked to, and the contact's role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactLink {
    pub customer_id: i64,
    pub customer_name: String,
    pub role: Option<String>,
}

/// A page of contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactPage {
    pub items: Vec<Contact>,
    pub next_cursor: Option<String>,
}

/// A contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub position: Option<String>,
    /// E.164.
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub messengers: Vec<Messenger>,
    /// `YYYY-MM-DD`.
    pub birthday: Option<String>,
    pub notes: Option<String>,
    pub customers: Vec<ContactLink>,
    /// Custom field values by key (fields of entity `contact`).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    #[serde(default)]
    pub custom: CustomValues,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// When it was archived (epoch milliseconds).
    #[serde(default)]
    pub archived_at: Option<i64>,
}

/// Input for a new contact of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewContact {
    pub name: String,
    #[serde(default)]
    pub position: Option<String>,
    /// Any common spelling; numbers without a country code are taken as Uzbek.
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub messengers: Vec<Messenger>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub birthday: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// The role at the customer it is created for (e.g. director, accountant).
    #[serde(default)]
    pub role: Option<String>,
    /// Custom field values by key; required fields must be given.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    #[serde(default)]
    pub custom: Option<CustomValues>,
}

/// A change to a contact; absent fields stay, lists replace the old ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactPatch {
    pub version: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub phones: Option<Vec<String>>,
    #[serde(default)]
    pub emails: Option<Vec<String>>,
    #[serde(default)]
    pub messengers: Option<Vec<Messenger>>,
    #[serde(default)]
    pub birthday: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Custom field values to change, by key (`null` or `""` clears); fields not named stay.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    #[serde(default)]
    pub custom: Option<CustomValues>,
    /// The contact's role at one of its customers (empty clears it).
    #[serde(default)]
    pub role: Option<RoleAt>,
}

/// A contact's role at one customer it is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoleAt {
    pub customer_id: i64,
    #[serde(default)]
    pub role: Option<String>,
}

/// Links an existing contact to another customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LinkContact {
    pub customer_id: i64,
    #[serde(default)]
    pub role: Option<String>,
}

/// Validated contact values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactValues {
    pub name: String,
    pub position: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub messengers: Vec<Messenger>,
    pub birthday: Option<String>,
    pub notes: Option<String>,
    /// Checked custom field values to write (only the fields given).
    pub custom: CheckedValues,
    /// A new role at a linked customer (`None` inside: cleared).
    pub role: Option<(i64, Option<String>)>,
}

/// Most phones, e-mails or messengers on one contact.
pub const MAX_POINTS: usize = 10;

/// `phones[0]`, `emails[1]`…: the field name of a list item, for errors next to it.
fn item(field: &str, i: usize) -> String {
    format!("{field}[{i}]")
}

fn check_list(
    checks: &mut Checks,
    field: &str,
    values: &[String],
    one: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, v) in values.iter().map(|v| v.trim()).enumerate().filter(|(_, v)| !v.is_empty()) {
        match one(v) {
            Some(n) if !out.contains(&n) => out.push(n),
            Some(_) => {}
            None => {
                let code = if field == "phones" { ErrCode::InvalidPhone } else { ErrCode::InvalidEmail };
                checks.fail(&item(field, i), code);
                checks.fail(field, code);
            }
        }
    }
    if out.len() > MAX_POINTS {
        checks.fail(field, ErrCode::TooMany);
    }
    out
}

/// A phone in E.164 (server) or, in the browser build, as typed.
fn phone(v: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    return crate::core::phone::normalize(v);
    #[cfg(not(feature = "ssr"))]
    Some(v.to_string())
}

impl NewContact {
    /// Checks every field at once (without custom fields).
    pub fn validate(&self) -> Result<ContactValues, AppError> {
        self.validate_with(&[], true)
    }

    /// Checks every field, custom ones against `defs`; `creating` also requires the required custom fields.
    pub fn validate_with(&self, defs: &[CustomField], creating: bool) -> Result<ContactValues, AppError> {
        let mut checks = Checks::default();
        let custom = crate::custom_fields::check_values(
            &mut checks,
            defs,
            self.custom.as_ref().unwrap_or(&CustomValues::new()),
            creating,
        );
        let name = checks.text("name", &self.name, 200);
        let position = checks.opt_text("position", self.position.as_deref(), 200);
        let phones = check_list(&mut checks, "phones", &self.phones, phone);
        let emails = check_list(&mut checks, "emails", &self.emails, |v| {
            crate::core::error::is_plausible_email(v).then(|| v.to_lowercase())
        });
        let mut messengers = Vec::new();
        for m in &self.messengers {
            let handle = m.handle.trim().trim_start_matches('@').to_string();
            if handle.is_empty() {
                continue;
            }
            if !matches!(m.kind.as_str(), "telegram" | "whatsapp") {
                checks.fail("messengers", ErrCode::InvalidChoice);
            } else if handle.chars().count() > 64 {
                checks.fail("messengers", ErrCode::TooLong);
            }
            messengers.push(Messenger { kind: m.kind.clone(), handle });
        }
        if messengers.len() > MAX_POINTS {
            checks.fail("messengers", ErrCode::TooMany);
        }
        let birthday = self.birthday.as_deref().map(str::trim).filter(|b| !b.is_empty()).map(|b| {
            if crate::core::format::parse_date(b).is_none() {
                checks.fail("birthday", ErrCode::InvalidDate);
            }
            b.to_string()
        });
        let notes = checks.opt_text("notes", self.notes.as_deref(), 10_000);
        checks.opt_text("role", self.role.as_deref(), 100);
        checks.finish()?;
        Ok(ContactValues { name, position, phones, emails, messengers, birthday, notes, custom, role: None })
    }
}

impl ContactPatch {
    /// The current values with the patch applied, validated (custom fields against `defs`).
    pub fn apply(&self, c: &Contact, defs: &[CustomField]) -> Result<ContactValues, AppError> {
        let keep = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
        NewContact {
            name: self.name.clone().unwrap_or_else(|| c.name.clone()),
            position: keep(&self.position, &c.position),
            phones: self.phones.clone().unwrap_or_else(|| c.phones.clone()),
            emails: self.emails.clone().unwrap_or_else(|| c.emails.clone()),
            messengers: self.messengers.clone().unwrap_or_else(|| c.messengers.clone()),
            birthday: keep(&self.birthday, &c.birthday),
            notes: keep(&self.notes, &c.notes),
            role: self.role.as_ref().and_then(|r| r.role.clone()),
            custom: self.custom.clone(),
        }
        .validate_with(defs, false)
        .and_then(|mut v| {
            if let Some(r) = &self.role {
                if !c.customers.iter().any(|l| l.customer_id == r.customer_id) {
                    return Err(AppError::field("role", ErrCode::InvalidChoice));
                }
                let role = r.role.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
                v.role = Some((r.customer_id, role));
            }
            Ok(v)
        })
    }
}

impl ContactValues {
    /// What differs from `c` (everything against none), for the audit log.
    pub fn changes_from(&self, c: Option<&Contact>) -> Vec<FieldChange> {
        let mut out = Vec::new();
        let mut cmp = |field: &str, old, new| FieldChange::diff(&mut out, field, old, new);
        let list = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
        let ms = |v: &[Messenger]| {
            (!v.is_empty())
                .then(|| v.iter().map(|m| format!("{}: {}", m.kind, m.handle)).collect::<Vec<_>>().join(", "))
        };
        cmp("name", c.map(|c| c.name.clone()), Some(self.name.clone()));
        cmp("position", c.and_then(|c| c.position.clone()), self.position.clone());
        cmp("phones", c.and_then(|c| list(&c.phones)), list(&self.phones));
        cmp("emails", c.and_then(|c| list(&c.emails)), list(&self.emails));
        cmp("messengers", c.and_then(|c| ms(&c.messengers)), ms(&self.messengers));
        cmp("birthday", c.and_then(|c| c.birthday.clone()), self.birthday.clone());
        cmp("notes", c.and_then(|c| c.notes.clone()), self.notes.clone());
        if let (Some(c), Some((customer, role))) = (c, &self.role) {
            let old = c.customers.iter().find(|l| l.customer_id == *customer).and_then(|l| l.role.clone());
            cmp("role", old, role.clone());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_checked_item_by_item() {
        let c = NewContact {
            name: "Aziz Karimov".into(),
            emails: vec!["A@B.UZ".into(), "a@b.uz".into(), "".into(), "nope".into()],
            birthday: Some("1990-02-30".into()),
            messengers: vec![Messenger { kind: "telegram".into(), handle: "@aziz".into() }],
            ..Default::default()
        };
        let err = c.validate().unwrap_err();
        assert_eq!(err.field_codes("emails[3]"), vec![ErrCode::InvalidEmail]);
        assert_eq!(err.field_codes("birthday"), vec![ErrCode::InvalidDate]);
        let ok = NewContact { emails: vec!["A@B.UZ".into(), "a@b.uz".into()], birthday: None, ..c }.validate().unwrap();
        assert_eq!(ok.emails, vec!["a@b.uz"]);
        assert_eq!(ok.messengers[0].handle, "aziz");
    }
}

//! Counterparties: the legal entities (or sole traders) a customer contracts through. A counterparty belongs
//! to one customer at a time, over periods: it can move to another customer from a date, and the history is
//! kept, so anything dated is counted for the customer it belonged to on that date.

pub mod api;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::audit::FieldChange;
use crate::core::{AppError, Checks, ErrCode};

/// A bank account of a counterparty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BankAccount {
    pub id: i64,
    /// The bank's code (MFO in Uzbekistan: 5 digits).
    pub bank_code: String,
    pub account: String,
    pub bank_name: Option<String>,
}

/// One period of ownership: `[from, to)`, `to` empty while it lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ownership {
    pub customer_id: i64,
    pub customer_name: String,
    /// Epoch milliseconds (midnight, company time).
    pub from: i64,
    pub to: Option<i64>,
}

/// A counterparty with its bank accounts and ownership history (oldest period first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Counterparty {
    pub id: i64,
    pub legal_name: String,
    /// ISO 3166-1 alpha-2, e.g. `UZ`.
    pub country: String,
    /// For `UZ` the 9-digit STIR (INN).
    pub tax_id: String,
    pub vat_payer: bool,
    pub legal_address: Option<String>,
    /// What e-invoices state of it besides its id, name, address and bank account.
    #[serde(flatten)]
    pub requisites: Requisites,
    /// The customer it belongs to now.
    pub customer_id: i64,
    pub owners: Vec<Ownership>,
    pub bank_accounts: Vec<BankAccount>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Increases with every change; send it back when updating or moving.
    pub version: i64,
    /// When it was archived (epoch milliseconds).
    #[serde(default)]
    pub archived_at: Option<i64>,
}

/// The counterparties a customer has now and had before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CounterpartyList {
    pub current: Vec<Counterparty>,
    pub former: Vec<Counterparty>,
}

/// What e-invoices state of a legal entity besides its taxpayer id, name, address and bank account (all
/// optional until an e-invoice needs them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Requisites {
    /// OKED (the economic activity's code): 5 digits.
    #[serde(default)]
    pub oked: Option<String>,
    /// The VAT payer's registration code: 12 digits.
    #[serde(default)]
    pub vat_reg_code: Option<String>,
    #[serde(default)]
    pub director: Option<String>,
    /// The chief accountant.
    #[serde(default)]
    pub accountant: Option<String>,
}

impl Requisites {
    /// Checks every field, in place of the raw values: digits only (spaces dropped), names trimmed; an empty
    /// value clears it.
    pub fn checked(&self, checks: &mut Checks) -> Requisites {
        let code = |checks: &mut Checks, field: &str, v: Option<&str>, len: usize, err: ErrCode| {
            let d: String = v.unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect();
            if d.is_empty() {
                return None;
            }
            if d.len() != len || !d.bytes().all(|b| b.is_ascii_digit()) {
                checks.fail(field, err);
            }
            Some(d)
        };
        Requisites {
            oked: code(checks, "oked", self.oked.as_deref(), 5, ErrCode::InvalidOked),
            vat_reg_code: code(checks, "vat_reg_code", self.vat_reg_code.as_deref(), 12, ErrCode::InvalidVatRegCode),
            director: checks.opt_text("director", self.director.as_deref(), MAX_PERSON),
            accountant: checks.opt_text("accountant", self.accountant.as_deref(), MAX_PERSON),
        }
    }

    /// Each field of `patch` that is given, else this one's.
    pub fn patched(&self, patch: &Requisites) -> Requisites {
        let pick = |p: &Option<String>, c: &Option<String>| p.clone().or_else(|| c.clone());
        Requisites {
            oked: pick(&patch.oked, &self.oked),
            vat_reg_code: pick(&patch.vat_reg_code, &self.vat_reg_code),
            director: pick(&patch.director, &self.director),
            accountant: pick(&patch.accountant, &self.accountant),
        }
    }
}

/// A page of counterparties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CounterpartyPage {
    pub items: Vec<Counterparty>,
    pub next_cursor: Option<String>,
}

/// Input for a new counterparty of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewCounterparty {
    pub legal_name: String,
    /// ISO country code; `UZ` when absent.
    #[serde(default)]
    pub country: Option<String>,
    pub tax_id: String,
    #[serde(default)]
    pub vat_payer: Option<bool>,
    #[serde(default)]
    pub legal_address: Option<String>,
    #[serde(flatten)]
    pub requisites: Requisites,
    /// `YYYY-MM-DD` from which it belongs to the customer; today when absent.
    #[serde(default)]
    pub from: Option<String>,
}

/// A change to a counterparty. Absent fields stay; an empty string clears the address or a requisite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CounterpartyPatch {
    pub version: i64,
    #[serde(default)]
    pub legal_name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub vat_payer: Option<bool>,
    #[serde(default)]
    pub legal_address: Option<String>,
    #[serde(flatten)]
    pub requisites: Requisites,
}

/// Moves a counterparty to another customer from a date (`YYYY-MM-DD`, not before the current period began).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoveCounterparty {
    pub customer_id: i64,
    pub from: String,
    pub version: i64,
}

/// A new bank account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewBankAccount {
    pub bank_code: String,
    pub account: String,
    #[serde(default)]
    pub bank_name: Option<String>,
    /// The counterparty's version the account was added against (409 when it changed since); the card's
    /// form always sends it.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Validated counterparty values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterpartyValues {
    pub legal_name: String,
    pub country: String,
    pub tax_id: String,
    pub vat_payer: bool,
    pub legal_address: Option<String>,
    pub requisites: Requisites,
}

const MAX_NAME: usize = 300;
const MAX_ADDRESS: usize = 500;
const MAX_PERSON: usize = 200;

fn check_country(checks: &mut Checks, v: Option<&str>) -> String {
    let c = v.map(str::trim).filter(|c| !c.is_empty()).unwrap_or("UZ").to_ascii_uppercase();
    if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
        checks.fail("country", ErrCode::InvalidCountry);
    }
    c
}

/// The taxpayer id in its stored form: for Uzbekistan the 9-digit STIR (spaces dropped; it never starts
/// with 0) of a legal entity, or the 14-digit PINFL of a sole trader; elsewhere 3 to 30 letters, digits, `-`, `/` or `.`, upper-cased.
pub fn check_tax_id(checks: &mut Checks, country: &str, v: &str) -> String {
    let t: String = v.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if t.is_empty() {
        checks.fail("tax_id", ErrCode::Required);
        return t;
    }
    let ok = if country == "UZ" {
        t.chars().all(|c| c.is_ascii_digit()) && !t.starts_with('0') && (t.len() == 9 || t.len() == 14)
    } else {
        (3..=30).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric() || "-/.".contains(c))
    };
    if !ok {
        checks.fail("tax_id", ErrCode::InvalidTaxId);
    }
    t
}

impl NewCounterparty {
    /// Checks every field at once.
    pub fn validate(&self) -> Result<CounterpartyValues, AppError> {
        let mut checks = Checks::default();
        let country = check_country(&mut checks, self.country.as_deref());
        let values = CounterpartyValues {
            legal_name: checks.text("legal_name", &self.legal_name, MAX_NAME),
            tax_id: check_tax_id(&mut checks, &country, &self.tax_id),
            country,
            vat_payer: self.vat_payer.unwrap_or(false),
            legal_address: checks.opt_text("legal_address", self.legal_address.as_deref(), MAX_ADDRESS),
            requisites: self.requisites.checked(&mut checks),
        };
        checks.finish()?;
        Ok(values)
    }
}

impl CounterpartyPatch {
    /// The current values with the patch applied, validated.
    pub fn apply(&self, c: &Counterparty) -> Result<CounterpartyValues, AppError> {
        NewCounterparty {
            legal_name: self.legal_name.clone().unwrap_or_else(|| c.legal_name.clone()),
            country: Some(self.country.clone().unwrap_or_else(|| c.country.clone())),
            tax_id: self.tax_id.clone().unwrap_or_else(|| c.tax_id.clone()),
            vat_payer: Some(self.vat_payer.unwrap_or(c.vat_payer)),
            legal_address: self.legal_address.clone().or_else(|| c.legal_address.clone()),
            requisites: c.requisites.patched(&self.requisites),
            from: None,
        }
        .validate()
    }
}

impl CounterpartyValues {
    /// The fields that differ from `c` (all of them against an empty one), for the audit log.
    pub fn changes_from(&self, c: Option<&Counterparty>) -> Vec<FieldChange> {
        let mut out = Vec::new();
        let mut cmp = |field: &str, old, new| FieldChange::diff(&mut out, field, old, new);
        let yes_no = |b: bool| Some(if b { "yes" } else { "no" }.to_string());
        cmp("legal_name", c.map(|c| c.legal_name.clone()), Some(self.legal_name.clone()));
        cmp("country", c.map(|c| c.country.clone()), Some(self.country.clone()));
        cmp("tax_id", c.map(|c| c.tax_id.clone()), Some(self.tax_id.clone()));
        cmp("vat_payer", c.and_then(|c| yes_no(c.vat_payer)), yes_no(self.vat_payer));
        cmp("legal_address", c.and_then(|c| c.legal_address.clone()), self.legal_address.clone());
        let (old, new) = (c.map(|c| &c.requisites), &self.requisites);
        cmp("oked", old.and_then(|r| r.oked.clone()), new.oked.clone());
        cmp("vat_reg_code", old.and_then(|r| r.vat_reg_code.clone()), new.vat_reg_code.clone());
        cmp("director", old.and_then(|r| r.director.clone()), new.director.clone());
        cmp("accountant", old.and_then(|r| r.accountant.clone()), new.accountant.clone());
        out
    }
}

impl NewBankAccount {
    /// Uzbek accounts: MFO of 5 digits and a 20-digit account; elsewhere a bank code of 3 to 11 letters and
    /// digits (BIC) and an account of 5 to 34 (IBAN).
    pub fn validate(&self, country: &str) -> Result<NewBankAccount, AppError> {
        let mut checks = Checks::default();
        let clean = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let (code, account) = (clean(&self.bank_code), clean(&self.account));
        let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
        let alnum = |s: &str, r: std::ops::RangeInclusive<usize>| {
            r.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())
        };
        let uz = country == "UZ";
        if code.is_empty() {
            checks.fail("bank_code", ErrCode::Required);
        } else if !(if uz { digits(&code, 5) } else { alnum(&code, 3..=11) }) {
            checks.fail("bank_code", ErrCode::InvalidBankCode);
        }
        if account.is_empty() {
            checks.fail("account", ErrCode::Required);
        } else if !(if uz { digits(&account, 20) } else { alnum(&account, 5..=34) }) {
            checks.fail("account", ErrCode::InvalidBankAccount);
        }
        let bank_name = checks.opt_text("bank_name", self.bank_name.as_deref(), 200);
        checks.finish()?;
        Ok(NewBankAccount { bank_code: code, account, bank_name, version: self.version })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(country: Option<&str>, tax_id: &str) -> NewCounterparty {
        NewCounterparty {
            legal_name: "Toshkent Savdo MChJ".into(),
            country: country.map(Into::into),
            tax_id: tax_id.into(),
            ..Default::default()
        }
    }

    #[test]
    fn uzbek_taxpayer_ids_have_nine_digits() {
        assert_eq!(new(None, "301 234 567").validate().unwrap().tax_id, "301234567");
        assert_eq!(new(None, "31505 8812 30045").validate().unwrap().tax_id, "31505881230045");
        for bad in ["12345678", "1234567890", "30123456a", "012345678", "3150588123004", "01505881230045"] {
            assert_eq!(
                new(None, bad).validate().unwrap_err().field_codes("tax_id"),
                vec![ErrCode::InvalidTaxId],
                "{bad}"
            );
        }
        assert_eq!(new(None, " ").validate().unwrap_err().field_codes("tax_id"), vec![ErrCode::Required]);
    }

    #[test]
    fn requisites_are_digits_of_their_length_or_nothing() {
        let mut n = new(None, "301234567");
        n.requisites = Requisites {
            oked: Some(" 46 900 ".into()),
            vat_reg_code: Some("3260 1001 2345".into()),
            director: Some("  Aliyev Anvar ".into()),
            accountant: Some(String::new()),
        };
        let v = n.validate().unwrap().requisites;
        assert_eq!(v.oked.as_deref(), Some("46900"));
        assert_eq!(v.vat_reg_code.as_deref(), Some("326010012345"));
        assert_eq!((v.director.as_deref(), v.accountant), (Some("Aliyev Anvar"), None));
        n.requisites =
            Requisites { oked: Some("4690".into()), vat_reg_code: Some("32601001234x".into()), ..Default::default() };
        let err = n.validate().unwrap_err();
        assert_eq!(err.field_codes("oked"), vec![ErrCode::InvalidOked]);
        assert_eq!(err.field_codes("vat_reg_code"), vec![ErrCode::InvalidVatRegCode]);
    }

    #[test]
    fn other_countries_take_free_ids_with_their_code() {
        let v = new(Some("kz"), "123456789012").validate().unwrap();
        assert_eq!((v.country.as_str(), v.tax_id.as_str()), ("KZ", "123456789012"));
        assert_eq!(
            new(Some("Uzbekistan"), "301234567").validate().unwrap_err().field_codes("country"),
            vec![ErrCode::InvalidCountry]
        );
    }

    #[test]
    fn bank_accounts() {
        let ok = NewBankAccount {
            bank_code: "00873".into(),
            account: "2020 8000 9051 2345 6001".into(),
            bank_name: None,
            version: None,
        };
        assert_eq!(ok.validate("UZ").unwrap().account, "20208000905123456001");
        let bad =
            NewBankAccount { bank_code: "873".into(), account: "2020800090".into(), bank_name: None, version: None };
        let err = bad.validate("UZ").unwrap_err();
        assert_eq!(err.field_codes("bank_code"), vec![ErrCode::InvalidBankCode]);
        assert_eq!(err.field_codes("account"), vec![ErrCode::InvalidBankAccount]);
        let iban = NewBankAccount {
            bank_code: "DEUTDEFF".into(),
            account: "DE89370400440532013000".into(),
            bank_name: None,
            version: None,
        };
        assert!(iban.validate("DE").is_ok());
    }
}

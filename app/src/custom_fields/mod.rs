//! Custom fields: extra typed fields an administrator defines for customers and contacts (later issues reuse
//! them for deals and others). The definitions and the rules for values live here, shared by server and browser.

pub mod api;
pub mod inputs;
pub mod page_admin;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::{AppError, Checks, ErrCode, Msg};

/// The values of one record's custom fields by field key: strings (decimals as strings, dates as
/// `YYYY-MM-DD`), `true`/`false` for yes/no, arrays of strings for several choices.
pub type CustomValues = BTreeMap<String, Value>;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Text,
    LongText,
    Number,
    Money,
    Date,
    YesNo,
    Choice,
    Choices,
    Link,
}

impl FieldKind {
    /// Every kind, in the order the administrator's form offers them.
    pub const ALL: [FieldKind; 9] = [
        FieldKind::Text,
        FieldKind::LongText,
        FieldKind::Number,
        FieldKind::Money,
        FieldKind::Date,
        FieldKind::YesNo,
        FieldKind::Choice,
        FieldKind::Choices,
        FieldKind::Link,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::LongText => "long_text",
            FieldKind::Number => "number",
            FieldKind::Money => "money",
            FieldKind::Date => "date",
            FieldKind::YesNo => "yes_no",
            FieldKind::Choice => "choice",
            FieldKind::Choices => "choices",
            FieldKind::Link => "link",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name in the UI.
    pub fn msg(self) -> Msg {
        match self {
            FieldKind::Text => Msg::CfText,
            FieldKind::LongText => Msg::CfLongText,
            FieldKind::Number => Msg::CfNumber,
            FieldKind::Money => Msg::CfMoney,
            FieldKind::Date => Msg::CfDate,
            FieldKind::YesNo => Msg::CfYesNo,
            FieldKind::Choice => Msg::CfChoice,
            FieldKind::Choices => Msg::CfChoices,
            FieldKind::Link => Msg::CfLink,
        }
    }

    /// Numbers and money: compared and sorted by `num`.
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldKind::Number | FieldKind::Money)
    }

    /// One choice or several: values must be among the options.
    pub fn has_options(self) -> bool {
        matches!(self, FieldKind::Choice | FieldKind::Choices)
    }
}

/// What a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldEntity {
    #[default]
    Customer,
    Contact,
    Deal,
    /// A product of the stock catalog.
    Product,
}

impl FieldEntity {
    /// Every entity, in the administrator's page order.
    pub const ALL: [FieldEntity; 4] =
        [FieldEntity::Customer, FieldEntity::Contact, FieldEntity::Deal, FieldEntity::Product];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldEntity::Customer => "customer",
            FieldEntity::Contact => "contact",
            FieldEntity::Deal => "deal",
            FieldEntity::Product => "product",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(FieldEntity::Customer),
            "contact" => Some(FieldEntity::Contact),
            "deal" => Some(FieldEntity::Deal),
            "product" => Some(FieldEntity::Product),
            _ => None,
        }
    }
}

/// A field's definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomField {
    pub id: i64,
    pub entity: FieldEntity,
    /// Stable name in the API, imports and exports (`a-z`, digits, `_`).
    pub key: String,
    /// What users see.
    pub label: String,
    pub kind: FieldKind,
    /// The choices of a one/several-choice field.
    pub options: Vec<String>,
    /// ISO 4217 code of a money field.
    pub currency: Option<String>,
    pub required: bool,
    /// Order on the card and form (ascending).
    pub position: i64,
    /// A retired field is hidden from forms and cannot be set; its stored values stay and are shown.
    pub retired: bool,
    pub version: i64,
}

/// Input for a new field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewCustomField {
    /// `customer` (default), `contact`, `deal` or `product`.
    #[serde(default)]
    pub entity: Option<String>,
    /// Made from the label when absent.
    #[serde(default)]
    pub key: Option<String>,
    pub label: String,
    /// `text`, `long_text`, `number`, `money`, `date`, `yes_no`, `choice`, `choices` or `link`.
    pub kind: String,
    #[serde(default)]
    pub options: Option<Vec<String>>,
    /// For money fields; `UZS` when absent.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub position: Option<i64>,
}

/// A change to a field's definition. Its key, kind and entity never change (stored values depend on them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomFieldPatch {
    pub version: i64,
    #[serde(default)]
    pub label: Option<String>,
    /// Replaces the choices; values already stored stay even if their choice is gone.
    #[serde(default)]
    pub options: Option<Vec<String>>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub position: Option<i64>,
    /// `true` retires the field, `false` brings it back.
    #[serde(default)]
    pub retired: Option<bool>,
}

const MAX_LABEL: usize = 100;
const MAX_KEY: usize = 40;
const MAX_OPTIONS: usize = 100;
const MAX_OPTION: usize = 100;
const MAX_TEXT: usize = 500;
const MAX_LONG_TEXT: usize = 10_000;
const MAX_LINK: usize = 2_000;
/// Numbers and money are stored times this, as integers.
pub const NUM_SCALE: i64 = 10_000;
/// The longest prefix of a value kept in the indexed `sort_key`.
pub const SORT_KEY_CHARS: usize = 200;

/// A key made from a label: ASCII letters and digits, lower case, `_` between words; `None` if nothing is left.
pub fn key_from_label(label: &str) -> Option<String> {
    let mut key = String::new();
    for ch in label.trim().chars() {
        if ch.is_ascii_alphanumeric() {
            key.push(ch.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    let key: String = key.trim_end_matches('_').chars().take(MAX_KEY).collect();
    match key.chars().next() {
        Some(c) if c.is_ascii_lowercase() => Some(key),
        Some(_) => Some(format!("f_{key}")),
        None => None,
    }
}

fn is_valid_key(key: &str) -> bool {
    key.len() <= MAX_KEY
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Trimmed, de-duplicated choices.
fn check_options(checks: &mut Checks, options: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in options.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        if o.chars().count() > MAX_OPTION {
            checks.fail("options", ErrCode::TooLong);
        } else if !out.iter().any(|x| x == o) {
            out.push(o.to_string());
        }
    }
    if out.len() > MAX_OPTIONS {
        checks.fail("options", ErrCode::TooMany);
    }
    out
}

/// Validated definition values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValues {
    pub entity: FieldEntity,
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub options: Vec<String>,
    pub currency: Option<String>,
    pub required: bool,
    pub position: i64,
}

impl NewCustomField {
    /// Checks every part at once. `fallback_key` is used when neither the key nor the label gives one.
    pub fn validate(&self, fallback_key: &str) -> Result<FieldValues, AppError> {
        let mut checks = Checks::default();
        let label = checks.text("label", &self.label, MAX_LABEL);
        let entity = match self.entity.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            None => FieldEntity::Customer,
            Some(e) => FieldEntity::parse(e).unwrap_or_else(|| {
                checks.fail("entity", ErrCode::InvalidChoice);
                FieldEntity::Customer
            }),
        };
        let kind = FieldKind::parse(self.kind.trim()).unwrap_or_else(|| {
            checks.fail("kind", ErrCode::InvalidChoice);
            FieldKind::Text
        });
        let key = match self.key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => {
                if !is_valid_key(k) {
                    checks.fail("key", ErrCode::InvalidKey);
                }
                k.to_string()
            }
            None => key_from_label(&label).unwrap_or_else(|| fallback_key.to_string()),
        };
        let options = check_options(&mut checks, self.options.as_deref().unwrap_or_default());
        if kind.has_options() && options.is_empty() {
            checks.fail("options", ErrCode::Required);
        }
        let currency = (kind == FieldKind::Money).then(|| {
            let c = self.currency.as_deref().map(str::trim).filter(|c| !c.is_empty()).unwrap_or("UZS");
            let c = c.to_ascii_uppercase();
            if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
                checks.fail("currency", ErrCode::InvalidChoice);
            }
            c
        });
        checks.finish()?;
        Ok(FieldValues {
            entity,
            key,
            label,
            kind,
            options: if kind.has_options() { options } else { Vec::new() },
            currency,
            required: self.required.unwrap_or(false),
            position: self.position.unwrap_or(0),
        })
    }
}

impl CustomFieldPatch {
    /// The field's definition with the patch applied, validated.
    pub fn apply(&self, current: &CustomField) -> Result<CustomField, AppError> {
        let mut checks = Checks::default();
        let mut out = current.clone();
        if let Some(label) = &self.label {
            out.label = checks.text("label", label, MAX_LABEL);
        }
        if let Some(options) = &self.options {
            out.options = check_options(&mut checks, options);
            if current.kind.has_options() && out.options.is_empty() {
                checks.fail("options", ErrCode::Required);
            }
        }
        out.required = self.required.unwrap_or(current.required);
        out.position = self.position.unwrap_or(current.position);
        out.retired = self.retired.unwrap_or(current.retired);
        checks.finish()?;
        Ok(out)
    }
}

/// One stored value row: the canonical text and, for numbers, money and yes/no, the sortable integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredValue {
    pub value: String,
    pub num: Option<i64>,
}

impl StoredValue {
    /// The indexed, lower-cased prefix of the value.
    pub fn sort_key(&self) -> String {
        self.value.chars().take(SORT_KEY_CHARS).collect::<String>().to_lowercase()
    }
}

/// A decimal from a JSON string or number (strings are exact; send decimals as strings).
fn decimal_of(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => s.trim().replace([' ', '\u{a0}'], "").replace(',', ".").parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// The text of a JSON string (or number), trimmed; `None` when empty or null.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `true` for a value that means "no value": null, empty string, empty array.
pub fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Checks one value against its field; returns the rows to store (empty: clear). Errors go to `custom.<key>`.
pub fn check_value(checks: &mut Checks, def: &CustomField, v: &Value) -> Vec<StoredValue> {
    let field = format!("custom.{}", def.key);
    if is_empty_value(v) {
        if def.required {
            checks.fail(&field, ErrCode::Required);
        }
        return Vec::new();
    }
    let one = |value: String, num: Option<i64>| vec![StoredValue { value, num }];
    let mut bad = |code| {
        checks.fail(&field, code);
        Vec::new()
    };
    match def.kind {
        FieldKind::Text | FieldKind::LongText => {
            let max = if def.kind == FieldKind::Text { MAX_TEXT } else { MAX_LONG_TEXT };
            match text_of(v) {
                Some(s) if s.chars().count() > max => bad(ErrCode::TooLong),
                Some(s) => one(s, None),
                None => bad(ErrCode::InvalidChoice),
            }
        }
        FieldKind::Link => match text_of(v) {
            Some(s) if s.chars().count() > MAX_LINK => bad(ErrCode::TooLong),
            Some(s) if is_link(&s) => one(s, None),
            _ => bad(ErrCode::InvalidUrl),
        },
        FieldKind::Number | FieldKind::Money => {
            let scale = if def.kind == FieldKind::Money { 2 } else { 4 };
            match decimal_of(v) {
                None => bad(ErrCode::NotANumber),
                Some(d) if d.normalize().scale() > scale => bad(ErrCode::TooPrecise),
                Some(d) => match (d * Decimal::from(NUM_SCALE)).trunc().try_into() {
                    Ok(num) if d.abs() < Decimal::from(100_000_000_000_000i64) => {
                        one(d.normalize().to_string(), Some(num))
                    }
                    _ => bad(ErrCode::TooLarge),
                },
            }
        }
        FieldKind::Date => match text_of(v) {
            Some(s) if crate::core::format::parse_date(&s).is_some() => one(s, None),
            _ => bad(ErrCode::InvalidDate),
        },
        FieldKind::YesNo => {
            let b = match v {
                Value::Bool(b) => Some(*b),
                Value::String(s) => match s.trim().to_lowercase().as_str() {
                    "true" | "yes" | "1" | "on" | "ha" | "да" => Some(true),
                    "false" | "no" | "0" | "off" | "yo'q" | "нет" => Some(false),
                    _ => None,
                },
                _ => None,
            };
            match b {
                Some(b) => one(b.to_string(), Some(i64::from(b))),
                None => bad(ErrCode::InvalidChoice),
            }
        }
        FieldKind::Choice => match text_of(v) {
            Some(s) if def.options.contains(&s) => one(s, None),
            _ => bad(ErrCode::InvalidChoice),
        },
        FieldKind::Choices => {
            let items: Vec<String> = match v {
                Value::Array(a) => a.iter().filter_map(text_of).collect(),
                // Imports and plain forms give "a; b".
                Value::String(s) => s.split(';').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect(),
                _ => return bad(ErrCode::InvalidChoice),
            };
            if items.iter().any(|i| !def.options.contains(i)) {
                return bad(ErrCode::InvalidChoice);
            }
            // In the order of the options, each once.
            def.options
                .iter()
                .filter(|o| items.contains(o))
                .map(|o| StoredValue { value: o.clone(), num: None })
                .collect()
        }
    }
}

/// `http(s)://host...` without spaces.
fn is_link(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    matches!(rest, Some(r) if r.len() > 2 && r.contains('.') && !r.chars().any(char::is_whitespace))
}

/// Validated input of a record's custom fields: for each field id, the rows to store (empty: clear).
pub type CheckedValues = Vec<(i64, Vec<StoredValue>)>;

/// Checks `input` against the active definitions. With `creating`, required fields missing from the input
/// are refused too; otherwise only the keys present change. Unknown keys and retired fields are refused.
pub fn check_values(checks: &mut Checks, defs: &[CustomField], input: &CustomValues, creating: bool) -> CheckedValues {
    let mut out = Vec::new();
    for (key, v) in input {
        match defs.iter().find(|d| &d.key == key) {
            None => checks.fail(&format!("custom.{key}"), ErrCode::UnknownField),
            Some(d) if d.retired => checks.fail(&format!("custom.{key}"), ErrCode::FieldRetired),
            Some(d) => out.push((d.id, check_value(checks, d, v))),
        }
    }
    if creating {
        for d in defs.iter().filter(|d| d.required && !d.retired && !input.contains_key(&d.key)) {
            checks.fail(&format!("custom.{}", d.key), ErrCode::Required);
        }
    }
    out
}

/// The JSON value of stored rows (in `seq` order) of a field.
pub fn value_json(kind: FieldKind, rows: &[String]) -> Value {
    match kind {
        FieldKind::Choices => Value::Array(rows.iter().cloned().map(Value::String).collect()),
        FieldKind::YesNo => Value::Bool(rows.first().is_some_and(|v| v == "true")),
        _ => rows.first().cloned().map(Value::String).unwrap_or(Value::Null),
    }
}

/// The audit text of a value.
pub fn value_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()).filter(|s| !s.is_empty()),
        Value::Array(a) => {
            Some(a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join("; ")).filter(|s| !s.is_empty())
        }
        other => Some(other.to_string()),
    }
}

/// The audit changes between two sets of values, as `custom:<label>` fields.
pub fn changes(defs: &[CustomField], old: &CustomValues, new: &CustomValues) -> Vec<crate::audit::FieldChange> {
    let mut out = Vec::new();
    for d in defs {
        let (o, n) = (value_text(old.get(&d.key)), value_text(new.get(&d.key)));
        crate::audit::FieldChange::diff(&mut out, &format!("custom:{}", d.label), o, n);
    }
    out
}

/// The values after applying checked input to `current` (for the audit log and the response).
pub fn merged(defs: &[CustomField], current: &CustomValues, checked: &CheckedValues) -> CustomValues {
    let mut out = current.clone();
    for (id, rows) in checked {
        let Some(d) = defs.iter().find(|d| d.id == *id) else { continue };
        if rows.is_empty() {
            out.remove(&d.key);
        } else {
            let texts: Vec<String> = rows.iter().map(|r| r.value.clone()).collect();
            out.insert(d.key.clone(), value_json(d.kind, &texts));
        }
    }
    out
}

/// A plain form's custom inputs (`custom[key]`, and `custom[key.N]` for each ticked choice of a
/// several-choice field) as values of every active field of `defs` (an absent yes/no is "no").
pub fn from_form(defs: &[CustomField], form: &BTreeMap<String, String>) -> CustomValues {
    let mut out = CustomValues::new();
    for d in defs.iter().filter(|d| !d.retired) {
        let v = match d.kind {
            FieldKind::Choices => Value::Array(
                d.options
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| form.contains_key(&format!("{}.{i}", d.key)))
                    .map(|(_, o)| Value::String(o.clone()))
                    .collect(),
            ),
            FieldKind::YesNo => Value::Bool(form.get(&d.key).is_some_and(|v| !v.is_empty() && v != "false")),
            _ => Value::String(form.get(&d.key).cloned().unwrap_or_default()),
        };
        out.insert(d.key.clone(), v);
    }
    out
}

/// A value as shown on the card: money with its currency, yes/no translated, several choices joined.
pub fn display(lang: crate::core::Lang, def: &CustomField, v: &Value) -> String {
    use crate::core::format;
    match (def.kind, v) {
        (FieldKind::YesNo, Value::Bool(b)) => (if *b { Msg::Yes } else { Msg::No }).text(lang).to_string(),
        (FieldKind::Money, Value::String(s)) => match s.parse::<Decimal>() {
            Ok(d) => format::money(lang, d, def.currency.as_deref().unwrap_or("UZS")),
            Err(_) => s.clone(),
        },
        (FieldKind::Number, Value::String(s)) => {
            s.parse::<Decimal>().map(|d| format::number(lang, d)).unwrap_or(s.clone())
        }
        (FieldKind::Date, Value::String(s)) => {
            format::parse_date(s).map(|ms| format::date(lang, ms)).unwrap_or(s.clone())
        }
        _ => value_text(Some(v)).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(kind: FieldKind) -> CustomField {
        CustomField {
            id: 1,
            entity: FieldEntity::Customer,
            key: "f".into(),
            label: "F".into(),
            kind,
            options: vec!["A".into(), "B".into(), "C".into()],
            currency: Some("UZS".into()),
            required: false,
            position: 0,
            retired: false,
            version: 1,
        }
    }

    fn check(kind: FieldKind, v: Value) -> Result<Vec<StoredValue>, Vec<ErrCode>> {
        let mut checks = Checks::default();
        let out = check_value(&mut checks, &def(kind), &v);
        match checks.finish() {
            Ok(()) => Ok(out),
            Err(e) => Err(e.field_codes("custom.f")),
        }
    }

    fn sv(value: &str, num: Option<i64>) -> StoredValue {
        StoredValue { value: value.into(), num }
    }

    #[test]
    fn values_are_typed() {
        use FieldKind::*;
        assert_eq!(check(Number, json!("12.5")), Ok(vec![sv("12.5", Some(125_000))]));
        assert_eq!(check(Number, json!(7)), Ok(vec![sv("7", Some(70_000))]));
        assert_eq!(check(Number, json!("-0,25")), Ok(vec![sv("-0.25", Some(-2_500))]));
        assert_eq!(check(Number, json!("abc")), Err(vec![ErrCode::NotANumber]));
        assert_eq!(check(Number, json!("1.00001")), Err(vec![ErrCode::TooPrecise]));
        assert_eq!(check(Number, json!("1e30")), Err(vec![ErrCode::NotANumber]));
        assert_eq!(check(Number, json!("100000000000000")), Err(vec![ErrCode::TooLarge]));
        assert_eq!(check(Money, json!("1 234 567.50")), Ok(vec![sv("1234567.5", Some(12_345_675_000))]));
        assert_eq!(check(Money, json!("1.005")), Err(vec![ErrCode::TooPrecise]));
        assert_eq!(check(Date, json!("2026-02-28")), Ok(vec![sv("2026-02-28", None)]));
        assert_eq!(check(Date, json!("2026-02-30")), Err(vec![ErrCode::InvalidDate]));
        assert_eq!(check(YesNo, json!(true)), Ok(vec![sv("true", Some(1))]));
        assert_eq!(check(YesNo, json!("нет")), Ok(vec![sv("false", Some(0))]));
        assert_eq!(check(YesNo, json!("maybe")), Err(vec![ErrCode::InvalidChoice]));
        assert_eq!(check(Choice, json!("B")), Ok(vec![sv("B", None)]));
        assert_eq!(check(Choice, json!("Z")), Err(vec![ErrCode::InvalidChoice]));
        assert_eq!(check(Choices, json!(["C", "A", "C"])), Ok(vec![sv("A", None), sv("C", None)]));
        assert_eq!(check(Choices, json!("A; B")), Ok(vec![sv("A", None), sv("B", None)]));
        assert_eq!(check(Choices, json!(["A", "Q"])), Err(vec![ErrCode::InvalidChoice]));
        assert_eq!(check(Link, json!("https://karvon.uz/x")), Ok(vec![sv("https://karvon.uz/x", None)]));
        assert_eq!(check(Link, json!("javascript:alert(1)")), Err(vec![ErrCode::InvalidUrl]));
        assert_eq!(check(Text, json!("x".repeat(501))), Err(vec![ErrCode::TooLong]));
        assert_eq!(check(Text, json!("")), Ok(vec![]));
    }

    #[test]
    fn unknown_retired_and_required_fields() {
        let mut retired = def(FieldKind::Text);
        retired.key = "old".into();
        retired.id = 2;
        retired.retired = true;
        let mut required = def(FieldKind::Text);
        required.key = "must".into();
        required.id = 3;
        required.required = true;
        let defs = vec![def(FieldKind::Text), retired, required];
        let mut checks = Checks::default();
        let input: CustomValues = [("nope".to_string(), json!("x")), ("old".to_string(), json!("y"))].into();
        check_values(&mut checks, &defs, &input, true);
        let err = checks.finish().unwrap_err();
        assert_eq!(err.field_codes("custom.nope"), vec![ErrCode::UnknownField]);
        assert_eq!(err.field_codes("custom.old"), vec![ErrCode::FieldRetired]);
        assert_eq!(err.field_codes("custom.must"), vec![ErrCode::Required]);
        // Editing without touching the required field is fine.
        let mut checks = Checks::default();
        check_values(&mut checks, &defs, &[("f".to_string(), json!("x"))].into(), false);
        assert!(checks.finish().is_ok());
    }

    #[test]
    fn keys_from_labels() {
        assert_eq!(key_from_label("Contract No."), Some("contract_no".into()));
        assert_eq!(key_from_label("2nd phone"), Some("f_2nd_phone".into()));
        assert_eq!(key_from_label("Дата договора"), None);
        let f = NewCustomField { label: "Дата".into(), kind: "date".into(), ..Default::default() };
        assert_eq!(f.validate("field_7").unwrap().key, "field_7");
        let bad = NewCustomField {
            label: "X".into(),
            kind: "choice".into(),
            key: Some("Bad Key".into()),
            ..Default::default()
        };
        let err = bad.validate("k").unwrap_err();
        assert_eq!(err.field_codes("key"), vec![ErrCode::InvalidKey]);
        assert_eq!(err.field_codes("options"), vec![ErrCode::Required]);
    }

    #[test]
    fn plain_form_values() {
        let mut choices = def(FieldKind::Choices);
        choices.key = "m".into();
        let mut yes = def(FieldKind::YesNo);
        yes.key = "y".into();
        let defs = vec![def(FieldKind::Text), choices, yes];
        let form: BTreeMap<String, String> =
            [("f".to_string(), "hello".to_string()), ("m.0".into(), "on".into()), ("m.2".into(), "on".into())].into();
        let v = from_form(&defs, &form);
        assert_eq!(v["f"], json!("hello"));
        assert_eq!(v["m"], json!(["A", "C"]));
        assert_eq!(v["y"], json!(false));
    }
}

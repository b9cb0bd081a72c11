//! Segments: groups of customers by formal rules over their attributes, tags, custom fields, manager, team,
//! stage and creation date. A dynamic segment is evaluated when used; a static one keeps a snapshot of its
//! members. The same rules filter the customer list.

pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::{AppError, Checks, ErrCode, Msg};

/// How a rule compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Contains,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    IsSet,
    NotSet,
}

impl Op {
    /// Every operator, in the order the rule builder offers them.
    pub const ALL: [Op; 10] =
        [Op::Eq, Op::Ne, Op::Contains, Op::Gt, Op::Gte, Op::Lt, Op::Lte, Op::In, Op::IsSet, Op::NotSet];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Contains => "contains",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::In => "in",
            Op::IsSet => "is_set",
            Op::NotSet => "not_set",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Op> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Its name in the rule builder.
    pub fn msg(self) -> Msg {
        match self {
            Op::Eq => Msg::OpEq,
            Op::Ne => Msg::OpNe,
            Op::Contains => Msg::OpContains,
            Op::Gt => Msg::OpGt,
            Op::Gte => Msg::OpGte,
            Op::Lt => Msg::OpLt,
            Op::Lte => Msg::OpLte,
            Op::In => Msg::OpIn,
            Op::IsSet => Msg::OpIsSet,
            Op::NotSet => Msg::OpNotSet,
        }
    }

    /// `is_set` and `not_set` take no value.
    pub fn needs_value(self) -> bool {
        !matches!(self, Op::IsSet | Op::NotSet)
    }
}

/// One condition: `field` is `name`, `kind`, `stage`, `source`, `email`, `phone`, `tag`, `manager` (user id),
/// `team` (team id), `created_at` (`YYYY-MM-DD`), `segment` (segment id) or `custom.<key>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rule {
    pub field: String,
    pub op: Op,
    /// A string, number or boolean; a list for `in`; absent for `is_set`/`not_set`.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    #[serde(default)]
    pub value: Value,
}

/// Conditions that must all hold (or, with `any`, at least one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rules {
    #[serde(default)]
    pub any: bool,
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// Most rules in one segment or filter.
pub const MAX_RULES: usize = 20;

/// Dynamic (members computed when used) or static (a snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    #[default]
    Dynamic,
    Static,
}

impl SegmentKind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Dynamic => "dynamic",
            SegmentKind::Static => "static",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "dynamic" => Some(SegmentKind::Dynamic),
            "static" => Some(SegmentKind::Static),
            _ => None,
        }
    }

    /// Its name in the UI.
    pub fn msg(self) -> Msg {
        match self {
            SegmentKind::Dynamic => Msg::SegDynamic,
            SegmentKind::Static => Msg::SegStatic,
        }
    }
}

/// A segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Segment {
    pub id: i64,
    pub name: String,
    pub kind: SegmentKind,
    pub rules: Rules,
    /// Members the reader may see: for those who see every customer, the last full evaluation (a static
    /// segment's snapshot size); for everyone else, counted within their scope when read.
    pub member_count: i64,
    pub created_by_name: String,
    /// Epoch milliseconds.
    pub updated_at: i64,
    pub version: i64,
}

/// Input for a new segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewSegment {
    pub name: String,
    /// `dynamic` (default) or `static`.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub rules: Rules,
}

/// A change to a segment. A static segment's snapshot is retaken when its rules change or `refresh` is true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SegmentPatch {
    pub version: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub rules: Option<Rules>,
    #[serde(default)]
    pub refresh: Option<bool>,
}

const MAX_NAME: usize = 200;

/// The fields a rule may name besides `custom.<key>`, with the operators each allows.
pub fn allowed_ops(field: &str) -> &'static [Op] {
    use Op::*;
    match field {
        "name" => &[Eq, Ne, Contains],
        "kind" | "stage" => &[Eq, Ne, In],
        "source" => &[Eq, Ne, Contains, IsSet, NotSet],
        "email" | "phone" => &[Contains, IsSet, NotSet],
        "tag" => &[Eq, Ne, In],
        "manager" | "team" => &[Eq, Ne, In],
        "created_at" => &[Eq, Gt, Gte, Lt, Lte],
        "segment" => &[Eq, Ne],
        _ => &[],
    }
}

/// The operators a custom field of `kind` allows.
pub fn custom_ops(kind: crate::custom_fields::FieldKind) -> &'static [Op] {
    use crate::custom_fields::FieldKind as K;
    use Op::*;
    match kind {
        K::Text | K::LongText | K::Link => &[Eq, Ne, Contains, IsSet, NotSet],
        K::Number | K::Money | K::Date => &[Eq, Ne, Gt, Gte, Lt, Lte, IsSet, NotSet],
        K::YesNo => &[Eq, IsSet, NotSet],
        K::Choice | K::Choices => &[Eq, Ne, In, IsSet, NotSet],
    }
}

/// Checks the shape of rules (count, value present where needed); field names and values are checked when
/// the rules are turned into SQL, against the custom fields of the day.
pub fn check_rules(checks: &mut Checks, rules: &Rules) {
    if rules.rules.len() > MAX_RULES {
        checks.fail("rules", ErrCode::TooMany);
    }
    for (i, r) in rules.rules.iter().enumerate() {
        if r.op.needs_value() && crate::custom_fields::is_empty_value(&r.value) {
            checks.fail(&format!("rules[{i}].value"), ErrCode::Required);
        }
    }
}

impl NewSegment {
    /// Checks the name, kind and rule shapes.
    pub fn validate(&self) -> Result<(String, SegmentKind), AppError> {
        let mut checks = Checks::default();
        let name = checks.text("name", &self.name, MAX_NAME);
        let kind = match self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => SegmentKind::Dynamic,
            Some(k) => SegmentKind::parse(k).unwrap_or_else(|| {
                checks.fail("kind", ErrCode::InvalidChoice);
                SegmentKind::Dynamic
            }),
        };
        check_rules(&mut checks, &self.rules);
        checks.finish()?;
        Ok((name, kind))
    }
}

impl SegmentPatch {
    /// The new name and rules, checked.
    pub fn apply(&self, current: &Segment) -> Result<(String, Rules), AppError> {
        let mut checks = Checks::default();
        let name = match &self.name {
            Some(n) => checks.text("name", n, MAX_NAME),
            None => current.name.clone(),
        };
        let rules = self.rules.clone().unwrap_or_else(|| current.rules.clone());
        check_rules(&mut checks, &rules);
        checks.finish()?;
        Ok((name, rules))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_parse_from_json() {
        let r: Rules = serde_json::from_value(json!({"rules": [
            {"field": "stage", "op": "in", "value": ["regular", "one_time"]},
            {"field": "custom.limit", "op": "gte", "value": "1000"},
            {"field": "email", "op": "is_set"}
        ]}))
        .unwrap();
        assert!(!r.any);
        assert_eq!(r.rules[2].value, Value::Null);
        let mut checks = Checks::default();
        check_rules(&mut checks, &r);
        assert!(checks.finish().is_ok());
        let missing = Rules { any: false, rules: vec![Rule { field: "name".into(), op: Op::Eq, value: json!("") }] };
        let mut checks = Checks::default();
        check_rules(&mut checks, &missing);
        assert_eq!(checks.finish().unwrap_err().field_codes("rules[0].value"), vec![ErrCode::Required]);
    }

    #[test]
    fn new_segment_checks_name_and_kind() {
        let s = NewSegment { name: " ".into(), kind: Some("frozen".into()), rules: Rules::default() };
        let err = s.validate().unwrap_err();
        assert_eq!(err.field_codes("name"), vec![ErrCode::Required]);
        assert_eq!(err.field_codes("kind"), vec![ErrCode::InvalidChoice]);
    }
}

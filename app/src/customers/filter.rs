//! Rules (of segments and list filters) as SQL conditions on `customers c`, written once for both databases.
//! Field names, operators and values are checked here, against the custom fields of the day; a bad rule is
//! a validation error on `rules[i].field`, `rules[i].op` or `rules[i].value`, never a database error.

use std::collections::HashMap;

use serde_json::Value;

use super::store::Arg;
use super::{CustomerKind, CustomerStage, search_key};
use crate::core::db::like_escape;
use crate::core::format::parse_date;
use crate::core::{AppError, Checks, ErrCode};
use crate::custom_fields::{CustomField, FieldKind, check_value};
use crate::segments::{Op, Rule, Rules, SegmentKind, allowed_ops, custom_ops};

/// What rules may refer to: the customers' custom fields and the segments named by `segment` rules.
#[derive(Debug, Clone, Default)]
pub struct FilterCtx {
    pub defs: Vec<CustomField>,
    pub segments: HashMap<i64, (SegmentKind, Rules)>,
}

/// The segment ids that `rules` name (to load them before compiling).
pub fn segment_ids(rules: &Rules) -> Vec<i64> {
    rules.rules.iter().filter(|r| r.field == "segment").filter_map(|r| int_of(&r.value)).collect()
}

/// One day in epoch milliseconds.
const DAY_MS: i64 = 86_400_000;

fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list value: a JSON array, or a comma-separated string (query strings).
/// Most values in one rule's list (`in`, several choices or tags).
pub const MAX_LIST: usize = 100;

fn list_of(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        Value::String(s) => s.split(',').map(|x| Value::String(x.trim().to_string())).filter(|x| x != "").collect(),
        other => vec![other.clone()],
    }
}

/// Pushes a parameter and returns its placeholder.
fn param(args: &mut Vec<Arg>, a: Arg) -> String {
    args.push(a);
    format!("${}", args.len())
}

/// Placeholders for a list of parameters.
fn params(args: &mut Vec<Arg>, list: Vec<Arg>) -> String {
    list.into_iter().map(|a| param(args, a)).collect::<Vec<_>>().join(", ")
}

/// The SQL condition for `rules`, with its parameters appended to `args` (numbered from `args.len() + 1`).
/// `depth` stops a dynamic segment from naming another dynamic segment (no cycles).
pub fn rules_sql(ctx: &FilterCtx, rules: &Rules, args: &mut Vec<Arg>, depth: u8) -> Result<String, AppError> {
    if rules.rules.is_empty() {
        return Ok("1 = 1".into());
    }
    let mut checks = Checks::default();
    // Every user of rules (segments, list filters, exports, the REST `rules` parameter) meets the same caps,
    // so no request reaches the database's limit on parameters.
    if rules.rules.len() > crate::segments::MAX_RULES {
        checks.fail("rules", ErrCode::TooMany);
        return Err(checks.finish().unwrap_err());
    }
    for (i, r) in rules.rules.iter().enumerate() {
        if list_of(&r.value).len() > MAX_LIST {
            checks.fail(&format!("rules[{i}].value"), ErrCode::TooMany);
        }
    }
    checks.finish()?;
    let mut checks = Checks::default();
    let mut parts = Vec::new();
    for (i, r) in rules.rules.iter().enumerate() {
        match rule_sql(ctx, r, args, depth) {
            Ok(sql) => parts.push(sql),
            Err((part, code)) => checks.fail(&format!("rules[{i}].{part}"), code),
        }
    }
    checks.finish()?;
    let joiner = if rules.any { " OR " } else { " AND " };
    Ok(format!("({})", parts.join(joiner)))
}

type RuleErr = (&'static str, ErrCode);

fn rule_sql(ctx: &FilterCtx, r: &Rule, args: &mut Vec<Arg>, depth: u8) -> Result<String, RuleErr> {
    if let Some(key) = r.field.strip_prefix("custom.") {
        let def = ctx.defs.iter().find(|d| d.key == key).ok_or(("field", ErrCode::UnknownField))?;
        if !custom_ops(def.kind).contains(&r.op) {
            return Err(("op", ErrCode::InvalidChoice));
        }
        return custom_sql(def, r, args);
    }
    let ops = allowed_ops(&r.field);
    if ops.is_empty() {
        return Err(("field", ErrCode::UnknownField));
    }
    if !ops.contains(&r.op) {
        return Err(("op", ErrCode::InvalidChoice));
    }
    let bad = ("value", ErrCode::InvalidChoice);
    let text = || str_of(&r.value).ok_or(("value", ErrCode::Required));
    let cmp = if r.op == Op::Ne { "<>" } else { "=" };
    let not = if r.op == Op::Ne { "NOT " } else { "" };
    Ok(match r.field.as_str() {
        "name" => match r.op {
            Op::Contains => {
                let p = param(args, Arg::S(format!("%{}%", like_escape(&search_key(&text()?)))));
                format!("c.name_search LIKE {p} ESCAPE '\\'")
            }
            _ => format!("c.name_search {cmp} {}", param(args, Arg::S(search_key(&text()?)))),
        },
        "kind" | "stage" => {
            let values: Vec<Value> = if r.op == Op::In { list_of(&r.value) } else { vec![r.value.clone()] };
            let mut codes = Vec::new();
            for v in &values {
                let s = str_of(v).ok_or(bad)?;
                let ok = if r.field == "kind" {
                    CustomerKind::parse(&s).is_some()
                } else {
                    CustomerStage::parse(&s).is_some()
                };
                if !ok {
                    return Err(bad);
                }
                codes.push(Arg::S(s));
            }
            let col = if r.field == "kind" { "c.kind" } else { "c.stage" };
            match r.op {
                Op::In => format!("{col} IN ({})", params(args, codes)),
                _ => format!("{col} {cmp} {}", params(args, codes)),
            }
        }
        "source" => match r.op {
            Op::IsSet => "c.source IS NOT NULL".into(),
            Op::NotSet => "c.source IS NULL".into(),
            Op::Contains => {
                let p = param(args, Arg::S(format!("%{}%", like_escape(&text()?.to_lowercase()))));
                format!("LOWER(c.source) LIKE {p} ESCAPE '\\'")
            }
            Op::Ne => format!("(c.source IS NULL OR c.source <> {})", param(args, Arg::S(text()?))),
            _ => format!("c.source = {}", param(args, Arg::S(text()?))),
        },
        "email" | "phone" => {
            let col = if r.field == "email" { "c.email" } else { "c.phone" };
            match r.op {
                Op::IsSet => format!("{col} IS NOT NULL"),
                Op::NotSet => format!("{col} IS NULL"),
                _ => {
                    let mut v = text()?.to_lowercase();
                    if r.field == "phone" {
                        v = v.chars().filter(char::is_ascii_digit).collect();
                    }
                    let p = param(args, Arg::S(format!("%{}%", like_escape(&v))));
                    format!("{col} LIKE {p} ESCAPE '\\'")
                }
            }
        }
        "tag" => {
            let tags: Vec<Arg> = if r.op == Op::In {
                list_of(&r.value).iter().filter_map(str_of).map(Arg::S).collect()
            } else {
                vec![Arg::S(text()?)]
            };
            if tags.is_empty() {
                return Err(("value", ErrCode::Required));
            }
            let list = params(args, tags);
            format!("{not}EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag IN ({list}))")
        }
        "manager" | "team" => {
            let ids: Vec<Arg> = if r.op == Op::In {
                list_of(&r.value)
                    .iter()
                    .map(int_of)
                    .collect::<Option<Vec<_>>>()
                    .ok_or(bad)?
                    .into_iter()
                    .map(Arg::I)
                    .collect()
            } else {
                vec![Arg::I(int_of(&r.value).ok_or(bad)?)]
            };
            if ids.is_empty() {
                return Err(("value", ErrCode::Required));
            }
            let list = params(args, ids);
            if r.field == "manager" {
                format!("c.manager_id {not}IN ({list})")
            } else {
                format!("c.manager_id {not}IN (SELECT id FROM users WHERE team_id IN ({list}))")
            }
        }
        "created_at" => {
            let start = parse_date(&text()?).ok_or(("value", ErrCode::InvalidDate))?;
            let end = start + DAY_MS;
            match r.op {
                Op::Gt => format!("c.created_at >= {}", param(args, Arg::I(end))),
                Op::Gte => format!("c.created_at >= {}", param(args, Arg::I(start))),
                Op::Lt => format!("c.created_at < {}", param(args, Arg::I(start))),
                Op::Lte => format!("c.created_at < {}", param(args, Arg::I(end))),
                _ => {
                    let (a, b) = (param(args, Arg::I(start)), param(args, Arg::I(end)));
                    format!("(c.created_at >= {a} AND c.created_at < {b})")
                }
            }
        }
        "segment" => {
            let id = int_of(&r.value).ok_or(bad)?;
            let (kind, rules) = ctx.segments.get(&id).ok_or(bad)?;
            match kind {
                SegmentKind::Static => {
                    let p = param(args, Arg::I(id));
                    format!("c.id {not}IN (SELECT customer_id FROM segment_members WHERE segment_id = {p})")
                }
                SegmentKind::Dynamic if depth == 0 => {
                    let inner = rules_sql(ctx, rules, args, depth + 1).map_err(|_| bad)?;
                    format!("{not}{inner}")
                }
                SegmentKind::Dynamic => return Err(bad),
            }
        }
        _ => return Err(("field", ErrCode::UnknownField)),
    })
}

/// A custom field rule: an `EXISTS` over its values.
fn custom_sql(def: &CustomField, r: &Rule, args: &mut Vec<Arg>) -> Result<String, RuleErr> {
    let f = param(args, Arg::I(def.id));
    let exists = |cond: &str, negate: bool| {
        let not = if negate { "NOT " } else { "" };
        format!("{not}EXISTS (SELECT 1 FROM custom_values v WHERE v.field_id = {f} AND v.record_id = c.id{cond})")
    };
    // One value checked and normalised exactly as a stored one would be.
    let normalise = |v: &Value| {
        let mut lenient = def.clone();
        lenient.required = false;
        let mut checks = Checks::default();
        let rows = check_value(&mut checks, &lenient, v);
        let code = checks.into_fields().first().map(|e| e.code);
        match (code, rows.into_iter().next()) {
            (None, Some(row)) => Ok(row),
            (Some(code), _) => Err(("value", code)),
            (None, None) => Err(("value", ErrCode::Required)),
        }
    };
    Ok(match r.op {
        Op::IsSet => exists("", false),
        Op::NotSet => exists("", true),
        Op::Contains => {
            let v = str_of(&r.value).ok_or(("value", ErrCode::Required))?;
            let p = param(args, Arg::S(format!("%{}%", like_escape(&v.to_lowercase()))));
            exists(&format!(" AND LOWER(v.value) LIKE {p} ESCAPE '\\'"), false)
        }
        Op::In => {
            let mut keys = Vec::new();
            for v in list_of(&r.value) {
                keys.push(Arg::S(normalise(&v)?.sort_key()));
            }
            let list = params(args, keys);
            exists(&format!(" AND v.sort_key IN ({list})"), false)
        }
        op => {
            let row = match def.kind {
                // A several-choice rule compares one choice.
                FieldKind::Choices => {
                    let one = Value::Array(vec![r.value.clone()]);
                    normalise(&one)?
                }
                _ => normalise(&r.value)?,
            };
            let sql_op = match op {
                Op::Gt => ">",
                Op::Gte => ">=",
                Op::Lt => "<",
                Op::Lte => "<=",
                _ => "=",
            };
            let cond = match row.num {
                Some(n) if def.kind != FieldKind::Date => format!(" AND v.num {sql_op} {}", param(args, Arg::I(n))),
                _ => format!(" AND v.sort_key {sql_op} {}", param(args, Arg::S(row.sort_key()))),
            };
            // "Not equal" includes records without a value.
            exists(&cond, op == Op::Ne)
        }
    })
}

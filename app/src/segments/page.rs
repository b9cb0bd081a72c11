//! `/segments`: the segments with their member counts, and a rule builder for new ones.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{CreateSegment, RefreshSegment, UpdateSegment, segments_data};
use super::{Op, Rules, Segment, SegmentKind};
use crate::core::Msg;
use crate::core::format::date_time;
use crate::custom_fields::CustomField;
use crate::customers::CustomerStage;
use crate::ui::{ErrorPage, Field, FormError, Select, Submit, action_error, general_error, lang, reset_on_success, t};

/// Rows in the rule builder (empty rows are ignored).
const RULE_ROWS: usize = 4;

/// The standard fields a rule can test, with their labels.
fn field_options(fields: &[CustomField]) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "—".to_string())];
    for (key, msg) in [
        ("name", Msg::Name),
        ("stage", Msg::Stage),
        ("kind", Msg::Kind),
        ("tag", Msg::Tags),
        ("source", Msg::Source),
        ("email", Msg::Email),
        ("phone", Msg::Phone),
        ("created_at", Msg::CreatedAt),
        ("manager", Msg::ManagerId),
        ("team", Msg::TeamId),
    ] {
        out.push((key.to_string(), t(msg).to_string()));
    }
    out.extend(fields.iter().map(|f| (format!("custom.{}", f.key), f.label.clone())));
    out
}

/// A member count as a localised number.
fn members_text(n: i64) -> String {
    crate::core::format::number(lang(), n.into())
}

/// The segments page.
#[component]
pub fn SegmentsPage() -> impl IntoView {
    let create = ServerAction::<CreateSegment>::new();
    let refresh = ServerAction::<RefreshSegment>::new();
    // Saved edits (each row's form has its own action).
    let changes = RwSignal::new(0u32);
    let create_error = action_error(create);
    let refresh_error = action_error(refresh);
    let form = NodeRef::new();
    reset_on_success(create, form);
    let data =
        Resource::new(move || (create.version().get(), refresh.version().get(), changes.get()), |_| segments_data());
    let general = general_error(create_error);
    view! {
        <h1>{t(Msg::Segments)}</h1>
        <FormError error=refresh_error />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(d) => {
                        let fields = d.fields.clone();
                        view! {
                            <section class="panel">
                                {if d.segments.is_empty() {
                                    view! { <p class="empty">{t(Msg::NoSegments)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table" data-test="segment-table">
                                            <thead>
                                                <tr>
                                                    <th>{t(Msg::Name)}</th>
                                                    <th>{t(Msg::Kind)}</th>
                                                    <th>{t(Msg::Members)}</th>
                                                    <th class="hide-sm">{t(Msg::UpdatedAt)}</th>
                                                    <th></th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {d.segments.into_iter().map(|s| view! { <SegmentRow s refresh fields=fields.clone() changes /> }).collect_view()}
                                            </tbody>
                                        </table>
                                    }
                                        .into_any()
                                }}
                            </section>
                            <section class="panel">
                                <h2>{t(Msg::NewSegment)}</h2>
                                <ActionForm action=create node_ref=form attr:class="stack" attr:data-test="segment-form">
                                    <FormError error=general />
                                    <div class="grid-2">
                                        <Field label=Msg::Name name="name" required=true error=create_error />
                                        <Select
                                            label=Msg::Kind
                                            name="kind"
                                            options=[SegmentKind::Dynamic, SegmentKind::Static]
                                                .into_iter()
                                                .map(|k| (k.as_str().to_string(), t(k.msg()).to_string()))
                                                .collect()
                                            error=create_error
                                        />
                                    </div>
                                    <MatchSelect any=false scope="" error=create_error />
                                    <RuleRows fields current=Rules::default() scope="" error=create_error />
                                    <Submit pending=create.pending() label=Msg::Create test="segment-submit" />
                                </ActionForm>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// "All rules" or "any rule".
#[component]
fn MatchSelect(any: bool, #[prop(into)] scope: String, error: Signal<Option<crate::core::AppError>>) -> impl IntoView {
    view! {
        <Select
            label=Msg::Match
            name="any"
            scope
            options=vec![
                ("all".to_string(), t(Msg::MatchAll).to_string()),
                ("any".to_string(), t(Msg::MatchAny).to_string()),
            ]
            selected=if any { "any" } else { "all" }
            error
        />
    }
}

#[component]
fn SegmentRow(
    s: Segment,
    refresh: ServerAction<RefreshSegment>,
    fields: Vec<CustomField>,
    changes: RwSignal<u32>,
) -> impl IntoView {
    let is_static = s.kind == SegmentKind::Static;
    let editing = s.clone();
    view! {
        <tr data-test="segment-row">
            <td>
                <a href=format!("/customers?segment={}", s.id) data-test="segment-members">{s.name.clone()}</a>
                <div class="muted small">{s.created_by_name.clone()}</div>
            </td>
            <td>{t(s.kind.msg())}</td>
            <td class="nowrap" data-test="segment-count">{members_text(s.member_count)}</td>
            <td class="hide-sm">{date_time(lang(), s.updated_at)}</td>
            <td>
                {is_static.then(|| view! {
                    <ActionForm action=refresh attr:class="inline-form">
                        <input type="hidden" name="id" value=s.id />
                        <input type="hidden" name="version" value=s.version />
                        <Submit pending=refresh.pending() label=Msg::RetakeSnapshot class="button small" />
                    </ActionForm>
                })}
                <crate::ui::EditInPlace test="segment-edit">
                    <SegmentEditForm s=editing.clone() fields=fields.clone() changes />
                </crate::ui::EditInPlace>
            </td>
        </tr>
    }
}

/// The rule builder: a few rows of field, operator and value. Values of stages are suggested.
#[component]
fn RuleRows(
    fields: Vec<CustomField>,
    /// The rules the rows start with (one empty row more, at least [`RULE_ROWS`] rows).
    current: Rules,
    /// Makes the element ids unique when several builders are on the page.
    #[prop(into)]
    scope: String,
    error: Signal<Option<crate::core::AppError>>,
) -> impl IntoView {
    let rows = RULE_ROWS.max(current.rules.len() + 1);
    let options = field_options(&fields);
    let list_id = format!("rule-values{scope}");
    let suggestions: Vec<(String, String)> = CustomerStage::ALL
        .into_iter()
        .map(|s| (s.as_str().to_string(), t(s.msg()).to_string()))
        .chain(fields.iter().flat_map(|f| f.options.iter().map(|o| (o.clone(), f.label.clone()))))
        .collect();
    let problems = move || {
        let err = error.get()?;
        let mut msgs: Vec<String> = Vec::new();
        for i in 0..rows {
            for part in ["field", "op", "value"] {
                if let Some(m) = crate::ui::field_message(Some(err.clone()), &format!("rules[{i}].{part}")) {
                    msgs.push(format!("{} {}: {m}", t(Msg::Rule), i + 1));
                }
            }
        }
        (!msgs.is_empty()).then(|| msgs.join(" · "))
    };
    view! {
        <fieldset class="rules" data-test="rule-rows">
            <legend>{t(Msg::Rules)}</legend>
            <datalist id=list_id.clone()>
                {suggestions.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
            </datalist>
            {(0..rows)
                .map(|i| {
                    let options = options.clone();
                    let rule = current.rules.get(i);
                    let (field, op) = (rule.map(|r| r.field.clone()).unwrap_or_default(), rule.map(|r| r.op));
                    let value = rule.map(|r| value_text(&r.value)).unwrap_or_default();
                    let id = |part: &str| format!("rule-{part}{scope}-{i}");
                    view! {
                        <div class="rule-row">
                            <label class="sr-only" for=id("field")>{t(Msg::RuleField)}</label>
                            <select id=id("field") name=format!("rule[field.{i}]") data-test=format!("rule-field-{i}")>
                                {options.into_iter().map(|(v, l)| {
                                    let sel = v == field;
                                    view! { <option value=v selected=sel>{l}</option> }
                                }).collect_view()}
                            </select>
                            <label class="sr-only" for=id("op")>{t(Msg::RuleOp)}</label>
                            <select id=id("op") name=format!("rule[op.{i}]") data-test=format!("rule-op-{i}")>
                                {Op::ALL.into_iter().map(|o| view! {
                                    <option value=o.as_str() selected=Some(o) == op>{t(o.msg())}</option>
                                }).collect_view()}
                            </select>
                            <label class="sr-only" for=id("value")>{t(Msg::RuleValue)}</label>
                            <input id=id("value") name=format!("rule[value.{i}]") list=list_id.clone() value=value
                                placeholder=t(Msg::RuleValue) data-test=format!("rule-value-{i}") />
                        </div>
                    }
                })
                .collect_view()}
            <p class="field-error" data-test="rule-errors">{problems}</p>
            <p class="muted small">{t(Msg::RulesHint)}</p>
        </fieldset>
    }
}

/// A rule's value as the builder's text box shows it (a list comma-separated).
fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A segment's edit form (its own action: its errors stay with it).
#[component]
fn SegmentEditForm(s: Segment, fields: Vec<CustomField>, changes: RwSignal<u32>) -> impl IntoView {
    let update = ServerAction::<UpdateSegment>::new();
    crate::ui::bump_on_success(update, changes);
    let error = action_error(update);
    let scope = format!("seg{}", s.id);
    let editing = s;
    view! {
        <ActionForm action=update attr:class="stack" attr:data-test="segment-edit-form">
            <input type="hidden" name="id" value=editing.id />
            <input type="hidden" name="version" value=editing.version />
            <FormError error=general_error(error) />
            <Field label=Msg::Name name="name" scope=scope.clone() value=editing.name.clone() required=true error />
            <MatchSelect any=editing.rules.any scope=scope.clone() error />
            <RuleRows fields=fields.clone() current=editing.rules.clone() scope=scope.clone() error />
            <Submit pending=update.pending() label=Msg::Save busy=Msg::BusySaving class="button small primary" test="segment-save" />
        </ActionForm>
    }
}

//! The inputs of a record's custom fields inside its form, one per active field, with errors by the field.
//! Names are `custom[key]` (and `custom[key.N]` per ticked choice), so the form works before the WASM loads.

use leptos::prelude::*;
use serde_json::Value;

use super::{CustomField, CustomValues, FieldKind};
use crate::core::AppError;
use crate::ui::{field_message, t};

/// Inputs for every active field of `defs`, filled from `values`.
#[component]
pub fn CustomInputs(
    defs: Vec<CustomField>,
    values: CustomValues,
    /// Makes the element ids unique when two forms on a page have these inputs.
    #[prop(optional, into)]
    scope: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let active: Vec<CustomField> = defs.into_iter().filter(|d| !d.retired).collect();
    (!active.is_empty()).then(|| {
        view! {
            <div class="grid-2" data-test="custom-inputs">
                {active
                    .into_iter()
                    .map(|d| {
                        let v = values.get(&d.key).cloned().unwrap_or(Value::Null);
                        view! { <CustomInput def=d value=v scope=scope.clone() error /> }
                    })
                    .collect_view()}
            </div>
        }
    })
}

#[component]
fn CustomInput(def: CustomField, value: Value, scope: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let err_key = format!("custom.{}", def.key);
    let id = if scope.is_empty() { format!("cf-{}", def.key) } else { format!("cf-{scope}-{}", def.key) };
    let err_id = format!("{id}-err");
    let name = format!("custom[{}]", def.key);
    let text = value.as_str().unwrap_or_default().to_string();
    let msg = {
        let err_key = err_key.clone();
        move || field_message(error.get(), &err_key)
    };
    let invalid = {
        let msg = msg.clone();
        move || msg().is_some()
    };
    let label = if def.required { format!("{} *", def.label) } else { def.label.clone() };
    let input = match def.kind {
        FieldKind::LongText => view! {
            <textarea id=id.clone() name=name rows="3" aria-describedby=err_id.clone() data-test=format!("cf-{}", def.key)>
                {text}
            </textarea>
        }
        .into_any(),
        FieldKind::YesNo => {
            let checked = value.as_bool().unwrap_or(false);
            view! {
                <label class="check">
                    <input id=id.clone() type="checkbox" name=name value="true" checked=checked data-test=format!("cf-{}", def.key) />
                    {t(crate::core::Msg::Yes)}
                </label>
            }
            .into_any()
        }
        FieldKind::Choice => {
            let options = def.options.clone();
            view! {
                <select id=id.clone() name=name aria-describedby=err_id.clone() data-test=format!("cf-{}", def.key)>
                    <option value="">"—"</option>
                    {options
                        .into_iter()
                        .map(|o| {
                            let sel = o == text;
                            let shown = o.clone();
                            view! { <option value=o selected=sel>{shown}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::Choices => {
            let chosen: Vec<String> = value
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            let key = def.key.clone();
            view! {
                <div class="choices" id=id.clone() role="group" data-test=format!("cf-{}", def.key)>
                    {def
                        .options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            let checked = chosen.contains(o);
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=format!("custom[{key}.{i}]") value="on" checked=checked />
                                    {o.clone()}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
        kind => {
            let (ty, mode) = match kind {
                FieldKind::Number | FieldKind::Money => ("text", Some("decimal")),
                FieldKind::Date => ("date", None),
                FieldKind::Link => ("url", None),
                _ => ("text", None),
            };
            view! {
                <input
                    id=id.clone()
                    name=name
                    type=ty
                    inputmode=mode
                    value=text
                    aria-describedby=err_id.clone()
                    data-test=format!("cf-{}", def.key)
                />
            }
            .into_any()
        }
    };
    let suffix = def.currency.clone().filter(|_| def.kind == FieldKind::Money).map(|c| format!(" ({c})"));
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id>{label}{suffix}</label>
            {input}
            <p class="field-error" id=err_id data-test=format!("error-custom-{}", def.key)>
                {msg}
            </p>
        </div>
    }
}

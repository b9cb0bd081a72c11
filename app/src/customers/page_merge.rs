//! `/customers/:id/merge?with=ID`: merge another customer into this one, choosing each field's value.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::Customer;
use super::api::{CustomerCard, MergeCustomers, merge_preview};
use crate::core::phone::display;
use crate::core::{AppError, Msg};
use crate::custom_fields;
use crate::ui::{ErrorPage, FormError, action_error, lang, t};

/// The value of a merge field as shown.
fn shown(c: &Customer, field: &str) -> String {
    let v = match field {
        "name" => Some(c.name.clone()),
        "kind" => Some(t(c.kind.msg()).to_string()),
        "stage" => Some(t(c.stage.msg()).to_string()),
        "phone" => c.phone.as_deref().map(display),
        "email" => c.email.clone(),
        "notes" => c.notes.clone(),
        "source" => c.source.clone(),
        "manager" => Some(c.manager_name.clone()),
        _ => None,
    };
    v.unwrap_or_else(|| "—".into())
}

/// The merge page.
#[component]
pub fn MergePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let ids = move || {
        let id = params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
        let with = query.with(|q| q.get("with").and_then(|s| s.parse::<i64>().ok()));
        id.zip(with)
    };
    let data = Resource::new(ids, |ids| async move {
        match ids {
            Some((id, with)) => merge_preview(id, with).await,
            None => Err(AppError::NotFound),
        }
    });
    let action = ServerAction::<MergeCustomers>::new();
    let error = action_error(action);
    view! {
        <h1>{t(Msg::MergeTitle)}</h1>
        <p class="muted">{t(Msg::MergeHint)}</p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok((CustomerCard { customer: s, fields, .. }, m)) => {
                        let lang = lang();
                        let mut rows: Vec<(String, String, String, String)> = [
                            ("name", Msg::Name),
                            ("kind", Msg::Kind),
                            ("stage", Msg::Stage),
                            ("phone", Msg::Phone),
                            ("email", Msg::Email),
                            ("source", Msg::Source),
                            ("manager", Msg::Manager),
                            ("notes", Msg::Notes),
                        ]
                        .into_iter()
                        .map(|(f, label)| (f.to_string(), t(label).to_string(), shown(&s, f), shown(&m, f)))
                        .collect();
                        for d in fields.iter().filter(|d| !d.retired) {
                            let show = |c: &Customer| {
                                c.custom.get(&d.key).map(|v| custom_fields::display(lang, d, v)).unwrap_or_else(|| "—".into())
                            };
                            rows.push((format!("custom.{}", d.key), d.label.clone(), show(&s), show(&m)));
                        }
                        let survivor_title = format!("{} (#{})", s.name, s.id);
                        let merged_title = format!("{} (#{})", m.name, m.id);
                        let same = s.id == m.id;
                        view! {
                            <ActionForm action attr:class="stack" attr:data-test="merge-form">
                                <FormError error />
                                {move || error.get().and_then(|e| {
                                    let codes = e.field_codes("merged_id");
                                    codes.first().map(|c| view! { <p class="alert alert-error">{t(c.msg())}</p> })
                                })}
                                {same.then(|| view! { <p class="alert alert-error">{t(Msg::ErrMergeIntoItself)}</p> })}
                                <input type="hidden" name="survivor_id" value=s.id />
                                <input type="hidden" name="merged_id" value=m.id />
                                <input type="hidden" name="survivor_version" value=s.version />
                                <input type="hidden" name="merged_version" value=m.version />
                                <table class="table merge">
                                    <thead>
                                        <tr>
                                            <th></th>
                                            <th>{t(Msg::Survivor)}<br /><span class="muted small">{survivor_title}</span></th>
                                            <th>{t(Msg::MergedAway)}<br /><span class="muted small">{merged_title}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows
                                            .into_iter()
                                            .map(|(field, label, a, b)| {
                                                let name = format!("take[{field}]");
                                                let same_value = a == b;
                                                view! {
                                                    <tr data-test="merge-row" data-field=field.clone()>
                                                        <th scope="row">{label}</th>
                                                        <td>
                                                            <label class="check">
                                                                <input type="radio" name=name.clone() value="survivor" checked=true />
                                                                {a}
                                                            </label>
                                                        </td>
                                                        <td>
                                                            <label class="check" class:muted=same_value>
                                                                <input type="radio" name=name value="merged"
                                                                    data-test=format!("take-merged-{field}") />
                                                                {b}
                                                            </label>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                                <div class="actions">
                                    <button type="submit" class="button primary" data-test="merge-submit"
                                        disabled=move || same || action.pending().get()
                                        aria-busy=move || action.pending().get().then_some("true")>
                                        {move || t(if action.pending().get() { Msg::BusyMerging } else { Msg::Merge })}
                                    </button>
                                    <a href=format!("/customers/{}", s.id) class="button">{t(Msg::Cancel)}</a>
                                </div>
                            </ActionForm>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

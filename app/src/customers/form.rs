//! The customer form: used to create (its own page) and to edit (on the card).

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{CreateCustomer, UpdateCustomer, find_duplicates};
use super::{Customer, CustomerKind, CustomerStage};
use crate::core::phone::display;
use crate::core::{AppError, Msg};
use crate::custom_fields::CustomField;
use crate::custom_fields::api::list_custom_fields;
use crate::custom_fields::inputs::CustomInputs;
use crate::ui::{Field, FormError, Select, Submit, TextArea, action_error, general_error, t};

fn kind_options() -> Vec<(String, String)> {
    [CustomerKind::Company, CustomerKind::Person]
        .into_iter()
        .map(|k| (k.as_str().to_string(), t(k.msg()).to_string()))
        .collect()
}

fn stage_options() -> Vec<(String, String)> {
    CustomerStage::ALL.into_iter().map(|k| (k.as_str().to_string(), t(k.msg()).to_string())).collect()
}

/// The fields shared by both forms.
#[component]
fn CustomerFields(current: Option<Customer>, defs: Vec<CustomField>, error: Signal<Option<AppError>>) -> impl IntoView {
    let c = current.unwrap_or_else(Customer::empty);
    let general = general_error(error);
    view! {
        <FormError error=general />
        <div class="grid-2">
            <Field label=Msg::Name name="name" value=c.name required=true error />
            <Select label=Msg::Kind name="kind" options=kind_options() selected=c.kind.as_str() error />
            <Field label=Msg::Phone name="phone" kind="tel" value=c.phone.as_deref().map(display).unwrap_or_default() error />
            <Field label=Msg::Email name="email" kind="email" value=c.email.unwrap_or_default() error />
            <Select label=Msg::Stage name="stage" options=stage_options() selected=c.stage.as_str() error />
            <Field label=Msg::Source name="source" value=c.source.unwrap_or_default() error />
        </div>
        <Field label=Msg::Tags name="tags" value=c.tags.join(", ") placeholder=Msg::TagsHint error />
        <TextArea label=Msg::Notes name="notes" value=c.notes.unwrap_or_default() error />
        <CustomInputs defs values=c.custom error />
    }
}

/// `/customers/new`.
#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let action = ServerAction::<CreateCustomer>::new();
    let error = action_error(action);
    let defs = Resource::new(|| (), |_| list_custom_fields(Some("customer".into())));
    // A call pop-up for an unknown number opens this page with `?phone=`.
    let query = leptos_router::hooks::use_query_map();
    let prefilled = move || Customer { phone: query.with_untracked(|q| q.get("phone")), ..Customer::empty() };
    // Likely duplicates, checked when the name, phone or e-mail changes (with JavaScript).
    let probe = RwSignal::new((String::new(), String::new(), String::new()));
    let check = Action::new(|p: &(String, String, String)| {
        let (name, phone, email) = p.clone();
        find_duplicates(name, Some(phone), Some(email), None)
    });
    let on_change = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()) else { return };
        let value = event_target_value(&ev);
        let changed = probe.try_update(|(n, p, e)| match el.get_attribute("name").as_deref() {
            Some("name") => *n = value,
            Some("phone") => *p = value,
            Some("email") => *e = value,
            _ => {}
        });
        let (n, p, e) = probe.get_untracked();
        if changed.is_some() && (n.trim().chars().count() >= 3 || !p.trim().is_empty() || !e.trim().is_empty()) {
            check.dispatch((n, p, e));
        }
    };
    let warnings = move || {
        check.value().get().and_then(Result::ok).filter(|h| !h.is_empty()).map(|hits| {
            view! {
                <DuplicateList hits merge_into=None />
            }
        })
    };
    view! {
        <h1>{t(Msg::NewCustomer)}</h1>
        <section class="panel">
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let defs = defs.await.unwrap_or_default();
                    view! {
                        <ActionForm action attr:class="stack" attr:data-test="customer-form" on:change=on_change>
                            {warnings}
                            <CustomerFields current=Some(prefilled()) defs error />
                            <div class="actions">
                                <Submit pending=action.pending() label=Msg::Create test="customer-submit" />
                                <a href="/customers" class="button">{t(Msg::Cancel)}</a>
                            </div>
                        </ActionForm>
                    }
                })}
            </Transition>
        </section>
    }
}

/// The edit form on the card; `on_saved` runs after a successful save.
#[component]
pub fn EditCustomerForm(
    customer: Customer,
    defs: Vec<CustomField>,
    action: ServerAction<UpdateCustomer>,
) -> impl IntoView {
    let error = action_error(action);
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <ActionForm action attr:class="stack" attr:data-test="customer-edit-form">
            <input type="hidden" name="id" value=customer.id />
            <input type="hidden" name="version" value=customer.version />
            {move || saved().then(|| view! { <div class="alert alert-ok" role="status">{t(Msg::Saved)}</div> })}
            <CustomerFields current=Some(customer) defs error />
            <div class="actions">
                <Submit pending=action.pending() label=Msg::Save test="customer-save" />
            </div>
        </ActionForm>
    }
}

/// A warning listing likely duplicates; with `merge_into`, each offers a merge into that customer.
#[component]
pub fn DuplicateList(
    hits: Vec<super::dupes::DuplicateHit>,
    merge_into: Option<i64>,
    /// On a customer's card: one line ("3 possible duplicates") that opens to the list.
    #[prop(optional)]
    folded: bool,
) -> impl IntoView {
    let count = hits.len() as i64;
    let items = hits
        .into_iter()
        .map(|h| {
            let why = h.reasons.iter().map(|r| t(r.msg())).collect::<Vec<_>>().join(", ");
            view! {
                <li data-test="duplicate">
                    <a href=format!("/customers/{}", h.id)>{h.name}</a>
                    <span class="muted small">" · " {h.manager_name} " · " {why}</span>
                    {merge_into.map(|into| view! {
                        " "
                        <a class="button small" href=format!("/customers/{into}/merge?with={}", h.id)
                            data-test="merge-link">{t(Msg::Merge)}</a>
                    })}
                </li>
            }
        })
        .collect_view();
    if folded {
        view! {
            <details class="alert alert-warn dup-fold" data-test="duplicates">
                <summary data-test="duplicates-summary">{crate::ui::tn(Msg::PossibleDuplicatesCount, count)}</summary>
                <ul>{items}</ul>
            </details>
        }
        .into_any()
    } else {
        view! {
            <aside class="alert alert-warn" role="status" data-test="duplicates">
                <strong>{t(Msg::PossibleDuplicates)}</strong>
                <ul>{items}</ul>
            </aside>
        }
        .into_any()
    }
}

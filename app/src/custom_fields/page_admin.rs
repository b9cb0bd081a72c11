//! `/admin/custom-fields`: define extra fields for customers and contacts, retire and restore them.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{CreateCustomField, SetCustomFieldRetired, list_custom_fields};
use super::{CustomField, FieldEntity, FieldKind};
use crate::core::Msg;
use crate::ui::{
    ErrorPage, Field, FormError, Select, Submit, TextArea, action_error, general_error, reset_on_success, t,
};

fn kind_options() -> Vec<(String, String)> {
    FieldKind::ALL.into_iter().map(|k| (k.as_str().to_string(), t(k.msg()).to_string())).collect()
}

fn entity_options() -> Vec<(String, String)> {
    let mut out = vec![
        ("customer".into(), t(Msg::EntCustomer).to_string()),
        ("contact".into(), t(Msg::EntContact).to_string()),
        ("deal".into(), t(Msg::Deal).to_string()),
    ];
    if stock_on() {
        out.push(("product".into(), t(Msg::Product).to_string()));
    }
    out
}

/// Whether the stock module (whose products carry fields too) is switched on.
fn stock_on() -> bool {
    !crate::ui::session_info().disabled_modules.iter().any(|k| k == crate::stock::MODULE.key)
}

/// The custom fields page.
#[component]
pub fn CustomFieldsPage() -> impl IntoView {
    let create = ServerAction::<CreateCustomField>::new();
    let retire = ServerAction::<SetCustomFieldRetired>::new();
    let create_error = action_error(create);
    let retire_error = action_error(retire);
    let form = NodeRef::new();
    reset_on_success(create, form);
    let fields = Resource::new(move || (create.version().get(), retire.version().get()), |_| list_custom_fields(None));
    let general = general_error(create_error);
    view! {
        <h1>{t(Msg::CustomFields)}</h1>
        <p class="muted">{t(Msg::CustomFieldsHint)}</p>
        <FormError error=retire_error />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match fields.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(all) => {
                        let of = |e: FieldEntity| all.iter().filter(|f| f.entity == e).cloned().collect::<Vec<_>>();
                        view! {
                        <FieldTable title=Msg::EntCustomer fields=of(FieldEntity::Customer) retire />
                        <FieldTable title=Msg::EntContact fields=of(FieldEntity::Contact) retire />
                        <FieldTable title=Msg::Deal fields=of(FieldEntity::Deal) retire />
                        {stock_on().then(|| view! {
                            <FieldTable title=Msg::Product fields=of(FieldEntity::Product) retire />
                        })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
        <section class="panel">
            <h2>{t(Msg::NewField)}</h2>
            <ActionForm action=create node_ref=form attr:class="stack" attr:data-test="custom-field-form">
                <FormError error=general />
                <div class="grid-2">
                    <Field label=Msg::FieldLabel name="label" required=true error=create_error />
                    <Select label=Msg::Kind name="kind" options=kind_options() error=create_error />
                    <Select label=Msg::AppliesTo name="entity" options=entity_options() error=create_error />
                    <Field label=Msg::FieldKey name="key" placeholder=Msg::FieldKeyHint error=create_error />
                    <Field label=Msg::Currency name="currency" placeholder=Msg::CurrencyHint error=create_error />
                    <div class="field">
                        <label class="check">
                            <input type="checkbox" name="required" value="true" data-test="field-required" />
                            {t(Msg::RequiredField)}
                        </label>
                    </div>
                </div>
                <TextArea label=Msg::Choices name="options" error=create_error />
                <p class="muted small">{t(Msg::ChoicesHint)}</p>
                <Submit pending=create.pending() label=Msg::Create test="custom-field-submit" />
            </ActionForm>
        </section>
    }
}

#[component]
fn FieldTable(title: Msg, fields: Vec<CustomField>, retire: ServerAction<SetCustomFieldRetired>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>{t(title)}</h2>
            {if fields.is_empty() {
                view! { <p class="empty">{t(Msg::NoCustomFields)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th>{t(Msg::FieldLabel)}</th>
                                <th>{t(Msg::FieldKey)}</th>
                                <th>{t(Msg::Kind)}</th>
                                <th>{t(Msg::Status)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {fields
                                .into_iter()
                                .map(|f| {
                                    let mut kind = t(f.kind.msg()).to_string();
                                    if !f.options.is_empty() {
                                        kind.push_str(&format!(": {}", f.options.join(", ")));
                                    }
                                    if let Some(c) = &f.currency {
                                        kind.push_str(&format!(" ({c})"));
                                    }
                                    view! {
                                        <tr data-test="custom-field-row" class:inactive=f.retired>
                                            <td>
                                                {f.label.clone()}
                                                {f.required.then(|| view! { <span class="badge">{t(Msg::RequiredField)}</span> })}
                                            </td>
                                            <td><code>{f.key.clone()}</code></td>
                                            <td>{kind}</td>
                                            <td>
                                                <ActionForm action=retire attr:class="inline-form">
                                                    <input type="hidden" name="id" value=f.id />
                                                    <input type="hidden" name="version" value=f.version />
                                                    <input type="hidden" name="retired" value=(!f.retired).to_string() />
                                                    <span class="muted small">
                                                        {t(if f.retired { Msg::Retired } else { Msg::Active })}
                                                    </span>
                                                    <button type="submit" class="button small" data-test="custom-field-retire" disabled=move || retire.pending().get() aria-busy=move || retire.pending().get().then_some("true")>
                                                        {t(if f.retired { Msg::Restore } else { Msg::Retire })}
                                                    </button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}

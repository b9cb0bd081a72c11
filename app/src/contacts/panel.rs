//! The customer card's contacts section: the people, their role here, how to reach them; a form to add one.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::Contact;
use super::api::{CreateContact, UpdateContact};
use crate::core::Msg;
use crate::core::phone::display;
use crate::custom_fields::CustomField;
use crate::custom_fields::inputs::CustomInputs;
use crate::records::RecordKind;
use crate::records::api::SetArchived;
use crate::records::panel::ArchiveToggle;
use crate::ui::{
    EditInPlace, Field, FormError, Submit, TextArea, action_error, bump_on_success, general_error, lang,
    reset_on_success, t,
};

/// The section; successful additions count in `changes`.
#[component]
pub fn ContactsPanel(
    customer_id: i64,
    changes: RwSignal<u32>,
    fields: Vec<CustomField>,
    /// The customer's contacts (made by the card, refetched on `changes`).
    list: Resource<Result<Vec<Contact>, crate::core::AppError>>,
) -> impl IntoView {
    let shown_fields = StoredValue::new(fields.clone());
    let action = ServerAction::<CreateContact>::new();
    bump_on_success(action, changes);
    let archive = ServerAction::<SetArchived>::new();
    bump_on_success(archive, changes);
    let archive_error = action_error(archive);
    let error = action_error(action);
    let general = general_error(error);
    let form = NodeRef::new();
    reset_on_success(action, form);
    // The phone and e-mail fields post `phone` / `email`; the server reports them as list items.
    let item_error = move |list: &'static str, field: &'static str| {
        Signal::derive(move || {
            error.get().map(|e| match e {
                crate::core::AppError::Validation { fields } => crate::core::AppError::Validation {
                    fields: fields
                        .into_iter()
                        .filter(|f| f.field == list)
                        .map(|f| crate::core::FieldError { field: field.into(), code: f.code })
                        .collect(),
                },
                other => other,
            })
        })
    };
    view! {
        <section class="panel" aria-labelledby="ct-h" data-test="contacts">
            <h2 id="ct-h">{t(Msg::Contacts)}</h2>
            <FormError error=archive_error />
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(l) if l.is_empty() => view! { <p class="empty">{t(Msg::NoContacts)}</p> }.into_any(),
                        Ok(mut l) => {
                            // The archived ones last.
                            l.sort_by_key(|c| c.archived_at.is_some());
                            view! {
                                <ul class="cp-list">
                                    {l
                                        .into_iter()
                                        .map(|c| view! { <ContactItem c customer_id fields=shown_fields.get_value() archive changes /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
            <details class="add-form">
                <summary class="button small" data-test="ct-add">{t(Msg::NewContact)}</summary>
                <ActionForm action node_ref=form attr:class="stack" attr:data-test="ct-form">
                    <input type="hidden" name="customer_id" value=customer_id />
                    <FormError error=general />
                    <Field label=Msg::FullName name="name" scope="ct" required=true error />
                    <div class="grid-2">
                        <Field label=Msg::Position name="position" error />
                        <Field label=Msg::ContactRole name="role" error />
                        <Field label=Msg::Phone name="phone" scope="ct" kind="tel" error=item_error("phones", "phone") />
                        <Field label=Msg::Email name="email" scope="ct" kind="email" error=item_error("emails", "email") />
                        <Field label=Msg::Telegram name="telegram" error />
                        <Field label=Msg::Birthday name="birthday" kind="date" error />
                    </div>
                    <CustomInputs defs=fields values=Default::default() error />
                    <div class="actions">
                        <Submit pending=action.pending() label=Msg::Add test="ct-submit" />
                    </div>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn ContactItem(
    c: Contact,
    customer_id: i64,
    fields: Vec<CustomField>,
    archive: ServerAction<SetArchived>,
    changes: RwSignal<u32>,
) -> impl IntoView {
    let editing = c.clone();
    let edit_fields = fields.clone();
    let custom: Vec<String> = fields
        .iter()
        .filter_map(|d| {
            c.custom.get(&d.key).map(|v| format!("{}: {}", d.label, crate::custom_fields::display(lang(), d, v)))
        })
        .collect();
    let role = c.customers.iter().find(|l| l.customer_id == customer_id).and_then(|l| l.role.clone());
    let title = [c.position.clone(), role].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let others: Vec<_> = c.customers.iter().filter(|l| l.customer_id != customer_id).cloned().collect();
    let (id, version, archived_at) = (c.id, c.version, c.archived_at);
    view! {
        <li data-test="ct-item" class:muted=archived_at.is_some()>
            <strong>{c.name}</strong>
            {(!title.is_empty()).then(|| view! { <span class="muted small">{format!(" · {title}")}</span> })}
            " "
            <ArchiveToggle kind=RecordKind::Contact id version archived_at action=archive />
            <EditInPlace test="ct-edit">
                <EditContactForm c=editing.clone() customer_id fields=edit_fields.clone() changes />
            </EditInPlace>
            <div class="small facts-inline">
                {c.phones.into_iter().map(|p| view! { <a href=format!("tel:{p}")>{display(&p)}</a> }).collect_view()}
                {c.emails.into_iter().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> }).collect_view()}
                {c
                    .messengers
                    .into_iter()
                    .map(|m| {
                        let href = if m.kind == "telegram" {
                            format!("https://t.me/{}", m.handle)
                        } else {
                            format!("https://wa.me/{}", m.handle.trim_start_matches('+'))
                        };
                        view! { <a href=href rel="noopener" target="_blank">{format!("{}: {}", m.kind, m.handle)}</a> }
                    })
                    .collect_view()}
            </div>
            {(!custom.is_empty()).then(|| view! { <div class="small muted">{custom.join(" · ")}</div> })}
            {(!others.is_empty())
                .then(|| {
                    view! {
                        <div class="small muted">
                            {t(Msg::AlsoAt)} " "
                            {others
                                .into_iter()
                                .map(|l| view! { <a href=format!("/customers/{}", l.customer_id)>{l.customer_name}</a> " " })
                                .collect_view()}
                        </div>
                    }
                })}
        </li>
    }
}

/// The edit form of one contact on the card (every field, the role at this customer).
#[component]
fn EditContactForm(c: Contact, customer_id: i64, fields: Vec<CustomField>, changes: RwSignal<u32>) -> impl IntoView {
    let id = c.id;
    let action = ServerAction::<UpdateContact>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let general = general_error(error);
    let scope = format!("ct{id}");
    let role = c.customers.iter().find(|l| l.customer_id == customer_id).and_then(|l| l.role.clone());
    let telegram = c.messengers.iter().find(|m| m.kind == "telegram").map(|m| m.handle.clone());
    let phones = c.phones.iter().map(|p| display(p)).collect::<Vec<_>>().join(", ");
    view! {
        <ActionForm action attr:class="stack" attr:data-test="ct-edit-form" attr:aria-label=t(Msg::EditContact)>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=c.version />
            <input type="hidden" name="customer_id" value=customer_id />
            <FormError error=general />
            <Field label=Msg::FullName name="name" scope=scope.clone() value=c.name required=true error />
            <div class="grid-2">
                <Field label=Msg::Position name="position" scope=scope.clone() value=c.position.unwrap_or_default() error />
                <Field label=Msg::ContactRole name="role" scope=scope.clone() value=role.unwrap_or_default() error />
                <Field label=Msg::Phones name="phones" scope=scope.clone() kind="text" value=phones placeholder=Msg::CommaList error />
                <Field label=Msg::Emails name="emails" scope=scope.clone() value=c.emails.join(", ") placeholder=Msg::CommaList error />
                <Field label=Msg::Telegram name="telegram" scope=scope.clone() value=telegram.unwrap_or_default() error />
                <Field label=Msg::Birthday name="birthday" scope=scope.clone() kind="date" value=c.birthday.unwrap_or_default() error />
            </div>
            <TextArea label=Msg::Notes name="notes" scope=scope.clone() value=c.notes.unwrap_or_default() error />
            <CustomInputs defs=fields values=c.custom scope=scope error />
            <div class="actions">
                <Submit pending=action.pending() label=Msg::Save busy=Msg::BusySaving test="ct-save" />
            </div>
        </ActionForm>
    }
}

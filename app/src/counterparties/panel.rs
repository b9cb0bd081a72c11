//! The customer card's counterparties section: current ones with their bank accounts, former ones with
//! where they went, and a form to add one.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::Counterparty;
use super::CounterpartyList;
use super::api::{AddBankAccount, CreateCounterparty, MoveCounterparty, RemoveBankAccount, UpdateCounterparty};
use crate::core::Msg;
use crate::core::format::date;
use crate::records::RecordKind;
use crate::records::api::SetArchived;
use crate::records::panel::ArchiveToggle;
use crate::ui::{
    ConfirmSubmit, EditInPlace, Field, FormError, Submit, action_error, bump_on_success, general_error, lang,
    reset_on_success, t,
};

/// The section; successful changes count in `changes`.
#[component]
pub fn CounterpartiesPanel(
    customer_id: i64,
    changes: RwSignal<u32>,
    /// The customer's counterparties (made by the card, refetched on `changes`).
    list: Resource<Result<CounterpartyList, crate::core::AppError>>,
) -> impl IntoView {
    let action = ServerAction::<CreateCounterparty>::new();
    bump_on_success(action, changes);
    let bank = ServerAction::<AddBankAccount>::new();
    bump_on_success(bank, changes);
    let moving = ServerAction::<MoveCounterparty>::new();
    bump_on_success(moving, changes);
    let archive = ServerAction::<SetArchived>::new();
    bump_on_success(archive, changes);
    let archive_error = action_error(archive);
    // Which counterparty the latest bank-account form was for: its errors show under that one only.
    let bank_for = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(input) = bank.input().get() {
            bank_for.set(Some(input.counterparty_id));
        }
    });
    let error = action_error(action);
    let general = general_error(error);
    let form = NodeRef::new();
    reset_on_success(action, form);
    view! {
        <section class="panel" aria-labelledby="cp-h" data-test="counterparties">
            <h2 id="cp-h">{t(Msg::Counterparties)}</h2>
            <FormError error=archive_error />
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(mut l) => {
                            let empty = l.current.is_empty() && l.former.is_empty();
                            l.current.sort_by_key(|c| c.archived_at.is_some());
                            view! {
                                {empty.then(|| view! { <p class="empty">{t(Msg::NoCounterparties)}</p> })}
                                <ul class="cp-list">
                                    {l
                                        .current
                                        .into_iter()
                                        .map(|c| view! { <CurrentItem c bank bank_for moving archive changes /> })
                                        .collect_view()}
                                </ul>
                                {(!l.former.is_empty())
                                    .then(|| {
                                        view! {
                                            <h3 class="small muted">{t(Msg::FormerCounterparties)}</h3>
                                            <ul class="cp-list former">
                                                {l
                                                    .former
                                                    .into_iter()
                                                    .map(|c| view! { <FormerItem c customer_id /> })
                                                    .collect_view()}
                                            </ul>
                                        }
                                    })}
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
            <details class="add-form">
                <summary class="button small" data-test="cp-add">{t(Msg::NewCounterparty)}</summary>
                <ActionForm action node_ref=form attr:class="stack" attr:data-test="cp-form">
                    <input type="hidden" name="customer_id" value=customer_id />
                    <FormError error=general />
                    <Field label=Msg::LegalName name="legal_name" required=true error />
                    <div class="grid-2">
                        <Field label=Msg::TaxId name="tax_id" required=true error />
                        <Field label=Msg::Country name="country" value="UZ" error />
                    </div>
                    <Field label=Msg::LegalAddress name="legal_address" error />
                    <label class="check">
                        <input type="checkbox" name="vat_payer" value="on" data-test="field-vat_payer" />
                        {t(Msg::VatPayer)}
                    </label>
                    <div class="actions">
                        <Submit pending=action.pending() label=Msg::Add test="cp-submit" />
                    </div>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn CurrentItem(
    c: Counterparty,
    bank: ServerAction<AddBankAccount>,
    bank_for: RwSignal<Option<i64>>,
    moving: ServerAction<MoveCounterparty>,
    archive: ServerAction<SetArchived>,
    changes: RwSignal<u32>,
) -> impl IntoView {
    let remove = ServerAction::<RemoveBankAccount>::new();
    bump_on_success(remove, changes);
    let remove_error = action_error(remove);
    let editing = c.clone();
    let version = c.version;
    let archived_at = c.archived_at;
    let since = c.owners.last().map(|o| date(lang(), o.from)).unwrap_or_default();
    let id = c.id;
    let all = action_error(bank);
    let error = Signal::derive(move || all.get().filter(|_| bank_for.get() == Some(id)));
    view! {
        <li data-test="cp-item" class:muted=archived_at.is_some()>
            <strong>{c.legal_name}</strong>
            <span class="muted small">
                {format!(" · {} {} · {} · {}", t(Msg::TaxId), c.tax_id, c.country, t(Msg::Since).replace("{}", &since))}
            </span>
            {c.vat_payer.then(|| view! { <span class="badge badge-on">{t(Msg::VatPayer)}</span> })}
            " "
            <ArchiveToggle kind=RecordKind::Counterparty id version archived_at action=archive />
            <EditInPlace test="cp-edit">
                <EditCounterpartyForm c=editing.clone() changes />
            </EditInPlace>
            {c.legal_address.map(|a| view! { <div class="small">{a}</div> })}
            <FormError error=remove_error />
            {(!c.bank_accounts.is_empty())
                .then(|| {
                    view! {
                        <ul class="small muted accounts" aria-label=t(Msg::BankAccounts)>
                            {c
                                .bank_accounts
                                .into_iter()
                                .map(|a| {
                                    let bank = a.bank_name.map(|n| format!(" ({n})")).unwrap_or_default();
                                    view! {
                                        <li data-test="bank-account">
                                            {format!("{} / {}{bank} ", a.bank_code, a.account)}
                                            <ActionForm action=remove attr:class="inline">
                                                <input type="hidden" name="counterparty_id" value=id />
                                                <input type="hidden" name="version" value=version />
                                                <input type="hidden" name="account_id" value=a.id />
                                                <ConfirmSubmit
                                                    pending=remove.pending()
                                                    label=Msg::RemoveBankAccount
                                                    question=Msg::RemoveBankAccountQuestion
                                                    yes=Msg::YesRemove
                                                    test="bank-remove"
                                                />
                                            </ActionForm>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <details class="add-form">
                <summary class="link small" data-test="bank-add">{t(Msg::AddBankAccount)}</summary>
                <ActionForm action=bank attr:class="stack" attr:data-test="bank-form">
                    <input type="hidden" name="counterparty_id" value=id />
                    <input type="hidden" name="version" value=version />
                    <FormError error=general_error(error) />
                    <div class="grid-2">
                        <Field label=Msg::BankCode name="bank_code" scope=format!("bank{id}") required=true error />
                        <Field label=Msg::AccountNumber name="account" scope=format!("bank{id}") required=true error />
                    </div>
                    <Field label=Msg::BankName name="bank_name" scope=format!("bank{id}") error />
                    <div class="actions">
                        <Submit pending=bank.pending() label=Msg::Add class="button small primary" test="bank-submit" />
                    </div>
                </ActionForm>
            </details>
            <MoveForm id version action=moving />
        </li>
    }
}

#[component]
fn FormerItem(c: Counterparty, customer_id: i64) -> impl IntoView {
    let lang = lang();
    // The last period this customer had it, and who has it now.
    let until = c.owners.iter().rev().find(|o| o.customer_id == customer_id).and_then(|o| o.to);
    let now_with = c.owners.last().map(|o| (o.customer_id, o.customer_name.clone()));
    view! {
        <li data-test="cp-former">
            <span>{c.legal_name}</span>
            <span class="muted small">
                {format!(
                    " · {} {} · {}",
                    t(Msg::TaxId),
                    c.tax_id,
                    t(Msg::Until).replace("{}", &until.map(|u| date(lang, u)).unwrap_or_default()),
                )}
            </span>
            {now_with
                .map(|(id, name)| {
                    view! {
                        <span class="small">
                            {format!(" · {} ", t(Msg::NowWith))}
                            <a href=format!("/customers/{id}")>{name}</a>
                        </span>
                    }
                })}
        </li>
    }
}

/// Moves the counterparty to another customer from a date. The receiving customer is picked from the
/// search results as you type (this form needs JavaScript).
#[component]
fn MoveForm(id: i64, version: i64, action: ServerAction<MoveCounterparty>) -> impl IntoView {
    use crate::customers::api::{SearchHit, quick_search};
    let error = action_error(action);
    let hits = RwSignal::new(Vec::<SearchHit>::new());
    let latest = StoredValue::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let q = event_target_value(&ev);
        let seq = latest.get_value() + 1;
        latest.set_value(seq);
        leptos::task::spawn_local(async move {
            let found = if q.trim().chars().count() < 2 { Ok(Vec::new()) } else { quick_search(q).await };
            if let Ok(found) = found
                && latest.get_value() == seq
            {
                hits.set(found);
            }
        });
    };
    view! {
        <details class="add-form">
            <summary class="link small" data-test="cp-move">{t(Msg::MoveToCustomer)}</summary>
            <ActionForm action attr:class="stack" attr:data-test="move-form">
                <input type="hidden" name="counterparty_id" value=id />
                <input type="hidden" name="version" value=version />
                <FormError error=general_error(error) />
                <div class="field">
                    <label for=format!("move-q-{id}")>{t(Msg::FindCustomer)}</label>
                    <input id=format!("move-q-{id}") type="search" autocomplete="off" on:input=on_input data-test="move-search" />
                </div>
                <fieldset class="picker">
                    <legend class="sr-only">{t(Msg::Customer)}</legend>
                    <For each=move || hits.get() key=|h| h.id let:h>
                        <label class="check">
                            <input type="radio" name="customer_id" value=h.id data-test="move-pick" />
                            {h.name}
                        </label>
                    </For>
                </fieldset>
                <p class="field-error" data-test="error-customer_id">
                    {move || {
                        error.get().map(|e| e.field_codes("customer_id").iter().map(|c| t(c.msg())).collect::<Vec<_>>().join("; "))
                    }}
                </p>
                <Field label=Msg::FieldFrom name="from" scope=format!("move{id}") kind="date" required=true error />
                <div class="actions">
                    <Submit pending=action.pending() label=Msg::Move class="button small primary" test="move-submit" />
                </div>
            </ActionForm>
        </details>
    }
}

/// The edit form of a counterparty (every field sent: an empty address or requisite clears it).
#[component]
fn EditCounterpartyForm(c: Counterparty, changes: RwSignal<u32>) -> impl IntoView {
    let update = ServerAction::<UpdateCounterparty>::new();
    bump_on_success(update, changes);
    let update_error = action_error(update);
    let scope = format!("cp{}", c.id);
    let (id, version, editing) = (c.id, c.version, c);
    view! {
        <ActionForm action=update attr:class="stack" attr:data-test="cp-edit-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <FormError error=general_error(update_error) />
            <Field label=Msg::LegalName name="legal_name" scope=scope.clone() value=editing.legal_name.clone() required=true error=update_error />
            <div class="grid-2">
                <Field label=Msg::TaxId name="tax_id" scope=scope.clone() value=editing.tax_id.clone() required=true error=update_error />
                <Field label=Msg::Country name="country" scope=scope.clone() value=editing.country.clone() error=update_error />
            </div>
            <Field label=Msg::LegalAddress name="legal_address" scope=scope.clone() value=editing.legal_address.clone().unwrap_or_default() error=update_error />
            <label class="check">
                <input type="checkbox" name="vat_payer" value="on" checked=editing.vat_payer data-test="field-vat_payer" />
                {t(Msg::VatPayer)}
            </label>
            <div class="grid-2">
                <Field label=Msg::Oked name="oked" scope=scope.clone() value=editing.requisites.oked.clone().unwrap_or_default() error=update_error />
                <Field label=Msg::VatRegCode name="vat_reg_code" scope=scope.clone() value=editing.requisites.vat_reg_code.clone().unwrap_or_default() error=update_error />
                <Field label=Msg::Director name="director" scope=scope.clone() value=editing.requisites.director.clone().unwrap_or_default() error=update_error />
                <Field label=Msg::ChiefAccountant name="accountant" scope=scope.clone() value=editing.requisites.accountant.clone().unwrap_or_default() error=update_error />
            </div>
            <div class="actions">
                <Submit pending=update.pending() label=Msg::Save busy=Msg::BusySaving test="cp-save" />
            </div>
        </ActionForm>
    }
}

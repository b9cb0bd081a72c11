//! The customer card's counterparties section: current ones with their bank accounts, former ones with
//! where they went, and a form to add one.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::Counterparty;
use super::api::{CreateCounterparty, list_counterparties};
use crate::core::Msg;
use crate::core::format::date;
use crate::shell::ui::{Field, FormError, action_error, general_error, reset_on_success};
use crate::shell::{lang, t};

/// The section; `action` is the card's, so that the timeline can follow additions.
#[component]
pub fn CounterpartiesPanel(customer_id: i64, action: ServerAction<CreateCounterparty>) -> impl IntoView {
    let added = Memo::new(move |_| action.value().get().and_then(Result::ok).map(|c| c.id));
    let list = Resource::new(move || (customer_id, added.get()), |(id, _)| list_counterparties(id));
    let error = action_error(action);
    let general = general_error(error);
    let form = NodeRef::new();
    reset_on_success(action, form);
    view! {
        <section class="panel" aria-labelledby="cp-h" data-test="counterparties">
            <h2 id="cp-h">{t(Msg::Counterparties)}</h2>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(l) => {
                            let empty = l.current.is_empty() && l.former.is_empty();
                            view! {
                                {empty.then(|| view! { <p class="empty">{t(Msg::NoCounterparties)}</p> })}
                                <ul class="cp-list">
                                    {l.current.into_iter().map(|c| view! { <CurrentItem c /> }).collect_view()}
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
                        <button type="submit" class="button primary" data-test="cp-submit">
                            {t(Msg::Add)}
                        </button>
                    </div>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn CurrentItem(c: Counterparty) -> impl IntoView {
    let since = c.owners.last().map(|o| date(lang(), o.from)).unwrap_or_default();
    view! {
        <li data-test="cp-item">
            <strong>{c.legal_name}</strong>
            <span class="muted small">
                {format!(" · {} {} · {} · {}", t(Msg::TaxId), c.tax_id, c.country, t(Msg::Since).replace("{}", &since))}
            </span>
            {c.vat_payer.then(|| view! { <span class="badge badge-on">{t(Msg::VatPayer)}</span> })}
            {c.legal_address.map(|a| view! { <div class="small">{a}</div> })}
            {(!c.bank_accounts.is_empty())
                .then(|| {
                    view! {
                        <ul class="small muted accounts" aria-label=t(Msg::BankAccounts)>
                            {c
                                .bank_accounts
                                .into_iter()
                                .map(|a| {
                                    let bank = a.bank_name.map(|n| format!(" ({n})")).unwrap_or_default();
                                    view! { <li>{format!("{} / {}{bank}", a.bank_code, a.account)}</li> }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
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

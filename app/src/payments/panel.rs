//! The customer card's money panel (the aged debt per currency, the advance, the open invoices, the latest
//! payments), the invoice page's payment form, and the live feed that refreshes them.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::CustomerMoney;
use super::api::{PostPayment, money_accounts};
use super::page_list::PaymentTable;
use crate::core::format::{calendar_date, money};
use crate::core::{AppError, Msg};
use crate::ui::{Field, FormError, Select, Submit, action_error, general_error, lang, t};

/// The panel on a customer's card; it follows the customer's payments and invoices live.
#[component]
pub fn CustomerMoneyPanel(
    customer_id: i64,
    data: Resource<Result<CustomerMoney, AppError>>,
    changes: RwSignal<u32>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    live::listen(changes, Some(customer_id));
    #[cfg(not(feature = "hydrate"))]
    let _ = (customer_id, changes);
    view! {
        <section class="panel" aria-labelledby="money-h" data-test="customer-money">
            <h2 id="money-h">{t(Msg::CustomerMoney)}</h2>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(m) => view! { <MoneyBody m /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MoneyBody(m: CustomerMoney) -> impl IntoView {
    let l = lang();
    if m.debts.is_empty() && m.payments.is_empty() {
        return view! { <p class="muted">{t(Msg::NoDebt)}</p> }.into_any();
    }
    let debts = m
        .debts
        .iter()
        .map(|d| {
            let overdue = d.overdue_total();
            view! {
                <dl class="facts money-facts" data-test="debt">
                    <dt>{t(Msg::OpenSum)}</dt>
                    <dd data-test="debt-open"><strong>{money(l, d.open, &d.currency)}</strong></dd>
                    {(!overdue.is_zero()).then(|| view! {
                        <dt>{t(Msg::Overdue)}</dt>
                        <dd class="overdue" data-test="debt-overdue">{money(l, overdue, &d.currency)}</dd>
                    })}
                    {(!d.advance.is_zero()).then(|| view! {
                        <dt>{t(Msg::AdvanceLeft)}</dt>
                        <dd data-test="debt-advance">{money(l, d.advance, &d.currency)}</dd>
                    })}
                </dl>
            }
        })
        .collect_view();
    let invoices = m
        .open_invoices
        .into_iter()
        .map(|i| {
            let late = i.days_overdue > 0;
            view! {
                <li data-test="open-invoice" class:overdue=late>
                    <a href=format!("/invoices/{}", i.id)>{i.number.clone()}</a>
                    " · " {money(l, i.open, &i.currency)}
                    <small class="muted">
                        " · " {calendar_date(l, &i.due_date)}
                        {late.then(|| format!(" · {}", t(Msg::DaysOverdue).replace("{}", &i.days_overdue.to_string())))}
                    </small>
                </li>
            }
        })
        .collect_view();
    view! {
        {debts}
        <ul class="plain open-invoices">{invoices}</ul>
        {(!m.payments.is_empty()).then(|| view! {
            <h3 class="small">{t(Msg::RecentPayments)}</h3>
            <PaymentTable payments=m.payments with_payer=false />
        })}
    }
    .into_any()
}

/// The invoice page's form that records a payment of it (administrators and accountants): the money pays
/// this invoice first, then the customer's oldest; what is left is an advance.
#[component]
pub fn PayInvoiceForm(customer_id: i64, number: String, open: String) -> impl IntoView {
    let action = ServerAction::<PostPayment>::new();
    let error = action_error(action);
    let accounts = Resource::new(|| (), |_| money_accounts());
    view! {
        <details class="panel" data-test="pay-invoice" open=move || error.get().is_some()>
            <summary class="button secondary">{t(Msg::RecordPayment)}</summary>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || {
                    let (number, open) = (number.clone(), open.clone());
                    Suspend::new(async move {
                        let options = super::page_list::account_options(&accounts.await.unwrap_or_default());
                        if options.is_empty() {
                            return view! { <p class="muted">{t(Msg::NoMoneyAccounts)} " " <a href="/payments">{t(Msg::NavPayments)}</a></p> }.into_any();
                        }
                        view! {
                            <ActionForm action attr:class="stack">
                                <FormError error=general_error(error) />
                                <input type="hidden" name="direction" value="in" />
                                <input type="hidden" name="customer" value=customer_id />
                                <input type="hidden" name="purpose" value=number />
                                <div class="grid-3">
                                    <Select label=Msg::MoneyAccount name="account_id" options scope="pay" error />
                                    <Field label=Msg::Amount name="amount" value=open required=true scope="pay" error />
                                    <Field label=Msg::PayDate name="pay_date" kind="date" scope="pay" error />
                                    <Field label=Msg::ExchangeRate name="rate" scope="pay" error />
                                    <Field label=Msg::DocNo name="doc_no" scope="pay" error />
                                </div>
                                <Submit pending=action.pending() label=Msg::RecordPayment test="pay-invoice-submit" />
                            </ActionForm>
                        }
                            .into_any()
                    })
                }}
            </Transition>
        </details>
    }
}

/// The browser side of `/api/v1/money/events`.
#[cfg(feature = "hydrate")]
pub mod live {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::web_sys::{EventSource, MessageEvent};

    /// Bumps `changes` whenever money moves for `customer` (any customer when `None`).
    pub fn listen(changes: RwSignal<u32>, customer: Option<i64>) {
        let Ok(source) = EventSource::new("/api/v1/money/events") else { return };
        let on_money = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else { return };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { return };
            if customer.is_none_or(|c| v["customer_id"].as_i64() == Some(c)) {
                changes.update(|c| *c += 1);
            }
        });
        let on_reload = Closure::<dyn FnMut(MessageEvent)>::new(move |_| changes.update(|c| *c += 1));
        let _ = source.add_event_listener_with_callback("money", on_money.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("reload", on_reload.as_ref().unchecked_ref());
        on_money.forget();
        on_reload.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    }
}

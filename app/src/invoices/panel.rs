//! The customer card's invoices (the latest, and what the live ones bill) and the order page's invoices with
//! the plain form that invoices the order.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::CustomerInvoices;
use super::api::{InvoiceOrder, invoices_of_order};
use super::page_list::InvoiceTable;
use crate::core::format::money;
use crate::core::{AppError, Msg};
use crate::ui::{Field, FormError, Submit, action_error, general_error, lang, t};

/// The panel on a customer's card, with the way to an invoice without an order.
#[component]
pub fn CustomerInvoicesPanel(customer_id: i64, data: Resource<Result<CustomerInvoices, AppError>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="invoices-h" data-test="customer-invoices">
            <h2 id="invoices-h">{t(Msg::NavInvoices)}</h2>
            <p>
                <a class="button secondary small" href=format!("/invoices/new?customer={customer_id}") data-test="new-invoice">
                    {t(Msg::NewInvoice)}
                </a>
            </p>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(CustomerInvoices { recent, issued_totals }) => {
                            let l = lang();
                            let totals: Vec<String> = issued_totals.iter().map(|(c, s)| money(l, *s, c)).collect();
                            view! {
                                {(!totals.is_empty()).then(|| view! {
                                    <p class="small" data-test="invoiced-total">
                                        <strong>{format!("{}: ", t(Msg::InvoicedTotal))}</strong> {totals.join(", ")}
                                    </p>
                                })}
                                <InvoiceTable invoices=recent with_customer=false />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The order page's invoices; `may_invoice`: the form that invoices what the order has left to bill.
#[component]
pub fn OrderInvoices(order_id: i64, currency: String, may_invoice: bool, changes: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<InvoiceOrder>::new();
    let error = action_error(action);
    let invoices = Resource::new(move || (order_id, changes.get()), |(o, _)| invoices_of_order(o));
    let foreign = currency != "UZS";
    view! {
        <section class="panel" data-test="order-invoices">
            <h2>{t(Msg::NavInvoices)}</h2>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match invoices.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(list) => view! { <InvoiceTable invoices=list with_customer=false /> }.into_any(),
                    }
                })}
            </Transition>
            {may_invoice.then(|| view! {
                <details class="invoice-form" data-test="invoice-order">
                    <summary class="button secondary">{t(Msg::MakeInvoice)}</summary>
                    <ActionForm action attr:class="stack">
                        <FormError error=general_error(error) />
                        <p class="field-error">{move || crate::ui::field_message(error.get(), "lines")}</p>
                        <input type="hidden" name="order" value=order_id />
                        <p class="small muted">{t(Msg::InvoiceOrderHint)}</p>
                        <div class="grid-3">
                            <Field label=Msg::InvoiceDate name="invoice_date" kind="date" error />
                            <Field label=Msg::DueDate name="due_date" kind="date" error />
                            {foreign.then(|| view! { <Field label=Msg::ExchangeRate name="rate" required=true error /> })}
                            <Field label=Msg::ContractNo name="contract_no" error />
                            <Field label=Msg::ContractDate name="contract_date" kind="date" error />
                        </div>
                        <Submit pending=action.pending() label=Msg::MakeInvoice test="invoice-order-submit" />
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

//! `/invoices/new?customer=ID`: an invoice without an order (a service billed, goods sold over the counter):
//! the customer's counterparty, the terms, and up to [`NEW_INVOICE_ROWS`] lines, each a product's code, SKU
//! or name with its quantity, and a price, discount and the reason for them when they are not the price
//! list's. Blank rows are left out; an error shows under its cell.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{CreateInvoice, InvoiceFormData, NEW_INVOICE_ROWS, new_invoice_form};
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, Field, FormError, Select, Submit, action_error, field_message, general_error, t};

/// The page: the form of the customer in the query.
#[component]
pub fn NewInvoicePage() -> impl IntoView {
    let query = use_query_map();
    let customer = Memo::new(move |_| query.read().get("customer").and_then(|c| c.trim().parse::<i64>().ok()));
    let data = Resource::new(
        move || customer.get(),
        |c| async move {
            match c {
                Some(c) => new_invoice_form(c).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(form) => view! { <InvoiceForm form /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InvoiceForm(form: InvoiceFormData) -> impl IntoView {
    let action = ServerAction::<CreateInvoice>::new();
    let error = action_error(action);
    let mut counterparties = vec![(String::new(), "—".to_string())];
    counterparties.extend(form.counterparties.iter().map(|(id, name)| (id.to_string(), name.clone())));
    // One legal entity: it signs.
    let signs = match form.counterparties.as_slice() {
        [(id, _)] => id.to_string(),
        _ => String::new(),
    };
    let currencies: Vec<(String, String)> =
        crate::deals::CURRENCIES.iter().map(|c| (c.to_string(), c.to_string())).collect();
    let cell_error = move |row: usize, name: &'static str| {
        let key = format!("lines[{row}].{name}");
        move || field_message(error.get(), &key)
    };
    let no_lines = move || field_message(error.get(), "lines");
    let rows = (0..NEW_INVOICE_ROWS)
        .map(|i| {
            let cell = move |name: &'static str, label: Msg, width: &'static str| {
                let msg = cell_error(i, name);
                let invalid = {
                    let msg = msg.clone();
                    move || msg().is_some()
                };
                view! {
                    <td class=width class:invalid=invalid>
                        <input name=format!("{name}[{i}]") aria-label=format!("{} {}", t(label), i + 1)
                            data-test=format!("line-{name}-{i}") />
                        <p class="field-error" data-test=format!("error-line-{name}-{i}")>{msg}</p>
                    </td>
                }
            };
            view! {
                <tr data-test="new-invoice-line">
                    <td class="num muted">{i + 1}</td>
                    {cell("product", Msg::ProductCode, "product")}
                    {cell("qty", Msg::Quantity, "num")}
                    {cell("price", Msg::Price, "num")}
                    {cell("discount", Msg::DiscountPercent, "num")}
                    {cell("price_reason", Msg::PriceReason, "")}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>{t(Msg::NewInvoice)}</h1>
        <p class="muted">
            <a href=format!("/customers/{}", form.customer_id) data-test="new-invoice-customer">{form.customer_name.clone()}</a>
        </p>
        <ActionForm action attr:class="stack" attr:data-test="new-invoice-form">
            <input type="hidden" name="customer" value=form.customer_id />
            <FormError error=general_error(error) />
            <div class="grid-3">
                <Select label=Msg::Counterparty name="counterparty" options=counterparties selected=signs error />
                <Select label=Msg::Currency name="currency" options=currencies selected="UZS" error />
                <Field label=Msg::ContractNo name="contract_no" error />
                <Field label=Msg::InvoiceDate name="invoice_date" kind="date" value=form.today.clone() error />
                <Field label=Msg::DueDate name="due_date" kind="date" value=form.due_date.clone() error />
                <Field label=Msg::ContractDate name="contract_date" kind="date" error />
            </div>
            <div class="table-scroll">
                <table class="table lines-entry">
                    <thead>
                        <tr>
                            <th>"№"</th>
                            <th>{t(Msg::ProductCode)}</th>
                            <th class="num">{t(Msg::Quantity)}</th>
                            <th class="num">{t(Msg::Price)}</th>
                            <th class="num">{t(Msg::DiscountPercent)}</th>
                            <th>{t(Msg::PriceReason)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="field-error" data-test="error-lines">{no_lines}</p>
            <p class="muted small">{t(Msg::NewInvoiceHint)}</p>
            <Field label=Msg::Notes name="note" error />
            <div class="actions">
                <Submit pending=action.pending() label=Msg::MakeInvoice test="new-invoice-submit" />
            </div>
        </ActionForm>
    }
}

//! `/invoices`: the invoices the reader may see, newest first, filtered by status and found by number.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::invoices_page;
use super::{InvoiceStatus, InvoiceSummary};
use crate::core::format::{calendar_date, money};
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, Field, Select, lang, t};

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).filter(|s| !s.is_empty()));
    let invoices =
        Resource::new(move || (get("status"), get("number"), get("cursor")), |(s, n, c)| invoices_page(s, n, c));
    view! {
        <div class="page-head">
            <h1>{t(Msg::NavInvoices)}</h1>
        </div>
        <Filter />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match invoices.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(page) => {
                        let next = page.next_cursor.clone().map(|c| {
                            let keep: String = ["status", "number"]
                                .iter()
                                .filter_map(|k| get(k).map(|v| format!("{k}={}&", crate::customers::page_list::encode(&v))))
                                .collect();
                            format!("/invoices?{keep}cursor={c}")
                        });
                        view! {
                            <InvoiceTable invoices=page.items with_customer=true />
                            {next.map(|href| view! { <a class="button secondary" href=href data-test="next-page">{t(Msg::Next)}</a> })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Filter() -> impl IntoView {
    let query = use_query_map();
    let now = move |k: &str| query.with_untracked(|q| q.get(k).unwrap_or_default());
    let mut statuses = vec![(String::new(), t(Msg::AllInvoices).to_string())];
    statuses.extend(InvoiceStatus::ALL.iter().map(|s| (s.as_str().to_string(), t(s.msg()).to_string())));
    let none = Signal::derive(|| None::<AppError>);
    view! {
        <form method="get" action="/invoices" class="toolbar doc-filter" data-test="invoice-filter">
            <Select label=Msg::Status name="status" options=statuses selected=now("status") scope="flt" error=none />
            <Field label=Msg::InvoiceNumberSearch name="number" value=now("number") scope="flt" error=none />
            <button type="submit" class="button">{t(Msg::Show)}</button>
        </form>
    }
}

/// Invoices as a table (a customer's card and an order's page leave the customer's name out).
#[component]
pub fn InvoiceTable(invoices: Vec<InvoiceSummary>, with_customer: bool) -> impl IntoView {
    let l = lang();
    if invoices.is_empty() {
        return view! { <p class="muted">{t(Msg::NothingToShow)}</p> }.into_any();
    }
    view! {
        <table class="table" data-test="invoice-list">
            <thead>
                <tr>
                    <th>{t(Msg::InvoiceOf)}</th>
                    <th>{t(Msg::Status)}</th>
                    {with_customer.then(|| view! { <th>{t(Msg::Customer)}</th> })}
                    <th class="hide-sm">{t(Msg::DueDate)}</th>
                    <th class="num">{t(Msg::TotalSum)}</th>
                    <th class="num hide-sm">{t(Msg::OpenSum)}</th>
                </tr>
            </thead>
            <tbody>
                {invoices.into_iter().map(|i| view! {
                    <tr data-test="invoice-row">
                        <td>
                            <a href=format!("/invoices/{}", i.id)><strong>{i.number}</strong></a>
                            <small class="muted block">
                                {(i.kind == super::InvoiceKind::CreditNote).then(|| format!("{} · ", t(Msg::CreditNote)))}
                                {calendar_date(l, &i.invoice_date)}
                            </small>
                        </td>
                        <td><span class=format!("badge status-{}", i.status.as_str())>{t(i.status.msg())}</span></td>
                        {with_customer.then(|| view! {
                            <td><a href=format!("/customers/{}", i.customer_id)>{i.customer_name.clone()}</a></td>
                        })}
                        <td class="hide-sm">{calendar_date(l, &i.due_date)}</td>
                        <td class="num">
                            {match i.kind {
                                super::InvoiceKind::CreditNote => money(l, -i.total, &i.currency),
                                super::InvoiceKind::Invoice => money(l, i.total, &i.currency),
                            }}
                        </td>
                        <td class="num hide-sm" data-test="invoice-row-open">
                            {(i.status == InvoiceStatus::Issued && i.kind == super::InvoiceKind::Invoice
                                && i.paid + i.credited < i.total)
                                .then(|| money(l, i.total - i.paid - i.credited, &i.currency))}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

//! `/invoices/:id`: one invoice as it was issued (seller's view: buyer, order, dates, rate, lines with VAT),
//! with the cancellation for sales staff.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{CancelInvoice, InvoiceView, load_invoice};
use crate::core::Msg;
use crate::core::format::{calendar_date, money, number};
use crate::ui::{ConfirmSubmit, ErrorPage, FormError, action_error, bump_on_success, lang, t};

#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default());
    let cancel = ServerAction::<CancelInvoice>::new();
    let changes = RwSignal::new(0_u32);
    bump_on_success(cancel, changes);
    let invoice = Resource::new(move || (id(), changes.get()), |(id, _)| load_invoice(id));
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match invoice.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(v) => view! { <InvoiceCard v cancel /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn InvoiceCard(v: InvoiceView, cancel: ServerAction<CancelInvoice>) -> impl IntoView {
    let l = lang();
    let i = v.invoice;
    crate::ui::set_page_name(&i.number);
    let error = action_error(cancel);
    let cur = i.currency.clone();
    let rows = i
        .lines
        .iter()
        .map(|line| {
            let vat = match line.vat_rate {
                Some(r) => format!("{} %", number(l, r)),
                None => t(Msg::VatExempt).to_string(),
            };
            view! {
                <tr data-test="invoice-line">
                    <td>{line.line_no}</td>
                    <td><a href=format!("/stock/products/{}", line.product_id)>{line.product_name.clone()}</a></td>
                    <td class="num">{number(l, line.qty)} " " <small class="muted">{line.unit.clone()}</small></td>
                    <td class="num">{money(l, line.price, &cur)}</td>
                    <td class="num hide-sm">{(!line.discount.is_zero()).then(|| format!("{} %", number(l, line.discount)))}</td>
                    <td class="num hide-sm">{money(l, line.net, &cur)}</td>
                    <td class="num hide-sm">{vat}</td>
                    <td class="num hide-sm">{money(l, line.vat, &cur)}</td>
                    <td class="num">{money(l, line.total, &cur)}</td>
                </tr>
            }
        })
        .collect_view();
    let (iid, iver) = (i.id, i.version);
    view! {
        <div class="page-head">
            <h1>
                {i.number.clone()} " "
                <span class=format!("badge status-{}", i.status.as_str()) data-test="invoice-status">{t(i.status.msg())}</span>
            </h1>
            <div class="actions">
                {v.may_cancel.then(|| view! {
                    <ActionForm action=cancel attr:class="inline-form">
                        <input type="hidden" name="id" value=iid />
                        <input type="hidden" name="version" value=iver />
                        <ConfirmSubmit pending=cancel.pending() label=Msg::CancelInvoice question=Msg::CancelInvoiceQuestion
                            yes=Msg::CancelInvoice test="invoice-cancel" />
                    </ActionForm>
                })}
            </div>
        </div>
        <FormError error />
        <dl class="facts doc-facts" data-test="invoice-facts">
            <dt>{t(Msg::Customer)}</dt>
            <dd><a href=format!("/customers/{}", i.customer_id)>{i.customer_name.clone()}</a></dd>
            {i.counterparty_name.clone().map(|n| view! { <dt>{t(Msg::Counterparty)}</dt><dd>{n}</dd> })}
            {i.order_id.map(|o| view! {
                <dt>{t(Msg::OrderOf)}</dt>
                <dd><a href=format!("/orders/{o}") data-test="invoice-order-link">{i.order_number.clone().unwrap_or_default()}</a></dd>
            })}
            <dt>{t(Msg::InvoiceDate)}</dt><dd>{calendar_date(l, &i.invoice_date)}</dd>
            <dt>{t(Msg::DueDate)}</dt><dd data-test="invoice-due">{calendar_date(l, &i.due_date)}</dd>
            {(i.currency != "UZS").then(|| view! {
                <dt>{t(Msg::ExchangeRate)}</dt><dd>{format!("1 {} = {} UZS", i.currency, number(l, i.rate))}</dd>
            })}
            {i.contract_no.clone().map(|c| view! {
                <dt>{t(Msg::Contract)}</dt>
                <dd>{c} {i.contract_date.clone().map(|d| format!(" · {}", calendar_date(l, &d)))}</dd>
            })}
            <dt>{t(Msg::Manager)}</dt><dd>{i.manager_name.clone()}</dd>
            {(i.status == super::InvoiceStatus::Issued).then(|| view! {
                <dt>{t(Msg::PaidSum)}</dt><dd data-test="invoice-paid">{money(l, i.paid, &i.currency)}</dd>
                <dt>{t(Msg::OpenSum)}</dt>
                <dd data-test="invoice-open">{money(l, i.total - i.paid, &i.currency)}</dd>
            })}
            {i.note.clone().map(|n| view! { <dt>{t(Msg::Notes)}</dt><dd>{n}</dd> })}
        </dl>
        {v.may_pay.then(|| view! {
            <crate::payments::panel::PayInvoiceForm customer_id=i.customer_id number=i.number.clone()
                open=(i.total - i.paid).to_string() />
        })}
        <div class="table-scroll">
            <table class="table lines" data-test="invoice-lines">
                <thead>
                    <tr>
                        <th>"№"</th>
                        <th>{t(Msg::Product)}</th>
                        <th class="num">{t(Msg::Quantity)}</th>
                        <th class="num">{t(Msg::Price)}</th>
                        <th class="num hide-sm">{t(Msg::DiscountPercent)}</th>
                        <th class="num hide-sm">{t(Msg::SumWithoutVat)}</th>
                        <th class="num hide-sm">{t(Msg::VatRate)}</th>
                        <th class="num hide-sm">{t(Msg::VatShort)}</th>
                        <th class="num">{t(Msg::SumWithVat)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th colspan="5">{t(Msg::TotalSum)}</th>
                        <td class="num hide-sm">{money(l, i.net, &cur)}</td>
                        <td class="hide-sm"></td>
                        <td class="num hide-sm">{money(l, i.vat, &cur)}</td>
                        <td class="num" data-test="invoice-total"><strong>{money(l, i.total, &cur)}</strong></td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

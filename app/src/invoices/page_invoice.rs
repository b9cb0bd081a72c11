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
    let gaps = v.e_invoice_gaps.map(|g| view! { <EInvoice invoice=i.clone() gaps=g /> });
    let is_note = i.kind == super::InvoiceKind::CreditNote;
    let (cancel_label, cancel_question) = match is_note {
        true => (Msg::CancelCreditNote, Msg::CancelCreditNoteQuestion),
        false => (Msg::CancelInvoice, Msg::CancelInvoiceQuestion),
    };
    let may_credit = v.may_cancel && !is_note && i.lines.iter().any(|l| l.qty > l.credited);
    let credit_form = may_credit.then(|| view! { <super::credit_form::CreditNoteForm invoice=i.clone() /> });
    let notes = (!i.credit_notes.is_empty()).then(|| {
        let items = i
            .credit_notes
            .iter()
            .map(|n| {
                view! {
                    <li data-test="credit-note-item">
                        <a href=format!("/invoices/{}", n.id)>{n.number.clone()}</a>
                        {format!(" · {} · {}", calendar_date(l, &n.invoice_date), money(l, n.total, &n.currency))} " "
                        <span class=format!("badge status-{}", n.status.as_str())>{t(n.status.msg())}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="panel" data-test="credit-notes">
                <h2>{t(Msg::CreditNote)}</h2>
                <ul class="plain-list">{items}</ul>
            </section>
        }
    });
    view! {
        <div class="page-head">
            <h1>
                {is_note.then(|| format!("{} ", t(Msg::CreditNote)))}
                {i.number.clone()} " "
                <span class=format!("badge status-{}", i.status.as_str()) data-test="invoice-status">{t(i.status.msg())}</span>
            </h1>
            <div class="actions">
                {v.may_cancel.then(|| view! {
                    <ActionForm action=cancel attr:class="inline-form">
                        <input type="hidden" name="id" value=iid />
                        <input type="hidden" name="version" value=iver />
                        <ConfirmSubmit pending=cancel.pending() label=cancel_label question=cancel_question
                            yes=cancel_label test="invoice-cancel" />
                    </ActionForm>
                })}
            </div>
        </div>
        <FormError error />
        <dl class="facts doc-facts" data-test="invoice-facts">
            <dt>{t(Msg::Customer)}</dt>
            <dd><a href=format!("/customers/{}", i.customer_id)>{i.customer_name.clone()}</a></dd>
            {i.credits.clone().map(|(id, number)| view! {
                <dt>{t(Msg::CreditsInvoice)}</dt>
                <dd><a href=format!("/invoices/{id}") data-test="credits-invoice">{number}</a></dd>
            })}
            {i.counterparty_name.clone().map(|n| view! { <dt>{t(Msg::Counterparty)}</dt><dd>{n}</dd> })}
            {i.order_id.map(|o| view! {
                <dt>{t(Msg::OrderOf)}</dt>
                <dd><a href=format!("/orders/{o}") data-test="invoice-order-link">{i.order_number.clone().unwrap_or_default()}</a></dd>
            })}
            <dt>{t(Msg::InvoiceDate)}</dt><dd>{calendar_date(l, &i.invoice_date)}</dd>
            {(!is_note).then(|| view! {
                <dt>{t(Msg::DueDate)}</dt><dd data-test="invoice-due">{calendar_date(l, &i.due_date)}</dd>
            })}
            {(i.currency != "UZS").then(|| view! {
                <dt>{t(Msg::ExchangeRate)}</dt><dd>{format!("1 {} = {} UZS", i.currency, number(l, i.rate))}</dd>
            })}
            {i.contract_no.clone().map(|c| view! {
                <dt>{t(Msg::Contract)}</dt>
                <dd>{c} {i.contract_date.clone().map(|d| format!(" · {}", calendar_date(l, &d)))}</dd>
            })}
            <dt>{t(Msg::Manager)}</dt><dd>{i.manager_name.clone()}</dd>
            {(i.status == super::InvoiceStatus::Issued && !is_note).then(|| view! {
                <dt>{t(Msg::PaidSum)}</dt><dd data-test="invoice-paid">{money(l, i.paid, &i.currency)}</dd>
                {(!i.credited.is_zero()).then(|| view! {
                    <dt>{t(Msg::CreditedSum)}</dt><dd data-test="invoice-credited">{money(l, i.credited, &i.currency)}</dd>
                })}
                <dt>{t(Msg::OpenSum)}</dt>
                <dd data-test="invoice-open">{money(l, i.total - i.paid - i.credited, &i.currency)}</dd>
            })}
            {i.note.clone().map(|n| view! { <dt>{t(if is_note { Msg::CreditReason } else { Msg::Notes })}</dt><dd>{n}</dd> })}
        </dl>
        {v.may_pay.then(|| view! {
            <crate::payments::panel::PayInvoiceForm customer_id=i.customer_id number=i.number.clone()
                open=(i.total - i.paid - i.credited).to_string() />
        })}
        {credit_form}
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
        {notes}
        <crate::documents::panel::RecordDocuments kinds=&crate::documents::DocKind::OF_INVOICE[..] records="invoices"
            field="invoice_id" id=iid test="invoice" />
        {gaps}
    }
}

/// The e-invoice: a download of the operators' JSON, or what is missing before it, each with a link to where
/// it is filled in (the company's details, the customer's counterparty, the product).
#[component]
fn EInvoice(invoice: super::Invoice, gaps: Vec<crate::core::FieldError>) -> impl IntoView {
    let label = |f: &str| match f {
        "tax_id" => Msg::TaxId,
        "name" => Msg::LegalName,
        "address" => Msg::LegalAddress,
        "account" => Msg::AccountNumber,
        "bank_code" => Msg::BankCode,
        "vat_reg_code" => Msg::VatRegCode,
        "mxik" => Msg::Mxik,
        "package_code" => Msg::PackageCode,
        "discount" => Msg::DiscountPercent,
        "vat_rate" => Msg::VatRate,
        "contract_no" => Msg::ContractNo,
        "contract_date" => Msg::ContractDate,
        _ => Msg::Currency,
    };
    let items = gaps
        .iter()
        .map(|g| {
            let mut parts = g.field.split('.');
            let (head, rest) = (parts.next().unwrap_or_default(), parts.collect::<Vec<_>>());
            let (whose, href) = match (head, rest.as_slice()) {
                ("seller", _) => (Some(t(Msg::Seller).to_string()), Some("/settings/modules#company".to_string())),
                ("buyer", _) => (Some(t(Msg::Buyer).to_string()), Some(format!("/customers/{}", invoice.customer_id))),
                ("lines", [n, _]) => {
                    let product = invoice.lines.iter().find(|l| l.line_no.to_string() == *n);
                    (
                        Some(format!("№{n} {}", product.map(|p| p.product_name.as_str()).unwrap_or_default())),
                        product.map(|p| format!("/stock/products/{}", p.product_id)),
                    )
                }
                _ => (None, None),
            };
            let field = t(label(rest.last().copied().unwrap_or(head)));
            let text = match whose {
                Some(w) => format!("{w} · {field}: {}", t(g.code.msg())),
                None => format!("{field}: {}", t(g.code.msg())),
            };
            match href {
                Some(h) => view! { <li><a href=h>{text}</a></li> }.into_any(),
                None => view! { <li>{text}</li> }.into_any(),
            }
        })
        .collect_view();
    let ready = gaps.is_empty();
    view! {
        <section class="panel" data-test="e-invoice">
            <h2>{t(Msg::EInvoice)}</h2>
            {if ready {
                view! {
                    <p class="muted small">{t(Msg::EInvoiceReady)}</p>
                    <a class="button" href=format!("/api/v1/invoices/{}/e-invoice", invoice.id) download=""
                        data-test="e-invoice-download">{t(Msg::DownloadJson)}</a>
                }
                .into_any()
            } else {
                view! {
                    <p class="muted small">{t(Msg::EInvoiceMissing)}</p>
                    <ul class="plain-list" data-test="e-invoice-gaps">{items}</ul>
                }
                .into_any()
            }}
        </section>
    }
}

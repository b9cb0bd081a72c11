//! `/payments/:id`: one payment as it was posted, what it paid of which invoices (and what was taken back),
//! its advance; administrators and accountants pay invoices from the advance and reverse it.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::Direction;
use super::api::{AllocatePayment, PaymentView, ReversePayment, load_payment};
use crate::core::Msg;
use crate::core::format::{calendar_date, date_time, money, number};
use crate::ui::{ConfirmSubmit, ErrorPage, FormError, Submit, action_error, bump_on_success, lang, t};

#[component]
pub fn PaymentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default());
    let reverse = ServerAction::<ReversePayment>::new();
    let allocate = ServerAction::<AllocatePayment>::new();
    let changes = RwSignal::new(0_u32);
    bump_on_success(allocate, changes);
    let payment = Resource::new(move || (id(), changes.get()), |(id, _)| load_payment(id));
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match payment.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(v) => view! { <PaymentCard v reverse allocate /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PaymentCard(
    v: PaymentView,
    reverse: ServerAction<ReversePayment>,
    allocate: ServerAction<AllocatePayment>,
) -> impl IntoView {
    let l = lang();
    let p = v.payment;
    let title = format!("{} · {}", t(Msg::PaymentOf), calendar_date(l, &p.pay_date));
    crate::ui::set_page_name(&title);
    let reverse_error = action_error(reverse);
    let allocate_error = action_error(allocate);
    let cur = p.currency.clone();
    let live = p.reverses_id.is_none() && p.reversed_by.is_none();
    let may_reverse = v.may_post && live;
    let may_allocate = v.may_post && live && p.direction == Direction::In && !p.advance.is_zero();
    let rows = p
        .allocations
        .iter()
        .map(|a| {
            view! {
                <tr data-test="allocation">
                    <td><a href=format!("/invoices/{}", a.invoice_id)>{a.invoice_number.clone()}</a></td>
                    <td class="hide-sm">{date_time(l, a.created_at)}</td>
                    <td class="num" class:money-out=a.amount.is_sign_negative()>{money(l, a.amount, &cur)}</td>
                </tr>
            }
        })
        .collect_view();
    let pid = p.id;
    view! {
        <div class="page-head">
            <h1>
                {title.clone()} " "
                <span class=format!("badge direction-{}", p.direction.as_str())>{t(p.direction.msg())}</span>
                {p.reverses_id.map(|_| view! { " " <span class="badge status-cancelled">{t(Msg::Reversal)}</span> })}
                {p.reversed_by.map(|_| view! { " " <span class="badge status-cancelled" data-test="payment-reversed">{t(Msg::Reversed)}</span> })}
            </h1>
            <div class="actions">
                {may_allocate.then(|| view! {
                    <ActionForm action=allocate attr:class="inline-form">
                        <input type="hidden" name="id" value=pid />
                        <Submit pending=allocate.pending() label=Msg::ApplyAdvance class="button secondary" test="payment-allocate" />
                    </ActionForm>
                })}
                {may_reverse.then(|| view! {
                    <ActionForm action=reverse attr:class="inline-form">
                        <input type="hidden" name="id" value=pid />
                        <ConfirmSubmit pending=reverse.pending() label=Msg::ReversePayment question=Msg::ReversePaymentQuestion
                            yes=Msg::ReversePayment test="payment-reverse" />
                    </ActionForm>
                })}
            </div>
        </div>
        <FormError error=reverse_error />
        <FormError error=allocate_error />
        <dl class="facts doc-facts" data-test="payment-facts">
            <dt>{t(Msg::Amount)}</dt>
            <dd data-test="payment-amount"><strong>{money(l, p.amount, &cur)}</strong></dd>
            {match (p.customer_id, p.customer_name.clone()) {
                (Some(c), Some(n)) => view! {
                    <dt>{t(Msg::Payer)}</dt>
                    <dd><a href=format!("/customers/{c}")>{n}</a> {p.counterparty_name.clone().map(|cp| format!(" · {cp}"))}</dd>
                }.into_any(),
                _ => view! { <dt>{t(Msg::Party)}</dt><dd>{p.party.clone()}</dd> }.into_any(),
            }}
            <dt>{t(Msg::MoneyAccount)}</dt>
            <dd><a href=format!("/payments?account={}", p.account_id)>{p.account_name.clone()}</a> " · " {t(p.method.msg())}</dd>
            {(p.currency != "UZS").then(|| view! {
                <dt>{t(Msg::ExchangeRate)}</dt><dd>{format!("1 {} = {} UZS", p.currency, number(l, p.rate))}</dd>
            })}
            {p.doc_no.clone().map(|d| view! { <dt>{t(Msg::DocNo)}</dt><dd>{d}</dd> })}
            {p.purpose.clone().map(|d| view! { <dt>{t(Msg::Purpose)}</dt><dd>{d}</dd> })}
            {(p.direction == Direction::In && live).then(|| view! {
                <dt>{t(Msg::Allocated)}</dt><dd data-test="payment-allocated">{money(l, p.allocated, &cur)}</dd>
                <dt>{t(Msg::AdvanceLeft)}</dt><dd data-test="payment-advance">{money(l, p.advance, &cur)}</dd>
            })}
            {p.reverses_id.map(|r| view! {
                <dt>{t(Msg::Reversal)}</dt><dd><a href=format!("/payments/{r}")>{t(Msg::PaymentOf)} " #" {r}</a></dd>
            })}
            {p.reversed_by.map(|r| view! {
                <dt>{t(Msg::Reversed)}</dt><dd><a href=format!("/payments/{r}") data-test="payment-reversal-link">{t(Msg::PaymentOf)} " #" {r}</a></dd>
            })}
            <dt>{t(Msg::PostedBy)}</dt><dd>{p.created_by_name.clone()} " · " {date_time(l, p.created_at)}</dd>
        </dl>
        {(!p.allocations.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{t(Msg::Allocations)}</h2>
                <table class="table" data-test="allocations">
                    <thead>
                        <tr>
                            <th>{t(Msg::InvoiceOf)}</th>
                            <th class="hide-sm">{t(Msg::DocDate)}</th>
                            <th class="num">{t(Msg::Amount)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        })}
    }
}

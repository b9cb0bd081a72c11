//! `/payments`: the payments the reader may see, newest first, by direction and account; the company's bank
//! accounts and cash desks with their balances; for administrators and accountants the forms that post a
//! payment (the payer found by an invoice number or a taxpayer id) and add an account.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{CreateAccount, PaymentsView, PostPayment, payments_page};
use super::{AccountKind, Direction, MoneyAccount, PaymentSummary};
use crate::core::format::{calendar_date, money};
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, Field, FormError, Select, Submit, action_error, general_error, lang, t};

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).filter(|s| !s.is_empty()));
    let view_data =
        Resource::new(move || (get("direction"), get("account"), get("cursor")), |(d, a, c)| payments_page(d, a, c));
    view! {
        <div class="page-head">
            <h1>{t(Msg::NavPayments)}</h1>
            <div class="actions">
                <a class="button secondary" href="/receivables" data-test="to-receivables">{t(Msg::NavReceivables)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(PaymentsView { page, accounts, may_post }) => {
                        let next = page.next_cursor.clone().map(|c| {
                            let keep: String = ["direction", "account"]
                                .iter()
                                .filter_map(|k| get(k).map(|v| format!("{k}={}&", crate::customers::page_list::encode(&v))))
                                .collect();
                            format!("/payments?{keep}cursor={c}")
                        });
                        let live: Vec<MoneyAccount> = accounts.iter().filter(|a| !a.archived).cloned().collect();
                        view! {
                            {may_post.then(|| view! {
                                <PaymentForm accounts=live.clone() />
                                <StatementUpload accounts=live.clone() />
                            })}
                            <Filter accounts=accounts.clone() />
                            <PaymentTable payments=page.items with_payer=true />
                            {next.map(|href| view! { <a class="button secondary" href=href data-test="next-page">{t(Msg::Next)}</a> })}
                            <Accounts accounts may_post />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// `(value, label)` of the accounts, for a select.
pub(crate) fn account_options(accounts: &[MoneyAccount]) -> Vec<(String, String)> {
    accounts.iter().map(|a| (a.id.to_string(), format!("{} ({})", a.name, a.currency))).collect()
}

/// The directions for a select.
fn direction_options() -> Vec<(String, String)> {
    Direction::ALL.iter().map(|d| (d.as_str().to_string(), t(d.msg()).to_string())).collect()
}

#[component]
fn Filter(accounts: Vec<MoneyAccount>) -> impl IntoView {
    let query = use_query_map();
    let now = move |k: &str| query.with_untracked(|q| q.get(k).unwrap_or_default());
    let mut directions = vec![(String::new(), t(Msg::AllPayments).to_string())];
    directions.extend(direction_options());
    let mut accts = vec![(String::new(), t(Msg::AllAccounts).to_string())];
    accts.extend(account_options(&accounts));
    let none = Signal::derive(|| None::<AppError>);
    view! {
        <form method="get" action="/payments" class="toolbar doc-filter" data-test="payment-filter">
            <Select label=Msg::Direction name="direction" options=directions selected=now("direction") scope="flt" error=none />
            <Select label=Msg::MoneyAccount name="account" options=accts selected=now("account") scope="flt" error=none />
            <button type="submit" class="button">{t(Msg::Show)}</button>
        </form>
    }
}

/// The form that posts a payment.
#[component]
fn PaymentForm(accounts: Vec<MoneyAccount>) -> impl IntoView {
    let action = ServerAction::<PostPayment>::new();
    let error = action_error(action);
    let empty = accounts.is_empty();
    view! {
        <details class="panel" data-test="payment-form" open=move || error.get().is_some()>
            <summary><h2>{t(Msg::PostPayment)}</h2></summary>
            {empty.then(|| view! { <p class="muted">{t(Msg::NoMoneyAccounts)}</p> })}
            <ActionForm action attr:class="stack">
                <FormError error=general_error(error) />
                <div class="grid-3">
                    <Select label=Msg::Direction name="direction" options=direction_options() error />
                    <Select label=Msg::MoneyAccount name="account_id" options=account_options(&accounts) error />
                    <Field label=Msg::Amount name="amount" required=true error />
                    <Field label=Msg::Payer name="payer" placeholder=Msg::PayerHint error />
                    <Field label=Msg::Party name="party" error />
                    <Field label=Msg::PayDate name="pay_date" kind="date" error />
                    <Field label=Msg::ExchangeRate name="rate" error />
                    <Field label=Msg::DocNo name="doc_no" error />
                    <Field label=Msg::Purpose name="purpose" error />
                </div>
                <p class="small muted">{t(Msg::PaymentFormHint)}</p>
                <Submit pending=action.pending() label=Msg::PostPayment test="payment-submit" />
            </ActionForm>
        </details>
    }
}

/// Uploads a bank statement of one of the accounts into the import pipeline (a plain multipart form): its
/// columns are mapped and its lines reviewed on the import's page before they are posted.
#[component]
fn StatementUpload(accounts: Vec<MoneyAccount>) -> impl IntoView {
    let banks: Vec<MoneyAccount> = accounts.into_iter().filter(|a| a.kind == AccountKind::Bank).collect();
    view! {
        <details class="panel" data-test="statement-upload">
            <summary><h2>{t(Msg::ImportStatement)}</h2></summary>
            <form method="post" action="/customers/import" enctype="multipart/form-data" class="stack">
                <input type="hidden" name="kind" value="payments" />
                <p class="small muted">{t(Msg::StatementHint)}</p>
                <div class="grid-2">
                    <div class="field">
                        <label for="statement-account">{t(Msg::MoneyAccount)}</label>
                        <select id="statement-account" name="account_id" data-test="statement-account">
                            {account_options(&banks).into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="statement-file">{t(Msg::ImportFile)}</label>
                        <input id="statement-file" type="file" name="file" accept=".csv,.xlsx,.xls,text/csv" required
                            data-test="statement-file" />
                    </div>
                </div>
                <div class="actions">
                    <button type="submit" class="button primary" data-test="statement-submit">{t(Msg::Upload)}</button>
                </div>
            </form>
        </details>
    }
}

/// Payments as a table (a customer's card leaves the payer out).
#[component]
pub fn PaymentTable(payments: Vec<PaymentSummary>, with_payer: bool) -> impl IntoView {
    let l = lang();
    if payments.is_empty() {
        return view! { <p class="muted">{t(Msg::NothingToShow)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table" data-test="payment-list">
                <thead>
                    <tr>
                        <th>{t(Msg::PaymentOf)}</th>
                        {with_payer.then(|| view! { <th>{t(Msg::Payer)}</th> })}
                        <th class="hide-sm">{t(Msg::MoneyAccount)}</th>
                        <th class="num">{t(Msg::Amount)}</th>
                        <th class="num hide-sm">{t(Msg::Allocated)}</th>
                    </tr>
                </thead>
                <tbody>
                    {payments.into_iter().map(|p| {
                        let out = p.direction == Direction::Out;
                        let note = if p.reverses_id.is_some() {
                            Some(t(Msg::Reversal))
                        } else if p.reversed {
                            Some(t(Msg::Reversed))
                        } else {
                            None
                        };
                        view! {
                            <tr data-test="payment-row" class:muted=p.reversed>
                                <td>
                                    <a href=format!("/payments/{}", p.id)><strong>{calendar_date(l, &p.pay_date)}</strong></a>
                                    " " <span class=format!("badge direction-{}", p.direction.as_str())>{t(p.direction.msg())}</span>
                                    {note.map(|n| view! { " " <span class="badge status-cancelled">{n}</span> })}
                                    <small class="muted block">{p.purpose.clone()}</small>
                                </td>
                                {with_payer.then(|| view! {
                                    <td>
                                        {match p.customer_id {
                                            Some(c) => view! { <a href=format!("/customers/{c}")>{p.payer.clone()}</a> }.into_any(),
                                            None => view! { <span>{p.payer.clone()}</span> }.into_any(),
                                        }}
                                    </td>
                                })}
                                <td class="hide-sm">{p.account_name.clone()}</td>
                                <td class="num" class:money-out=out>{money(l, if out { -p.amount } else { p.amount }, &p.currency)}</td>
                                <td class="num hide-sm">{(!p.allocated.is_zero()).then(|| money(l, p.allocated, &p.currency))}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The company's accounts with their balances, and the form that adds one.
#[component]
fn Accounts(accounts: Vec<MoneyAccount>, may_post: bool) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<CreateAccount>::new();
    let error = action_error(action);
    let kinds: Vec<(String, String)> =
        AccountKind::ALL.iter().map(|k| (k.as_str().to_string(), t(k.msg()).to_string())).collect();
    view! {
        <section class="panel" data-test="money-accounts">
            <h2>{t(Msg::MoneyAccounts)}</h2>
            {if accounts.is_empty() {
                view! { <p class="muted">{t(Msg::NoMoneyAccounts)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <tbody>
                            {accounts.into_iter().map(|a| view! {
                                <tr data-test="money-account" class:muted=a.archived>
                                    <td>
                                        <a href=format!("/payments?account={}", a.id)>{a.name.clone()}</a>
                                        <small class="muted block">
                                            {t(a.kind.msg())}
                                            {a.account_no.clone().map(|n| format!(" · {} / {n}", a.bank_code.clone().unwrap_or_default()))}
                                        </small>
                                    </td>
                                    <td class="num">{money(l, a.balance, &a.currency)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            {may_post.then(|| view! {
                <details data-test="account-form" open=move || error.get().is_some()>
                    <summary class="button secondary">{t(Msg::NewMoneyAccount)}</summary>
                    <ActionForm action attr:class="stack">
                        <FormError error=general_error(error) />
                        <div class="grid-3">
                            <Field label=Msg::Name name="name" required=true scope="acct" error />
                            <Select label=Msg::Kind name="kind" options=kinds scope="acct" error />
                            <Field label=Msg::Currency name="currency" value="UZS" scope="acct" error />
                            <Field label=Msg::BankCode name="bank_code" scope="acct" error />
                            <Field label=Msg::AccountNumber name="account_no" scope="acct" error />
                        </div>
                        <Submit pending=action.pending() label=Msg::Add test="account-submit" />
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

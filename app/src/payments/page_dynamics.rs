//! `/payments/dynamics`: money received and paid per day, week or month in one currency, as a chart and a
//! table, per account, and what open invoices should bring by their due dates (the cash-flow forecast).
//! Administrators and accountants.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;

use super::api::{DynamicsView, payment_dynamics};
use super::{FlowPoint, Period};
use crate::core::format::{calendar_date, money};
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, Field, Select, lang, t};

#[component]
pub fn DynamicsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).filter(|s| !s.is_empty()));
    let data = Resource::new(
        move || (get("period"), get("from"), get("to"), get("currency"), get("account")),
        |(p, f, t, c, a)| payment_dynamics(p, f, t, c, a),
    );
    view! {
        <div class="page-head">
            <h1>{t(Msg::PaymentDynamics)}</h1>
            <div class="actions">
                <a class="button secondary" href="/payments">{t(Msg::NavPayments)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(v) => view! { <Report v /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Report(v: DynamicsView) -> impl IntoView {
    let l = lang();
    let d = v.dynamics;
    let none = Signal::derive(|| None::<AppError>);
    let periods: Vec<(String, String)> =
        Period::ALL.iter().map(|p| (p.as_str().to_string(), t(p.msg()).to_string())).collect();
    let mut accounts = vec![(String::new(), t(Msg::AllAccounts).to_string())];
    accounts.extend(v.accounts.iter().filter(|a| a.currency == d.currency).map(|a| (a.id.to_string(), a.name.clone())));
    let query = use_query_map();
    let account = query.with_untracked(|q| q.get("account").unwrap_or_default());
    let cur = d.currency.clone();
    let (income, outgo) = d.points.iter().fold((Decimal::ZERO, Decimal::ZERO), |(i, o), p| (i + p.income, o + p.outgo));
    let rows = d
        .points
        .iter()
        .rev()
        .filter(|p| !p.income.is_zero() || !p.outgo.is_zero())
        .map(|p| {
            view! {
                <tr data-test="flow-row">
                    <td>{calendar_date(l, &p.start)}</td>
                    <td class="num">{money(l, p.income, &cur)}</td>
                    <td class="num money-out">{money(l, p.outgo, &cur)}</td>
                    <td class="num">{money(l, p.income - p.outgo, &cur)}</td>
                </tr>
            }
        })
        .collect_view();
    let by_account = d
        .accounts
        .iter()
        .map(|a| {
            view! {
                <tr data-test="flow-account">
                    <td><a href=format!("/payments?account={}", a.account_id)>{a.account_name.clone()}</a></td>
                    <td class="num">{money(l, a.income, &cur)}</td>
                    <td class="num money-out">{money(l, a.outgo, &cur)}</td>
                </tr>
            }
        })
        .collect_view();
    let expected: Decimal = d.forecast.iter().map(|p| p.income).sum();
    view! {
        <form method="get" action="/payments/dynamics" class="toolbar doc-filter" data-test="dynamics-filter">
            <Select label=Msg::Period name="period" options=periods selected=d.period.as_str() scope="flt" error=none />
            <Field label=Msg::DateFrom name="from" kind="date" value=d.from.clone() scope="flt" error=none />
            <Field label=Msg::DateTo name="to" kind="date" value=d.to.clone() scope="flt" error=none />
            <Field label=Msg::Currency name="currency" value=d.currency.clone() scope="flt" error=none />
            <Select label=Msg::MoneyAccount name="account" options=accounts selected=account scope="flt" error=none />
            <button type="submit" class="button">{t(Msg::Show)}</button>
        </form>
        <section class="panel" data-test="dynamics">
            <h2>{t(Msg::ReceivedAndPaid)}</h2>
            <p class="small">
                <span class="legend legend-in"></span> {t(Msg::DirectionIn)} ": " <strong data-test="flow-income">{money(l, income, &cur)}</strong>
                " · " <span class="legend legend-out"></span> {t(Msg::DirectionOut)} ": " <strong data-test="flow-outgo">{money(l, outgo, &cur)}</strong>
            </p>
            <BarChart points=d.points.clone() label=t(Msg::ReceivedAndPaid) />
            {if d.points.iter().all(|p| p.income.is_zero() && p.outgo.is_zero()) {
                view! { <p class="muted">{t(Msg::NothingToShow)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="table" data-test="flow-table">
                            <thead>
                                <tr>
                                    <th>{t(Msg::Period)}</th>
                                    <th class="num">{t(Msg::DirectionIn)}</th>
                                    <th class="num">{t(Msg::DirectionOut)}</th>
                                    <th class="num">{t(Msg::NetFlow)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <h3>{t(Msg::MoneyAccounts)}</h3>
                    <table class="table" data-test="flow-accounts">
                        <tbody>{by_account}</tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
        <section class="panel" data-test="forecast">
            <h2>{t(Msg::CashForecast)}</h2>
            <p class="small">
                {t(Msg::ExpectedIncome)} ": " <strong data-test="forecast-total">{money(l, expected, &cur)}</strong>
                {(!d.overdue.is_zero()).then(|| view! {
                    " · " {t(Msg::Overdue)} ": " <strong class="overdue-text" data-test="forecast-overdue">{money(l, d.overdue, &cur)}</strong>
                })}
            </p>
            <BarChart points=d.forecast.clone() label=t(Msg::CashForecast) />
        </section>
    }
}

/// Bars of money in (up, green) and out (amber) per period, drawn as SVG on the server: it reads without
/// scripts and prints as it looks.
#[component]
fn BarChart(points: Vec<FlowPoint>, label: &'static str) -> impl IntoView {
    let l = lang();
    let max = points.iter().flat_map(|p| [p.income, p.outgo]).max().unwrap_or_default();
    if max.is_zero() || points.is_empty() {
        return ().into_any();
    }
    // Geometry in decimals too: no float anywhere near money.
    let (w, h) = (Decimal::from(800), Decimal::from(200));
    let slot = w / Decimal::from(points.len());
    let bar = (slot * Decimal::new(4, 1)).max(Decimal::new(5, 1)).round_dp(2);
    let scale = |v: Decimal| (v * (h - Decimal::from(20)) / max).round_dp(1);
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = (Decimal::from(i) * slot).round_dp(2);
            let (hi, ho) = (scale(p.income), scale(p.outgo));
            let title = format!("{}: +{} / −{}", calendar_date(l, &p.start), money(l, p.income, ""), money(l, p.outgo, ""));
            view! {
                <g>
                    <title>{title}</title>
                    <rect class="bar-in" x=x.to_string() y=(h - hi).to_string() width=bar.to_string() height=hi.to_string() />
                    <rect class="bar-out" x=(x + bar).to_string() y=(h - ho).to_string() width=bar.to_string() height=ho.to_string() />
                </g>
            }
        })
        .collect_view();
    let first = points.first().map(|p| calendar_date(l, &p.start)).unwrap_or_default();
    let last = points.last().map(|p| calendar_date(l, &p.start)).unwrap_or_default();
    view! {
        <figure class="chart" data-test="chart">
            <svg viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none" role="img" aria-label=label>{bars}</svg>
            <figcaption class="small muted chart-axis"><span>{first}</span><span>{last}</span></figcaption>
        </figure>
    }
    .into_any()
}

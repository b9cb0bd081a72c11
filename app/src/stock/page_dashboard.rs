//! `/stock`: the warehouse dashboard, one warehouse (`?warehouse=<id>`) or all. A server-rendered page that
//! reads without scripts; with them it follows every posting live (the `/api/v1/stock/events` stream, on any
//! app server): the figures are read again in place, and the rows of the items that moved are marked for a
//! few seconds.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::stock_dashboard;
use super::dashboard::{CHART_DAYS, Dashboard};
use super::{Balance, DocSummary};
use crate::core::format::{date, money, number};
use crate::core::{Millis, Msg};
use crate::ui::{ErrorPage, lang, t};

/// What moved last (products), for the "just changed" marks.
#[derive(Clone, Copy)]
struct Moved(RwSignal<Vec<i64>>);

#[component]
pub fn StockDashboardPage() -> impl IntoView {
    let query = use_query_map();
    let warehouse = move || query.with(|q| q.get("warehouse").filter(|s| !s.is_empty()));
    let changes = RwSignal::new(0u32);
    let moved = Moved(RwSignal::new(Vec::new()));
    provide_context(moved);
    let board = Resource::new(move || (warehouse(), changes.get()), |(w, _)| stock_dashboard(w));
    #[cfg(feature = "hydrate")]
    client::listen(changes, moved.0, Signal::derive(move || warehouse().and_then(|w| w.parse::<i64>().ok())));
    view! {
        <div class="page-head">
            <h1>{t(Msg::StockDashboard)}</h1>
            <span class="live-mark muted" data-test="live-mark">{t(Msg::LiveUpdate)}</span>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(d) => view! { <Board d /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Board(d: Dashboard) -> impl IntoView {
    let l = lang();
    let all = d.warehouse_id.is_none();
    let today_total: i64 = d.today_counts.iter().map(|(_, n)| n).sum();
    let today_split = d
        .today_counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{} {n}", t(k.msg())))
        .collect::<Vec<_>>()
        .join(" · ");
    let chooser = {
        let current = d.warehouse_id;
        view! {
            <form method="get" action="/stock" class="toolbar" data-test="warehouse-chooser">
                <label for="stock-warehouse" class="sr-only">{t(Msg::Warehouse)}</label>
                <select id="stock-warehouse" name="warehouse">
                    <option value="" selected=current.is_none()>{t(Msg::AllWarehouses)}</option>
                    {d.warehouses.iter().map(|w| view! {
                        <option value=w.id selected=current == Some(w.id)>{w.name.clone()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button">{t(Msg::Show)}</button>
            </form>
        }
    };
    let negative = (d.negative_count > 0).then(|| {
        view! {
            <div class="kpi bad">
                <span>{t(Msg::NegativeStock)}</span>
                <strong data-test="negative-count">{number(l, d.negative_count.into())}</strong>
            </div>
        }
    });
    view! {
        {chooser}
        <div class="kpis" data-test="stock-kpis">
            <div class="kpi">
                <span>{t(Msg::StockValue)}</span>
                <strong data-test="stock-value">{money(l, d.value, super::STOCK_CURRENCY)}</strong>
            </div>
            <div class={if d.low_count > 0 { "kpi warn" } else { "kpi" }}>
                <span>{t(Msg::BelowMinimum)}</span>
                <strong data-test="low-count">{number(l, d.low_count.into())}</strong>
            </div>
            <div class="kpi">
                <span>{t(Msg::PostedToday)}</span>
                <strong data-test="today-count">{number(l, today_total.into())}</strong>
                <small>{today_split}</small>
            </div>
            <div class="kpi">
                <span>{t(Msg::InTransit)}</span>
                <strong data-test="transit-count">{number(l, (d.in_transit.len() as i64).into())}</strong>
            </div>
            {negative}
        </div>
        <section class="panel">
            <h2>{t(Msg::ValueChart)}</h2>
            <ValueChart values=d.chart.clone() from=d.chart_from />
        </section>
        <div class="grid-2 stock-grid">
            <Items title=Msg::BelowMinimum rows=d.low show=Show::Limits all test="low" />
            <Docs title=Msg::PostedToday docs=d.today test="today" />
            <Items title=Msg::TopByValue rows=d.top show=Show::Value all test="top" />
            <Items title=Msg::SlowMovers rows=d.slow show=Show::LastOut all test="slow" />
            <Docs title=Msg::InTransit docs=d.in_transit test="transit" />
            {(d.negative_count > 0).then(|| view! { <Items title=Msg::NegativeStock rows=d.negative show=Show::Value all test="negative" /> })}
        </div>
    }
}

/// The last columns of an item list.
#[derive(Clone, Copy, PartialEq)]
enum Show {
    Limits,
    Value,
    LastOut,
}

#[component]
fn Items(title: Msg, rows: Vec<Balance>, show: Show, all: bool, test: &'static str) -> impl IntoView {
    let l = lang();
    let moved = expect_context::<Moved>().0;
    let head = match show {
        Show::Limits => {
            view! { <th class="num">{t(Msg::MinQty)}</th><th class="num">{t(Msg::ReorderQty)}</th> }.into_any()
        }
        Show::Value => view! { <th class="num">{t(Msg::StockValueCol)}</th> }.into_any(),
        Show::LastOut => view! { <th>{t(Msg::LastShipped)}</th> }.into_any(),
    };
    if rows.is_empty() {
        return view! { <Nothing title test /> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|b| {
            let product = b.product_id;
            let class = move || if moved.with(|m| m.contains(&product)) { "just-changed" } else { "" };
            let qty = |q: Option<rust_decimal::Decimal>| q.map(|q| number(l, q)).unwrap_or_default();
            let tail = match show {
                Show::Limits => {
                    view! { <td class="num">{qty(b.min)}</td><td class="num">{qty(b.reorder)}</td> }.into_any()
                }
                Show::Value => view! { <td class="num">{money(l, b.value, super::STOCK_CURRENCY)}</td> }.into_any(),
                Show::LastOut => {
                    let last = b.last_out_at.map(|at| date(l, at)).unwrap_or_else(|| t(Msg::NeverShipped).to_string());
                    view! { <td>{last}</td> }.into_any()
                }
            };
            view! {
                <tr class=class data-product=product>
                    <td>
                        {b.product_name}
                        {all.then(|| view! { <small class="muted block">{b.warehouse_name}</small> })}
                    </td>
                    <td class="num">{number(l, b.on_hand)} " " <small class="muted">{b.unit}</small></td>
                    {tail}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel stock-list" data-test=test>
            <h2>{t(title)}</h2>
            <table class="table small">
                <thead>
                    <tr>
                        <th>{t(Msg::Product)}</th>
                        <th class="num">{t(Msg::OnHand)}</th>
                        {head}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </section>
    }
    .into_any()
}

/// A list's panel with nothing in it.
#[component]
fn Nothing(title: Msg, test: &'static str) -> impl IntoView {
    view! {
        <section class="panel stock-list" data-test=test>
            <h2>{t(title)}</h2>
            {super::nothing_yet()}
        </section>
    }
}

#[component]
fn Docs(title: Msg, docs: Vec<DocSummary>, test: &'static str) -> impl IntoView {
    let l = lang();
    if docs.is_empty() {
        return view! { <Nothing title test /> }.into_any();
    }
    let rows = docs
        .into_iter()
        .map(|d| {
            view! {
                <tr data-doc=d.id>
                    <td><strong>{d.number}</strong> <small class="muted block">{t(d.kind.msg())}</small></td>
                    <td>{d.warehouse_name}</td>
                    <td class="num">{number(l, d.lines.into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel stock-list" data-test=test>
            <h2>{t(title)}</h2>
            <table class="table small">
                <thead>
                    <tr>
                        <th>{t(Msg::DocNumber)}</th>
                        <th>{t(Msg::Warehouse)}</th>
                        <th class="num">{t(Msg::DocLines)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

// Whole SVG units (see the funnel: no float printer in the WASM).
const W: i64 = 720;
const H: i64 = 140;

/// The value at the end of each day as an area chart, with the range and the dates at its ends.
#[component]
fn ValueChart(values: Vec<i64>, from: Millis) -> impl IntoView {
    let l = lang();
    let lo = values.iter().copied().min().unwrap_or(0).min(0);
    let hi = values.iter().copied().max().unwrap_or(0).max(lo + 1);
    let n = values.len().max(2) as i64;
    let point = |i: usize, v: i64| {
        let x = i as i64 * W / (n - 1);
        let y = H - 4 - ((v - lo) as i128 * (H - 8) as i128 / (hi - lo) as i128) as i64;
        format!("{x},{y}")
    };
    let line = values.iter().enumerate().map(|(i, v)| point(i, *v)).collect::<Vec<_>>().join(" ");
    let area = format!("0,{H} {line} {W},{H}");
    let last_day = from + (CHART_DAYS as i64 - 1) * 86_400_000;
    let top = money(l, super::money_of(hi), super::STOCK_CURRENCY);
    view! {
        <svg class="value-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=t(Msg::ValueChart)
            preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg" data-test="value-chart">
            <polygon points=area class="value-area" />
            <polyline points=line class="value-line" />
        </svg>
        <div class="chart-axis muted">
            <span>{date(l, from)}</span>
            <span>{top}</span>
            <span>{date(l, last_day)}</span>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::web_sys::{EventSource, MessageEvent};

    /// Follows postings: one touching the warehouse shown (or any, when all are shown) reads the dashboard
    /// again and marks the items it moved for a few seconds.
    pub fn listen(changes: RwSignal<u32>, moved: RwSignal<Vec<i64>>, warehouse: Signal<Option<i64>>) {
        let Ok(source) = EventSource::new("/api/v1/stock/events") else { return };
        let on_stock = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else { return };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { return };
            let ours = warehouse
                .get_untracked()
                .is_none_or(|w| v["warehouses"].as_array().is_some_and(|a| a.iter().any(|x| x.as_i64() == Some(w))));
            if !ours {
                return;
            }
            let products: Vec<i64> =
                v["products"].as_array().map(|a| a.iter().filter_map(|p| p.as_i64()).collect()).unwrap_or_default();
            moved.set(products);
            changes.update(|c| *c += 1);
            set_timeout(move || moved.set(Vec::new()), std::time::Duration::from_secs(4));
        });
        let on_reload = Closure::<dyn FnMut(MessageEvent)>::new(move |_| changes.update(|c| *c += 1));
        let _ = source.add_event_listener_with_callback("stock", on_stock.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("reload", on_reload.as_ref().unchecked_ref());
        on_stock.forget();
        on_reload.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    }
}

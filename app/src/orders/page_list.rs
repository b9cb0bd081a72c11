//! `/orders`: the orders the reader may see, newest first, filtered by status and found by number.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::orders_page;
use super::{OrderStatus, OrderSummary};
use crate::core::format::{calendar_date, money, number};
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, Field, Select, lang, t};

#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).filter(|s| !s.is_empty()));
    let orders = Resource::new(move || (get("status"), get("number"), get("cursor")), |(s, n, c)| orders_page(s, n, c));
    view! {
        <div class="page-head">
            <h1>{t(Msg::NavOrders)}</h1>
        </div>
        <Filter />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(page) => {
                        let next = page.next_cursor.clone().map(|c| {
                            let keep: String = ["status", "number"]
                                .iter()
                                .filter_map(|k| get(k).map(|v| format!("{k}={}&", crate::customers::page_list::encode(&v))))
                                .collect();
                            format!("/orders?{keep}cursor={c}")
                        });
                        view! {
                            <OrderTable orders=page.items with_customer=true />
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
    let mut statuses = vec![(String::new(), t(Msg::AllOrders).to_string()), ("open".into(), t(Msg::OpenOrders).into())];
    statuses.extend(OrderStatus::ALL.iter().map(|s| (s.as_str().to_string(), t(s.msg()).to_string())));
    let none = Signal::derive(|| None::<AppError>);
    view! {
        <form method="get" action="/orders" class="toolbar doc-filter" data-test="order-filter">
            <Select label=Msg::Status name="status" options=statuses selected=now("status") scope="flt" error=none />
            <Field label=Msg::OrderNumberSearch name="number" value=now("number") scope="flt" error=none />
            <button type="submit" class="button">{t(Msg::Show)}</button>
        </form>
    }
}

/// Orders as a table (a customer's card leaves its own name out).
#[component]
pub fn OrderTable(orders: Vec<OrderSummary>, with_customer: bool) -> impl IntoView {
    let l = lang();
    if orders.is_empty() {
        return view! { <p class="muted">{t(Msg::NothingToShow)}</p> }.into_any();
    }
    view! {
        <table class="table" data-test="order-list">
            <thead>
                <tr>
                    <th>{t(Msg::OrderOf)}</th>
                    <th>{t(Msg::Status)}</th>
                    {with_customer.then(|| view! { <th>{t(Msg::Customer)}</th> })}
                    <th class="hide-sm">{t(Msg::Manager)}</th>
                    <th class="num hide-sm">{t(Msg::LinesCount)}</th>
                    <th class="num">{t(Msg::TotalSum)}</th>
                </tr>
            </thead>
            <tbody>
                {orders.into_iter().map(|o| view! {
                    <tr data-test="order-row">
                        <td>
                            <a href=format!("/orders/{}", o.id)><strong>{o.number}</strong></a>
                            <small class="muted block">{calendar_date(l, &o.order_date)}</small>
                        </td>
                        <td><span class=format!("badge status-{}", o.status.as_str())>{t(o.status.msg())}</span></td>
                        {with_customer.then(|| view! {
                            <td><a href=format!("/customers/{}", o.customer_id)>{o.customer_name.clone()}</a></td>
                        })}
                        <td class="hide-sm">{o.manager_name}</td>
                        <td class="num hide-sm">{number(l, o.lines.into())}</td>
                        <td class="num">{money(l, o.total, &o.currency)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

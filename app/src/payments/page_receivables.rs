//! `/receivables`: who owes what, per customer and currency, aged by due date (not due, then the buckets of
//! days overdue), the advances beside, the totals on top; the largest debts first, overdue sums marked. It
//! follows payments and invoices live.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::receivables_page;
use super::{AgingRow, Receivables, bucket_labels};
use crate::core::Msg;
use crate::core::format::{calendar_date, money};
use crate::ui::{ErrorPage, lang, t};

#[component]
pub fn ReceivablesPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.with(|q| q.get("cursor").filter(|s| !s.is_empty()));
    let changes = RwSignal::new(0_u32);
    #[cfg(feature = "hydrate")]
    crate::payments::panel::live::listen(changes, None);
    let data = Resource::new(move || (cursor(), changes.get()), |(c, _)| receivables_page(c));
    view! {
        <div class="page-head">
            <h1>{t(Msg::NavReceivables)}</h1>
            <div class="actions">
                <a class="button secondary" href="/payments">{t(Msg::NavPayments)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(r) => view! { <AgingTable r /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AgingTable(r: Receivables) -> impl IntoView {
    let l = lang();
    let labels = bucket_labels(&r.bounds);
    let next = r.next_cursor.clone().map(|c| format!("/receivables?cursor={c}"));
    let head =
        labels.iter().map(|b| view! { <th class="num">{format!("{b} {}", t(Msg::DaysShort))}</th> }).collect_view();
    let totals = r.totals.into_iter().map(|row| view! { <AgingLine row total=true /> }).collect_view();
    let rows = r.rows.into_iter().map(|row| view! { <AgingLine row total=false /> }).collect_view();
    view! {
        <p class="small muted">{t(Msg::AgingAsOf).replace("{}", &calendar_date(l, &r.on))}</p>
        <div class="table-scroll">
            <table class="table aging" data-test="receivables">
                <thead>
                    <tr>
                        <th>{t(Msg::Customer)}</th>
                        <th class="num">{t(Msg::OpenSum)}</th>
                        <th class="num">{t(Msg::NotDue)}</th>
                        {head}
                        <th class="num">{t(Msg::AdvanceLeft)}</th>
                    </tr>
                </thead>
                <tbody class="aging-totals">{totals}</tbody>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {next.map(|href| view! { <a class="button secondary" href=href data-test="next-page">{t(Msg::Next)}</a> })}
    }
}

/// One customer's (or, `total`, one currency's) aged debt.
#[component]
fn AgingLine(row: AgingRow, total: bool) -> impl IntoView {
    let l = lang();
    let cur = row.currency.clone();
    let show = move |d: rust_decimal::Decimal| (!d.is_zero()).then(|| money(l, d, &cur));
    let overdue = row.overdue_total();
    let who = match (row.customer_id, row.customer_name.clone()) {
        (Some(id), Some(name)) => view! { <a href=format!("/customers/{id}")>{name}</a> }.into_any(),
        _ => view! { <strong>{format!("{} ({})", t(Msg::TotalSum), row.currency)}</strong> }.into_any(),
    };
    let cells =
        row.overdue.iter().map(|d| view! { <td class="num" class:overdue=!d.is_zero()>{show(*d)}</td> }).collect_view();
    view! {
        <tr data-test=if total { "aging-total" } else { "aging-row" } class:has-overdue=!overdue.is_zero()>
            <td>{who}</td>
            <td class="num"><strong>{money(l, row.open, &row.currency)}</strong></td>
            <td class="num">{show(row.not_due)}</td>
            {cells}
            <td class="num">{show(row.advance)}</td>
        </tr>
    }
}

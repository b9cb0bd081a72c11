//! The customer list: search by name, keyset pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::list_customers;
use crate::core::Msg;
use crate::core::format::date;
use crate::core::phone::display;
use crate::shell::ui::ErrorPage;
use crate::shell::{lang, t};

/// `/customers?q=&cursor=`.
#[component]
pub fn CustomerListPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").filter(|s| !s.is_empty()));
    let cursor = move || query.with(|m| m.get("cursor").filter(|s| !s.is_empty()));
    let page = Resource::new(move || (q(), cursor()), |(q, cursor)| list_customers(q, cursor));
    let lang = lang();
    view! {
        <div class="page-head">
            <h1>{t(Msg::Customers)}</h1>
            <a href="/customers/new" class="button primary" data-test="new-customer">
                {t(Msg::NewCustomer)}
            </a>
        </div>
        <form method="get" action="/customers" class="toolbar" role="search">
            <label for="list-search" class="sr-only">{t(Msg::SearchPlaceholder)}</label>
            <input
                id="list-search"
                type="search"
                name="q"
                value=q
                placeholder=t(Msg::SearchPlaceholder)
                data-test="list-search"
            />
            <button type="submit" class="button">{t(Msg::Search)}</button>
        </form>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(page) if page.items.is_empty() => {
                        let msg = if q().is_some() { Msg::NothingFound } else { Msg::NoCustomersYet };
                        view! { <p class="empty" data-test="empty">{t(msg)}</p> }.into_any()
                    }
                    Ok(page) => {
                        let next = page.next_cursor.map(|c| {
                            let mut href = format!("/customers?cursor={c}");
                            if let Some(q) = q() {
                                href.push_str("&q=");
                                href.push_str(&encode(&q));
                            }
                            href
                        });
                        let first = cursor().map(|_| match q() {
                            Some(q) => format!("/customers?q={}", encode(&q)),
                            None => "/customers".to_string(),
                        });
                        view! {
                            <table class="table" data-test="customer-table">
                                <thead>
                                    <tr>
                                        <th>{t(Msg::Name)}</th>
                                        <th class="hide-sm">{t(Msg::Phone)}</th>
                                        <th class="hide-sm">{t(Msg::Email)}</th>
                                        <th>{t(Msg::Manager)}</th>
                                        <th class="hide-md">{t(Msg::CreatedAt)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page
                                        .items
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <tr data-test="customer-row">
                                                    <td>
                                                        <a href=format!("/customers/{}", c.id)>{c.name}</a>
                                                        <span class="muted small">" · " {t(c.kind.msg())}</span>
                                                    </td>
                                                    <td class="hide-sm nowrap">{c.phone.as_deref().map(display)}</td>
                                                    <td class="hide-sm">{c.email}</td>
                                                    <td>{c.manager_name}</td>
                                                    <td class="hide-md">{date(lang, c.created_at)}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <nav class="pager" aria-label="pagination">
                                {first.map(|href| view! { <a href=href class="button">{t(Msg::FirstPage)}</a> })}
                                {next.map(|href| view! { <a href=href class="button" data-test="next-page">{t(Msg::Next)}</a> })}
                            </nav>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

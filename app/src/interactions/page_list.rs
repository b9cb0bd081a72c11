//! `/interactions`: every interaction the user may see, across customers, filtered by kind, person, status
//! and period; keyset pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{InteractionListView, list_interactions};
use super::{InteractionKind, direction_msg, status_msg};
use crate::core::format::date_time;
use crate::core::{AppError, Msg};
use crate::customers::page_list::encode;
use crate::ui::{ErrorPage, lang, t};

/// The list's query parameters besides the cursor.
const PARAMS: [&str; 6] = ["kind", "author", "status", "from", "to", "archived"];

/// `/interactions?kind=&author=&status=&from=&to=&archived=&cursor=`.
#[component]
pub fn InteractionListPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|m| m.get(k).filter(|s| !s.is_empty()));
    let filters = move || {
        PARAMS.iter().filter_map(|k| param(k).map(|v| format!("{k}={}", encode(&v)))).collect::<Vec<_>>().join("&")
    };
    let page = Resource::new(
        move || (PARAMS.map(param), param("cursor")),
        |([kind, author, status, from, to, archived], cursor)| {
            list_interactions(kind, author, status, from, to, archived, cursor)
        },
    );
    let lang = lang();
    view! {
        <div class="page-head">
            <h1>{t(Msg::Interactions)}</h1>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(err @ AppError::Validation { .. }) => {
                        let text = match &err {
                            AppError::Validation { fields } => fields.first().map(|f| t(f.code.msg()).to_string()).unwrap_or_default(),
                            _ => String::new(),
                        };
                        view! {
                            <Filters people=vec![] param />
                            <p class="alert alert-error" role="alert" data-test="filter-error">{text}</p>
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(InteractionListView { page, people }) => {
                        let next = page.next_cursor.clone().map(|c| {
                            let f = filters();
                            let sep = if f.is_empty() { "" } else { "&" };
                            format!("/interactions?{f}{sep}cursor={}", encode(&c))
                        });
                        let empty = page.items.is_empty();
                        view! {
                            <Filters people param />
                            {empty.then(|| view! { <p class="empty" data-test="empty">{t(Msg::NothingFound)}</p> })}
                            {(!empty).then(|| view! {
                                <table class="table" data-test="interaction-table">
                                    <thead>
                                        <tr>
                                            <th>{t(Msg::When)}</th>
                                            <th>{t(Msg::Kind)}</th>
                                            <th>{t(Msg::Customer)}</th>
                                            <th class="hide-sm">{t(Msg::Summary)}</th>
                                            <th class="hide-md">{t(Msg::Manager)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|i| {
                                            let summary = i.subject.clone().or(i.body.clone()).unwrap_or_default();
                                            let summary: String = summary.chars().take(120).collect();
                                            let dir = i.direction.as_deref().map(|d| format!(" · {}", t(direction_msg(d))));
                                            view! {
                                                <tr data-test="interaction-row">
                                                    <td class="nowrap">{date_time(lang, i.occurred_at)}</td>
                                                    <td>
                                                        {t(i.kind.msg())} <span class="muted small">{dir}</span>
                                                        <div>
                                                            <span class="badge">{t(status_msg(&i.status))}</span>
                                                            {i.archived_at.map(|_| view! { " " <span class="badge" data-test="archived-badge">{t(Msg::RecordArchived)}</span> })}
                                                        </div>
                                                    </td>
                                                    <td>
                                                        <a href=format!("/customers/{}#timeline", i.customer_id)>{i.customer_name}</a>
                                                        {i.contact_name.map(|c| view! { <div class="muted small">{c}</div> })}
                                                    </td>
                                                    <td class="hide-sm">{summary}</td>
                                                    <td class="hide-md">{i.author_name}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                            <nav class="pager" aria-label=t(Msg::Pagination)>
                                {param("cursor").map(|_| {
                                    let f = filters();
                                    view! { <a href=format!("/interactions?{f}") class="button">{t(Msg::FirstPage)}</a> }
                                })}
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

/// The filters: a plain GET form (works without JavaScript).
#[component]
fn Filters(people: Vec<(i64, String)>, param: impl Fn(&str) -> Option<String> + Copy + 'static) -> impl IntoView {
    let selected = move |k: &str, v: &str| param(k).as_deref() == Some(v);
    let statuses = ["planned", "held", "cancelled", "answered", "missed", "sent", "received", "failed"];
    view! {
        <form method="get" action="/interactions" class="toolbar filters" data-test="int-filters">
            <label for="int-kind" class="sr-only">{t(Msg::Kind)}</label>
            <select id="int-kind" name="kind" data-test="int-kind">
                <option value="">{t(Msg::AnyKind)}</option>
                {InteractionKind::ALL.into_iter().map(|k| {
                    view! { <option value=k.code() selected=selected("kind", k.code())>{t(k.msg())}</option> }
                }).collect_view()}
            </select>
            <label for="int-author" class="sr-only">{t(Msg::Manager)}</label>
            <select id="int-author" name="author" data-test="int-author">
                <option value="">{t(Msg::Everyone)}</option>
                {people.into_iter().map(|(id, name)| {
                    let sel = selected("author", &id.to_string());
                    view! { <option value=id selected=sel>{name}</option> }
                }).collect_view()}
            </select>
            <label for="int-status" class="sr-only">{t(Msg::Status)}</label>
            <select id="int-status" name="status" data-test="int-status-filter">
                <option value="">{t(Msg::AnyStatus)}</option>
                {statuses.into_iter().map(|s| view! { <option value=s selected=selected("status", s)>{t(status_msg(s))}</option> }).collect_view()}
            </select>
            <crate::records::panel::ArchivedSelect current=param("archived") />
            <label class="inline-label">{t(Msg::FromDate)} <input type="date" name="from" value=param("from") data-test="int-from" /></label>
            <label class="inline-label">{t(Msg::ToDate)} <input type="date" name="to" value=param("to") data-test="int-to" /></label>
            <button type="submit" class="button" data-test="filter-submit">{t(Msg::Search)}</button>
        </form>
    }
}

//! The customer list: search by name, keyset pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::CustomerStage;
use super::api::{ListPage, list_customers};
use crate::core::format::date;
use crate::core::phone::display;
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, lang, t};

/// The list's query parameters besides the cursor.
const PARAMS: [&str; 7] = ["q", "segment", "stage", "field", "value", "sort", "archived"];

/// `/customers?q=&segment=&stage=&field=&value=&sort=&archived=&cursor=`.
#[component]
pub fn CustomerListPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|m| m.get(k).filter(|s| !s.is_empty()));
    let cursor = move || param("cursor");
    // The filters as a query string (pager links keep them).
    let filters = move || {
        PARAMS.iter().filter_map(|k| param(k).map(|v| format!("{k}={}", encode(&v)))).collect::<Vec<_>>().join("&")
    };
    let page = Resource::new(
        move || (PARAMS.map(param), cursor()),
        |([q, segment, stage, field, value, sort, archived], cursor)| {
            let segment = segment.and_then(|s| s.parse().ok());
            list_customers(q, cursor, segment, stage, field, value, sort, archived)
        },
    );
    let lang = lang();
    // The export of what the list shows (the same filters, every page).
    let export_href = move |format: &str| {
        let f = filters();
        if f.is_empty() {
            format!("/customers/export?format={format}")
        } else {
            format!("/customers/export?format={format}&{f}")
        }
    };
    view! {
        <div class="page-head">
            <h1>{t(Msg::Customers)}</h1>
            <div class="actions">
                <a href=move || export_href("csv") class="button" rel="external" data-test="export-csv" download>{t(Msg::ExportCsv)}</a>
                <a href=move || export_href("xlsx") class="button" rel="external" data-test="export-xlsx" download>{t(Msg::ExportXlsx)}</a>
                <a href="/customers/import" class="button" data-test="import">{t(Msg::Import)}</a>
                <a href="/customers/new" class="button primary" data-test="new-customer">
                    {t(Msg::NewCustomer)}
                </a>
            </div>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(err @ AppError::Validation { .. }) => view! {
                        <FilterBar page=None param />
                        <p class="alert alert-error" role="alert" data-test="filter-error">{filter_problem(&err)}</p>
                    }
                        .into_any(),
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(page) if page.items.is_empty() => {
                        let filtered = PARAMS.iter().any(|k| param(k).is_some());
                        let msg = if filtered { Msg::NothingFound } else { Msg::NoCustomersYet };
                        view! {
                            <FilterBar page=Some(page) param />
                            <p class="empty" data-test="empty">{t(msg)}</p>
                        }
                            .into_any()
                    }
                    Ok(page) => {
                        let with = |extra: String| {
                            let f = filters();
                            match (f.is_empty(), extra.is_empty()) {
                                (true, true) => "/customers".to_string(),
                                (true, false) => format!("/customers?{extra}"),
                                (false, true) => format!("/customers?{f}"),
                                (false, false) => format!("/customers?{f}&{extra}"),
                            }
                        };
                        let next = page.next_cursor.clone().map(|c| with(format!("cursor={}", encode(&c))));
                        let first = cursor().map(|_| with(String::new()));
                        let total = page.total.map(|n| {
                            format!("{}: {}", t(Msg::MembersCount), crate::core::format::number(lang, n.into()))
                        });
                        let items = page.items.clone();
                        view! {
                            <FilterBar page=Some(page) param />
                            {total.map(|text| view! { <p class="muted" data-test="segment-total">{text}</p> })}
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
                                    {items
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <tr data-test="customer-row">
                                                    <td>
                                                        <a href=format!("/customers/{}", c.id)>{c.name}</a>
                                                        <span class="muted small">" · " {t(c.kind.msg())}</span>
                                                        {c.archived.then(|| view! { <span class="badge" data-test="archived-badge">{t(Msg::RecordArchived)}</span> })}
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

/// The first problem of a refused filter, translated.
fn filter_problem(err: &AppError) -> String {
    match err {
        AppError::Validation { fields } => {
            fields.first().map(|f| t(f.code.msg()).to_string()).unwrap_or_else(|| err.message(lang()))
        }
        _ => err.message(lang()),
    }
}

/// The search box and filters: a plain GET form (works without JavaScript).
#[component]
fn FilterBar(page: Option<ListPage>, param: impl Fn(&str) -> Option<String> + Copy + 'static) -> impl IntoView {
    let (segments, fields) = page.map(|p| (p.segments, p.fields)).unwrap_or_default();
    let selected = move |k: &str, v: &str| param(k).as_deref() == Some(v);
    let stages = CustomerStage::ALL.map(|s| (s.as_str(), t(s.msg())));
    let mut sorts: Vec<(String, String)> = vec![
        (String::new(), t(Msg::SortNewest).to_string()),
        ("oldest".into(), t(Msg::SortOldest).to_string()),
        ("name".into(), t(Msg::SortName).to_string()),
        ("-name".into(), t(Msg::SortNameDesc).to_string()),
    ];
    for (key, label) in &fields {
        sorts.push((format!("custom.{key}"), format!("{label} ↑")));
        sorts.push((format!("-custom.{key}"), format!("{label} ↓")));
    }
    view! {
        <form method="get" action="/customers" class="toolbar filters" role="search" data-test="filter-bar">
            <label for="list-search" class="sr-only">{t(Msg::SearchPlaceholder)}</label>
            <input
                id="list-search"
                type="search"
                name="q"
                value=param("q")
                placeholder=t(Msg::SearchPlaceholder)
                data-test="list-search"
            />
            <label for="list-segment" class="sr-only">{t(Msg::Segment)}</label>
            <select id="list-segment" name="segment" data-test="list-segment">
                <option value="">{t(Msg::AllCustomers)}</option>
                {segments
                    .into_iter()
                    .map(|(id, name)| {
                        let sel = selected("segment", &id.to_string());
                        view! { <option value=id selected=sel>{name}</option> }
                    })
                    .collect_view()}
            </select>
            <label for="list-stage" class="sr-only">{t(Msg::Stage)}</label>
            <select id="list-stage" name="stage" data-test="list-stage">
                <option value="">{t(Msg::AnyStage)}</option>
                {stages
                    .into_iter()
                    .map(|(v, l)| view! { <option value=v selected=selected("stage", v)>{l}</option> })
                    .collect_view()}
            </select>
            {(!fields.is_empty()).then(|| view! {
                <label for="list-field" class="sr-only">{t(Msg::CustomFields)}</label>
                <select id="list-field" name="field" data-test="list-field">
                    <option value="">{t(Msg::CustomFields)}</option>
                    {fields
                        .into_iter()
                        .map(|(k, l)| {
                            let sel = selected("field", &k);
                            view! { <option value=k selected=sel>{l}</option> }
                        })
                        .collect_view()}
                </select>
                <label for="list-value" class="sr-only">{t(Msg::RuleValue)}</label>
                <input id="list-value" name="value" value=param("value") placeholder=t(Msg::RuleValue) data-test="list-value" />
            })}
            <label for="list-sort" class="sr-only">{t(Msg::SortBy)}</label>
            <select id="list-sort" name="sort" data-test="list-sort">
                {sorts
                    .into_iter()
                    .map(|(v, l)| {
                        let sel = selected("sort", &v);
                        view! { <option value=v selected=sel>{l}</option> }
                    })
                    .collect_view()}
            </select>
            <label for="list-archived" class="sr-only">{t(Msg::ArchiveFilter)}</label>
            <select id="list-archived" name="archived" data-test="list-archived">
                {[("", Msg::ActiveRecords), ("only", Msg::ArchivedRecords), ("all", Msg::AllRecords)]
                    .into_iter()
                    .map(|(v, l)| {
                        let sel = param("archived").as_deref().unwrap_or_default() == v;
                        view! { <option value=v selected=sel>{t(l)}</option> }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button" data-test="filter-submit">{t(Msg::Search)}</button>
        </form>
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
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

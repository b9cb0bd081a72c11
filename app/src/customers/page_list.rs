//! The customer list: search by name, keyset pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::CustomerStage;
use super::api::{BulkCustomers, ListPage, list_customers};
use crate::core::format::date;
use crate::core::phone::display;
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, FormError, Submit, action_error, field_message, lang, t};

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
    let bulk = ServerAction::<BulkCustomers>::new();
    // Whether the bulk bar is open: it stays so while the list reloads after an action.
    let bulk_open = RwSignal::new(false);
    let page = Resource::new(
        move || (PARAMS.map(param), cursor(), bulk.version().get()),
        |([q, segment, stage, field, value, sort, archived], cursor, _)| {
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
                        let (people, static_segments) = (page.people.clone(), page.static_segments.clone());
                        view! {
                            <FilterBar page=Some(page) param />
                            {total.map(|text| view! { <p class="muted" data-test="segment-total">{text}</p> })}
                            <BulkBar
                                action=bulk
                                open=bulk_open
                                people
                                static_segments
                                filters=["q", "segment", "stage", "field", "value", "archived"]
                                    .into_iter()
                                    .filter_map(|k| param(k).map(|v| (k, v)))
                                    .collect()
                            />
                            <table class="table cards" data-test="customer-table">
                                <thead>
                                    <tr>
                                        <th class="select-col">
                                            <input type="checkbox" aria-label=t(Msg::SelectPage) on:change=select_page data-test="select-page" />
                                        </th>
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
                                                    <td class="select-col">
                                                        <input type="checkbox" form="bulk-form" name=format!("sel[{}]", c.id) value="on"
                                                            class="row-select" data-id=c.id aria-label=format!("{}: {}", t(Msg::SelectRow), c.name)
                                                            data-test="select-row" />
                                                    </td>
                                                    <td class="card-title">
                                                        <a href=format!("/customers/{}", c.id)>{c.name}</a>
                                                        <span class="muted small">" · " {t(c.kind.msg())}</span>
                                                        {c.archived.then(|| view! { <span class="badge" data-test="archived-badge">{t(Msg::RecordArchived)}</span> })}
                                                    </td>
                                                    <td class="hide-sm nowrap">{c.phone.as_deref().map(display)}</td>
                                                    <td class="hide-sm">{c.email}</td>
                                                    <td data-label=t(Msg::Manager)>{c.manager_name}</td>
                                                    <td class="hide-md" data-label=t(Msg::CreatedAt)>{date(lang, c.created_at)}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <nav class="pager" aria-label=t(Msg::Pagination)>
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

/// The rows' tick boxes (`:checked` ones only with `checked`).
#[cfg(feature = "hydrate")]
fn row_boxes(checked: bool) -> Vec<leptos::web_sys::HtmlInputElement> {
    use leptos::wasm_bindgen::JsCast;
    let selector = if checked { "input.row-select:checked" } else { "input.row-select" };
    let Some(Ok(boxes)) = leptos::web_sys::window().and_then(|w| w.document()).map(|d| d.query_selector_all(selector))
    else {
        return Vec::new();
    };
    (0..boxes.length()).filter_map(|i| boxes.item(i).and_then(|n| n.dyn_into().ok())).collect()
}

/// Ticks or clears every row's box (the header's box).
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn select_page(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    for b in row_boxes(false) {
        b.set_checked(event_target_checked(&ev));
    }
}

/// The ids of the ticked rows.
fn selected_ids() -> Vec<String> {
    #[cfg(feature = "hydrate")]
    return row_boxes(true).into_iter().filter_map(|b| b.get_attribute("data-id")).collect();
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

/// What to do with the ticked customers (or everything the filter finds): hand to a manager, tag, add to
/// a static segment, archive, restore; and the export of the ticked ones. The row boxes belong to this
/// form (`form="bulk-form"`).
#[component]
fn BulkBar(
    action: ServerAction<BulkCustomers>,
    open: RwSignal<bool>,
    people: Vec<(i64, String)>,
    static_segments: Vec<(i64, String)>,
    /// The list's filters, sent along for "everything the filter finds".
    filters: Vec<(&'static str, String)>,
) -> impl IntoView {
    let chosen = RwSignal::new("reassign".to_string());
    let error = action_error(action);
    let done =
        move || {
            action.value().get().and_then(Result::ok).map(|r| {
                t(Msg::BulkDone).replace("{0}", &r.changed.to_string()).replace("{1}", &r.unchanged.to_string())
            })
        };
    let mut actions = vec![("reassign", Msg::BulkReassign), ("tag", Msg::BulkTag)];
    if !static_segments.is_empty() {
        actions.push(("segment", Msg::BulkAddToSegment));
    }
    actions.extend([("archive", Msg::BulkArchive), ("restore", Msg::BulkRestore)]);
    let msg = move |name: &'static str| move || field_message(error.get(), name);
    let export = move |_| {
        let ids = selected_ids();
        if ids.is_empty() {
            return;
        }
        if let Some(w) = leptos::web_sys::window() {
            let _ = w.location().set_href(&format!("/customers/export?format=csv&ids={}", ids.join(",")));
        }
    };
    view! {
        <details class="bulk" data-test="bulk" open=move || open.get_untracked()
            on:toggle=move |ev| {
                use leptos::wasm_bindgen::JsCast;
                if let Some(d) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlDetailsElement>().ok()) {
                    open.set(d.open());
                }
            }>
            <summary class="button small">{t(Msg::BulkActions)}</summary>
            <leptos::form::ActionForm action attr:id="bulk-form" attr:class="toolbar bulk-bar" attr:data-test="bulk-form">
                {filters.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v /> }).collect_view()}
                <label for="bulk-action" class="sr-only">{t(Msg::BulkActions)}</label>
                <select id="bulk-action" name="action" data-test="bulk-action"
                    on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {actions.into_iter().map(|(v, m)| view! { <option value=v>{t(m)}</option> }).collect_view()}
                </select>
                <span class:hidden=move || chosen.get() != "reassign">
                    <label for="bulk-manager" class="sr-only">{t(Msg::NewManager)}</label>
                    <select id="bulk-manager" name="manager_id" data-test="bulk-manager">
                        {people.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </span>
                <span class:hidden=move || chosen.get() != "tag">
                    <label for="bulk-tag" class="sr-only">{t(Msg::Tag)}</label>
                    <input id="bulk-tag" name="tag" placeholder=t(Msg::Tag) data-test="bulk-tag" />
                </span>
                <span class:hidden=move || chosen.get() != "segment">
                    <label for="bulk-segment" class="sr-only">{t(Msg::Segment)}</label>
                    <select id="bulk-segment" name="segment_id" data-test="bulk-segment">
                        {static_segments.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </span>
                <label class="check">
                    <input type="checkbox" name="all" value="true" data-test="bulk-all" />
                    {t(Msg::BulkAllMatching)}
                </label>
                <Submit pending=action.pending() label=Msg::BulkApply busy=Msg::BulkBusy class="button small primary" test="bulk-apply" />
                <button type="button" class="button small" on:click=export data-test="export-selected">{t(Msg::ExportSelected)}</button>
            </leptos::form::ActionForm>
            <p class="field-error" role="alert" data-test="bulk-error">
                {move || [msg("ids")(), msg("manager_id")(), msg("tag")(), msg("segment_id")(), msg("action")()].into_iter().flatten().collect::<Vec<_>>().join("; ")}
            </p>
            <FormError error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation { .. }))) />
            {move || done().map(|text| view! { <p class="alert alert-ok" role="status" data-test="bulk-done">{text}</p> })}
        </details>
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
            <crate::records::panel::ArchivedSelect current=param("archived") />
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

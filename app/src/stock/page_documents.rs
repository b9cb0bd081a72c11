//! `/stock/documents`: stock documents, filtered, with the form a storekeeper fills on a tablet (a barcode
//! scanner types into the product field); `/stock/documents/:id`: one document, posted, received or cancelled
//! from its page. Plain forms: everything works before (or without) the scripts.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{ActOnStockDocument, CreateStockDocument, DocView, DocsView, stock_document, stock_documents};
use super::dashboard::WarehouseChoice;
use super::{DocKind, DocStatus};
use crate::core::format::{date_time, money, number};
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, Field, FormError, Select, Submit, action_error, field_message, general_error, lang, t};

/// Empty line rows the form offers (a longer document is saved and continued as a draft, or sent over REST).
const LINE_ROWS: usize = 6;

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).filter(|s| !s.is_empty()));
    let docs = Resource::new(
        move || (get("warehouse"), get("kind"), get("status"), get("cursor")),
        |(w, k, s, c)| stock_documents(w, k, s, c),
    );
    let new_kind = move || get("new").as_deref().and_then(DocKind::parse).unwrap_or(DocKind::Receipt);
    view! {
        <div class="page-head">
            <h1>{t(Msg::StockDocuments)}</h1>
            <div class="actions">
                <a class="button secondary" href="/stock">{t(Msg::StockDashboard)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match docs.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(DocsView { page, warehouses, postable }) => {
                        let form = (!postable.is_empty())
                            .then(|| view! { <NewDocument kind=new_kind() postable warehouses=warehouses.clone() /> });
                        let next = page.next_cursor.clone().map(|c| {
                            let keep: String = ["warehouse", "kind", "status"]
                                .iter()
                                .filter_map(|k| get(k).map(|v| format!("{k}={}&", crate::customers::page_list::encode(&v))))
                                .collect();
                            format!("/stock/documents?{keep}cursor={c}")
                        });
                        view! {
                            {form}
                            <Filter warehouses />
                            <DocTable docs=page.items />
                            {next.map(|href| view! { <a class="button secondary" href=href data-test="next-page">{t(Msg::Next)}</a> })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

fn choices(list: &[WarehouseChoice]) -> Vec<(String, String)> {
    list.iter().map(|w| (w.id.to_string(), w.name.clone())).collect()
}

#[component]
fn Filter(warehouses: Vec<WarehouseChoice>) -> impl IntoView {
    let query = use_query_map();
    let now = move |k: &str| query.with_untracked(|q| q.get(k).unwrap_or_default());
    let any = || (String::new(), "—".to_string());
    let mut places = vec![any()];
    places.extend(choices(&warehouses));
    let mut kinds = vec![any()];
    kinds.extend(DocKind::ALL.iter().map(|k| (k.as_str().to_string(), t(k.msg()).to_string())));
    let mut statuses = vec![any()];
    statuses.extend(
        [DocStatus::Draft, DocStatus::InTransit, DocStatus::Posted, DocStatus::Cancelled]
            .iter()
            .map(|s| (s.as_str().to_string(), t(s.msg()).to_string())),
    );
    let none = Signal::derive(|| None::<AppError>);
    view! {
        <form method="get" action="/stock/documents" class="toolbar doc-filter" data-test="doc-filter">
            <Select label=Msg::Warehouse name="warehouse" options=places selected=now("warehouse") scope="flt" error=none />
            <Select label=Msg::Kind name="kind" options=kinds selected=now("kind") scope="flt" error=none />
            <Select label=Msg::Status name="status" options=statuses selected=now("status") scope="flt" error=none />
            <button type="submit" class="button">{t(Msg::Show)}</button>
        </form>
    }
}

#[component]
fn DocTable(docs: Vec<super::DocSummary>) -> impl IntoView {
    let l = lang();
    if docs.is_empty() {
        return super::nothing_yet();
    }
    view! {
        <table class="table" data-test="doc-list">
            <thead>
                <tr>
                    <th>{t(Msg::DocNumber)}</th>
                    <th>{t(Msg::Status)}</th>
                    <th>{t(Msg::Warehouse)}</th>
                    <th class="hide-sm">{t(Msg::DocDate)}</th>
                    <th class="num">{t(Msg::DocLines)}</th>
                </tr>
            </thead>
            <tbody>
                {docs.into_iter().map(|d| view! {
                    <tr data-test="doc-row">
                        <td>
                            <a href=format!("/stock/documents/{}", d.id)><strong>{d.number}</strong></a>
                            <small class="muted block">{t(d.kind.msg())}</small>
                        </td>
                        <td><span class=format!("badge status-{}", d.status.as_str())>{t(d.status.msg())}</span></td>
                        <td>{d.warehouse_name}</td>
                        <td class="hide-sm">{date_time(l, d.doc_at)}</td>
                        <td class="num">{number(l, d.lines.into())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The form for a new document of `kind`, with a tab per kind.
#[component]
fn NewDocument(kind: DocKind, postable: Vec<WarehouseChoice>, warehouses: Vec<WarehouseChoice>) -> impl IntoView {
    let create = ServerAction::<CreateStockDocument>::new();
    let error = action_error(create);
    let general = general_error(error);
    let tabs = DocKind::ALL
        .iter()
        .map(|k| {
            let current = (*k == kind).then_some("page");
            view! {
                <a href=format!("/stock/documents?new={}", k.as_str()) class="tab" aria-current=current
                    data-test=format!("new-{}", k.as_str())>{t(k.msg())}</a>
            }
        })
        .collect_view();
    let to = (kind == DocKind::Transfer).then(|| {
        view! { <Select label=Msg::ToWarehouse name="to_warehouse" options=choices(&warehouses) error /> }
    });
    let reason =
        (kind == DocKind::WriteOff).then(|| view! { <Field label=Msg::DocReason name="reason" required=true error /> });
    let costs = kind == DocKind::Receipt;
    let rows = (0..LINE_ROWS)
        .map(|n| {
            let cell = move |field: &'static str, label: Msg, mode: &'static str, wide: bool| {
                let name = format!("line[{field}.{n}]");
                let key = StoredValue::new(format!("lines[{n}].{field}"));
                let msg = move || key.with_value(|k| field_message(error.get(), k));
                let id = format!("line-{field}-{n}");
                view! {
                    <td class:wide=wide class:invalid=move || msg().is_some()>
                        <label for=id.clone() class="sr-only">{format!("{} {}", t(label), n + 1)}</label>
                        <input id=id name=name inputmode=mode autocomplete="off" aria-invalid=move || msg().is_some().to_string()
                            data-test=format!("line-{field}-{n}") autofocus={n == 0 && field == "product"} />
                        <p class="field-error">{msg}</p>
                    </td>
                }
            };
            view! {
                <tr>
                    {cell("product", Msg::ProductCode, "text", true)}
                    {cell("qty", Msg::Quantity, "decimal", false)}
                    {cell("unit", Msg::UnitName, "text", false)}
                    {costs.then(|| cell("cost", Msg::UnitCost, "decimal", false))}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" data-test="new-document">
            <h2>{t(Msg::NewStockDocument)}</h2>
            <nav class="tabs" aria-label=t(Msg::Kind)>{tabs}</nav>
            <ActionForm action=create attr:class="stack" attr:data-test="document-form">
                <FormError error=general />
                <input type="hidden" name="kind" value=kind.as_str() />
                <div class="grid-2">
                    <Select label=Msg::Warehouse name="warehouse" options=choices(&postable) error />
                    {to}
                    {reason}
                    <Field label=Msg::Notes name="note" error />
                </div>
                <table class="table lines" data-test="document-lines">
                    <thead>
                        <tr>
                            <th>{t(Msg::ProductCode)}</th>
                            <th>{t(Msg::Quantity)}</th>
                            <th>{t(Msg::UnitName)}</th>
                            {costs.then(|| view! { <th>{t(Msg::UnitCost)}</th> })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <label class="check">
                    <input type="checkbox" name="post" value="1" checked=true data-test="post-now" />
                    {t(Msg::PostNow)}
                </label>
                <Submit pending=create.pending() label=Msg::Save test="document-submit" />
            </ActionForm>
        </section>
    }
}

/// `/stock/documents/:id`.
#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default());
    let act = ServerAction::<ActOnStockDocument>::new();
    let doc = Resource::new(move || (id(), act.version().get()), |(id, _)| stock_document(id));
    let error = action_error(act);
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match doc.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(v) => view! { <Document v act error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Document(v: DocView, act: ServerAction<ActOnStockDocument>, error: Signal<Option<AppError>>) -> impl IntoView {
    let l = lang();
    let d = v.doc;
    if let Some(name) = use_context::<crate::ui::PageName>() {
        name.0.set(d.number.clone());
    }
    let button = |what: &'static str, label: Msg, class: &'static str| {
        view! {
            <ActionForm action=act attr:class="inline-form">
                <input type="hidden" name="id" value=d.id />
                <input type="hidden" name="version" value=d.version />
                <input type="hidden" name="act" value=what />
                <Submit pending=act.pending() label class test=format!("doc-{what}") />
            </ActionForm>
        }
    };
    let receipt = d.kind == DocKind::Receipt;
    let counted = d.kind == DocKind::Inventory;
    let place = match &d.to_warehouse_name {
        Some(to) => format!("{} → {to}", d.warehouse_name),
        None => d.warehouse_name.clone(),
    };
    view! {
        <div class="page-head">
            <h1>
                {d.number.clone()} " " <small class="muted">{t(d.kind.msg())}</small>
            </h1>
            <div class="actions">
                {v.may_post.then(|| button("post", Msg::PostDoc, "button primary"))}
                {v.may_receive.then(|| button("receive", Msg::ReceiveDoc, "button primary"))}
                {v.may_cancel.then(|| button("cancel", Msg::CancelDoc, "button danger"))}
            </div>
        </div>
        <FormError error />
        <dl class="facts doc-facts">
            <dt>{t(Msg::Status)}</dt>
            <dd><span class=format!("badge status-{}", d.status.as_str()) data-test="doc-status">{t(d.status.msg())}</span></dd>
            <dt>{t(Msg::Warehouse)}</dt><dd>{place}</dd>
            <dt>{t(Msg::DocDate)}</dt><dd>{date_time(l, d.doc_at)}</dd>
            {d.reason.clone().map(|r| view! { <dt>{t(Msg::DocReason)}</dt><dd>{r}</dd> })}
            {d.note.clone().map(|n| view! { <dt>{t(Msg::Notes)}</dt><dd>{n}</dd> })}
        </dl>
        <table class="table" data-test="doc-lines">
            <thead>
                <tr>
                    <th>{t(Msg::Product)}</th>
                    <th class="num">{t(Msg::Quantity)}</th>
                    <th class="num hide-sm">{t(Msg::BaseQty)}</th>
                    {counted.then(|| view! { <th class="num">{t(Msg::ExpectedQty)}</th> })}
                    {receipt.then(|| view! { <th class="num">{t(Msg::UnitCost)}</th> })}
                </tr>
            </thead>
            <tbody>
                {d.lines.into_iter().map(|line| view! {
                    <tr>
                        <td>{line.product_name}</td>
                        <td class="num">{number(l, line.qty)} " " <small class="muted">{line.unit}</small></td>
                        <td class="num hide-sm">{number(l, line.base_qty)}</td>
                        {counted.then(|| view! { <td class="num">{line.expected.map(|e| number(l, e)).unwrap_or_default()}</td> })}
                        {receipt.then(|| view! { <td class="num">{line.unit_cost.map(|c| money(l, c, super::STOCK_CURRENCY)).unwrap_or_default()}</td> })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

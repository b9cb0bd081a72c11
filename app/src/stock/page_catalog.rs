//! `/stock/products`: the catalog, searched by name, SKU or a scanned barcode and filtered by a group (with
//! its subgroups), paged; exported to CSV or Excel and imported from them. `/stock/products/:id`: a
//! product's card with its stock in each warehouse and its movement history, each movement with its
//! document. Plain links and GET forms: everything works without the scripts.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{CatalogView, GroupChoice, ProductView, SaveProduct, stock_product, stock_products};
use super::{Product, ProductKind};
use crate::core::format::{date_time, money, number};
use crate::core::{AppError, Msg};
use crate::custom_fields::inputs::CustomInputs;
use crate::custom_fields::{CustomField, value_text};
use crate::customers::page_list::encode;
use crate::ui::{ErrorPage, Field, FormError, Select, Submit, action_error, general_error, lang, t};

#[component]
pub fn CatalogPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).filter(|s| !s.is_empty()));
    let page = Resource::new(move || (get("q"), get("group"), get("cursor")), |(q, g, c)| stock_products(q, g, c));
    // The filters a link carries on: the export's and the next page's.
    let kept = move || {
        [("q", "q"), ("group", "group_id")]
            .iter()
            .filter_map(|(k, api)| get(k).map(|v| format!("{api}={}&", encode(&v))))
            .collect::<String>()
    };
    view! {
        <div class="page-head">
            <h1>{t(Msg::Catalog)}</h1>
            <div class="actions">
                <a class="button secondary" href="/stock/groups" data-test="catalog-groups">{t(Msg::ProductGroups)}</a>
                <a class="button secondary" href=move || format!("/api/v1/exports/products?{}format=csv", kept())
                    data-test="export-csv" download>{t(Msg::ExportCsv)}</a>
                <a class="button secondary" href=move || format!("/api/v1/exports/products?{}format=xlsx", kept())
                    data-test="export-xlsx" download>{t(Msg::ExportXlsx)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(CatalogView { items, next_cursor, groups, keeps_catalog, fields }) => {
                        let next = next_cursor.map(|c| {
                            let keep: String = ["q", "group"]
                                .iter()
                                .filter_map(|k| get(k).map(|v| format!("{k}={}&", encode(&v))))
                                .collect();
                            format!("/stock/products?{keep}cursor={c}")
                        });
                        let form = keeps_catalog.then(|| {
                            let groups = groups.clone();
                            view! {
                                <details class="panel" data-test="new-product">
                                    <summary>{t(Msg::NewProduct)}</summary>
                                    <ProductForm product=None groups fields=fields.clone() />
                                </details>
                                <p class="muted small">
                                    <a href="/customers/import" data-test="catalog-import">{t(Msg::ImportProducts)}</a>
                                </p>
                            }
                        });
                        view! {
                            {form}
                            <Filter groups />
                            <ProductTable items />
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
fn Filter(groups: Vec<GroupChoice>) -> impl IntoView {
    let query = use_query_map();
    let now = move |k: &str| query.with_untracked(|q| q.get(k).unwrap_or_default());
    let options = group_options(Msg::AllGroups, groups);
    let none = Signal::derive(|| None::<AppError>);
    view! {
        <form method="get" action="/stock/products" class="toolbar doc-filter" data-test="catalog-filter">
            <Field label=Msg::Search name="q" kind="search" value=now("q") placeholder=Msg::ProductCode autocomplete="off"
                scope="cat" error=none />
            <Select label=Msg::ProductGroupField name="group" options selected=now("group") scope="cat" error=none />
            <button type="submit" class="button">{t(Msg::Show)}</button>
        </form>
    }
}

/// The groups as choices, subgroups indented under their group (the list is in path order), after `none`.
fn group_options(none: Msg, groups: Vec<GroupChoice>) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), t(none).to_string())];
    options.extend(groups.into_iter().map(|g| {
        let name = g.path.rsplit(super::groups::PATH_SEP).next().unwrap_or_default().to_string();
        (g.id.to_string(), format!("{}{name}", "\u{a0}\u{a0}".repeat((g.depth - 1).max(0) as usize)))
    }));
    options
}

/// The form that adds a product (`product: None`) or changes one; the server opens the product saved.
#[component]
fn ProductForm(product: Option<Product>, groups: Vec<GroupChoice>, fields: Vec<CustomField>) -> impl IntoView {
    let save = ServerAction::<SaveProduct>::new();
    let error = action_error(save);
    let general = general_error(error);
    let p = product.clone().unwrap_or_else(|| Product { vat: "12".into(), ..Default::default() });
    let scope = if product.is_some() { "edit" } else { "new" };
    let kinds = [ProductKind::Goods, ProductKind::Service]
        .iter()
        .map(|k| (k.as_str().to_string(), t(k.msg()).to_string()))
        .collect::<Vec<_>>();
    let vats = [("12", "12 %".to_string()), ("0", "0 %".to_string()), ("exempt", "—".to_string())]
        .into_iter()
        .map(|(v, l)| (v.to_string(), l))
        .collect::<Vec<_>>();
    view! {
        <ActionForm action=save attr:class="stack" attr:data-test=format!("{scope}-product-form")>
            <FormError error=general />
            {product.as_ref().map(|p| view! {
                <input type="hidden" name="id" value=p.id.to_string() />
                <input type="hidden" name="version" value=p.version.to_string() />
            })}
            <div class="grid-2">
                <Field label=Msg::Name name="name" value=p.name.clone() required=true scope error />
                <Field label=Msg::Sku name="sku" value=p.sku.clone().unwrap_or_default() scope error />
                <Field label=Msg::Barcodes name="barcodes" value=p.barcodes.join(", ") scope error />
                <Field label=Msg::BaseUnit name="base_unit" value=p.base_unit.clone() placeholder=Msg::UnitHint scope error />
                <Select label=Msg::ProductGroupField name="group_id" options=group_options(Msg::NoGroup, groups)
                    selected=p.group_id.map(|g| g.to_string()).unwrap_or_default() scope error />
                <Select label=Msg::Kind name="kind" options=kinds selected=p.kind.as_str() scope error />
                <Select label=Msg::VatRate name="vat" options=vats selected=p.vat.clone() scope error />
                <Field label=Msg::Mxik name="mxik" value=p.mxik.clone().unwrap_or_default() scope error />
                <Field label=Msg::WeightKg name="weight_kg" value=p.weight_kg.map(|w| w.normalize().to_string()).unwrap_or_default()
                    scope error />
            </div>
            <CustomInputs defs=fields values=p.custom.clone() scope error />
            <Submit pending=save.pending() label=Msg::Save test=format!("{scope}-product-submit") />
        </ActionForm>
    }
}

/// The product's photo (or a blank frame) and, for those who keep the catalog, plain multipart forms that
/// upload or remove it (the server answers with the product page again, a refusal named in `photo_error`).
#[component]
fn Photo(p: Product, keeps_catalog: bool) -> impl IntoView {
    let refused = crate::ui::refusal_in_query("photo_error");
    let action = format!("/stock/products/{}/photo", p.id);
    let has_photo = p.photo_etag.is_some();
    view! {
        <figure class="product-photo" id="photo" data-test="product-photo">
            {match &p.photo_etag {
                Some(etag) => view! {
                    <img src=format!("/api/v1/products/{}/photo?v={etag}", p.id) alt=p.name.clone() data-test="photo-img" />
                }
                    .into_any(),
                None => view! { <div class="photo-blank muted">{t(Msg::NoPhoto)}</div> }.into_any(),
            }}
            {keeps_catalog.then(|| view! {
                <figcaption class="stack">
                    {move || refused().map(|code| view! {
                        <p class="field-error" role="alert" data-test="photo-error">{t(code.msg())}</p>
                    })}
                    <form method="post" action=action.clone() enctype="multipart/form-data" class="photo-form"
                        data-test="photo-form">
                        <label class="sr-only" for="photo-file">{t(Msg::Photo)}</label>
                        <input id="photo-file" type="file" name="file" accept="image/jpeg,image/png,image/webp" required />
                        <button type="submit" class="small" data-test="photo-upload">{t(Msg::UploadPhoto)}</button>
                    </form>
                    {has_photo.then(|| view! {
                        <form method="post" action=action.clone() enctype="multipart/form-data">
                            <input type="hidden" name="remove" value="1" />
                            <button type="submit" class="link" data-test="photo-remove">{t(Msg::RemovePhoto)}</button>
                        </form>
                    })}
                </figcaption>
            })}
        </figure>
    }
}

#[component]
fn ProductTable(items: Vec<(Product, Option<String>)>) -> impl IntoView {
    if items.is_empty() {
        return super::nothing_yet();
    }
    view! {
        <table class="table" data-test="catalog-list">
            <thead>
                <tr>
                    <th>{t(Msg::Name)}</th>
                    <th>{t(Msg::Sku)}</th>
                    <th class="hide-sm">{t(Msg::ProductGroupField)}</th>
                    <th class="hide-sm">{t(Msg::Barcodes)}</th>
                    <th>{t(Msg::BaseUnit)}</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|(p, group)| view! {
                    <tr data-test="catalog-row">
                        <td>
                            <a href=format!("/stock/products/{}", p.id)><strong>{p.name}</strong></a>
                            {(p.kind == ProductKind::Service).then(|| view! { <small class="muted block">{t(p.kind.msg())}</small> })}
                        </td>
                        <td>{p.sku.unwrap_or_default()}</td>
                        <td class="hide-sm">{group.unwrap_or_default()}</td>
                        <td class="hide-sm"><small>{p.barcodes.join(", ")}</small></td>
                        <td>{p.base_unit}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let cursor = move || query.with(|q| q.get("cursor").filter(|c| !c.is_empty()));
    let view = Resource::new(move || (id(), cursor()), |(id, c)| stock_product(id, c));
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(v) => view! { <Card v /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Card(v: ProductView) -> impl IntoView {
    let l = lang();
    let p = v.product;
    let edited = p.clone();
    let custom: Vec<(String, String)> =
        v.fields.iter().filter_map(|d| value_text(p.custom.get(&d.key)).map(|text| (d.label.clone(), text))).collect();
    let facts: Vec<(String, String)> = [
        (Msg::Sku, p.sku.clone().unwrap_or_default()),
        (Msg::ProductGroupField, v.group_path.unwrap_or_default()),
        (Msg::Kind, t(p.kind.msg()).to_string()),
        (Msg::BaseUnit, p.base_unit.clone()),
        (
            Msg::ExtraUnits,
            p.units
                .iter()
                .map(|u| format!("{} = {} {}", u.unit, number(l, u.factor), p.base_unit))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (Msg::Barcodes, p.barcodes.join(", ")),
        (Msg::Mxik, p.mxik.clone().unwrap_or_default()),
        (Msg::VatRate, if p.vat == "exempt" { "—".into() } else { format!("{} %", p.vat) }),
        (Msg::WeightKg, p.weight_kg.map(|w| number(l, w)).unwrap_or_default()),
    ]
    .into_iter()
    .map(|(m, v)| (t(m).to_string(), v))
    .chain(custom)
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let names = v.warehouses.clone();
    let place = move |id: i64| names.iter().find(|w| w.id == id).map(|w| w.name.clone()).unwrap_or_default();
    let next = v.movements.next_cursor.clone().map(|c| format!("/stock/products/{}?cursor={c}", p.id));
    view! {
        <div class="page-head">
            <h1 data-test="product-name">{p.name.clone()}</h1>
            <div class="actions">
                <a class="button secondary" href="/stock/products">{t(Msg::Catalog)}</a>
            </div>
        </div>
        <section class="panel product-head">
            <Photo p=p.clone() keeps_catalog=v.keeps_catalog />
            <dl class="facts" data-test="product-facts">
                {facts.into_iter().map(|(m, v)| view! { <dt>{m}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
        </section>
        {v.keeps_catalog.then(|| view! {
            <details class="panel" data-test="edit-product">
                <summary>{t(Msg::Edit)}</summary>
                <ProductForm product=Some(edited) groups=v.groups fields=v.fields />
            </details>
        })}
        <section class="panel">
            <h2>{t(Msg::StockByWarehouse)}</h2>
            {if v.balances.is_empty() {
                super::nothing_yet()
            } else {
                view! {
                    <table class="table" data-test="product-balances">
                        <thead>
                            <tr>
                                <th>{t(Msg::Warehouse)}</th>
                                <th class="num">{t(Msg::OnHand)}</th>
                                <th class="num">{t(Msg::StockValueCol)}</th>
                                <th class="num hide-sm">{t(Msg::MinQty)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {v.balances.into_iter().map(|b| view! {
                                <tr>
                                    <td><a href=format!("/stock?warehouse={}", b.warehouse_id)>{b.warehouse_name}</a></td>
                                    <td class="num">{number(l, b.on_hand)} " " <small class="muted">{b.unit}</small></td>
                                    <td class="num">{money(l, b.value, super::STOCK_CURRENCY)}</td>
                                    <td class="num hide-sm">{b.min.map(|m| number(l, m)).unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
        <section class="panel">
            <h2>{t(Msg::MovementHistory)}</h2>
            {if v.movements.items.is_empty() {
                super::nothing_yet()
            } else {
                view! {
                    <table class="table" data-test="product-movements">
                        <thead>
                            <tr>
                                <th>{t(Msg::DocDate)}</th>
                                <th>{t(Msg::DocNumber)}</th>
                                <th class="hide-sm">{t(Msg::Warehouse)}</th>
                                <th class="num">{t(Msg::QtyChange)}</th>
                                <th class="num hide-sm">{t(Msg::StockValueCol)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {v.movements.items.into_iter().map(|m| {
                                let sign = if m.qty.is_sign_positive() && !m.qty.is_zero() { "+" } else { "" };
                                view! {
                                    <tr data-test="movement-row">
                                        <td>{date_time(l, m.at)}</td>
                                        <td>
                                            <a href=format!("/stock/documents/{}", m.document_id)>{m.document_number}</a>
                                            <small class="muted block">
                                                {t(m.document_kind.msg())}
                                                {m.reverses.map(|_| format!(" · {}", t(Msg::ReversalMark)))}
                                            </small>
                                        </td>
                                        <td class="hide-sm">{place(m.warehouse_id)}</td>
                                        <td class="num">{format!("{sign}{}", number(l, m.qty))}</td>
                                        <td class="num hide-sm">{money(l, m.value, super::STOCK_CURRENCY)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            {next.map(|href| view! { <a class="button secondary" href=href data-test="next-page">{t(Msg::Next)}</a> })}
        </section>
    }
}

//! `/stock/prices`: the price lists (each in one currency, one default per currency) and, for the list
//! opened, its prices in force on a day; administrators add and change lists and set a product's price from
//! a day here. Plain links and forms: everything works without the scripts.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{PricesView, SavePriceList, SetPrice, stock_prices};
use super::prices::{PriceList, PricePage};
use crate::core::Msg;
use crate::core::format::money;
use crate::ui::{
    ErrorPage, Field, FormError, Submit, action_error, bump_on_success, general_error, lang, reset_on_success, t,
};

#[component]
pub fn PricesPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|q| q.get(k).filter(|s| !s.is_empty()));
    // Bumped by every form that saved: the page is read again (the server's redirect lands on it).
    let saved = RwSignal::new(0u32);
    let page = Resource::new(
        move || (get("list"), get("on"), get("cursor"), saved.get()),
        |(list, on, cursor, _)| stock_prices(list, on, cursor),
    );
    view! {
        <div class="page-head">
            <h1>{t(Msg::PriceLists)}</h1>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(PricesView { lists, open, prices, on, is_admin }) => {
                        let new = is_admin.then(|| view! {
                            <details class="panel" data-test="new-price-list">
                                <summary>{t(Msg::NewPriceList)}</summary>
                                <ListForm list=None saved />
                            </details>
                        });
                        let open_id = open.as_ref().map(|l| l.id);
                        view! {
                            {new}
                            <section class="panel">
                                <Lists lists open_id />
                            </section>
                            {open.map(|list| view! {
                                <OpenList list prices=prices.unwrap_or_else(|| PricePage { items: Vec::new(), next_cursor: None })
                                    on is_admin saved />
                            })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Lists(lists: Vec<PriceList>, open_id: Option<i64>) -> impl IntoView {
    if lists.is_empty() {
        return super::nothing_yet();
    }
    view! {
        <table class="table" data-test="price-lists">
            <thead>
                <tr>
                    <th>{t(Msg::Name)}</th>
                    <th>{t(Msg::Currency)}</th>
                    <th class="num">{t(Msg::CustomersCount)}</th>
                </tr>
            </thead>
            <tbody>
                {lists
                    .into_iter()
                    .map(|l| {
                        let current = (open_id == Some(l.id)).then_some("page");
                        view! {
                            <tr data-test="price-list-row">
                                <td>
                                    <a href=format!("/stock/prices?list={}", l.id) aria-current=current>{l.name}</a>
                                    {l.is_default.then(|| view! { " " <span class="badge">{t(Msg::DefaultList)}</span> })}
                                </td>
                                <td>{l.currency}</td>
                                <td class="num">{l.customers}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The opened list: its prices on a day (a GET form picks the day), the form that sets a price, and the
/// list's own settings.
#[component]
fn OpenList(list: PriceList, prices: PricePage, on: String, is_admin: bool, saved: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let id = list.id;
    let currency = list.currency.clone();
    let next = prices.next_cursor.clone().map(|c| format!("/stock/prices?list={id}&on={on}&cursor={c}"));
    view! {
        <section class="panel" data-test="open-price-list">
            <h2>{list.name.clone()} " · " {list.currency.clone()}</h2>
            <form method="get" action="/stock/prices" class="inline-form" data-test="prices-on">
                <input type="hidden" name="list" value=id.to_string() />
                <div class="field">
                    <label for="prices-on">{t(Msg::PricesOn)}</label>
                    <input id="prices-on" type="date" name="on" value=on.clone() />
                </div>
                <button type="submit" class="button secondary">{t(Msg::Show)}</button>
            </form>
            {if prices.items.is_empty() {
                super::nothing_yet()
            } else {
                view! {
                    <table class="table" data-test="prices">
                        <thead>
                            <tr>
                                <th>{t(Msg::Product)}</th>
                                <th class="hide-sm">{t(Msg::Sku)}</th>
                                <th class="num">{t(Msg::Price)}</th>
                                <th>{t(Msg::ValidFrom)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {prices
                                .items
                                .into_iter()
                                .map(|p| view! {
                                    <tr data-test="price-row">
                                        <td><a href=format!("/stock/products/{}", p.product_id)>{p.product_name}</a></td>
                                        <td class="hide-sm">{p.sku.unwrap_or_default()}</td>
                                        <td class="num">{money(l, p.price, &currency)} " " <small class="muted">"/ " {p.unit}</small></td>
                                        <td>{crate::core::format::calendar_date(l, &p.valid_from)}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            {next.map(|href| view! { <a class="button secondary" href=href data-test="next-page">{t(Msg::Next)}</a> })}
        </section>
        {is_admin.then(|| view! {
            <section class="panel">
                <h2>{t(Msg::SetPrice)}</h2>
                <PriceForm list_id=id saved />
            </section>
            <details class="panel" data-test="edit-price-list">
                <summary>{t(Msg::Edit)}</summary>
                <ListForm list=Some(list) saved />
            </details>
        })}
    }
}

/// Sets one product's price from a day: the product by barcode, SKU or name, as the catalog finds it.
#[component]
fn PriceForm(list_id: i64, saved: RwSignal<u32>) -> impl IntoView {
    let set = ServerAction::<SetPrice>::new();
    bump_on_success(set, saved);
    let form = NodeRef::new();
    reset_on_success(set, form);
    let error = action_error(set);
    let general = general_error(error);
    view! {
        <ActionForm action=set node_ref=form attr:class="stack" attr:data-test="price-form">
            <FormError error=general />
            <input type="hidden" name="list_id" value=list_id.to_string() />
            <div class="grid-3">
                <Field label=Msg::Product name="product" placeholder=Msg::ProductCode required=true error />
                <Field label=Msg::Price name="price" required=true error />
                <Field label=Msg::ValidFrom name="valid_from" kind="date" error />
            </div>
            <Submit pending=set.pending() label=Msg::Save test="price-submit" />
        </ActionForm>
    }
}

/// The form that adds a price list (`list: None`) or changes one.
#[component]
fn ListForm(list: Option<PriceList>, saved: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SavePriceList>::new();
    bump_on_success(save, saved);
    let form = NodeRef::new();
    if list.is_none() {
        reset_on_success(save, form);
    }
    let error = action_error(save);
    let general = general_error(error);
    let scope = list.as_ref().map_or("new".to_string(), |l| format!("l{}", l.id));
    let (form_test, submit_test) = (format!("{scope}-price-list-form"), format!("{scope}-price-list-submit"));
    view! {
        <ActionForm action=save node_ref=form attr:class="stack" attr:data-test=form_test>
            <FormError error=general />
            {list.as_ref().map(|l| view! {
                <input type="hidden" name="id" value=l.id.to_string() />
                <input type="hidden" name="version" value=l.version.to_string() />
            })}
            <div class="grid-2">
                <Field label=Msg::Name name="name" value=list.as_ref().map(|l| l.name.clone()).unwrap_or_default()
                    required=true scope=scope.clone() error />
                <Field label=Msg::Currency name="currency"
                    value=list.as_ref().map(|l| l.currency.clone()).unwrap_or_else(|| "UZS".into())
                    scope=scope.clone() error />
                <div class="field">
                    <label class="check">
                        <input type="checkbox" name="is_default" value="true"
                            checked=list.as_ref().is_some_and(|l| l.is_default) />
                        {t(Msg::DefaultListHint)}
                    </label>
                </div>
            </div>
            <Submit pending=save.pending() label=Msg::Save test=submit_test />
        </ActionForm>
    }
}

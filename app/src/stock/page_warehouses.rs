//! `/stock/warehouses`: the warehouses with their responsible person, storekeepers and negative-stock
//! policy, each opening its dashboard; administrators add and change them here and close the stock period.
//! Plain forms: everything works without the scripts.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::Warehouse;
use super::api::{ClosePeriod, SaveWarehouse, StaffChoice, WarehousesView, stock_warehouses};
use crate::core::format::{date, date_input};
use crate::core::{Millis, Msg};
use crate::ui::{
    ErrorPage, Field, FormError, Select, Submit, action_error, bump_on_success, field_message, general_error, lang,
    reset_on_success, t,
};

#[component]
pub fn WarehousesPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.with(|q| q.get("cursor").filter(|c| !c.is_empty()));
    // Bumped by every form that saved: the list is read again (the server's redirect lands on this page).
    let saved = RwSignal::new(0u32);
    let page = Resource::new(move || (cursor(), saved.get()), |(c, _)| stock_warehouses(c));
    view! {
        <div class="page-head">
            <h1>{t(Msg::Warehouses)}</h1>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(WarehousesView { items, next_cursor, staff, is_admin, closed_until }) => {
                        let new = is_admin.then(|| {
                            let staff = staff.clone();
                            view! {
                                <details class="panel" data-test="new-warehouse">
                                    <summary>{t(Msg::NewWarehouse)}</summary>
                                    <WarehouseForm warehouse=None staff saved />
                                </details>
                            }
                        });
                        let list = if items.is_empty() {
                            super::nothing_yet()
                        } else {
                            items
                                .into_iter()
                                .map(|w| view! { <WarehouseCard w staff=staff.clone() is_admin saved /> })
                                .collect_view()
                                .into_any()
                        };
                        let next = next_cursor.map(|c| view! {
                            <a class="button secondary" href=format!("/stock/warehouses?cursor={c}") data-test="next-page">
                                {t(Msg::Next)}
                            </a>
                        });
                        view! {
                            {new}
                            <div class="grid-2 stock-grid">{list}</div>
                            {next}
                            <ClosedPeriod closed_until is_admin saved />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The names of `ids` among the staff, joined.
fn names(staff: &[StaffChoice], ids: &[i64]) -> String {
    staff.iter().filter(|s| ids.contains(&s.id)).map(|s| s.name.clone()).collect::<Vec<_>>().join(", ")
}

#[component]
fn WarehouseCard(w: Warehouse, staff: Vec<StaffChoice>, is_admin: bool, saved: RwSignal<u32>) -> impl IntoView {
    let keepers = names(&staff, &w.keepers);
    let policy = if w.allow_negative { Msg::NegativeAllowed } else { Msg::NegativeRefused };
    let facts: Vec<(Msg, String)> = [
        (Msg::WarehouseAddress, w.address.clone().unwrap_or_default()),
        (Msg::ResponsiblePerson, w.responsible_name.clone().unwrap_or_else(|| t(Msg::NoOne).to_string())),
        (Msg::Storekeepers, if keepers.is_empty() { t(Msg::NoOne).to_string() } else { keepers }),
        (Msg::NegativeStock, t(policy).to_string()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let id = w.id;
    view! {
        <section class="panel" data-test="warehouse-card">
            <h2><a href=format!("/stock?warehouse={id}")>{w.name.clone()}</a></h2>
            <dl class="facts">
                {facts.into_iter().map(|(m, v)| view! { <dt>{t(m)}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            {is_admin.then(|| view! {
                <details data-test="edit-warehouse">
                    <summary>{t(Msg::Edit)}</summary>
                    <WarehouseForm warehouse=Some(w) staff saved />
                </details>
            })}
        </section>
    }
}

/// The form that adds a warehouse (`warehouse: None`) or changes one.
#[component]
fn WarehouseForm(warehouse: Option<Warehouse>, staff: Vec<StaffChoice>, saved: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SaveWarehouse>::new();
    bump_on_success(save, saved);
    let error = action_error(save);
    let general = general_error(error);
    // A new one's form starts empty again once it is saved.
    let form = NodeRef::new();
    if warehouse.is_none() {
        reset_on_success(save, form);
    }
    let w = warehouse.clone();
    let scope = w.as_ref().map_or("new".to_string(), |w| format!("w{}", w.id));
    let (form_test, submit_test) = (format!("{scope}-warehouse-form"), format!("{scope}-warehouse-submit"));
    let mut people = vec![(String::new(), t(Msg::NoOne).to_string())];
    people.extend(staff.iter().map(|s| (s.id.to_string(), s.name.clone())));
    let kept = w.as_ref().map(|w| w.keepers.clone()).unwrap_or_default();
    // Storekeepers, and whoever keeps this warehouse already.
    let keepers: Vec<StaffChoice> = staff.into_iter().filter(|s| s.storekeeper || kept.contains(&s.id)).collect();
    let keepers_error = move || field_message(error.get(), "keepers");
    view! {
        <ActionForm action=save node_ref=form attr:class="stack" attr:data-test=form_test>
            <FormError error=general />
            {w.as_ref().map(|w| view! {
                <input type="hidden" name="id" value=w.id.to_string() />
                <input type="hidden" name="version" value=w.version.to_string() />
            })}
            <div class="grid-2">
                <Field label=Msg::Name name="name" value=w.as_ref().map(|w| w.name.clone()).unwrap_or_default() required=true
                    scope=scope.clone() error />
                <Field label=Msg::WarehouseAddress name="address"
                    value=w.as_ref().and_then(|w| w.address.clone()).unwrap_or_default() scope=scope.clone() error />
                <Select label=Msg::ResponsiblePerson name="responsible_id" options=people
                    selected=w.as_ref().and_then(|w| w.responsible_id).map(|r| r.to_string()).unwrap_or_default()
                    scope=scope.clone() error />
                <div class="field">
                    <label class="check">
                        <input type="checkbox" name="allow_negative" value="true"
                            checked=w.as_ref().is_some_and(|w| w.allow_negative) data-test="allow-negative" />
                        {t(Msg::AllowNegative)}
                    </label>
                </div>
            </div>
            <fieldset class="field checks" class:invalid=move || keepers_error().is_some()>
                <legend>{t(Msg::Storekeepers)}</legend>
                {if keepers.is_empty() {
                    view! { <p class="muted small">{t(Msg::NoOne)}</p> }.into_any()
                } else {
                    keepers
                        .into_iter()
                        .map(|s| view! {
                            <label class="check">
                                <input type="checkbox" name=format!("keepers[{}]", s.id) value="on"
                                    checked=kept.contains(&s.id) />
                                {s.name}
                            </label>
                        })
                        .collect_view()
                        .into_any()
                }}
                {move || keepers_error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </fieldset>
            <Submit pending=save.pending() label=Msg::Save test=submit_test />
        </ActionForm>
    }
}

/// The closed period: the day it is closed through, and for administrators the form that moves it.
#[component]
fn ClosedPeriod(closed_until: Option<Millis>, is_admin: bool, saved: RwSignal<u32>) -> impl IntoView {
    let close = ServerAction::<ClosePeriod>::new();
    bump_on_success(close, saved);
    let error = action_error(close);
    let general = general_error(error);
    // The last closed day: the instant before the first open one.
    let through = closed_until.map(|u| u - 1);
    let l = lang();
    view! {
        <section class="panel" data-test="closed-period">
            <h2>{t(Msg::ClosedPeriod)}</h2>
            <p data-test="closed-through">
                {match through {
                    Some(d) => format!("{}: {}", t(Msg::ClosedThroughShort), date(l, d)),
                    None => t(Msg::PeriodOpen).to_string(),
                }}
            </p>
            {is_admin.then(|| view! {
                <ActionForm action=close attr:class="stack narrow-form" attr:data-test="close-period-form">
                    <FormError error=general />
                    <Field label=Msg::ClosedThrough name="closed_through" kind="date"
                        value=through.map(date_input).unwrap_or_default() error />
                    <p class="muted small">{t(Msg::ClosedPeriodHint)}</p>
                    <Submit pending=close.pending() label=Msg::Save test="close-period-submit" />
                </ActionForm>
            })}
        </section>
    }
}

//! `/orders/:id`: one order. A draft's lines are added and removed here (priced from the customer's list),
//! then it is confirmed with a reservation in a warehouse, shipped (partly or fully) by the warehouse's keeper,
//! closed or cancelled. Plain forms: everything works before (or without) the scripts.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;

use super::api::{ActOnOrder, AddOrderLine, OrderView, RemoveOrderLine, SaveOrderHead, ShipOrder, load_order};
use super::{Order, OrderStatus};
use crate::core::format::{calendar_date, date_time, money, number};
use crate::core::{AppError, Msg};
use crate::ui::{
    ConfirmSubmit, ErrorPage, Field, FormError, Select, Submit, action_error, bump_on_success, field_message,
    general_error, lang, t,
};

/// Every form of the page: their actions, and a count of their successes the order is read again on.
#[derive(Clone, Copy)]
struct Acts {
    act: ServerAction<ActOnOrder>,
    add: ServerAction<AddOrderLine>,
    remove: ServerAction<RemoveOrderLine>,
    head: ServerAction<SaveOrderHead>,
    ship: ServerAction<ShipOrder>,
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default());
    let acts = Acts {
        act: ServerAction::new(),
        add: ServerAction::new(),
        remove: ServerAction::new(),
        head: ServerAction::new(),
        ship: ServerAction::new(),
    };
    let changes = RwSignal::new(0_u32);
    bump_on_success(acts.act, changes);
    bump_on_success(acts.add, changes);
    bump_on_success(acts.remove, changes);
    bump_on_success(acts.head, changes);
    bump_on_success(acts.ship, changes);
    let order = Resource::new(move || (id(), changes.get()), |(id, _)| load_order(id));
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(v) => view! { <OrderCard v acts changes /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The hidden fields every form of an order sends.
fn keys(o: &Order) -> impl IntoView + use<> {
    let (id, version) = (o.id, o.version);
    view! {
        <input type="hidden" name="id" value=id />
        <input type="hidden" name="version" value=version />
    }
}

#[component]
fn OrderCard(v: OrderView, acts: Acts, changes: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let o = v.order.clone();
    crate::ui::set_page_name(&o.number);
    let act_error = action_error(acts.act);
    let draft = o.status == OrderStatus::Draft;
    let editing = v.may_edit && draft;
    let may_cancel = v.may_edit && o.status.is_open() && !o.has_shipped();
    let may_close = v.may_edit && matches!(o.status, OrderStatus::Confirmed | OrderStatus::Shipped);
    let (oid, over) = (o.id, o.version);
    let act_button = move |what: &'static str, label: Msg, question: Msg| {
        view! {
            <ActionForm action=acts.act attr:class="inline-form">
                <input type="hidden" name="id" value=oid />
                <input type="hidden" name="version" value=over />
                <input type="hidden" name="act" value=what />
                <ConfirmSubmit pending=acts.act.pending() label question yes=label test=if what == "cancel" { "order-cancel" } else { "order-close" } />
            </ActionForm>
        }
    };
    let has_reserved = o.lines.iter().any(|l| !(l.reserved.is_zero() && l.shipped.is_zero() && l.invoiced.is_zero()));
    view! {
        <div class="page-head">
            <h1>
                {o.number.clone()} " "
                <span class=format!("badge status-{}", o.status.as_str()) data-test="order-status">{t(o.status.msg())}</span>
            </h1>
            <div class="actions">
                {may_close.then(|| act_button("close", Msg::CloseOrder, Msg::CloseOrderQuestion))}
                {may_cancel.then(|| act_button("cancel", Msg::CancelOrder, Msg::CancelOrderQuestion))}
            </div>
        </div>
        <FormError error=act_error />
        <dl class="facts doc-facts" data-test="order-facts">
            <dt>{t(Msg::Customer)}</dt>
            <dd><a href=format!("/customers/{}", o.customer_id)>{o.customer_name.clone()}</a></dd>
            {o.counterparty_name.clone().map(|n| view! { <dt>{t(Msg::Counterparty)}</dt><dd>{n}</dd> })}
            {o.deal_id.map(|d| view! {
                <dt>{t(Msg::Deal)}</dt>
                <dd><a href=format!("/deals/{d}")>{o.deal_title.clone().unwrap_or_default()}</a></dd>
            })}
            <dt>{t(Msg::Manager)}</dt><dd>{o.manager_name.clone()}</dd>
            <dt>{t(Msg::OrderDate)}</dt><dd>{calendar_date(l, &o.order_date)}</dd>
            {o.warehouse_name.clone().map(|w| view! { <dt>{t(Msg::Warehouse)}</dt><dd>{w}</dd> })}
            {o.note.clone().map(|n| view! { <dt>{t(Msg::Notes)}</dt><dd>{n}</dd> })}
        </dl>
        {editing.then(|| view! { <HeadForm o=o.clone() counterparties=v.counterparties.clone() action=acts.head /> })}
        <Lines o=o.clone() editing has_reserved remove=acts.remove />
        {editing.then(|| view! { <AddLine o=o.clone() action=acts.add /> })}
        {(editing && !o.lines.is_empty()).then(|| view! { <Confirm o=o.clone() warehouses=v.warehouses.clone() action=acts.act /> })}
        {(v.may_ship && o.status == OrderStatus::Confirmed && o.has_remaining())
            .then(|| view! { <Ship o=o.clone() action=acts.ship /> })}
        {(v.may_invoice && !draft && o.status != OrderStatus::Cancelled).then(|| {
            let may_invoice = o.lines.iter().any(|l| l.invoiced < l.qty);
            view! { <crate::invoices::panel::OrderInvoices order_id=o.id currency=o.currency.clone() may_invoice changes /> }
        })}
        // The commercial offer and the contract: from a draft on (an offer comes before the order is agreed).
        {(v.may_invoice && !o.lines.is_empty() && o.status != OrderStatus::Cancelled).then(|| view! {
            <crate::documents::panel::RecordDocuments kinds=&crate::documents::DocKind::OF_ORDER[..] records="orders"
                field="order_id" id=o.id test="order" />
        })}
        {(!o.shipments.is_empty()).then(|| view! {
            <section class="panel" data-test="order-shipments">
                <h2>{t(Msg::Shipments)}</h2>
                <ul class="plain">
                    {o.shipments.iter().map(|s| view! {
                        <li>
                            <a href=format!("/stock/documents/{}", s.id)>{s.number.clone()}</a> " "
                            <span class=format!("badge status-{}", s.status.as_str())>{t(s.status.msg())}</span> " "
                            <small class="muted">{date_time(l, s.doc_at)}</small>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn Lines(o: Order, editing: bool, has_reserved: bool, remove: ServerAction<RemoveOrderLine>) -> impl IntoView {
    let l = lang();
    let cur = o.currency.clone();
    if o.lines.is_empty() {
        return view! { <p class="muted" data-test="order-empty">{t(Msg::NothingToShow)}</p> }.into_any();
    }
    let (oid, over) = (o.id, o.version);
    let rows = o
        .lines
        .clone()
        .into_iter()
        .map(|line| {
            let cur = cur.clone();
            let changed = line.list_price.is_some_and(|p| p != line.price) || line.list_price.is_none();
            let vat = match line.vat_rate {
                Some(r) => format!("{} %", number(l, r)),
                None => t(Msg::VatExempt).to_string(),
            };
            let removal = editing.then(|| {
                view! {
                    <td>
                        <ActionForm action=remove attr:class="inline-form">
                            <input type="hidden" name="id" value=oid />
                            <input type="hidden" name="version" value=over />
                            <input type="hidden" name="line" value=line.id />
                            <Submit pending=remove.pending() label=Msg::RemoveLine class="button link" test="remove-line" />
                        </ActionForm>
                    </td>
                }
            });
            view! {
                <tr data-test="order-line">
                    <td>
                        <a href=format!("/stock/products/{}", line.product_id)>{line.product_name.clone()}</a>
                        {(changed && line.price_reason.is_some()).then(|| view! {
                            <small class="muted block">
                                {line.list_price.map(|p| format!("{}: {} · ", t(Msg::ListPrice), money(l, p, &cur)))}
                                {line.price_reason.clone()}
                            </small>
                        })}
                    </td>
                    <td class="num">{number(l, line.qty)} " " <small class="muted">{line.unit.clone()}</small></td>
                    <td class="num">{money(l, line.price, &cur)}</td>
                    <td class="num hide-sm">{(!line.discount.is_zero()).then(|| format!("{} %", number(l, line.discount)))}</td>
                    <td class="num hide-sm">{vat}</td>
                    <td class="num hide-sm">{money(l, line.net, &cur)}</td>
                    <td class="num hide-sm">{money(l, line.vat, &cur)}</td>
                    <td class="num" data-test="line-total">{money(l, line.total, &cur)}</td>
                    {has_reserved.then(|| view! {
                        <td class="num">{number(l, line.reserved)}</td>
                        <td class="num" data-test="line-shipped">{number(l, line.shipped)}</td>
                        <td class="num hide-sm" data-test="line-invoiced">{number(l, line.invoiced)}</td>
                    })}
                    {removal}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="table lines" data-test="order-lines">
                <thead>
                    <tr>
                        <th>{t(Msg::Product)}</th>
                        <th class="num">{t(Msg::Quantity)}</th>
                        <th class="num">{t(Msg::Price)}</th>
                        <th class="num hide-sm">{t(Msg::DiscountPercent)}</th>
                        <th class="num hide-sm">{t(Msg::VatShort)}</th>
                        <th class="num hide-sm">{t(Msg::SumWithoutVat)}</th>
                        <th class="num hide-sm">{t(Msg::VatShort)}</th>
                        <th class="num">{t(Msg::SumWithVat)}</th>
                        {has_reserved.then(|| view! {
                            <th class="num">{t(Msg::ReservedQty)}</th>
                            <th class="num">{t(Msg::ShippedQty)}</th>
                            <th class="num hide-sm">{t(Msg::InvoicedQty)}</th>
                        })}
                        {editing.then(|| view! { <th><span class="sr-only">{t(Msg::RemoveLine)}</span></th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th colspan="5">{t(Msg::TotalSum)}</th>
                        <td class="num hide-sm">{money(l, o.net, &cur)}</td>
                        <td class="num hide-sm">{money(l, o.vat, &cur)}</td>
                        <td class="num" data-test="order-total"><strong>{money(l, o.total, &cur)}</strong></td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn AddLine(o: Order, action: ServerAction<AddOrderLine>) -> impl IntoView {
    let error = action_error(action);
    let form = NodeRef::<leptos::html::Form>::new();
    crate::ui::reset_on_success(action, form);
    view! {
        <section class="panel" data-test="add-line">
            <h2>{t(Msg::AddLine)}</h2>
            <ActionForm action node_ref=form attr:class="stack" attr:data-test="add-line-form">
                <FormError error=general_error(error) />
                {keys(&o)}
                <div class="grid-3">
                    <Field label=Msg::ProductCode name="product" required=true error />
                    <Field label=Msg::Quantity name="qty" required=true error />
                    <Field label=Msg::UnitName name="unit" error />
                    <Field label=Msg::Price name="price" placeholder=Msg::PriceHint error />
                    <Field label=Msg::DiscountPercent name="discount" error />
                    <Field label=Msg::PriceReason name="price_reason" error />
                </div>
                <Submit pending=action.pending() label=Msg::AddLine test="add-line-submit" />
            </ActionForm>
        </section>
    }
}

#[component]
fn HeadForm(o: Order, counterparties: Vec<(i64, String)>, action: ServerAction<SaveOrderHead>) -> impl IntoView {
    let error = action_error(action);
    let mut choices = vec![(String::new(), "—".to_string())];
    choices.extend(counterparties.into_iter().map(|(id, name)| (id.to_string(), name)));
    view! {
        <details class="panel" data-test="order-head">
            <summary>{t(Msg::Edit)}</summary>
            <ActionForm action attr:class="stack">
                <FormError error=general_error(error) />
                {keys(&o)}
                <div class="grid-3">
                    <Select label=Msg::Counterparty name="counterparty" options=choices
                        selected=o.counterparty_id.map(|c| c.to_string()).unwrap_or_default() error />
                    <Field label=Msg::OrderDate name="order_date" kind="date" value=o.order_date.clone() error />
                    <Field label=Msg::Notes name="note" value=o.note.clone().unwrap_or_default() error />
                </div>
                <Submit pending=action.pending() label=Msg::Save test="order-head-save" />
            </ActionForm>
        </details>
    }
}

#[component]
fn Confirm(
    o: Order,
    warehouses: Vec<crate::stock::dashboard::WarehouseChoice>,
    action: ServerAction<ActOnOrder>,
) -> impl IntoView {
    let error = action_error(action);
    let choices: Vec<(String, String)> = warehouses.iter().map(|w| (w.id.to_string(), w.name.clone())).collect();
    // A shortage names the lines (`lines[i].qty`) with what is there.
    let shortage = move || match error.get() {
        Some(AppError::Shortage { items }) => Some(
            items
                .iter()
                .map(|s| {
                    format!(
                        "{}: {} {} ({}), {} {}",
                        s.product_name,
                        t(Msg::StockAvailable),
                        s.available,
                        s.unit,
                        t(Msg::StockWanted),
                        s.wanted
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    };
    view! {
        <section class="panel" data-test="order-confirm">
            <h2>{t(Msg::ConfirmReserve)}</h2>
            <ActionForm action attr:class="toolbar">
                {keys(&o)}
                <input type="hidden" name="act" value="confirm" />
                <Select label=Msg::Warehouse name="warehouse" options=choices error />
                <Submit pending=action.pending() label=Msg::ConfirmReserve test="order-confirm-submit" />
            </ActionForm>
            <p class="field-error" data-test="order-shortage">{shortage}</p>
        </section>
    }
}

#[component]
fn Ship(o: Order, action: ServerAction<ShipOrder>) -> impl IntoView {
    let l = lang();
    let error = action_error(action);
    let rows = o
        .lines
        .iter()
        .filter(|line| line.remaining() > Decimal::ZERO)
        .map(|line| {
            let name = format!("qty[{}]", line.id);
            let key = StoredValue::new(name.clone());
            let msg = move || key.with_value(|k| field_message(error.get(), k));
            let id = format!("ship-{}", line.id);
            view! {
                <tr>
                    <td>{line.product_name.clone()}</td>
                    <td class="num">{number(l, line.remaining())} " " <small class="muted">{line.unit.clone()}</small></td>
                    <td class:invalid=move || msg().is_some()>
                        <label for=id.clone() class="sr-only">{format!("{} {}", t(Msg::ToShip), line.product_name)}</label>
                        <input id=id name=name inputmode="decimal" value=line.remaining().normalize().to_string()
                            autocomplete="off" data-test="ship-qty" />
                        <p class="field-error">{msg}</p>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" data-test="order-ship">
            <h2>{t(Msg::ShipGoods)}</h2>
            <ActionForm action attr:class="stack">
                <FormError error=general_error(error) />
                <p class="field-error">{move || field_message(error.get(), "lines")}</p>
                {keys(&o)}
                <table class="table lines">
                    <thead>
                        <tr>
                            <th>{t(Msg::Product)}</th>
                            <th class="num">{t(Msg::ToShip)}</th>
                            <th>{t(Msg::Quantity)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <Submit pending=action.pending() label=Msg::ShipGoods test="order-ship-submit" />
            </ActionForm>
        </section>
    }
}

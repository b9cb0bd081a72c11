//! The customer card's orders (the latest, and what the open ones come to) and the deal page's order, each
//! with the plain form that makes a new one.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::CustomerOrders;
use super::api::{CreateOrder, deal_order};
use crate::core::format::{calendar_date, money};
use crate::core::{AppError, Msg};
use crate::ui::{FormError, Submit, action_error, lang, t};

/// The panel on a customer's card.
#[component]
pub fn CustomerOrdersPanel(customer_id: i64, data: Resource<Result<CustomerOrders, AppError>>) -> impl IntoView {
    let create = ServerAction::<CreateOrder>::new();
    let error = action_error(create);
    view! {
        <section class="panel" aria-labelledby="orders-h" data-test="customer-orders">
            <h2 id="orders-h">{t(Msg::NavOrders)}</h2>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(CustomerOrders { recent, open, open_totals }) => {
                            let l = lang();
                            let totals: Vec<String> = open_totals.iter().map(|(c, s)| money(l, *s, c)).collect();
                            view! {
                                {(open > 0).then(|| view! {
                                    <p class="small" data-test="open-orders">
                                        <strong>{format!("{}: {open}", t(Msg::OpenOrders))}</strong> " · " {totals.join(", ")}
                                    </p>
                                })}
                                {recent.is_empty().then(|| view! { <p class="muted">{t(Msg::NothingToShow)}</p> })}
                                <ul class="tasks">
                                    {recent.into_iter().map(|o| view! {
                                        <li class="task" data-test="customer-order">
                                            <div class="task-body">
                                                <a href=format!("/orders/{}", o.id)><strong>{o.number.clone()}</strong></a> " "
                                                <span class=format!("badge status-{}", o.status.as_str())>{t(o.status.msg())}</span>
                                                <div class="small muted">
                                                    {calendar_date(l, &o.order_date)} " · " {money(l, o.total, &o.currency)}
                                                </div>
                                            </div>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
            <ActionForm action=create attr:class="inline-form">
                <FormError error />
                <input type="hidden" name="customer" value=customer_id />
                <Submit pending=create.pending() label=Msg::NewOrder class="button secondary" test="new-order" />
            </ActionForm>
        </section>
    }
}

/// The deal page's order: a link to it, or the button that makes it.
#[component]
pub fn DealOrder(deal_id: i64) -> impl IntoView {
    let create = ServerAction::<CreateOrder>::new();
    let error = action_error(create);
    let order = Resource::new(move || deal_id, deal_order);
    view! {
        <section class="panel" data-test="deal-order">
            <h2>{t(Msg::OrderOf)}</h2>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let l = lang();
                    match order.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(l)}</p> }.into_any(),
                        Ok(Some(o)) => view! {
                            <p>
                                <a href=format!("/orders/{}", o.id) data-test="deal-order-link"><strong>{o.number.clone()}</strong></a> " "
                                <span class=format!("badge status-{}", o.status.as_str())>{t(o.status.msg())}</span> " · "
                                {money(l, o.total, &o.currency)}
                            </p>
                        }
                            .into_any(),
                        Ok(None) => view! {
                            <ActionForm action=create attr:class="inline-form">
                                <FormError error />
                                <input type="hidden" name="deal" value=deal_id />
                                <Submit pending=create.pending() label=Msg::MakeOrder test="make-order" />
                            </ActionForm>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

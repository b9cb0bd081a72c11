//! The customer card's deals: the customer's deals with their stage and amount, and a form for a new one.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::CURRENCIES;
use super::api::{CreateDeal, DealsOfCustomer};
use crate::core::format::money;
use crate::core::{AppError, Msg};
use crate::custom_fields::inputs::CustomInputs;
use crate::ui::{Field, FormError, Select, Submit, action_error, general_error, lang, t};

/// The panel; `create` is made by the card, outside the part rebuilt on refetch.
#[component]
pub fn CustomerDealsPanel(
    customer_id: i64,
    data: Resource<Result<DealsOfCustomer, AppError>>,
    create: ServerAction<CreateDeal>,
) -> impl IntoView {
    let error = action_error(create);
    let general = general_error(error);
    view! {
        <section class="panel" aria-labelledby="deals-h" data-test="customer-deals">
            <h2 id="deals-h">{t(Msg::Deals)}</h2>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(DealsOfCustomer { deals, pipelines, stages, fields }) => {
                            let l = lang();
                            let stage = move |id: Option<i64>| {
                                id.and_then(|id| stages.iter().find(|(s, _)| *s == id)).map(|(_, n)| n.clone()).unwrap_or_default()
                            };
                            let pipes: Vec<(String, String)> =
                                pipelines.into_iter().map(|(id, n)| (id.to_string(), n)).collect();
                            let currencies: Vec<(String, String)> =
                                CURRENCIES.iter().map(|c| (c.to_string(), c.to_string())).collect();
                            view! {
                                {deals.items.is_empty().then(|| view! { <p class="muted">{t(Msg::NoDeals)}</p> })}
                                <ul class="tasks">
                                    {deals.items.into_iter().map(|d| view! {
                                        <li class="task" data-test="customer-deal">
                                            <div class="task-body">
                                                <a href=format!("/deals/{}", d.id)><strong>{d.title.clone()}</strong></a>
                                                <div class="small muted">
                                                    {stage(d.stage_id)} " · "
                                                    {d.amount.map(|a| money(l, a, &d.currency)).unwrap_or_else(|| t(Msg::NoAmount).to_string())}
                                                </div>
                                            </div>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <details class="add-form">
                                    <summary class="link" data-test="new-deal">{t(Msg::NewDeal)}</summary>
                                    <ActionForm action=create attr:class="stack" attr:data-test="deal-new-form">
                                        <input type="hidden" name="customer_id" value=customer_id />
                                        <FormError error=general />
                                        <Field label=Msg::Title name="title" scope="deal" required=true error />
                                        <div class="grid-2">
                                            <Field label=Msg::Amount name="amount" scope="deal" error />
                                            <Select label=Msg::Currency name="currency" options=currencies selected="UZS" error />
                                        </div>
                                        {(pipes.len() > 1).then(|| view! {
                                            <Select label=Msg::Pipeline name="pipeline_id" options=pipes error />
                                        })}
                                        <CustomInputs defs=fields values=Default::default() error />
                                        <div class="actions">
                                            <Submit pending=create.pending() label=Msg::Add test="deal-create" />
                                        </div>
                                    </ActionForm>
                                </details>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

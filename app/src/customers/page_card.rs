//! The customer card: header with key facts, edit form, and the (still empty) timeline.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{UpdateCustomer, get_customer};
use super::form::EditCustomerForm;
use crate::core::format::date_time;
use crate::core::{AppError, Msg};
use crate::shell::ui::ErrorPage;
use crate::shell::{lang, t};

/// `/customers/:id`.
#[component]
pub fn CustomerCardPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let update = ServerAction::<UpdateCustomer>::new();
    // Refetch after a successful save only, so a refused save keeps what the user typed.
    let saved = Memo::new(move |_| update.value().get().and_then(Result::ok).map(|c| c.version));
    let customer = Resource::new(
        move || (id(), saved.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_customer(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let lang = lang();
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match customer.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(c) => {
                        view! {
                            <header class="card-head" data-test="customer-card">
                                <div>
                                    <p class="muted small">{t(c.kind.msg())}</p>
                                    <h1 data-test="customer-name">{c.name.clone()}</h1>
                                    <p class="facts">
                                        {c.phone.clone().map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a> })}
                                        {c.email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                                        <span>{format!("{}: {}", t(Msg::Manager), c.manager_name)}</span>
                                    </p>
                                </div>
                                <dl class="meta">
                                    <dt>{t(Msg::CreatedAt)}</dt>
                                    <dd>{date_time(lang, c.created_at)}</dd>
                                    <dt>{t(Msg::UpdatedAt)}</dt>
                                    <dd>{date_time(lang, c.updated_at)}</dd>
                                </dl>
                            </header>
                            <div class="grid-2 card-body">
                                <section class="panel">
                                    <h2>{t(Msg::EditCustomer)}</h2>
                                    <EditCustomerForm customer=c action=update />
                                </section>
                                <section class="panel" aria-labelledby="timeline-h">
                                    <h2 id="timeline-h">{t(Msg::Timeline)}</h2>
                                    <p class="empty" data-test="timeline-empty">{t(Msg::TimelineEmpty)}</p>
                                </section>
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

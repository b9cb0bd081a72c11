//! `/admin/webhooks`: subscribe a URL to events, see the latest deliveries and send one again.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{CreateWebhook, ReplayDelivery, SetWebhookActive, list_webhooks};
use super::{Delivery, EVENTS, Webhook};
use crate::core::Msg;
use crate::core::format::date_time;
use crate::ui::{
    ErrorPage, Field, FormError, Submit, action_error, field_message, general_error, lang, reset_on_success, t,
};

/// The webhooks page.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let create = ServerAction::<CreateWebhook>::new();
    let toggle = ServerAction::<SetWebhookActive>::new();
    let replay = ServerAction::<ReplayDelivery>::new();
    let error = action_error(create);
    let form = NodeRef::new();
    reset_on_success(create, form);
    let data = Resource::new(
        move || (create.version().get(), toggle.version().get(), replay.version().get()),
        |_| list_webhooks(),
    );
    view! {
        <h1>{t(Msg::Webhooks)}</h1>
        <p class="muted">{t(Msg::WebhooksIntro)}</p>
        <section class="panel">
            <h2>{t(Msg::NewWebhook)}</h2>
            <ActionForm action=create node_ref=form attr:class="stack" attr:data-test="webhook-form">
                <FormError error=general_error(error) />
                <Field label=Msg::WebhookUrl name="url" kind="url" required=true placeholder=Msg::WebhookUrlHint error />
                <fieldset class="webhook-events">
                    <legend>{t(Msg::WebhookEvents)}</legend>
                    <p class="muted small">{t(Msg::WebhookEventsHint)}</p>
                    {EVENTS.iter().enumerate().map(|(i, e)| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("events[{i}]") value=*e data-test=format!("event-{e}") />
                            <code>{*e}</code>
                        </label>
                    }).collect_view()}
                    <p class="field-error">{move || field_message(error.get(), "events")}</p>
                </fieldset>
                <Submit pending=create.pending() label=Msg::Subscribe test="webhook-submit" />
            </ActionForm>
            {move || create.value().get().and_then(Result::ok).map(|secret| view! {
                <div class="alert alert-ok" role="status">
                    <p>{t(Msg::WebhookSecretOnce)}</p>
                    <code class="secret" data-test="webhook-secret">{secret}</code>
                </div>
            })}
        </section>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok((hooks, deliveries)) => view! {
                        <Subscriptions hooks toggle />
                        <Deliveries deliveries replay />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Subscriptions(hooks: Vec<Webhook>, toggle: ServerAction<SetWebhookActive>) -> impl IntoView {
    let l = lang();
    view! {
        <section class="panel">
            <h2>{t(Msg::Subscriptions)}</h2>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr><th>{t(Msg::WebhookUrl)}</th><th>{t(Msg::WebhookEvents)}</th><th>{t(Msg::CreatedAt)}</th><th></th></tr></thead>
                    <tbody>
                        {hooks.into_iter().map(|h| view! {
                            <tr data-test="webhook-row" class:inactive=!h.active>
                                <td class="wrap"><code>{h.url.clone()}</code></td>
                                <td class="wrap small">{if h.events == ["*"] { t(Msg::AllEvents).to_string() } else { h.events.join(", ") }}</td>
                                <td>{date_time(l, h.created_at)}</td>
                                <td>
                                    <ActionForm action=toggle attr:class="inline">
                                        <input type="hidden" name="id" value=h.id />
                                        <input type="hidden" name="active" value=(!h.active).to_string() />
                                        <Submit pending=toggle.pending() label=if h.active { Msg::Pause } else { Msg::Resume }
                                            class="button small" test="webhook-toggle" />
                                    </ActionForm>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Deliveries(deliveries: Vec<Delivery>, replay: ServerAction<ReplayDelivery>) -> impl IntoView {
    let l = lang();
    view! {
        <section class="panel">
            <h2>{t(Msg::LatestDeliveries)}</h2>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th>{t(Msg::WebhookEvent)}</th><th>{t(Msg::Status)}</th><th>{t(Msg::Attempts)}</th>
                        <th>{t(Msg::LastAnswer)}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {deliveries.into_iter().map(|d| {
                            let state = match d.state.as_str() {
                                "delivered" => Msg::Delivered,
                                "failed" => Msg::DeliveryFailed,
                                _ => Msg::DeliveryPending,
                            };
                            let answer = match (d.last_status, &d.last_error) {
                                (Some(s), _) => format!("HTTP {s}"),
                                (None, Some(e)) => e.clone(),
                                (None, None) => "—".to_string(),
                            };
                            view! {
                                <tr data-test="delivery-row" data-state=d.state.clone()>
                                    <td><code>{d.event.clone()}</code> " #" {d.entity_id}<div class="muted small">{format!("{} {}", t(Msg::WebhookEventId), d.event_id)}</div></td>
                                    <td><span class="badge" class:badge-on=d.state == "delivered">{t(state)}</span></td>
                                    <td>{d.attempts}</td>
                                    <td class="wrap small">{answer}{d.last_at.map(|at| view! { <div class="muted">{date_time(l, at)}</div> })}</td>
                                    <td>
                                        <ActionForm action=replay attr:class="inline">
                                            <input type="hidden" name="id" value=d.id />
                                            <Submit pending=replay.pending() label=Msg::Replay class="button small" test="delivery-replay" />
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

//! `/deals/:id`: a deal with its stage track (move buttons), checklist, fields, closing or reopening, notes,
//! tasks, timeline and stage history. Every form is a plain HTML form too (works before the WASM arrives).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{CloseDeal, DealView, MoveDeal, TickDeal, UpdateDeal, load_deal};
use super::page_board::day_value;
use super::{CURRENCIES, Deal, DealStatus, Pipeline, PipelineMode};
use crate::audit::{TimelineEntry, action_msg, entity_field_msg};
use crate::core::format::{date, date_time, money};
use crate::core::{AppError, Msg};
use crate::custom_fields::CustomField;
use crate::custom_fields::inputs::CustomInputs;
use crate::customers::page_card::shown;
use crate::interactions::api::LogInteraction;
use crate::tasks::panel::{NewTaskForm, TaskItem};
use crate::ui::{
    ErrorPage, Field, FormError, Select, Submit, action_error, bump_on_success, field_message, general_error, lang, t,
};

/// The message for a refused move or close (the rule that was broken).
fn broken_rule(err: Option<AppError>) -> Option<String> {
    err.as_ref().map(super::page_board::refusal)
}

/// `/deals/:id`.
#[component]
pub fn DealPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default());
    let changes = RwSignal::new(0u32);
    let view_data = Resource::new(move || (id(), changes.get()), |(id, _)| load_deal(id));
    // Actions live here, outside the part that is rebuilt on every refetch.
    let move_action = ServerAction::<MoveDeal>::new();
    let tick_action = ServerAction::<TickDeal>::new();
    let update_action = ServerAction::<UpdateDeal>::new();
    let close_action = ServerAction::<CloseDeal>::new();
    let note_action = ServerAction::<LogInteraction>::new();
    bump_on_success(move_action, changes);
    bump_on_success(tick_action, changes);
    bump_on_success(update_action, changes);
    bump_on_success(close_action, changes);
    bump_on_success(note_action, changes);
    let record = crate::records::panel::RecordActions::new(changes);
    let actions = Actions { move_action, tick_action, update_action, close_action, note_action, record };
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(v) => view! { <DealBody v actions changes /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    move_action: ServerAction<MoveDeal>,
    tick_action: ServerAction<TickDeal>,
    update_action: ServerAction<UpdateDeal>,
    close_action: ServerAction<CloseDeal>,
    note_action: ServerAction<LogInteraction>,
    record: crate::records::panel::RecordActions,
}

#[component]
fn DealBody(v: DealView, actions: Actions, changes: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let DealView {
        deal,
        pipeline,
        history,
        reasons,
        events,
        open_tasks,
        managers,
        counterparties,
        contacts,
        fields,
        now,
    } = v;
    let open = deal.status == DealStatus::Open;
    let status_class = format!("badge status-{}", deal.status.code());
    let amount = deal.amount.map(|a| money(l, a, &deal.currency)).unwrap_or_else(|| t(Msg::NoAmount).to_string());
    let reason_name =
        |id: Option<i64>| id.and_then(|id| reasons.iter().find(|r| r.id == id)).map(|r| r.label(l)).unwrap_or_default();
    let closed = (!open).then(|| {
        let lost_at = deal.lost_stage_id.and_then(|s| pipeline.stage(s)).map(|s| s.label(l));
        view! {
            <dl class="facts" data-test="closed-facts">
                <dt>{t(Msg::ClosedOn)}</dt>
                <dd>{deal.closed_at.map(|c| date(l, c)).unwrap_or_default()}</dd>
                {lost_at.map(|s| view! { <dt>{t(Msg::LostAt)}</dt><dd data-test="lost-at">{s}</dd> })}
                {deal.loss_reason_id.map(|_| view! { <dt>{t(Msg::LossReason)}</dt><dd>{reason_name(deal.loss_reason_id)}</dd> })}
                {deal.unmet_reason_id.map(|_| view! { <dt>{t(Msg::UnmetReason)}</dt><dd>{reason_name(deal.unmet_reason_id)}</dd> })}
                {deal.close_note.clone().map(|n| view! { <dt>{t(Msg::Notes)}</dt><dd class="pre">{n}</dd> })}
            </dl>
        }
    });
    crate::ui::set_page_name(&deal.title);
    let sales_on = !crate::ui::session_info().disabled_modules.iter().any(|k| k == crate::orders::MODULE.key);
    view! {
        <div class="page-head">
            <h1 data-test="deal-title">{deal.title.clone()}</h1>
            <span class=status_class data-test="deal-status">{t(deal.status.msg())}</span>
            <div class="actions">
                <a class="button secondary" href=format!("/deals?pipeline={}", deal.pipeline_id)>{pipeline.label(l)}</a>
            </div>
        </div>
        <p class="deal-sub">
            <a href=format!("/customers/{}", deal.customer_id) data-test="deal-customer">{deal.customer_name.clone()}</a>
            " · " <strong data-test="deal-amount">{amount}</strong>
            " · " {deal.manager_name.clone()}
        </p>
        <crate::records::panel::RecordControls
            kind=crate::records::RecordKind::Deal
            id=deal.id
            version=deal.version
            archived_at=deal.archived_at
            actions=actions.record
            back="/deals"
            changes
        />
        <StageTrack deal=deal.clone() pipeline=pipeline.clone() action=actions.move_action />
        {closed}
        <div class="grid-2">
            <div>
                <Checklist deal=deal.clone() pipeline=pipeline.clone() action=actions.tick_action />
                <DealForm
                    deal=deal.clone()
                    links=Links { managers, counterparties, contacts, fields }
                    action=actions.update_action
                />
                <CloseForm deal=deal.clone() reasons=reasons.clone() action=actions.close_action />
            </div>
            <div>
                {(sales_on && deal.status != super::DealStatus::Lost).then(|| view! { <crate::orders::panel::DealOrder deal_id=deal.id /> })}
                <section class="panel" aria-labelledby="note-h">
                    <h2 id="note-h">{t(Msg::AddNote)}</h2>
                    <NoteForm deal=deal.clone() action=actions.note_action />
                </section>
                <section class="panel" aria-labelledby="dt-h" data-test="deal-tasks">
                    <h2 id="dt-h">{t(Msg::OpenTasks)}</h2>
                    {if open_tasks.is_empty() {
                        view! { <p class="empty">{t(Msg::NoOpenTasks)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="tasks">
                                {open_tasks.into_iter().map(|task| view! { <TaskItem task changes now /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <NewTaskForm changes customer_id=deal.customer_id deal_id=deal.id />
                </section>
                <Timeline events pipeline=pipeline.clone() />
                <History history pipeline />
            </div>
        </div>
    }
}

/// The stages in order, the current one marked; the others are buttons that move the deal there.
#[component]
fn StageTrack(deal: Deal, pipeline: Pipeline, action: ServerAction<MoveDeal>) -> impl IntoView {
    if pipeline.mode == PipelineMode::None {
        return ().into_any();
    }
    let l = lang();
    let open = deal.status == DealStatus::Open;
    let current = deal.stage_id.and_then(|s| pipeline.stage(s)).map_or(0, |s| s.position);
    let error = Signal::derive(move || broken_rule(action.value().get().and_then(Result::err)));
    view! {
        <ol class="stage-track" data-test="stage-track">
            {pipeline.stages.clone().into_iter().map(|s| {
                let here = Some(s.id) == deal.stage_id;
                let past = s.position < current;
                let name = s.label(l);
                let pct = format!("{}%", s.probability);
                view! {
                    <li class:here=here class:past=past>
                        {if here || !open {
                            view! { <span class="stage-name" aria-current=here.then_some("step")>{name}<small>{pct}</small></span> }.into_any()
                        } else {
                            view! {
                                <ActionForm action attr:class="inline">
                                    <input type="hidden" name="id" value=deal.id />
                                    <input type="hidden" name="stage_id" value=s.id />
                                    <input type="hidden" name="version" value=deal.version />
                                    <button type="submit" class="stage-name" data-test=format!("move-{}", s.id) disabled=move || action.pending().get() aria-busy=move || action.pending().get().then_some("true")
                                        title=format!("{}: {}", t(Msg::MoveTo), name)>{name.clone()}<small>{pct}</small></button>
                                </ActionForm>
                            }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ol>
        {move || error.get().map(|e| view! { <div class="alert alert-error" role="alert" data-test="move-error">{e}</div> })}
    }
    .into_any()
}

/// The current stage's checklist: each item ticks or unticks with its own small form.
#[component]
fn Checklist(deal: Deal, pipeline: Pipeline, action: ServerAction<TickDeal>) -> impl IntoView {
    let Some(stage) = deal.stage_id.and_then(|s| pipeline.stage(s)).cloned() else { return ().into_any() };
    if stage.rules.checklist.is_empty() {
        return ().into_any();
    }
    let error = action_error(action);
    let open = deal.status == DealStatus::Open;
    view! {
        <section class="panel" aria-labelledby="cl-h" data-test="checklist">
            <h2 id="cl-h">{t(Msg::Checklist)} " · " {stage.label(lang())}</h2>
            <FormError error=general_error(error) />
            <ul class="checklist">
                {stage.rules.checklist.clone().into_iter().map(|item| {
                    let done = deal.checklist_done.contains(&item);
                    let (value, aria) = (item.clone(), item.clone());
                    view! {
                        <li class:done=done>
                            <ActionForm action attr:class="inline">
                                <input type="hidden" name="id" value=deal.id />
                                <input type="hidden" name="version" value=deal.version />
                                <input type="hidden" name="item" value=value.clone() />
                                <input type="hidden" name="done" value=(!done).to_string() />
                                <button type="submit" class="check" disabled=move || !open || action.pending().get() aria-pressed=done.to_string()
                                    aria-label=aria.clone() data-test="tick">{if done { "✓" } else { "" }}</button>
                            </ActionForm>
                            <span>{item}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// What the deal form offers to choose from.
struct Links {
    managers: Vec<(i64, String)>,
    counterparties: Vec<(i64, String)>,
    contacts: Vec<(i64, String)>,
    fields: Vec<CustomField>,
}

/// The deal's own fields: amount, dates, manager, the counterparty that signs, contact persons with their
/// roles in the deal, custom fields.
#[component]
fn DealForm(deal: Deal, links: Links, action: ServerAction<UpdateDeal>) -> impl IntoView {
    let Links { managers, counterparties, contacts, fields } = links;
    let error = action_error(action);
    let general = Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation { .. })));
    let currencies: Vec<(String, String)> = CURRENCIES.iter().map(|c| (c.to_string(), c.to_string())).collect();
    let people: Vec<(String, String)> = managers.into_iter().map(|(id, n)| (id.to_string(), n)).collect();
    let parties: Vec<(String, String)> = (!counterparties.is_empty())
        .then(|| (String::new(), "—".to_string()))
        .into_iter()
        .chain(counterparties.into_iter().map(|(id, n)| (id.to_string(), n)))
        .collect();
    view! {
        <section class="panel" aria-labelledby="df-h">
            <h2 id="df-h">{t(Msg::Deal)}</h2>
            <ActionForm action attr:class="stack" attr:data-test="deal-form">
                <input type="hidden" name="id" value=deal.id />
                <input type="hidden" name="version" value=deal.version />
                {move || general.get().map(|e| view! {
                    <div class="alert alert-error" role="alert">{broken_rule(Some(e)).unwrap_or_default()}</div>
                })}
                <Field label=Msg::Title name="title" value=deal.title.clone() required=true error />
                <div class="grid-2">
                    <Field label=Msg::Amount name="amount" value=deal.amount.map(|a| a.to_string()).unwrap_or_default() error />
                    <Select label=Msg::Currency name="currency" options=currencies selected=deal.currency.clone() error />
                </div>
                <div class="grid-2">
                    <Field label=Msg::ExpectedClose name="expected_close" kind="date" value=day_value(deal.expected_close) error />
                    <Field label=Msg::Source name="source" value=deal.source.clone().unwrap_or_default() error />
                </div>
                <Field label=Msg::Interest name="interest" value=deal.interest.clone().unwrap_or_default() error />
                {(people.len() > 1).then(|| view! {
                    <Select label=Msg::Manager name="manager_id" options=people selected=deal.manager_id.to_string() error />
                })}
                {(!parties.is_empty()).then(|| view! {
                    <Select
                        label=Msg::EntCounterparty
                        name="counterparty_id"
                        options=parties
                        selected=deal.counterparty_id.map(|c| c.to_string()).unwrap_or_default()
                        error
                    />
                })}
                {(!contacts.is_empty()).then(|| view! {
                    <fieldset class="deal-contacts" data-test="deal-contacts">
                        <legend>{t(Msg::Contacts)}</legend>
                        {contacts.into_iter().map(|(id, name)| {
                            let linked = deal.contacts.iter().find(|c| c.contact_id == id);
                            let role = linked.and_then(|c| c.role.clone()).unwrap_or_default();
                            view! {
                                <div class="deal-contact" data-test="deal-contact">
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            name=format!("contact_on[{id}]")
                                            value="1"
                                            checked=linked.is_some()
                                            data-test=format!("deal-contact-{id}")
                                        />
                                        {name.clone()}
                                    </label>
                                    <input
                                        type="text"
                                        name=format!("contact_role[{id}]")
                                        value=role
                                        maxlength="100"
                                        placeholder=t(Msg::DealRole)
                                        aria-label=format!("{}: {name}", t(Msg::DealRole))
                                        data-test=format!("deal-contact-role-{id}")
                                    />
                                </div>
                            }
                        }).collect_view()}
                        <p class="field-error" data-test="error-contacts">{move || field_message(error.get(), "contacts")}</p>
                    </fieldset>
                })}
                <CustomInputs defs=fields values=deal.custom.clone() error />
                <div class="actions">
                    <Submit pending=action.pending() label=Msg::Save test="deal-save" />
                </div>
            </ActionForm>
        </section>
    }
}

/// Won, lost (with reasons) or, for a closed deal, reopen.
#[component]
fn CloseForm(deal: Deal, reasons: Vec<super::Reason>, action: ServerAction<CloseDeal>) -> impl IntoView {
    let l = lang();
    let error = action_error(action);
    let msg = Signal::derive(move || broken_rule(error.get()));
    let pick = move |kind: &str| -> Vec<(String, String)> {
        std::iter::once((String::new(), "—".to_string()))
            .chain(reasons.iter().filter(|r| r.kind == kind && !r.retired).map(|r| (r.id.to_string(), r.label(l))))
            .collect()
    };
    let body = if deal.status == DealStatus::Open {
        view! {
            <div class="grid-2">
                <ActionForm action attr:class="stack" attr:data-test="won-form">
                    <input type="hidden" name="id" value=deal.id />
                    <input type="hidden" name="version" value=deal.version />
                    <input type="hidden" name="outcome" value="won" />
                    <Submit pending=action.pending() label=Msg::MarkWon test="mark-won" />
                </ActionForm>
                <ActionForm action attr:class="stack" attr:data-test="lost-form">
                    <input type="hidden" name="id" value=deal.id />
                    <input type="hidden" name="version" value=deal.version />
                    <input type="hidden" name="outcome" value="lost" />
                    <Select label=Msg::LossReason name="loss_reason_id" options=pick("loss") error />
                    <Select label=Msg::UnmetReason name="unmet_reason_id" options=pick("unmet") error />
                    <Field label=Msg::Notes name="note" scope="close" error />
                    <Submit pending=action.pending() label=Msg::MarkLost class="button danger" test="mark-lost" />
                </ActionForm>
            </div>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action attr:class="inline">
                <input type="hidden" name="id" value=deal.id />
                <input type="hidden" name="version" value=deal.version />
                <input type="hidden" name="outcome" value="open" />
                <Submit pending=action.pending() label=Msg::Reopen class="button" test="reopen" />
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="cf-h">
            <h2 id="cf-h">{t(Msg::Status)}</h2>
            {move || msg.get().map(|m| view! { <div class="alert alert-error" role="alert" data-test="close-error">{m}</div> })}
            {body}
        </section>
    }
}

/// A note on the deal (an interaction of kind `note`, on the deal's and the customer's timeline).
#[component]
fn NoteForm(deal: Deal, action: ServerAction<LogInteraction>) -> impl IntoView {
    let error = action_error(action);
    let form = NodeRef::new();
    crate::ui::reset_on_success(action, form);
    view! {
        <ActionForm action node_ref=form attr:class="stack" attr:data-test="deal-note">
            <input type="hidden" name="customer_id" value=deal.customer_id />
            <input type="hidden" name="deal_id" value=deal.id />
            <input type="hidden" name="kind" value="note" />
            <FormError error=general_error(error) />
            <div class="field">
                <label for="deal-note-body" class="sr-only">{t(Msg::AddNote)}</label>
                <textarea id="deal-note-body" name="body" rows="2" required data-test="deal-note-body"></textarea>
            </div>
            <div class="actions">
                <Submit pending=action.pending() label=Msg::Add class="button" test="deal-note-submit" />
            </div>
        </ActionForm>
    }
}

#[component]
fn Timeline(events: Vec<TimelineEntry>, pipeline: Pipeline) -> impl IntoView {
    let l = lang();
    let _ = pipeline;
    view! {
        <section class="panel" aria-labelledby="tl-h" data-test="deal-timeline">
            <h2 id="tl-h">{t(Msg::Timeline)}</h2>
            {events.is_empty().then(|| view! { <p class="empty">{t(Msg::TimelineEmpty)}</p> })}
            <ol class="timeline">
                {events.into_iter().map(|e| {
                    let what = match &e.interaction {
                        Some(i) => format!("{}{}", t(i.kind.msg()), i.subject.as_deref().map(|s| format!(": {s}")).unwrap_or_default()),
                        None => match e.action.as_str() {
                            "moved" => t(Msg::EvMoved).to_string(),
                            "closed" => t(Msg::EvClosed).to_string(),
                            "reopened" => t(Msg::EvReopened).to_string(),
                            a => t(action_msg(a)).to_string(),
                        },
                    };
                    let body = e.interaction.as_ref().and_then(|i| i.body.clone());
                    let changes = e.changes.iter().map(|c| {
                        let show = |v: &Option<String>| shown(&c.field, v.clone());
                        let arrow = if c.old.is_some() { format!("{} → {}", show(&c.old), show(&c.new)) } else { show(&c.new) };
                        view! { <li class="small"><span class="muted">{t(entity_field_msg(&e.entity, &c.field))} ": "</span>{arrow}</li> }
                    }).collect_view();
                    view! {
                        <li data-test="deal-event">
                            <span class="muted small">{date_time(l, e.at)} " · " {e.user_name.clone().unwrap_or_default()}</span>
                            <strong>" " {what}</strong>
                            {body.map(|b| view! { <p class="pre small">{b}</p> })}
                            <ul class="changes">{changes}</ul>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn History(history: Vec<super::StageStay>, pipeline: Pipeline) -> impl IntoView {
    if history.is_empty() {
        return ().into_any();
    }
    let l = lang();
    view! {
        <section class="panel" aria-labelledby="sh-h" data-test="stage-history">
            <h2 id="sh-h">{t(Msg::StageHistory)}</h2>
            <table class="table small">
                <thead><tr><th>{t(Msg::DealStage)}</th><th>{t(Msg::Entered)}</th><th>{t(Msg::Left)}</th></tr></thead>
                <tbody>
                    {history.into_iter().rev().map(|h| view! {
                        <tr>
                            <td>{pipeline.stage(h.stage_id).map(|s| s.label(l)).unwrap_or_default()}</td>
                            <td>{date_time(l, h.entered_at)}</td>
                            <td>{h.left_at.map(|x| date_time(l, x)).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

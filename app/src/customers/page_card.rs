//! The customer card: header with key facts, edit form, contacts, counterparties and the timeline.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{CustomerCard, UpdateCustomer, customer_timeline, get_customer};
use super::form::{DuplicateList, EditCustomerForm};
use crate::audit::{TimelineEntry, action_msg, entity_field_msg, entity_msg};
use crate::contacts::api::list_contacts;
use crate::contacts::panel::ContactsPanel;
use crate::core::format::date_time;
use crate::core::phone::display;
use crate::core::{AppError, Msg};
use crate::counterparties::api::list_counterparties;
use crate::counterparties::panel::CounterpartiesPanel;
use crate::custom_fields;
use crate::deals::panel::CustomerDealsPanel;
use crate::interactions::panel::{InteractionEntry, QuickLog};
use crate::mail::page::CustomerMailPanel;
use crate::records::RecordKind;
use crate::records::panel::RecordControls;
use crate::tasks::api::customer_tasks;
use crate::tasks::panel::CustomerTasks;
use crate::ui::{ErrorPage, lang, t};

/// `/customers/:id`.
#[component]
pub fn CustomerCardPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let update = ServerAction::<UpdateCustomer>::new();
    // Refetch after a successful save only, so a refused save keeps what the user typed.
    let saved = Memo::new(move |_| update.value().get().and_then(Result::ok).map(|c| c.version));
    // Archived, restored or erased: the card is read again.
    let record_changes = RwSignal::new(0u32);
    let record = crate::records::panel::RecordActions::new(record_changes);
    let customer = Resource::new(
        move || (id(), saved.get(), record_changes.get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => get_customer(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Successful changes in the card's sections; the timeline refetches on each.
    let changes = RwSignal::new(0u32);
    // Every resource of the card is made here, once: made inside the `Suspend` below, they would be made
    // (and fetched) again each time it runs, twice for every server render.
    let contacts = Resource::new(
        move || (id(), changes.get()),
        |(id, _)| async move {
            match id {
                Some(id) => list_contacts(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let counterparties = Resource::new(
        move || (id(), changes.get()),
        |(id, _)| async move {
            match id {
                Some(id) => list_counterparties(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let tasks = Resource::new(
        move || (id(), changes.get()),
        |(id, _)| async move {
            match id {
                Some(id) => customer_tasks(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Not asked for when the mail module is off (the panel is not shown then).
    let mail_off = crate::ui::session_info().disabled_modules.iter().any(|k| k == crate::mail::MODULE.key);
    let mail = Resource::new(
        move || (id(), changes.get()),
        move |(id, _)| async move {
            match id {
                Some(id) if !mail_off => crate::mail::api::load_customer_mail(id).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    let deals_off = crate::ui::session_info().disabled_modules.iter().any(|k| k == crate::deals::MODULE.key);
    let deals = Resource::new(
        move || (id(), changes.get()),
        move |(id, _)| async move {
            match id {
                Some(id) if !deals_off => crate::deals::api::customer_deals(id).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    let create_deal = ServerAction::<crate::deals::api::CreateDeal>::new();
    let sales_off = crate::ui::session_info().disabled_modules.iter().any(|k| k == crate::orders::MODULE.key);
    let orders = Resource::new(
        move || (id(), changes.get()),
        move |(id, _)| async move {
            match id {
                Some(id) if !sales_off => crate::orders::api::orders_of_customer(id).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    // The money and invoices panels follow payments and invoices live, on their own.
    let money_changes = RwSignal::new(0u32);
    let invoices = Resource::new(
        move || (id(), changes.get(), money_changes.get()),
        move |(id, _, _)| async move {
            match id {
                Some(id) if !sales_off => crate::invoices::api::invoices_of_customer(id).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    let money = Resource::new(
        move || (id(), changes.get(), money_changes.get()),
        move |(id, _, _)| async move {
            match id {
                Some(id) if !sales_off => crate::payments::api::money_of_customer(id).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    let cursor = RwSignal::new(None::<String>);
    let timeline = Resource::new(
        move || (id(), cursor.get(), saved.get(), changes.get(), record_changes.get()),
        |(id, cursor, _, _, _)| async move {
            match id {
                Some(id) => customer_timeline(id, cursor).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let lang = lang();
    let off = crate::ui::session_info().disabled_modules;
    let interactions_on = !off.iter().any(|k| k == crate::interactions::MODULE.key);
    let tasks_on = !off.iter().any(|k| k == crate::tasks::MODULE.key);
    let mail_on = !off.iter().any(|k| k == crate::mail::MODULE.key);
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match customer.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(CustomerCard { customer: c, fields, contact_fields, duplicates }) => {
                        let id = c.id;
                        crate::ui::set_page_name(&c.name);
                        let details: Vec<(String, String, bool)> = fields
                            .iter()
                            .filter_map(|d| {
                                c.custom.get(&d.key).map(|v| (d.label.clone(), custom_fields::display(lang, d, v), d.retired))
                            })
                            .collect();
                        view! {
                            <header class="card-head" data-test="customer-card">
                                <div>
                                    <p class="muted small">
                                        {t(c.kind.msg())} " · "
                                        <span class="badge" data-test="customer-stage">{t(c.stage.msg())}</span>
                                    </p>
                                    <h1 data-test="customer-name">{c.name.clone()}</h1>
                                    <p class="facts">
                                        {c.phone.clone().map(|p| view! { <a href=format!("tel:{p}")>{display(&p)}</a> })}
                                        {c.email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                                        <span>{format!("{}: {}", t(Msg::Manager), c.manager_name)}</span>
                                        {c.source.clone().map(|s| view! { <span>{format!("{}: {s}", t(Msg::Source))}</span> })}
                                    </p>
                                    {(!c.tags.is_empty())
                                        .then(|| {
                                            view! {
                                                <p class="tags" aria-label=t(Msg::Tags)>
                                                    {c.tags.iter().map(|tag| view! { <span class="badge">{tag.clone()}</span> }).collect_view()}
                                                </p>
                                            }
                                        })}
                                    {(!details.is_empty()).then(|| view! {
                                        <dl class="details" data-test="custom-values" aria-label=t(Msg::CustomFields)>
                                            {details.into_iter().map(|(label, value, retired)| view! {
                                                <div class:muted=retired>
                                                    <dt>{label}</dt>
                                                    <dd>{value}</dd>
                                                </div>
                                            }).collect_view()}
                                        </dl>
                                    })}
                                </div>
                                <dl class="meta">
                                    <dt>{t(Msg::CreatedAt)}</dt>
                                    <dd>{date_time(lang, c.created_at)}</dd>
                                    <dt>{t(Msg::UpdatedAt)}</dt>
                                    <dd>{date_time(lang, c.updated_at)}</dd>
                                </dl>
                            </header>
                            <RecordControls kind=RecordKind::Customer id version=c.version archived_at=c.archived_at actions=record back="/customers" changes />
                            {(!duplicates.is_empty())
                                .then(|| view! { <DuplicateList hits=duplicates merge_into=Some(id) folded=true /> })}
                            // What a salesperson needs first: the people, the next task, open deals, then the
                            // log and the timeline. Two columns on a wide screen; on a tablet one, in the order
                            // of the `slot-N` classes (style/main.css).
                            <div class="card-body">
                                <div class="card-side">
                                    <div class="slot-1"><ContactsPanel customer_id=id changes fields=contact_fields list=contacts /></div>
                                    {tasks_on.then(|| view! { <div class="slot-2"><CustomerTasks customer_id=id changes list=tasks /></div> })}
                                    {(!deals_off).then(|| view! { <div class="slot-3"><CustomerDealsPanel customer_id=id data=deals create=create_deal /></div> })}
                                    {(!sales_off).then(|| view! { <div class="slot-3"><crate::orders::panel::CustomerOrdersPanel customer_id=id data=orders /></div> })}
                                    {(!sales_off).then(|| view! { <div class="slot-3"><crate::payments::panel::CustomerMoneyPanel customer_id=id data=money changes=money_changes /></div> })}
                                    {(!sales_off).then(|| view! { <div class="slot-3"><crate::documents::panel::ReconciliationPanel customer_id=id /></div> })}
                                    {(!sales_off).then(|| view! { <div class="slot-3"><crate::invoices::panel::CustomerInvoicesPanel customer_id=id data=invoices /></div> })}
                                    <div class="slot-7"><CounterpartiesPanel customer_id=id changes list=counterparties /></div>
                                    <details class="panel slot-8 edit-customer" data-test="edit-customer">
                                        <summary><h2>{t(Msg::EditCustomer)}</h2></summary>
                                        <EditCustomerForm customer=c defs=fields action=update />
                                    </details>
                                </div>
                                <div class="card-main">
                                    {interactions_on.then(|| view! { <div class="slot-4"><QuickLog customer_id=id changes contacts /></div> })}
                                    <div class="slot-5"><Timeline page=timeline cursor changes /></div>
                                    {mail_on.then(|| view! { <div class="slot-6"><CustomerMailPanel customer_id=id changes data=mail /></div> })}
                                </div>
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The customer's history, newest first, a page at a time (`cursor`); the page's resource follows saves and
/// added contacts and counterparties.
#[component]
fn Timeline(
    page: Resource<Result<crate::audit::TimelinePage, AppError>>,
    cursor: RwSignal<Option<String>>,
    changes: RwSignal<u32>,
) -> impl IntoView {
    let archive = ServerAction::<crate::records::api::SetArchived>::new();
    crate::ui::bump_on_success(archive, changes);
    let archive_error = crate::ui::action_error(archive);
    let attach_error = crate::ui::refusal_in_query("attach_error");
    view! {
        <section class="panel" aria-labelledby="timeline-h" data-test="timeline" id="timeline">
            <h2 id="timeline-h">{t(Msg::Timeline)}</h2>
            <crate::ui::FormError error=archive_error />
            <crate::records::panel::UndoArchive action=archive />
            // The attachment form posts to the server, which comes back here with the refusal's code.
            {move || {
                attach_error().map(|code| view! { <p class="alert alert-error" role="alert" data-test="attach-error">{t(code.msg())}</p> })
            }}
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(p) if p.items.is_empty() => {
                            view! { <p class="empty" data-test="timeline-empty">{t(Msg::TimelineEmpty)}</p> }.into_any()
                        }
                        Ok(p) => {
                            let next = p.next_cursor.clone();
                            view! {
                                <ol class="timeline">
                                    {p
                                        .items
                                        .into_iter()
                                        .map(|mut e| match e.interaction.take() {
                                            Some(i) => view! { <InteractionEntry i changes archive /> }.into_any(),
                                            None => view! { <Entry e /> }.into_any(),
                                        })
                                        .collect_view()}
                                </ol>
                                <nav class="pager">
                                    {cursor.get().is_some().then(|| view! {
                                        <button type="button" class="button small" on:click=move |_| cursor.set(None)>
                                            {t(Msg::FirstPage)}
                                        </button>
                                    })}
                                    {next.map(|n| view! {
                                        <button type="button" class="button small" data-test="timeline-older"
                                            on:click=move |_| cursor.set(Some(n.clone()))>
                                            {t(Msg::OlderEvents)}
                                        </button>
                                    })}
                                </nav>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// A stored value as shown: stage and kind codes translated, yes/no translated.
/// A value of an audit entry as shown: codes translated, phones grouped, a deal's starter stage (`@preset`)
/// in the reader's language.
pub(crate) fn shown(field: &str, v: Option<String>) -> String {
    let Some(v) = v else { return "—".into() };
    if let Some(m) = crate::records::shown_value(&v) {
        return t(m).to_string();
    }
    let msg = match (field, v.as_str()) {
        ("stage", s) if s.starts_with('@') => return crate::deals::label(None, Some(&s[1..]), lang()),
        ("stage", s) => super::CustomerStage::parse(s).map(|k| k.msg()),
        ("status", s) => crate::deals::DealStatus::parse(s).map(|k| k.msg()),
        ("kind", s) => super::CustomerKind::parse(s).map(|k| k.msg()),
        ("vat_payer", "yes") => Some(Msg::Yes),
        ("vat_payer", "no") => Some(Msg::No),
        ("phone", p) => return display(p),
        ("phones", p) => return p.split(", ").map(display).collect::<Vec<_>>().join(", "),
        _ => None,
    };
    msg.map(|m| t(m).to_string()).unwrap_or(v)
}

#[component]
fn Entry(e: TimelineEntry) -> impl IntoView {
    let who = e.user_name.clone().unwrap_or_default();
    // Documents are opened from their line.
    let href = match e.entity.as_str() {
        "order" => Some(format!("/orders/{}", e.entity_id)),
        "invoice" => Some(format!("/invoices/{}", e.entity_id)),
        _ => None,
    };
    let what = t(entity_msg(&e.entity));
    view! {
        <li data-test="timeline-entry" data-action=e.action.clone()>
            <div class="small muted">{date_time(lang(), e.at)} " · " {who}</div>
            <div>
                <strong>
                    {match href {
                        Some(href) => view! { <a href=href>{what}</a> }.into_any(),
                        None => what.into_any(),
                    }}
                </strong>
                " "
                {t(action_msg(&e.action))}
            </div>
            <ul class="changes small">
                {e
                    .changes
                    .into_iter()
                    .map(|c| {
                        // Creations, and the snapshot of a customer merged away, show the values.
                        let created = e.action == "created" || e.action == "merged_away";
                        let label = match c.field.strip_prefix("custom:") {
                            Some(custom) => custom.to_string(),
                            None => t(entity_field_msg(&e.entity, &c.field)).to_string(),
                        };
                        // Creations and additions show the value; changes show old → new.
                        let text = if created || c.old.is_none() {
                            shown(&c.field, c.new.clone())
                        } else {
                            format!("{} → {}", shown(&c.field, c.old.clone()), shown(&c.field, c.new.clone()))
                        };
                        view! { <li><span class="muted">{label}": "</span>{text}</li> }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}

//! `/mail` (mailboxes with their sync status, unsorted messages, templates), `/mail/:id` (one message: link
//! it to a customer or make one from it, reply), and the customer card's mail panel (write with templates).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    CustomerFromMessage, CustomerMail, DeleteTemplate, DisconnectMailbox, LinkMessage, MailOverview, SaveMailbox,
    SaveTemplate, SendMail, SyncMailbox, fill_template, get_mail_overview, load_message,
};
use super::{Mailbox, MessageSummary, Security, TEMPLATE_FIELDS};
use crate::core::format::date_time;
use crate::core::{AppError, Msg};
use crate::customers::page_list::encode;
use crate::ui::{
    ConfirmSubmit, Field, FormError, Select, Submit, TextArea, action_error, bump_on_success, general_error, lang,
    reset_on_success, t,
};

/// The translated meaning of a stored sync error code.
pub fn sync_error_msg(code: &str) -> Msg {
    match code {
        "auth" => Msg::MailErrAuth,
        "connect" => Msg::MailErrConnect,
        "tls" => Msg::MailErrTls,
        "timeout" => Msg::MailErrTimeout,
        "key" => Msg::MailErrKey,
        "private_host" => Msg::MailErrPrivateHost,
        "store" => Msg::MailErrStore,
        _ => Msg::MailErrProtocol,
    }
}

/// `/mail?cursor=`.
#[component]
pub fn MailPage() -> impl IntoView {
    let query = use_query_map();
    let changes = RwSignal::new(0u32);
    let data = Resource::new(
        move || (query.with(|q| q.get("cursor")), changes.get()),
        |(cursor, _)| get_mail_overview(cursor),
    );
    view! {
        <div class="page-head">
            <h1>{t(Msg::Mail)}</h1>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <crate::ui::ErrorPage err /> }.into_any(),
                    Ok(MailOverview { mailboxes, unsorted, recent, templates, is_admin, me }) => {
                        let next = unsorted.next_cursor.clone().map(|c| format!("/mail?cursor={}", encode(&c)));
                        view! {
                            <div class="grid-2">
                                <section class="panel" aria-labelledby="mb-h" data-test="mailboxes">
                                    <h2 id="mb-h">{t(Msg::Mailboxes)}</h2>
                                    {mailboxes.is_empty().then(|| view! { <p class="empty">{t(Msg::NoMailboxes)}</p> })}
                                    <ul class="plain-list">
                                        {mailboxes.into_iter().map(|m| {
                                            let mine = m.owner_id == Some(me) || (m.owner_id.is_none() && is_admin);
                                            view! { <MailboxItem mailbox=m changes manage=mine || is_admin /> }
                                        }).collect_view()}
                                    </ul>
                                    <details class="add-form">
                                        <summary class="button small" data-test="mailbox-add">{t(Msg::ConnectMailbox)}</summary>
                                        <MailboxForm changes is_admin />
                                    </details>
                                </section>
                                <section class="panel" aria-labelledby="tpl-h" data-test="templates">
                                    <h2 id="tpl-h">{t(Msg::MailTemplates)}</h2>
                                    <ul class="plain-list">
                                        {templates.into_iter().map(|tpl| view! { <TemplateItem template=tpl changes /> }).collect_view()}
                                    </ul>
                                    <details class="add-form">
                                        <summary class="button small" data-test="template-add">{t(Msg::NewTemplate)}</summary>
                                        <TemplateForm changes />
                                    </details>
                                </section>
                            </div>
                            <section class="panel" aria-labelledby="uns-h" data-test="unsorted">
                                <h2 id="uns-h">{t(Msg::Unsorted)}</h2>
                                <p class="muted small">{t(Msg::UnsortedHint)}</p>
                                <MessageList items=unsorted.items />
                                <nav class="pager" aria-label=t(Msg::Pagination)>
                                    {query.with_untracked(|q| q.get("cursor")).map(|_| view! { <a href="/mail" class="button">{t(Msg::FirstPage)}</a> })}
                                    {next.map(|href| view! { <a href=href class="button" data-test="next-page">{t(Msg::Next)}</a> })}
                                </nav>
                            </section>
                            <section class="panel" aria-labelledby="rec-h" data-test="recent-mail">
                                <h2 id="rec-h">{t(Msg::RecentMail)}</h2>
                                <MessageList items=recent.items />
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Messages as a table: when, who, subject, customer.
#[component]
fn MessageList(items: Vec<MessageSummary>) -> impl IntoView {
    let lang = lang();
    if items.is_empty() {
        return view! { <p class="empty" data-test="empty">{t(Msg::NothingFound)}</p> }.into_any();
    }
    view! {
        <table class="table" data-test="message-table">
            <thead>
                <tr>
                    <th>{t(Msg::When)}</th>
                    <th>{t(Msg::MailCorrespondent)}</th>
                    <th>{t(Msg::Subject)}</th>
                    <th class="hide-sm">{t(Msg::Customer)}</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|m| {
                    let who = if m.direction == "in" {
                        m.from_name.clone().or(m.from_addr.clone()).unwrap_or_default()
                    } else {
                        format!("→ {}", m.to_addrs)
                    };
                    let subject = m.subject.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| t(Msg::NoSubject).to_string());
                    view! {
                        <tr data-test="message-row">
                            <td class="nowrap">{date_time(lang, m.sent_at)}</td>
                            <td>{who}</td>
                            <td>
                                <a href=format!("/mail/{}", m.id) data-test="message-link">{subject}</a>
                                {(m.attachment_count > 0).then(|| view! { <span class="muted" title=t(Msg::Attachments)>" 📎"</span> })}
                                {m.problem.clone().map(|_| view! { <span class="badge warn">{t(Msg::MailProblem)}</span> })}
                            </td>
                            <td class="hide-sm">
                                {m.customer_id.zip(m.customer_name.clone()).map(|(id, name)| view! {
                                    <a href=format!("/customers/{id}")>{name}</a>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A mailbox with its sync status, last error and actions.
#[component]
fn MailboxItem(mailbox: Mailbox, changes: RwSignal<u32>, manage: bool) -> impl IntoView {
    let sync = ServerAction::<SyncMailbox>::new();
    bump_on_success(sync, changes);
    let disconnect = ServerAction::<DisconnectMailbox>::new();
    bump_on_success(disconnect, changes);
    let m = mailbox;
    let (status_text, status_class) = if m.syncing {
        (t(Msg::MailSyncing), "badge")
    } else {
        match m.status.as_str() {
            "ok" => (t(Msg::MailSynced), "badge ok"),
            "error" => (t(Msg::MailSyncFailed), "badge warn"),
            _ => (t(Msg::MailWaiting), "badge"),
        }
    };
    let error = m.error_code().map(|c| t(sync_error_msg(c)).to_string());
    let detail = m.last_error.clone().and_then(|e| e.split_once(':').map(|(_, d)| d.trim().to_string()));
    let owner = m.owner_name.clone().unwrap_or_else(|| t(Msg::SharedMailbox).to_string());
    view! {
        <li class="mailbox" data-test="mailbox" data-mailbox-id=m.id>
            <div>
                <strong>{m.name.clone()}</strong> " " <span class="muted">{format!("<{}>", m.address)}</span>
                <div class="small muted">
                    {owner} " · " <span class=status_class data-test="mailbox-status">{status_text}</span>
                    {m.last_sync_at.map(|at| format!(" · {}", date_time(lang(), at)))}
                    {format!(" · {} · {}", crate::ui::tn(Msg::MailMessagesCount, m.messages), crate::ui::tn(Msg::MailUnsortedCount, m.unsorted))}
                </div>
                {error.map(|e| view! {
                    <p class="alert alert-error small" role="status" data-test="mailbox-error">
                        {e} {detail.map(|d| view! { <span class="muted">" ("{d}")"</span> })}
                    </p>
                })}
            </div>
            <div class="actions">
                <ActionForm action=sync attr:class="inline">
                    <input type="hidden" name="id" value=m.id />
                    <Submit pending=sync.pending() label=Msg::SyncNow busy=Msg::BusySyncing class="button small" test="mailbox-sync" />
                </ActionForm>
                {manage.then(|| view! {
                    <ActionForm action=disconnect attr:class="inline">
                        <input type="hidden" name="id" value=m.id />
                        <ConfirmSubmit pending=disconnect.pending() label=Msg::Disconnect question=Msg::DisconnectMailboxQuestion yes=Msg::DisconnectYes test="mailbox-disconnect" />
                    </ActionForm>
                })}
            </div>
        </li>
    }
}

/// Connecting a mailbox: address, password, IMAP and SMTP servers. Both logins are tried before saving.
#[component]
fn MailboxForm(changes: RwSignal<u32>, is_admin: bool) -> impl IntoView {
    let action = ServerAction::<SaveMailbox>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let general = general_error(error);
    let form = NodeRef::new();
    reset_on_success(action, form);
    let securities = || -> Vec<(String, String)> {
        Security::ALL.into_iter().map(|s| (s.code().to_string(), t(s.msg()).to_string())).collect()
    };
    view! {
        <ActionForm action node_ref=form attr:class="stack" attr:data-test="mailbox-form">
            <FormError error=general />
            <div class="grid-2">
                <Field label=Msg::Email name="address" kind="email" required=true scope="mb" error />
                <Field label=Msg::Password name="password" kind="password" autocomplete="new-password" scope="mb" error />
                <Field label=Msg::MailLogin name="login" scope="mb" placeholder=Msg::MailLoginHint error />
                <Field label=Msg::Name name="name" scope="mb" error />
            </div>
            <fieldset class="mail-form-set">
                <legend>{t(Msg::MailIncoming)}</legend>
                <div class="grid-3">
                    <Field label=Msg::MailServer name="imap_host" required=true scope="mb" error />
                    <Field label=Msg::MailPort name="imap_port" kind="number" scope="mb" error />
                    <Select label=Msg::MailSecurity name="imap_security" options=securities() selected="tls" error />
                </div>
            </fieldset>
            <fieldset class="mail-form-set">
                <legend>{t(Msg::MailOutgoing)}</legend>
                <div class="grid-3">
                    <Field label=Msg::MailServer name="smtp_host" required=true scope="mb" error />
                    <Field label=Msg::MailPort name="smtp_port" kind="number" scope="mb" error />
                    <Select label=Msg::MailSecurity name="smtp_security" options=securities() selected="tls" error />
                </div>
            </fieldset>
            {is_admin.then(|| view! {
                <label class="check-label"><input type="checkbox" name="shared" value="true" data-test="field-shared" />" " {t(Msg::SharedMailboxHint)}</label>
            })}
            <div class="actions">
                <Submit pending=action.pending() label=Msg::ConnectMailbox busy=Msg::BusyConnecting test="mailbox-submit" />
            </div>
        </ActionForm>
    }
}

#[component]
fn TemplateItem(template: super::Template, changes: RwSignal<u32>) -> impl IntoView {
    let delete = ServerAction::<DeleteTemplate>::new();
    bump_on_success(delete, changes);
    let error = action_error(delete);
    let editing = template.clone();
    view! {
        <li data-test="template">
            <strong>{template.name.clone()}</strong>
            <div class="small muted">{template.subject.clone()}</div>
            <crate::ui::EditInPlace test="template-edit">
                <TemplateForm changes current=editing.clone() />
            </crate::ui::EditInPlace>
            <ActionForm action=delete attr:class="inline">
                <input type="hidden" name="id" value=template.id />
                <ConfirmSubmit pending=delete.pending() label=Msg::Delete question=Msg::DeleteTemplateQuestion yes=Msg::DeleteYes test="template-delete" />
            </ActionForm>
            <FormError error />
        </li>
    }
}

/// A new template's form, or with `current` the edit form of that one.
#[component]
fn TemplateForm(changes: RwSignal<u32>, #[prop(optional)] current: Option<super::Template>) -> impl IntoView {
    let action = ServerAction::<SaveTemplate>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let general = general_error(error);
    let form = NodeRef::new();
    if current.is_none() {
        reset_on_success(action, form);
    }
    let fields = TEMPLATE_FIELDS.iter().map(|f| format!("{{{{{f}}}}}")).collect::<Vec<_>>().join("  ");
    let scope = current.as_ref().map_or_else(|| "tpl".to_string(), |c| format!("tpl{}", c.id));
    let (name, subject, body) =
        current.as_ref().map(|c| (c.name.clone(), c.subject.clone(), c.body.clone())).unwrap_or_default();
    view! {
        <ActionForm action node_ref=form attr:class="stack" attr:data-test="template-form">
            {current.map(|c| view! {
                <input type="hidden" name="id" value=c.id />
                <input type="hidden" name="version" value=c.version />
            })}
            <FormError error=general />
            <Field label=Msg::Name name="name" required=true scope=scope.clone() value=name error />
            <Field label=Msg::Subject name="subject" required=true scope=scope.clone() value=subject error />
            <TextArea label=Msg::MailBody name="body" scope value=body error />
            <p class="small muted">{t(Msg::TemplateFieldsHint)} " " <code>{fields}</code></p>
            <div class="actions">
                <Submit pending=action.pending() label=Msg::Save busy=Msg::BusySaving test="template-submit" />
            </div>
        </ActionForm>
    }
}

/// `/mail/:id`.
#[component]
pub fn MessagePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let changes = RwSignal::new(0u32);
    let message = Resource::new(
        move || (id(), changes.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_message(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let lang = lang();
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match message.await {
                    Err(err) => view! { <crate::ui::ErrorPage err /> }.into_any(),
                    Ok(m) => {
                        let s = m.summary.clone();
                        let subject = s.subject.clone().filter(|x| !x.is_empty()).unwrap_or_else(|| t(Msg::NoSubject).to_string());
                        let from = match (&s.from_name, &s.from_addr) {
                            (Some(n), Some(a)) => format!("{n} <{a}>"),
                            (None, Some(a)) => a.clone(),
                            (Some(n), None) => n.clone(),
                            _ => String::new(),
                        };
                        let html = m.body_html.clone();
                        let text = m.body_text.clone();
                        view! {
                            <div class="page-head">
                                <h1 data-test="message-subject">{subject.clone()}</h1>
                                <a href="/mail" class="button">{t(Msg::Mail)}</a>
                            </div>
                            <div class="grid-2 card-body">
                                <article class="panel mail-message" data-test="message">
                                    <dl class="details">
                                        <div><dt>{t(Msg::MailFrom)}</dt><dd data-test="message-from">{from}</dd></div>
                                        <div><dt>{t(Msg::MailTo)}</dt><dd>{s.to_addrs.clone()}</dd></div>
                                        {(!m.cc_addrs.is_empty()).then(|| view! { <div><dt>"Cc"</dt><dd>{m.cc_addrs.clone()}</dd></div> })}
                                        <div><dt>{t(Msg::When)}</dt><dd>{date_time(lang, s.sent_at)}</dd></div>
                                    </dl>
                                    {s.problem.clone().map(|p| view! {
                                        <p class="alert alert-warn" role="status" data-test="message-problem">
                                            {t(if p == "too_large" { Msg::MailTooLarge } else { Msg::MailMalformed })}
                                        </p>
                                    })}
                                    {match (html, text) {
                                        // Sanitised on import (ammonia): no scripts, handlers or unsafe links.
                                        (Some(h), _) => view! { <div class="mail-body" data-test="message-body" inner_html=h></div> }.into_any(),
                                        (None, Some(tx)) => view! { <pre class="mail-body pre" data-test="message-body">{tx}</pre> }.into_any(),
                                        _ => view! { <p class="empty">{t(Msg::MailEmpty)}</p> }.into_any(),
                                    }}
                                    {(!m.attachments.is_empty()).then(|| view! {
                                        <h3>{t(Msg::Attachments)}</h3>
                                        <ul class="files" data-test="message-files">
                                            {m.attachments.iter().map(|a| {
                                                let size = format!("{} KB", (a.size + 1023) / 1024);
                                                if a.stored {
                                                    view! { <li><a href=format!("/api/v1/messages/{}/attachments/{}", s.id, a.id) download>{a.file_name.clone()}</a> " " <span class="muted small">{size}</span></li> }.into_any()
                                                } else {
                                                    view! { <li>{a.file_name.clone()} " " <span class="muted small">{size} " · " {t(Msg::MailAttachmentTooLarge)}</span></li> }.into_any()
                                                }
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </article>
                                <div>
                                    {match s.customer_id {
                                        Some(c) => view! {
                                            <section class="panel">
                                                <h2>{t(Msg::Customer)}</h2>
                                                <p><a href=format!("/customers/{c}") data-test="message-customer">{s.customer_name.clone()}</a></p>
                                                <ReplyForm message_id=s.id customer_id=c mailbox_id=s.mailbox_id subject=super::reply_subject(&subject) />
                                            </section>
                                        }.into_any(),
                                        None => view! { <LinkPanel message_id=s.id changes /> }.into_any(),
                                    }}
                                    {(m.thread.len() > 1).then(|| view! {
                                        <section class="panel">
                                            <h2>{t(Msg::MailThread)}</h2>
                                            <ol class="plain-list" data-test="thread">
                                                {m.thread.iter().map(|x| {
                                                    let current = x.id == s.id;
                                                    let label = format!("{} · {}", date_time(lang, x.sent_at), x.subject.clone().unwrap_or_default());
                                                    view! { <li class:current=current><a href=format!("/mail/{}", x.id)>{label}</a></li> }
                                                }).collect_view()}
                                            </ol>
                                        </section>
                                    })}
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

/// Linking an unsorted message: find a customer, or create one from the sender.
#[component]
fn LinkPanel(message_id: i64, changes: RwSignal<u32>) -> impl IntoView {
    let link = ServerAction::<LinkMessage>::new();
    bump_on_success(link, changes);
    let create = ServerAction::<CustomerFromMessage>::new();
    bump_on_success(create, changes);
    let link_error = action_error(link);
    let create_error = action_error(create);
    let q = RwSignal::new(String::new());
    let hits = Resource::new(
        move || q.get(),
        |q| async move {
            if q.trim().chars().count() < 2 { Ok(Vec::new()) } else { crate::customers::api::quick_search(q).await }
        },
    );
    view! {
        <section class="panel" data-test="link-panel">
            <h2>{t(Msg::LinkToCustomer)}</h2>
            <label for="link-q">{t(Msg::FindCustomer)}</label>
            <input id="link-q" type="search" data-test="link-search" prop:value=move || q.get()
                on:input=move |ev| q.set(event_target_value(&ev)) />
            <FormError error=link_error />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let found = hits.await.unwrap_or_default();
                    view! {
                        <ul class="plain-list">
                            {found.into_iter().map(|h| view! {
                                <li>
                                    <ActionForm action=link attr:class="inline">
                                        <input type="hidden" name="id" value=message_id />
                                        <input type="hidden" name="customer_id" value=h.id />
                                        <button type="submit" class="button small" data-test="link-hit" disabled=move || link.pending().get()
                                            aria-busy=move || link.pending().get().then_some("true")>{format!("{} · {}", h.name, t(Msg::Link))}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
            <h3>{t(Msg::OrCreateCustomer)}</h3>
            <ActionForm action=create attr:class="stack" attr:data-test="create-from-message">
                <input type="hidden" name="id" value=message_id />
                <Field label=Msg::Name name="name" scope="newc" placeholder=Msg::NameFromSender error=create_error />
                <FormError error=general_error(create_error) />
                <div class="actions">
                    <Submit pending=create.pending() label=Msg::CreateCustomer test="create-customer" />
                </div>
            </ActionForm>
        </section>
    }
}

/// A reply to a message of a customer, from the same mailbox.
#[component]
fn ReplyForm(message_id: i64, customer_id: i64, mailbox_id: i64, subject: String) -> impl IntoView {
    // The page is not refetched after sending: that would make this form, and its "sent" note, anew.
    let action = ServerAction::<SendMail>::new();
    let error = action_error(action);
    let general = general_error(error);
    view! {
        <details class="add-form">
            <summary class="button small" data-test="reply">{t(Msg::Reply)}</summary>
            <ActionForm action attr:class="stack" attr:data-test="reply-form">
                <input type="hidden" name="mailbox_id" value=mailbox_id />
                <input type="hidden" name="customer_id" value=customer_id />
                <input type="hidden" name="reply_to" value=message_id />
                <FormError error=general />
                <Field label=Msg::Subject name="subject" value=subject scope="reply" required=true error />
                <TextArea label=Msg::MailBody name="body" error />
                <SentNote action />
                <div class="actions">
                    <Submit pending=action.pending() label=Msg::Send busy=Msg::BusySending test="send-mail" />
                </div>
            </ActionForm>
        </details>
    }
}

/// "Sent" after success, with a warning when the Sent folder could not be written.
#[component]
fn SentNote(action: ServerAction<SendMail>) -> impl IntoView {
    move || match action.value().get() {
        Some(Ok(sent)) => Some(view! {
            <p class="alert alert-ok" role="status" data-test="mail-sent">
                {t(Msg::MailSent)} {(!sent.in_sent_folder).then(|| format!(" {}", t(Msg::MailNotInSentFolder)))}
            </p>
        }),
        _ => None,
    }
}

/// The customer card's mail panel: write (templates fill in the customer's fields) and the latest messages.
#[component]
pub fn CustomerMailPanel(
    customer_id: i64,
    changes: RwSignal<u32>,
    data: Resource<Result<CustomerMail, AppError>>,
) -> impl IntoView {
    let action = ServerAction::<SendMail>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let general = general_error(error);
    let form = NodeRef::new();
    reset_on_success(action, form);
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let fill_error = RwSignal::new(None::<AppError>);
    // The panel's content is made anew when the card refetches after a send; the form stays open.
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            subject.set(String::new());
            body.set(String::new());
        }
    });
    let choose = move |ev: leptos::ev::Event| {
        let Ok(id) = event_target_value(&ev).parse::<i64>() else { return };
        leptos::task::spawn_local(async move {
            match fill_template(id, customer_id, None).await {
                Ok((s, b)) => {
                    subject.set(s);
                    body.set(b);
                    fill_error.set(None);
                }
                Err(e) => fill_error.set(Some(e)),
            }
        });
    };
    let lang = lang();
    view! {
        <section class="panel" aria-labelledby="mail-h" data-test="customer-mail">
            <h2 id="mail-h">{t(Msg::Mail)}</h2>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang)}</p> }.into_any(),
                        Ok(CustomerMail { mailboxes, templates, messages }) => {
                            let boxes: Vec<(String, String)> = mailboxes.into_iter().map(|(id, n)| (id.to_string(), n)).collect();
                            let no_box = boxes.is_empty();
                            view! {
                                {(!messages.is_empty()).then(|| view! {
                                    <ul class="plain-list small" data-test="customer-messages">
                                        {messages.into_iter().map(|m| view! {
                                            <li>
                                                {if m.direction == "in" { "← " } else { "→ " }}
                                                <a href=format!("/mail/{}", m.id)>{m.subject.clone().unwrap_or_else(|| t(Msg::NoSubject).to_string())}</a>
                                                <span class="muted">{format!(" · {}", date_time(lang, m.sent_at))}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })}
                                {no_box.then(|| view! { <p class="muted small">{t(Msg::NoMailboxes)} " " <a href="/mail">{t(Msg::ConnectMailbox)}</a></p> })}
                                {(!no_box).then(|| view! {
                                    <details class="add-form" prop:open=move || open.get()
                                        on:toggle=move |ev| open.set(event_target::<leptos::web_sys::Element>(&ev).has_attribute("open"))>
                                        <summary class="button small" data-test="write-mail">{t(Msg::WriteMail)}</summary>
                                        <ActionForm action node_ref=form attr:class="stack" attr:data-test="mail-form">
                                            <input type="hidden" name="customer_id" value=customer_id />
                                            <FormError error=general />
                                            <div class="grid-2">
                                                <Select label=Msg::MailFromBox name="mailbox_id" options=boxes error />
                                                <div class="field">
                                                    <label for="f-template">{t(Msg::MailTemplate)}</label>
                                                    <select id="f-template" data-test="field-template" on:change=choose>
                                                        <option value="">"—"</option>
                                                        {templates.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                                    </select>
                                                    <p class="field-error">{move || fill_error.get().map(|e| e.message(lang))}</p>
                                                </div>
                                            </div>
                                            <Field label=Msg::MailTo name="to" scope="mail" placeholder=Msg::MailToHint error />
                                            <div class="field">
                                                <label for="f-mail-subject">{t(Msg::Subject)}</label>
                                                <input id="f-mail-subject" name="subject" data-test="mail-subject" required
                                                    prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev)) />
                                                <p class="field-error" data-test="mail-error-subject">{move || crate::ui::field_message(error.get(), "subject")}</p>
                                            </div>
                                            <div class="field">
                                                <label for="f-mail-body">{t(Msg::MailBody)}</label>
                                                <textarea id="f-mail-body" name="body" rows="6" data-test="mail-body"
                                                    prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                                                <p class="field-error" data-test="mail-error-body">{move || crate::ui::field_message(error.get(), "body")}</p>
                                            </div>
                                            <SentNote action />
                                            <div class="actions">
                                                <Submit pending=action.pending() label=Msg::Send busy=Msg::BusySending test="send-mail" />
                                            </div>
                                        </ActionForm>
                                    </details>
                                })}
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

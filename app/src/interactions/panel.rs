//! The customer card's quick log (a call, meeting, note, SMS or e-mail in a few taps) and how an interaction
//! reads on the timeline.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{LogInteraction, SetInteractionStatus, UpdateInteraction};
use super::{Interaction, InteractionKind, direction_msg, duration_text, status_msg};
use crate::contacts::Contact;
use crate::core::format::{date_time, date_time_input};
use crate::core::{AppError, Msg};
use crate::ui::{
    Field, FormError, Select, Submit, TextArea, action_error, bump_on_success, field_message, general_error, lang,
    reset_on_success, t,
};

/// The quick log form; each success counts in `changes` (the timeline refetches).
#[component]
pub fn QuickLog(
    customer_id: i64,
    changes: RwSignal<u32>,
    contacts: Resource<Result<Vec<Contact>, AppError>>,
) -> impl IntoView {
    let action = ServerAction::<LogInteraction>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let general = general_error(error);
    let form = NodeRef::new();
    reset_on_success(action, form);
    let options = |codes: &[&str]| -> Vec<(String, String)> {
        codes.iter().map(|c| (c.to_string(), t(status_msg(c)).to_string())).collect()
    };
    let kind_error = move || field_message(error.get(), "kind");
    view! {
        <section class="panel" aria-labelledby="ql-h" data-test="quick-log">
            <h2 id="ql-h">{t(Msg::LogInteraction)}</h2>
            <ActionForm action node_ref=form attr:class="stack quick-log" attr:data-test="ql-form">
                <input type="hidden" name="customer_id" value=customer_id />
                <FormError error=general />
                <fieldset class="segmented" aria-label=t(Msg::Kind)>
                    {InteractionKind::ALL
                        .into_iter()
                        .map(|k| {
                            view! {
                                <label class="seg">
                                    <input type="radio" name="kind" value=k.code() checked=k == InteractionKind::Call
                                        data-test=format!("ql-kind-{}", k.code()) />
                                    <span>{t(k.msg())}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <p class="field-error">{kind_error}</p>
                <div class="grid-2">
                    <fieldset class="segmented only-call only-sms only-email" aria-label=t(Msg::Direction)>
                        <label class="seg">
                            <input type="radio" name="direction" value="out" checked=true />
                            <span>{t(Msg::DirOut)}</span>
                        </label>
                        <label class="seg">
                            <input type="radio" name="direction" value="in" data-test="ql-dir-in" />
                            <span>{t(Msg::DirIn)}</span>
                        </label>
                    </fieldset>
                    <div class="only-call">
                        <Select label=Msg::Status name="call_status" options=options(InteractionKind::Call.statuses()) error />
                    </div>
                    <div class="only-meeting">
                        <Select label=Msg::Status name="meeting_status" options=options(&["held", "planned"]) error />
                    </div>
                    <Field label=Msg::When name="when" kind="datetime-local" error />
                    <div class="only-call only-meeting">
                        <Field label=Msg::DurationMin name="duration_min" kind="number" error />
                    </div>
                    <div class="only-meeting">
                        <Field label=Msg::Place name="place" error />
                    </div>
                    <div class="only-meeting">
                        <Field label=Msg::Participants name="participants" error />
                    </div>
                    <div class="only-email">
                        <Field label=Msg::Subject name="subject" error />
                    </div>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let list = contacts.await.unwrap_or_default();
                            (!list.is_empty()).then(|| {
                                let mut options = vec![(String::new(), "—".to_string())];
                                options.extend(list.into_iter().map(|c| (c.id.to_string(), c.name)));
                                view! { <Select label=Msg::ContactPerson name="contact_id" options error /> }
                            })
                        })}
                    </Transition>
                </div>
                <TextArea label=Msg::Summary name="body" error />
                <label class="check only-sms">
                    <input type="checkbox" name="send" value="true" data-test="ql-send" />
                    {t(Msg::SendViaGateway)}
                </label>
                <p class="field-error" data-test="error-send">{move || field_message(error.get(), "send")}</p>
                <div class="only-call only-meeting">
                    <Field label=Msg::Result name="result" error />
                </div>
                <div class="actions">
                    <Submit pending=action.pending() label=Msg::Save test="ql-submit" />
                </div>
            </ActionForm>
        </section>
    }
}

/// An interaction on the timeline: what, with whom, how it went, its files; a planned meeting can be marked
/// held or cancelled. Successful changes count in `changes`.
#[component]
pub fn InteractionEntry(
    i: Interaction,
    changes: RwSignal<u32>,
    /// Offers to archive it (the timeline shows an undo after).
    #[prop(optional)]
    archive: Option<ServerAction<crate::records::api::SetArchived>>,
) -> impl IntoView {
    let lang = lang();
    let mut facts: Vec<String> = Vec::new();
    if let Some(d) = i.direction.as_deref() {
        facts.push(t(direction_msg(d)).to_string());
    }
    if let Some(c) = &i.contact_name {
        facts.push(c.clone());
    }
    if let Some(s) = i.duration_secs.filter(|s| *s > 0) {
        facts.push(duration_text(s));
    }
    if let Some(p) = &i.place {
        facts.push(p.clone());
    }
    if let Some(p) = &i.participants {
        facts.push(p.clone());
    }
    let status_action = ServerAction::<SetInteractionStatus>::new();
    let uploading = RwSignal::new(false);
    bump_on_success(status_action, changes);
    let status_error = action_error(status_action);
    let who = i.author_name.clone().unwrap_or_default();
    // Its author and administrators may change it.
    let editable = crate::ui::session_info().user.is_some_and(|u| u.is_admin() || Some(u.id) == i.author_id);
    let editing = editable.then(|| i.clone());
    // Marking a planned meeting held or cancelled is an edit: the same people may.
    let planned = editable && i.kind == InteractionKind::Meeting && i.status == "planned";
    view! {
        <li data-test="timeline-entry" data-action=i.kind.code() class=format!("kind-{}", i.kind.code())>
            <div class="small muted">{date_time(lang, i.occurred_at)} " · " {who}</div>
            <div>
                <strong>{t(i.kind.msg())}</strong>
                " "
                <span class="badge" data-test="int-status">{t(status_msg(&i.status))}</span>
                {(!facts.is_empty()).then(|| view! { <span class="muted small">{format!(" · {}", facts.join(" · "))}</span> })}
                {archive.map(|action| view! {
                    " "
                    <crate::records::panel::ArchiveToggle
                        kind=crate::records::RecordKind::Interaction
                        id=i.id
                        version=i.version
                        archived_at=i.archived_at
                        action
                    />
                })}
            </div>
            {i.subject.clone().map(|s| view! { <div><strong>{s}</strong></div> })}
            {i.body.clone().map(|b| view! { <p class="pre" data-test="int-body">{b}</p> })}
            {i.result.clone().map(|r| view! { <p class="small"><span class="muted">{t(Msg::Result)}": "</span>{r}</p> })}
            {(!i.attachments.is_empty()).then(|| view! {
                <ul class="files small">
                    {i.attachments.iter().map(|a| view! {
                        <li>
                            <a href=format!("/api/v1/attachments/{}", a.id) rel="external" download=a.file_name.clone()
                                data-test="int-file">{a.file_name.clone()}</a>
                            <span class="muted">{format!(" ({})", file_size(a.size))}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <div class="entry-actions">
                {planned.then(|| view! {
                    <ActionForm action=status_action attr:class="inline">
                        <input type="hidden" name="id" value=i.id />
                        <input type="hidden" name="version" value=i.version />
                        <Submit pending=status_action.pending() label=Msg::MarkHeld class="button small" test="int-held" name="status" value="held" />
                        " "
                        <Submit pending=status_action.pending() label=Msg::MarkCancelled class="button small" name="status" value="cancelled" />
                    </ActionForm>
                    <FormError error=status_error />
                })}
                {editing.map(|i| view! {
                    <crate::ui::EditInPlace class="link small" test="int-edit">
                        <EditInteractionForm i=i.clone() changes />
                    </crate::ui::EditInPlace>
                })}
                <details class="add-form">
                    <summary class="link small" data-test="int-attach">{t(Msg::AttachFile)}</summary>
                    <form method="post" action=format!("/interactions/{}/attachments", i.id) enctype="multipart/form-data"
                        class="inline" data-test="attach-form" on:submit=move |_| uploading.set(true)>
                        <input type="file" name="file" required=true aria-label=t(Msg::AttachFile) />
                        <Submit pending=uploading label=Msg::Upload busy=Msg::BusyUploading class="button small" />
                    </form>
                </details>
            </div>
        </li>
    }
}

/// The edit form of one interaction: the fields its kind has. An e-mail's or SMS's text stays as sent.
#[component]
fn EditInteractionForm(i: Interaction, changes: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<UpdateInteraction>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let scope = format!("int{}", i.id);
    let kind = i.kind;
    let sent = matches!(kind, InteractionKind::Email | InteractionKind::Sms);
    let timed = matches!(kind, InteractionKind::Call | InteractionKind::Meeting);
    let statuses: Vec<(String, String)> =
        kind.statuses().iter().map(|c| (c.to_string(), t(status_msg(c)).to_string())).collect();
    let minutes = i.duration_secs.filter(|s| *s > 0).map(|s| (s / 60).to_string()).unwrap_or_default();
    view! {
        <ActionForm action attr:class="stack" attr:data-test="int-edit-form" attr:aria-label=t(Msg::EditInteraction)>
            <input type="hidden" name="id" value=i.id />
            <input type="hidden" name="version" value=i.version />
            <FormError error=general_error(error) />
            <div class="grid-2">
                {(statuses.len() > 1).then(|| view! {
                    <Select label=Msg::Status name="status" scope=scope.clone() options=statuses selected=i.status.clone() error />
                })}
                {(!sent).then(|| view! {
                    <Field label=Msg::When name="when" scope=scope.clone() kind="datetime-local" value=date_time_input(i.occurred_at) error />
                })}
                {timed.then(|| view! {
                    <Field label=Msg::DurationMin name="duration_min" scope=scope.clone() kind="number" value=minutes error />
                })}
                {(kind == InteractionKind::Meeting).then(|| view! {
                    <Field label=Msg::Place name="place" scope=scope.clone() value=i.place.clone().unwrap_or_default() error />
                    <Field label=Msg::Participants name="participants" scope=scope.clone() value=i.participants.clone().unwrap_or_default() error />
                })}
            </div>
            {(!sent).then(|| view! {
                <TextArea label=Msg::Summary name="body" scope=scope.clone() value=i.body.clone().unwrap_or_default() error />
            })}
            {timed.then(|| view! {
                <Field label=Msg::Result name="result" scope=scope.clone() value=i.result.clone().unwrap_or_default() error />
            })}
            <div class="actions">
                <Submit pending=action.pending() label=Msg::Save busy=Msg::BusySaving class="button small primary" test="int-save" />
            </div>
        </ActionForm>
    }
}

/// `12 KB`, `3.4 MB`.
pub fn file_size(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{}.{} MB", bytes / (1024 * 1024), bytes % (1024 * 1024) * 10 / (1024 * 1024))
    }
}

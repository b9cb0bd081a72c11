//! The archive controls of a record's page: archive (undone from the notice that follows), restore, and
//! for administrators delete (after naming what goes with it) and erase. Plain forms: they work before the
//! WASM has loaded.

use leptos::prelude::*;

use super::api::{DeleteRecord, EraseRecord, SetArchived, deletion_of};
use super::{ArchiveState, Attached, RecordKind};
use crate::core::Msg;
use crate::core::identity::Role;
use crate::ui::{ConfirmSubmit, FormError, Submit, action_error, bump_on_success, session_info, t};

/// The actions the page keeps (made once by the page, so that a refetch of the record does not forget that
/// it was just archived and the notice can still offer "Undo").
#[derive(Clone, Copy)]
pub struct RecordActions {
    pub archive: ServerAction<SetArchived>,
    pub erase: ServerAction<EraseRecord>,
}

impl RecordActions {
    /// New actions; `changes` is bumped after each success so the page reads the record again.
    pub fn new(changes: RwSignal<u32>) -> RecordActions {
        let archive = ServerAction::<SetArchived>::new();
        let erase = ServerAction::<EraseRecord>::new();
        bump_on_success(archive, changes);
        bump_on_success(erase, changes);
        RecordActions { archive, erase }
    }
}

/// A list filter's "archive" choice (`archived` = living records, archived ones, or both), for GET forms.
#[component]
pub fn ArchivedSelect(
    /// The current value of the page's `archived` parameter.
    current: Option<String>,
) -> impl IntoView {
    let current = current.unwrap_or_default();
    view! {
        <label for="list-archived" class="sr-only">{t(Msg::ArchiveFilter)}</label>
        <select id="list-archived" name="archived" data-test="list-archived">
            {[("", Msg::ActiveRecords), ("only", Msg::ArchivedRecords), ("all", Msg::AllRecords)]
                .into_iter()
                .map(|(v, l)| view! { <option value=v selected=current == v>{t(l)}</option> })
                .collect_view()}
        </select>
    }
}

/// The hidden fields naming the record.
#[component]
fn Names(kind: RecordKind, id: i64, version: i64) -> impl IntoView {
    view! {
        <input type="hidden" name="kind" value=kind.code() />
        <input type="hidden" name="id" value=id />
        <input type="hidden" name="version" value=version />
    }
}

/// Archive or restore (with the archived notice), delete and erase for one record.
#[component]
pub fn RecordControls(
    kind: RecordKind,
    id: i64,
    version: i64,
    archived_at: Option<i64>,
    actions: RecordActions,
    /// Where a deletion leads (the list the record was in).
    back: &'static str,
    /// Changes elsewhere on the page (a task added): what a deletion would take is read again.
    #[prop(optional)]
    changes: Option<RwSignal<u32>>,
) -> impl IntoView {
    let RecordActions { archive, erase } = actions;
    let archive_error = action_error(archive);
    // Archived by this person a moment ago: the notice offers to undo it.
    let just_archived = move || matches!(archive.value().get(), Some(Ok(ArchiveState { id: i, kind: k, archived_at: Some(_), .. })) if i == id && k == kind);
    let admin = session_info().user.is_some_and(|u| u.role == Role::Admin);
    let state = if archived_at.is_some() {
        view! {
            <div class="alert alert-warn archive-bar" role="status" data-test="archived-bar">
                <p>{move || t(if just_archived() { Msg::JustArchived } else { Msg::ArchivedNotice })}</p>
                <ActionForm action=archive>
                    <Names kind id version />
                    <input type="hidden" name="archived" value="false" />
                    {move || {
                        let undo = just_archived();
                        let (label, test) = if undo { (Msg::UndoAction, "undo-archive") } else { (Msg::RestoreAction, "restore") };
                        view! { <Submit pending=archive.pending() label busy=Msg::BusyRestoring class="button small" test /> }
                    }}
                </ActionForm>
            </div>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=archive>
                <Names kind id version />
                <input type="hidden" name="archived" value="true" />
                <Submit pending=archive.pending() label=Msg::ArchiveAction busy=Msg::BusyArchiving class="button small" test="archive" />
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <div class="record-actions" data-test="record-actions">
            <FormError error=archive_error />
            {state}
            {admin.then(|| view! { <AdminControls kind id version erase back changes /> })}
        </div>
    }
}

/// Delete (naming what goes with the record) and, for people's records, erase.
#[component]
fn AdminControls(
    kind: RecordKind,
    id: i64,
    version: i64,
    erase: ServerAction<EraseRecord>,
    back: &'static str,
    changes: Option<RwSignal<u32>>,
) -> impl IntoView {
    let delete = ServerAction::<DeleteRecord>::new();
    let delete_error = action_error(delete);
    let erase_error = action_error(erase);
    // What goes with the record is counted only once the confirmation is opened (and again after a change
    // on the page while it is open): the counts touch every dependent table.
    let opened = RwSignal::new(false);
    let preview = Resource::new(
        move || (id, version, changes.map(|c| c.get()), opened.get()),
        move |(id, _, _, opened)| async move {
            match opened {
                true => Some(deletion_of(kind.code().into(), id).await),
                false => None,
            }
        },
    );
    view! {
        // A refused deletion says why (documents issued), not only "check the fields".
        {move || delete_error.get().map(|e| view! {
            <div class="alert alert-error" role="alert" data-test="form-error">{e.explained(crate::ui::lang())}</div>
        })}
        <FormError error=erase_error />
        <ActionForm action=delete attr:class="inline">
            <Names kind id version />
            <input type="hidden" name="back" value=back />
            <ConfirmSubmit pending=delete.pending() label=Msg::DeleteForever question=Msg::DeleteRecordQuestion yes=Msg::DeleteYes test="delete-record" opened>
                <Suspense fallback=|| view! { <p class="muted small">{t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match preview.await {
                            None => view! { <p class="muted small">{t(Msg::Loading)}</p> }.into_any(),
                            Some(Ok(d)) if d.goes.is_empty() => view! { <p class="small" data-test="delete-goes">{t(Msg::DeleteNothingElse)}</p> }.into_any(),
                            Some(Ok(d)) => view! {
                                <ul class="small" data-test="delete-goes">
                                    {d.goes.into_iter().map(|g| view! {
                                        <li>{crate::ui::tn(Attached::msg(&g.what), g.count)}</li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Some(Err(e)) => view! { <p class="alert alert-error">{e.message(crate::ui::lang())}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </ConfirmSubmit>
        </ActionForm>
        {kind.erasable().then(|| view! {
            <ActionForm action=erase attr:class="inline">
                <Names kind id version />
                <ConfirmSubmit pending=erase.pending() label=Msg::EraseAction question=Msg::EraseQuestion yes=Msg::EraseYes test="erase-record" />
            </ActionForm>
        })}
    }
}

/// A small archive / restore button for a record listed inside another's page (a contact or counterparty
/// on the customer card); the list shows the archived ones last, marked, so restoring undoes it.
#[component]
pub fn ArchiveToggle(
    kind: RecordKind,
    id: i64,
    version: i64,
    archived_at: Option<i64>,
    action: ServerAction<SetArchived>,
) -> impl IntoView {
    let archived = archived_at.is_some();
    let (label, busy, test) = if archived {
        (Msg::RestoreAction, Msg::BusyRestoring, "restore-item")
    } else {
        (Msg::ArchiveAction, Msg::BusyArchiving, "archive-item")
    };
    view! {
        <ActionForm action attr:class="inline">
            <Names kind id version />
            <input type="hidden" name="archived" value=(!archived).to_string() />
            {archived.then(|| view! { <span class="badge" data-test="archived-badge">{t(Msg::RecordArchived)}</span> " " })}
            <Submit pending=action.pending() label busy class="button small link" test />
        </ActionForm>
    }
}

/// "Archived. Undo": shown after `action` archived a record that then left its list (a task, an
/// interaction); the undo restores it at the version the archive answered with.
#[component]
pub fn UndoArchive(action: ServerAction<SetArchived>) -> impl IntoView {
    move || {
        let Some(Ok(state)) = action.value().get() else { return None };
        state.archived_at?;
        Some(view! {
            <div class="alert alert-ok archive-bar" role="status" data-test="undo-bar">
                <p>{t(Msg::JustArchived)}</p>
                <ActionForm action attr:class="inline">
                    <Names kind=state.kind id=state.id version=state.version />
                    <input type="hidden" name="archived" value="false" />
                    <Submit pending=action.pending() label=Msg::UndoAction busy=Msg::BusyRestoring class="button small" test="undo-archive" />
                </ActionForm>
            </div>
        })
    }
}

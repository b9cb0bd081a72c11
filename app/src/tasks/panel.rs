//! A task as listed (on "My day" and the customer card), with its done switch; the card's tasks section.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{CreateTask, CustomerTasksView, SetTaskDone, UpdateTask};
use super::{REMIND_CHOICES, Task};
use crate::core::format::{date_time, date_time_input};
use crate::core::{AppError, Millis, Msg};
use crate::ui::{
    EditInPlace, Field, FormError, Select, Submit, TextArea, action_error, bump_on_success, general_error, lang,
    reset_on_success, t,
};

/// One task with a button that marks it done (or open again); successes count in `changes`.
#[component]
pub fn TaskItem(
    task: Task,
    changes: RwSignal<u32>,
    /// The server's clock when the list was read (tasks due before it are overdue).
    now: Millis,
    #[prop(optional)] show_assignee: bool,
    /// Offers to archive the task (the list shows an undo after).
    #[prop(optional)]
    archive: Option<ServerAction<crate::records::api::SetArchived>>,
    /// Who the task may be given to (a choice is offered when there are several).
    #[prop(optional)]
    people: Vec<(i64, String)>,
) -> impl IntoView {
    let editing = task.clone();
    let action = ServerAction::<SetTaskDone>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let done = task.done_at.is_some();
    let overdue = !done && task.due_at < now;
    view! {
        <li class="task" class:done=done class:overdue=overdue data-test="task" data-task-id=task.id>
            <ActionForm action attr:class="inline">
                <input type="hidden" name="id" value=task.id />
                <input type="hidden" name="version" value=task.version />
                <input type="hidden" name="done" value=(!done).to_string() />
                <button type="submit" class="check" aria-pressed=done.to_string() disabled=move || action.pending().get() aria-busy=move || action.pending().get().then_some("true")
                    aria-label=t(if done { Msg::MarkUndone } else { Msg::MarkDone }) data-test="task-done">
                    {if done { "✓" } else { "" }}
                </button>
            </ActionForm>
            <div class="task-body">
                <strong data-test="task-title">{task.title.clone()}</strong>
                <div class="small muted">
                    <span class:overdue-text=overdue>{date_time(lang(), task.due_at)}</span>
                    {task.remind_at.map(|_| view! { <span title=t(Msg::Reminder)>" · 🔔"</span> })}
                    {show_assignee.then(|| format!(" · {}", task.assignee_name))}
                    {task.customer_id.zip(task.customer_name.clone()).map(|(id, name)| view! {
                        " · " <a href=format!("/customers/{id}")>{name}</a>
                    })}
                </div>
                {task.notes.clone().map(|n| view! { <p class="small pre">{n}</p> })}
                <FormError error />
                <EditInPlace class="link small" test="task-edit">
                    <EditTaskForm task=editing.clone() people=people.clone() changes />
                </EditInPlace>
            </div>
            {archive.map(|action| view! {
                <crate::records::panel::ArchiveToggle
                    kind=crate::records::RecordKind::Task
                    id=task.id
                    version=task.version
                    archived_at=task.archived_at
                    action
                />
            })}
        </li>
    }
}

/// The reminder choice that matches a task's reminder (`""`: none, or one the form does not offer).
fn remind_choice(task: &Task) -> String {
    let before = task.remind_at.map(|r| (task.due_at - r) / 60_000);
    REMIND_CHOICES.iter().find(|(_, m, _)| *m == before).map(|(v, _, _)| v.to_string()).unwrap_or_default()
}

/// A task's edit form: reschedule, reassign, rename, notes.
#[component]
fn EditTaskForm(task: Task, people: Vec<(i64, String)>, changes: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<UpdateTask>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let scope = format!("task{}", task.id);
    let reminders: Vec<(String, String)> =
        REMIND_CHOICES.iter().map(|(v, _, m)| (v.to_string(), t(*m).to_string())).collect();
    let mut assignees: Vec<(String, String)> = people.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
    if !assignees.iter().any(|(id, _)| *id == task.assignee_id.to_string()) {
        assignees.insert(0, (task.assignee_id.to_string(), task.assignee_name.clone()));
    }
    view! {
        <ActionForm action attr:class="stack" attr:data-test="task-edit-form">
            <input type="hidden" name="id" value=task.id />
            <input type="hidden" name="version" value=task.version />
            <FormError error=general_error(error) />
            <Field label=Msg::TaskTitle name="title" scope=scope.clone() value=task.title.clone() required=true error />
            <div class="grid-2">
                <Field label=Msg::DueAt name="due" scope=scope.clone() kind="datetime-local" value=date_time_input(task.due_at) required=true error />
                <Select label=Msg::Reminder name="remind" scope=scope.clone() options=reminders selected=remind_choice(&task) error />
                {(assignees.len() > 1).then(|| view! {
                    <Select label=Msg::Assignee name="assignee_id" scope=scope.clone() options=assignees selected=task.assignee_id.to_string() error />
                })}
            </div>
            <TextArea label=Msg::Notes name="notes" scope=scope.clone() value=task.notes.clone().unwrap_or_default() error />
            <div class="actions">
                <Submit pending=action.pending() label=Msg::Save busy=Msg::BusySaving class="button small primary" test="task-save" />
            </div>
        </ActionForm>
    }
}

/// The form for a new task (about `customer_id` when given); `people` are the possible assignees.
#[component]
pub fn NewTaskForm(
    changes: RwSignal<u32>,
    #[prop(optional)] customer_id: Option<i64>,
    /// The deal the task is about (its customer's).
    #[prop(optional)]
    deal_id: Option<i64>,
    #[prop(optional)] people: Vec<(i64, String)>,
    #[prop(optional)] me: i64,
) -> impl IntoView {
    let action = ServerAction::<CreateTask>::new();
    bump_on_success(action, changes);
    let error = action_error(action);
    let general = general_error(error);
    let form = NodeRef::new();
    reset_on_success(action, form);
    let reminders: Vec<(String, String)> =
        REMIND_CHOICES.iter().map(|(v, _, m)| (v.to_string(), t(*m).to_string())).collect();
    let assignees: Vec<(String, String)> = people.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
    view! {
        <ActionForm action node_ref=form attr:class="stack" attr:data-test="task-form">
            {customer_id.map(|c| view! { <input type="hidden" name="customer_id" value=c /> })}
            {deal_id.map(|d| view! { <input type="hidden" name="deal_id" value=d /> })}
            <FormError error=general />
            <Field label=Msg::TaskTitle name="title" scope="task" required=true error />
            <div class="grid-2">
                <Field label=Msg::DueAt name="due" kind="datetime-local" required=true error />
                <Select label=Msg::Reminder name="remind" options=reminders selected="15" error />
                {(assignees.len() > 1).then(|| view! {
                    <Select label=Msg::Assignee name="assignee_id" options=assignees selected=me.to_string() error />
                })}
            </div>
            <div class="actions">
                <Submit pending=action.pending() label=Msg::Add test="task-submit" />
            </div>
        </ActionForm>
    }
}

/// The customer card's open tasks and a form for a new one.
#[component]
pub fn CustomerTasks(
    customer_id: i64,
    changes: RwSignal<u32>,
    list: Resource<Result<CustomerTasksView, AppError>>,
) -> impl IntoView {
    let archive = ServerAction::<crate::records::api::SetArchived>::new();
    bump_on_success(archive, changes);
    let archive_error = action_error(archive);
    view! {
        <section class="panel" aria-labelledby="tasks-h" data-test="customer-tasks">
            <h2 id="tasks-h">{t(Msg::Tasks)}</h2>
            <FormError error=archive_error />
            <crate::records::panel::UndoArchive action=archive />
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(err) => view! { <p class="alert alert-error">{err.message(lang())}</p> }.into_any(),
                        Ok(v) if v.tasks.is_empty() => view! { <p class="empty">{t(Msg::NoOpenTasks)}</p> }.into_any(),
                        Ok(CustomerTasksView { now, tasks, people }) => view! {
                            <ul class="tasks">
                                {tasks
                                    .into_iter()
                                    .map(|task| view! { <TaskItem task changes now show_assignee=true archive people=people.clone() /> })
                                    .collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <details class="add-form">
                <summary class="button small" data-test="task-add">{t(Msg::NewTask)}</summary>
                <NewTaskForm changes customer_id=customer_id />
            </details>
        </section>
    }
}

//! `/admin/pipelines`: an administrator's pipelines (name, control mode, archived), their stages in order with
//! a probability and the rules a manager must follow (fields required to enter, a checklist to complete before
//! leaving, tasks made on entering), and the loss and unmet-demand reasons.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{AddDealReason, SavePipelineForm, SetReasonRetired, pipeline_admin};
use super::{Pipeline, PipelineMode, REQUIRABLE, Reason, Stage};
use crate::core::{AppError, Msg};
use crate::ui::{
    ErrorPage, Field, FormError, Select, Submit, action_error, field_message, general_error, lang, reset_on_success, t,
};

/// The label of a field a stage may require.
fn requirable_msg(field: &str) -> Msg {
    match field {
        "amount" => Msg::Amount,
        "expected_close" => Msg::ExpectedClose,
        "counterparty_id" => Msg::Counterparty,
        "contacts" => Msg::Contacts,
        _ => Msg::Interest,
    }
}

fn mode_options() -> Vec<(String, String)> {
    [PipelineMode::Enforced, PipelineMode::Manual, PipelineMode::None]
        .into_iter()
        .map(|m| (m.code().to_string(), t(m.msg()).to_string()))
        .collect()
}

/// The page.
#[component]
pub fn PipelinesPage() -> impl IntoView {
    let save = ServerAction::<SavePipelineForm>::new();
    let add_reason = ServerAction::<AddDealReason>::new();
    let retire = ServerAction::<SetReasonRetired>::new();
    // Which editor was submitted last: its errors show there only (`0` is the new pipeline's).
    let submitted = RwSignal::new(0i64);
    let data = Resource::new(
        move || (save.version().get(), add_reason.version().get(), retire.version().get()),
        |_| pipeline_admin(),
    );
    let reason_form = NodeRef::new();
    reset_on_success(add_reason, reason_form);
    let reason_error = action_error(add_reason);
    let retire_error = action_error(retire);
    view! {
        <h1>{t(Msg::Pipelines)}</h1>
        <p class="muted">{t(Msg::PipelinesHint)}</p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(admin) => {
                        let editors = admin
                            .pipelines
                            .into_iter()
                            .map(|p| view! { <PipelineEditor pipeline=Some(p) save submitted /> })
                            .collect_view();
                        let (loss, unmet): (Vec<Reason>, Vec<Reason>) =
                            admin.reasons.into_iter().partition(|r| r.kind == "loss");
                        view! {
                            {editors}
                            <PipelineEditor pipeline=None save submitted />
                            <section class="panel" data-test="deal-reasons">
                                <h2>{t(Msg::Reasons)}</h2>
                                <FormError error=retire_error />
                                <div class="grid-2">
                                    <ReasonList title=Msg::LossReason reasons=loss retire />
                                    <ReasonList title=Msg::UnmetReason reasons=unmet retire />
                                </div>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
        <section class="panel">
            <h2>{t(Msg::NewReason)}</h2>
            <ActionForm action=add_reason node_ref=reason_form attr:class="stack" attr:data-test="reason-form">
                <FormError error=general_error(reason_error) />
                <div class="grid-2">
                    <Field label=Msg::Name name="name" scope="reason" required=true error=reason_error />
                    <Select
                        label=Msg::Kind
                        name="kind"
                        options=vec![
                            ("loss".into(), t(Msg::LossReason).to_string()),
                            ("unmet".into(), t(Msg::UnmetReason).to_string()),
                        ]
                        error=reason_error
                    />
                </div>
                <div class="actions">
                    <Submit pending=add_reason.pending() label=Msg::Add test="reason-submit" />
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ReasonList(title: Msg, reasons: Vec<Reason>, retire: ServerAction<SetReasonRetired>) -> impl IntoView {
    let l = lang();
    view! {
        <div>
            <h3>{t(title)}</h3>
            <ul class="reason-list">
                {reasons
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li data-test="reason" class:inactive=r.retired>
                                <span>{r.label(l)}</span>
                                <ActionForm action=retire attr:class="inline-form">
                                    <input type="hidden" name="id" value=r.id />
                                    <input type="hidden" name="version" value=r.version />
                                    <input type="hidden" name="retired" value=(!r.retired).to_string() />
                                    <button type="submit" class="button small" data-test="reason-retire" disabled=move || retire.pending().get() aria-busy=move || retire.pending().get().then_some("true")>
                                        {t(if r.retired { Msg::Restore } else { Msg::Retire })}
                                    </button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// One pipeline's form (`None`: a new pipeline), with a row per stage and a blank row to add one.
#[component]
fn PipelineEditor(
    pipeline: Option<Pipeline>,
    save: ServerAction<SavePipelineForm>,
    submitted: RwSignal<i64>,
) -> impl IntoView {
    let l = lang();
    let key = pipeline.as_ref().map_or(0, |p| p.id);
    let all_errors = action_error(save);
    let error = Signal::derive(move || if submitted.get() == key { all_errors.get() } else { None });
    let general = general_error(error);
    let (title, name, mode, archived, stages) = match &pipeline {
        Some(p) => (p.label(l), p.name.clone().unwrap_or_default(), p.mode, p.archived, p.stages.clone()),
        None => (t(Msg::NewPipeline).to_string(), String::new(), PipelineMode::Manual, false, Vec::new()),
    };
    let placeholder = pipeline.as_ref().filter(|p| p.preset.is_some()).map(|p| p.label(l)).unwrap_or_default();
    // The new pipeline's form empties once it is created (the new pipeline shows above it).
    let form = NodeRef::<leptos::html::Form>::new();
    if key == 0 {
        Effect::new(move |_| {
            if matches!(save.value().get(), Some(Ok(_)))
                && submitted.get_untracked() == 0
                && let Some(form) = form.get()
            {
                form.reset();
            }
        });
    }
    let blank_row = stages.len();
    let rows =
        stages.into_iter().enumerate().map(|(row, s)| view! { <StageRow row stage=Some(s) error /> }).collect_view();
    view! {
        <section class="panel" data-test="pipeline-editor" class:inactive=archived>
            <h2>{title}</h2>
            <ActionForm action=save node_ref=form attr:class="stack">
                {pipeline.as_ref().map(|p| view! {
                    <input type="hidden" name="id" value=p.id />
                    <input type="hidden" name="version" value=p.version />
                })}
                <FormError error=general />
                <div class="grid-2">
                    <div class="field" class:invalid=move || field_message(error.get(), "name").is_some()>
                        <label for=format!("pl-name-{key}")>{t(Msg::Name)}</label>
                        <input
                            id=format!("pl-name-{key}")
                            name="name"
                            value=name
                            placeholder=placeholder
                            maxlength="100"
                            data-test="pipeline-name"
                        />
                        <p class="field-error">{move || field_message(error.get(), "name")}</p>
                    </div>
                    <div class="field" class:invalid=move || field_message(error.get(), "mode").is_some()>
                        <label for=format!("pl-mode-{key}")>{t(Msg::PipelineMode)}</label>
                        <select id=format!("pl-mode-{key}") name="mode" data-test="pipeline-mode">
                            {mode_options()
                                .into_iter()
                                .map(|(v, label)| {
                                    let selected = v == mode.code();
                                    view! { <option value=v selected=selected>{label}</option> }
                                })
                                .collect_view()}
                        </select>
                        <p class="field-error">{move || field_message(error.get(), "mode")}</p>
                    </div>
                </div>
                {pipeline.is_some().then(|| view! {
                    <label class="check">
                        <input type="checkbox" name="archived" value="1" checked=archived data-test="pipeline-archived" />
                        {t(Msg::Archived)}
                    </label>
                })}
                <h3>{t(Msg::Stages)}</h3>
                <p class="field-error" data-test="error-stages">{move || field_message(error.get(), "stages")}</p>
                {rows}
                <StageRow row=blank_row stage=None error />
                <div class="actions">
                    <button
                        type="submit"
                        class="button primary"
                        data-test="pipeline-save"
                        disabled=move || save.pending().get()
                        aria-busy=move || save.pending().get().then_some("true")
                        on:click=move |_| submitted.set(key)
                    >
                        {t(if key == 0 { Msg::Create } else { Msg::Save })}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// A stage's inputs, named `stage[rROW.FIELD]`; `None` is the blank row for a new stage.
#[component]
fn StageRow(row: usize, stage: Option<Stage>, error: Signal<Option<AppError>>) -> impl IntoView {
    let l = lang();
    // `r` first: serde_qs reads a key that starts with a digit as a list index.
    let f = move |field: &str| format!("stage[r{row}.{field}]");
    let msg = move |field: &'static str| move || field_message(error.get(), &format!("stage[{row}].{field}"));
    let id = |field: &str| format!("st-{row}-{field}");
    let (name, placeholder, probability, rules) = match &stage {
        Some(s) => (
            s.name.clone().unwrap_or_default(),
            if s.preset.is_some() { s.label(l) } else { String::new() },
            s.probability.to_string(),
            s.rules.clone(),
        ),
        None => (String::new(), t(Msg::NewStage).to_string(), String::new(), Default::default()),
    };
    let tasks = rules.tasks.iter().map(|t| format!("{} | {}", t.due_days, t.title)).collect::<Vec<_>>().join("\n");
    let legend = match &stage {
        Some(s) => format!("{}. {}", row + 1, s.label(l)),
        None => t(Msg::NewStage).to_string(),
    };
    view! {
        <fieldset class="stage-edit" data-test=if stage.is_some() { "stage-row" } else { "stage-new" }>
            <legend>{legend}</legend>
            {stage.as_ref().map(|s| view! { <input type="hidden" name=f("id") value=s.id /> })}
            <div class="stage-edit-main">
                <div class="field">
                    <label for=id("pos")>{t(Msg::Order)}</label>
                    <input id=id("pos") name=f("pos") type="number" inputmode="numeric" value=row + 1 data-test="stage-pos" />
                </div>
                <div class="field" class:invalid=move || msg("name")().is_some()>
                    <label for=id("name")>{t(Msg::Name)}</label>
                    <input id=id("name") name=f("name") value=name placeholder=placeholder maxlength="100" data-test="stage-name" />
                    <p class="field-error" data-test="error-name">{msg("name")}</p>
                </div>
                <div class="field" class:invalid=move || msg("probability")().is_some()>
                    <label for=id("probability")>{t(Msg::Probability)} ", %"</label>
                    <input
                        id=id("probability")
                        name=f("probability")
                        type="number"
                        min="0"
                        max="100"
                        inputmode="numeric"
                        value=probability
                        data-test="stage-probability"
                    />
                    <p class="field-error" data-test="error-probability">{msg("probability")}</p>
                </div>
            </div>
            <div class="stage-required">
                <span class="muted small">{t(Msg::RequiredToEnter)}</span>
                {REQUIRABLE
                    .iter()
                    .map(|r| {
                        let on = rules.required.iter().any(|x| x == r);
                        view! {
                            <label class="check">
                                <input type="checkbox" name=f(&format!("req_{r}")) value="1" checked=on data-test=format!("stage-req-{r}") />
                                {t(requirable_msg(r))}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="grid-2">
                <div class="field" class:invalid=move || msg("checklist")().is_some()>
                    <label for=id("checklist")>{t(Msg::Checklist)}</label>
                    <textarea id=id("checklist") name=f("checklist") rows="3" data-test="stage-checklist">
                        {rules.checklist.join("\n")}
                    </textarea>
                    <p class="muted small">{t(Msg::OnePerLine)}</p>
                    <p class="field-error" data-test="error-checklist">{msg("checklist")}</p>
                </div>
                <div class="field" class:invalid=move || msg("tasks")().is_some()>
                    <label for=id("tasks")>{t(Msg::AutoTasks)}</label>
                    <textarea id=id("tasks") name=f("tasks") rows="3" data-test="stage-tasks">{tasks}</textarea>
                    <p class="muted small">{t(Msg::AutoTasksHint)}</p>
                    <p class="field-error" data-test="error-tasks">{msg("tasks")}</p>
                </div>
            </div>
            {stage.is_some().then(|| view! {
                <label class="check">
                    <input type="checkbox" name=f("delete") value="1" data-test="stage-delete" />
                    {t(Msg::DeleteStage)}
                </label>
                <p class="field-error" data-test="stage-error">{msg("id")}</p>
            })}
        </fieldset>
    }
}

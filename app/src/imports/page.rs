//! `/customers/import`: upload a file and see recent imports; `/customers/import/:id`: map columns, preview,
//! start, and follow the progress.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[cfg(feature = "hydrate")]
use super::api::import_status;
use super::api::{ImportData, SetImportMapping, StartImport, get_import, list_imports};
use super::{Import, ImportKind, ImportStatus};
use crate::core::format::date_time;
use crate::core::{AppError, FieldError, Msg};
use crate::ui::{ErrorPage, FormError, Submit, action_error, lang, t};

/// Translated field errors of a row: "Phone: Not a valid phone number; …".
fn row_errors(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| {
            let field = e.field.strip_prefix("custom.").map(str::to_string).unwrap_or_else(|| {
                if e.field == "row" { t(Msg::Row).to_string() } else { t(super::target_msg(&e.field)).to_string() }
            });
            format!("{field}: {}", t(e.code.msg()))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The upload page.
#[component]
pub fn ImportsPage() -> impl IntoView {
    let query = use_query_map();
    // The upload handler sends refused files back here with the reason.
    let refused = move || {
        query
            .with(|q| q.get("error"))
            .and_then(|code| serde_json::from_str::<crate::core::ErrCode>(&format!("\"{code}\"")).ok())
    };
    let imports = Resource::new(|| (), |_| list_imports());
    let uploading = RwSignal::new(false);
    // Products are imported by those who keep the catalog, while the stock module is on.
    let session = crate::ui::session_info();
    let keeps_catalog = !session.disabled_modules.iter().any(|m| m == crate::stock::MODULE.key)
        && session.user.is_some_and(|u| u.role.keeps_catalog());
    view! {
        <h1>{t(Msg::Import)}</h1>
        <section class="panel">
            <form method="post" action="/customers/import" enctype="multipart/form-data" class="stack" data-test="upload-form"
                on:submit=move |_| uploading.set(true)>
                {move || refused().map(|c| view! { <p class="alert alert-error" role="alert" data-test="upload-error">{t(c.msg())}</p> })}
                <fieldset class="rules">
                    <legend>{t(Msg::ImportWhat)}</legend>
                    {ImportKind::ALL
                        .into_iter()
                        // A bank statement is uploaded from the payments page, with its account.
                        .filter(|k| (*k != ImportKind::Products || keeps_catalog) && *k != ImportKind::Payments)
                        .map(|k| view! {
                            <label class="check">
                                <input type="radio" name="kind" value=k.as_str() checked=k == ImportKind::Customers
                                    data-test=format!("kind-{}", k.as_str()) />
                                {t(k.msg())}
                            </label>
                        })
                        .collect_view()}
                </fieldset>
                <div class="field">
                    <label for="import-file">{t(Msg::ImportFile)}</label>
                    <input id="import-file" type="file" name="file" accept=".csv,.xlsx,.xls,text/csv" required data-test="import-file" />
                    <p class="muted small">{t(Msg::ImportFileHint)}</p>
                </div>
                <div class="actions">
                    <Submit pending=uploading label=Msg::Upload busy=Msg::BusyUploading test="upload-submit" />
                    <a href="/customers" class="button">{t(Msg::Cancel)}</a>
                </div>
            </form>
        </section>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match imports.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <table class="table" data-test="import-table">
                            <thead>
                                <tr>
                                    <th>{t(Msg::ImportFile)}</th>
                                    <th>{t(Msg::Status)}</th>
                                    <th class="hide-sm">{t(Msg::CreatedAt)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|i| view! {
                                        <tr data-test="import-row">
                                            <td>
                                                <a href=format!("/customers/import/{}", i.id)>{i.file_name.clone()}</a>
                                                <span class="muted small">" · " {t(i.kind.msg())}</span>
                                            </td>
                                            <td>{t(i.status.msg())} " · " {format!("{}%", i.percent())}</td>
                                            <td class="hide-sm">{date_time(lang(), i.created_at)}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// One import: mapping and preview before it starts, progress while it runs, counts after.
#[component]
pub fn ImportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let mapping = ServerAction::<SetImportMapping>::new();
    let start = ServerAction::<StartImport>::new();
    let data = Resource::new(
        move || (id(), mapping.version().get(), start.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => get_import(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let mapping_error = action_error(mapping);
    let start_error = action_error(start);
    view! {
        <h1>{t(Msg::Import)}</h1>
        <FormError error=start_error />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(page) if page.import.status == ImportStatus::Uploaded => {
                        view! { <Mapping page mapping start error=mapping_error /> }.into_any()
                    }
                    Ok(page) => view! { <Progress import=page.import /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Mapping(
    page: ImportData,
    mapping: ServerAction<SetImportMapping>,
    start: ServerAction<StartImport>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let ImportData { import, preview, targets } = page;
    let headers = import.headers.clone();
    let id = import.id;
    let ready = import.kind.required().iter().all(|r| import.mapping.iter().any(|m| m == r));
    let kind = import.kind;
    let encoding = import.encoding.clone().map(|e| format!("{} · {e}", import.format.to_uppercase()));
    let problem = move || {
        error.get().map(|e| match &e {
            AppError::Validation { fields } => fields.iter().map(|f| t(f.code.msg())).collect::<Vec<_>>().join("; "),
            other => other.message(lang()),
        })
    };
    view! {
        <section class="panel">
            <h2>{t(kind.msg())} ": " {import.file_name.clone()}</h2>
            <p class="muted small">
                {format!("{}: {}", t(Msg::Rows), import.total_rows)}
                {encoding.map(|e| format!(" · {e}"))}
            </p>
            <ActionForm action=mapping attr:class="stack" attr:data-test="mapping-form">
                <input type="hidden" name="id" value=id />
                {move || problem().map(|p| view! { <p class="alert alert-error" role="alert" data-test="mapping-error">{p}</p> })}
                <div class="mapping-grid">
                    {import
                        .headers
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let current = import.mapping.get(i).cloned().unwrap_or_default();
                            let targets = targets.clone();
                            view! {
                                <div class="field">
                                    <label for=format!("col-{i}")>{if h.is_empty() { format!("#{}", i + 1) } else { h.clone() }}</label>
                                    <select id=format!("col-{i}") name=format!("col[{i}]") data-test=format!("col-{i}")>
                                        <option value="">{t(Msg::DoNotImport)}</option>
                                        {targets
                                            .into_iter()
                                            .map(|(v, l)| {
                                                let sel = v == current;
                                                view! { <option value=v selected=sel>{l}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
                // A statement's lines already recorded are always skipped: nothing to choose.
                {if import.kind == ImportKind::Payments {
                    view! { <input type="hidden" name="on_duplicate" value="skip" /> }.into_any()
                } else {
                    view! {
                        <fieldset class="rules">
                            <legend>{t(Msg::Duplicates)}</legend>
                            <label class="check">
                                <input type="radio" name="on_duplicate" value="skip" checked=import.on_duplicate == "skip" />
                                {t(Msg::DuplicatesSkip)}
                            </label>
                            <label class="check">
                                <input type="radio" name="on_duplicate" value="update" checked=import.on_duplicate == "update"
                                    data-test="on-duplicate-update" />
                                {t(Msg::DuplicatesUpdate)}
                            </label>
                        </fieldset>
                    }
                    .into_any()
                }}
                <div class="actions">
                    <Submit pending=mapping.pending() label=Msg::SaveMapping class="button" test="mapping-save" />
                </div>
            </ActionForm>
        </section>
        <section class="panel">
            <h2>{t(Msg::Preview)}</h2>
            <div class="table-scroll">
                <table class="table small" data-test="preview">
                    <thead>
                        <tr>
                            <th>"#"</th>
                            // What happens to the row first, where a tablet shows it without scrolling.
                            <th>{t(Msg::Status)}</th>
                            {headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {preview
                            .into_iter()
                            .map(|r| {
                                let bad = !r.errors.is_empty();
                                let status = if bad {
                                    row_errors(&r.errors)
                                } else if let Some(d) = &r.duplicate_of {
                                    format!("{}: {d}", t(Msg::DuplicateOf))
                                } else if let Some(m) = &r.matched {
                                    format!("{}: {m}", t(Msg::MatchedTo))
                                } else {
                                    t(Msg::RowOk).to_string()
                                };
                                view! {
                                    <tr data-test="preview-row" class:row-error=bad>
                                        <td>{r.row_no}</td>
                                        <td data-test="preview-status" class="preview-status">{status}</td>
                                        {r.cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <ActionForm action=start attr:class="actions">
                <input type="hidden" name="id" value=id />
                <button type="submit" class="button primary" data-test="import-start"
                    disabled=move || !ready || start.pending().get()
                    aria-busy=move || start.pending().get().then_some("true")>
                    {move || t(if start.pending().get() { Msg::BusyImporting } else { Msg::StartImport })}
                </button>
            </ActionForm>
        </section>
    }
}

/// The run's progress, refreshed every second while it runs.
#[component]
fn Progress(import: Import) -> impl IntoView {
    let current = RwSignal::new(import);
    #[cfg(feature = "hydrate")]
    {
        use leptos::leptos_dom::helpers::set_interval_with_handle;
        let running = move || current.with_untracked(|i| matches!(i.status, ImportStatus::Running));
        let handle = set_interval_with_handle(
            move || {
                if running() {
                    let id = current.with_untracked(|i| i.id);
                    leptos::task::spawn_local(async move {
                        if let Ok(i) = import_status(id).await {
                            current.set(i);
                        }
                    });
                }
            },
            std::time::Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    view! {
        {move || {
            let i = current.get();
            let done = i.status == ImportStatus::Done;
            let failed_rows = i.failed > 0;
            view! {
                <section class="panel" data-test="import-progress" data-status=i.status.as_str()>
                    <h2>{i.file_name.clone()}</h2>
                    <p>{t(i.status.msg())}</p>
                    <progress max="100" value=i.percent() aria-label=t(Msg::Progress)></progress>
                    <p class="muted">{format!("{} / {}", i.processed, i.total_rows)}</p>
                    <dl class="meta counts">
                        <dt>{t(Msg::Created)}</dt>
                        <dd data-test="count-created">{i.created}</dd>
                        <dt>{t(Msg::Updated)}</dt>
                        <dd data-test="count-updated">{i.updated}</dd>
                        <dt>{t(Msg::Skipped)}</dt>
                        <dd data-test="count-skipped">{i.skipped}</dd>
                        <dt>{t(Msg::FailedRows)}</dt>
                        <dd data-test="count-failed">{i.failed}</dd>
                    </dl>
                    {i.failure.as_ref().map(|f| f.explained(lang())).or_else(|| i.error.clone()).map(|e| view! {
                        <p class="alert alert-error" data-test="import-failure">{e}</p>
                    })}
                    <div class="actions">
                        {failed_rows.then(|| view! {
                            <a class="button" href=format!("/api/v1/imports/{}/errors?format=csv", i.id) rel="external" download
                                data-test="download-errors">
                                {t(Msg::DownloadFailedRows)}
                            </a>
                        })}
                        {done.then(|| view! { <a class="button primary" href="/customers">{t(Msg::Customers)}</a> })}
                        {done.then(|| view! { <a class="button" href="/customers/import">{t(Msg::Import)}</a> })}
                        {(!done).then(|| view! { <a class="button" href=format!("/customers/import/{}", i.id)>{t(Msg::Refresh)}</a> })}
                    </div>
                </section>
            }
        }}
    }
}

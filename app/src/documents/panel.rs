//! The documents panels: on an order's page (the commercial offer, the contract), on an invoice's page (the
//! invoice, its delivery note, its act) and on a customer's card (the reconciliation act for a period). Each offers the PDF (a plain GET form: a download, with or
//! without scripts) and one form that keeps the PDF on the customer's timeline and, with a mailbox chosen,
//! e-mails it in the same step.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::DocKind;
use super::api::{DocOptions, FileDocument, document_options};
use crate::core::Msg;
use crate::core::i18n::Lang;
use crate::ui::{Field, FormError, Select, Submit, TextArea, action_error, general_error, lang, t};

fn kind_options(kinds: &[DocKind]) -> Vec<(String, String)> {
    kinds.iter().map(|k| (k.code().to_string(), t(k.label()).to_string())).collect()
}

fn lang_options() -> Vec<(String, String)> {
    Lang::ALL.iter().map(|l| (l.code().to_string(), l.native_name().to_string())).collect()
}

/// A date of a period, its `data-test` its own (`recon-from`): a customer card has other `from` fields.
#[component]
fn PeriodDate(
    label: Msg,
    name: &'static str,
    value: String,
    scope: &'static str,
    #[prop(into)] error: Signal<Option<crate::core::AppError>>,
) -> impl IntoView {
    let id = format!("{scope}-{name}");
    let msg = move || crate::ui::field_message(error.get(), name);
    view! {
        <div class="field" class:invalid=move || msg().is_some()>
            <label for=id.clone()>{t(label)}</label>
            <input id=id type="date" name=name value=value required=true data-test=format!("{scope}-{name}") />
            <p class="field-error">{msg}</p>
        </div>
    }
}

/// The kind (when there is a choice) and the language of a document.
#[component]
fn KindAndLanguage(kinds: &'static [DocKind], scope: &'static str) -> impl IntoView {
    let none = Signal::derive(|| None);
    view! {
        {if kinds.len() > 1 {
            view! { <Select label=Msg::Documents name="kind" options=kind_options(kinds) scope=scope error=none /> }.into_any()
        } else {
            view! { <input type="hidden" name="kind" value=kinds[0].code() /> }.into_any()
        }}
        <Select label=Msg::DocLanguage name="lang" options=lang_options() selected=lang().code() scope=scope error=none />
    }
}

/// Keeps a document on the timeline, e-mailing it when a mailbox is chosen. `hidden` are the source's fields
/// (`order_id`, `invoice_id`, or `customer_id` with the period).
#[component]
fn FileForm(
    kinds: &'static [DocKind],
    hidden: Vec<(&'static str, String)>,
    options: DocOptions,
    /// The period's fields (a reconciliation act).
    #[prop(optional)]
    period: Option<(String, String)>,
) -> impl IntoView {
    let action = ServerAction::<FileDocument>::new();
    let error = action_error(action);
    let done = move || {
        action.value().get().and_then(|r| r.ok()).map(|f| {
            let msg = if f.message_id.is_some() { Msg::DocumentSent } else { Msg::DocumentFiled };
            view! {
                <p class="alert alert-ok" role="status" data-test="doc-filed">
                    {t(msg)} " · "
                    <a href=format!("/api/v1/attachments/{}", f.attachment_id) rel="external" download=f.file_name.clone()>
                        {f.file_name.clone()}
                    </a>
                </p>
            }
        })
    };
    let mut mailboxes = vec![(String::new(), "—".to_string())];
    mailboxes.extend(options.mailboxes.iter().map(|(id, a)| (id.to_string(), a.clone())));
    let has_mail = !options.mailboxes.is_empty();
    let scope = if period.is_some() { "recon-file" } else { "doc-file" };
    view! {
        <ActionForm action attr:class="stack" attr:data-test="doc-file-form">
            {hidden.into_iter().map(|(n, v)| view! { <input type="hidden" name=n value=v /> }).collect_view()}
            <FormError error=general_error(error) />
            <div class="grid-2">
                <KindAndLanguage kinds scope />
                {period.map(|(from, to)| view! {
                    <PeriodDate label=Msg::DateFrom name="from" value=from scope=scope error />
                    <PeriodDate label=Msg::DateTo name="to" value=to scope=scope error />
                })}
            </div>
            {has_mail.then(|| view! {
                <details data-test="doc-email">
                    <summary class="link">{t(Msg::EmailDocument)}</summary>
                    <div class="grid-2">
                        <Select label=Msg::Mailbox name="mailbox_id" options=mailboxes scope=scope error />
                        <Field label=Msg::MailTo name="to_addr" scope=scope placeholder=Msg::MailToHint error />
                        <Field label=Msg::Subject name="subject" scope=scope error />
                        <TextArea label=Msg::MailBody name="body" scope=scope error />
                    </div>
                </details>
            })}
            <Submit pending=action.pending() label=Msg::SaveToTimeline test="doc-file-submit" />
            {done}
        </ActionForm>
    }
}

/// The PDF download form of a record's documents, and the filing form: of an order (`records` "orders",
/// the field `order_id`) or an invoice ("invoices", `invoice_id`). `data-test` is `<test>-documents`.
#[component]
pub fn RecordDocuments(
    kinds: &'static [DocKind],
    records: &'static str,
    field: &'static str,
    id: i64,
    test: &'static str,
) -> impl IntoView {
    let options = OnceResource::new(document_options());
    view! {
        <section class="panel" data-test=format!("{test}-documents")>
            <h2>{t(Msg::Documents)}</h2>
            <form method="get" action=format!("/api/v1/{records}/{id}/document") class="stack"
                data-test="doc-pdf-form">
                <div class="grid-2"><KindAndLanguage kinds scope="doc-pdf" /></div>
                <button type="submit" class="button" data-test="doc-pdf">{t(Msg::PrintPdf)}</button>
            </form>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    options.await.ok().map(|options| view! {
                        <FileForm kinds hidden=vec![(field, id.to_string())] options />
                    })
                })}
            </Transition>
        </section>
    }
}

/// A customer's reconciliation act for a period (from the start of the year to today by default).
#[component]
pub fn ReconciliationPanel(customer_id: i64) -> impl IntoView {
    let options = OnceResource::new(document_options());
    view! {
        <section class="panel" data-test="reconciliation">
            <h2>{t(Msg::DocReconciliation)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    options.await.ok().map(|options| {
                        let to = options.today.clone();
                        let from = format!("{}-01-01", to.get(..4).unwrap_or("2026"));
                        let none = Signal::derive(|| None);
                        view! {
                            <form method="get" action=format!("/api/v1/customers/{customer_id}/reconciliation")
                                class="stack" data-test="recon-pdf-form">
                                <div class="grid-2">
                                    <PeriodDate label=Msg::DateFrom name="from" value=from.clone() scope="recon-pdf" error=none />
                                    <PeriodDate label=Msg::DateTo name="to" value=to.clone() scope="recon-pdf" error=none />
                                    <Select label=Msg::DocLanguage name="lang" options=lang_options() selected=lang().code()
                                        scope="recon-pdf" error=none />
                                </div>
                                <button type="submit" class="button" data-test="recon-pdf">{t(Msg::PrintPdf)}</button>
                            </form>
                            <details>
                                <summary class="link">{t(Msg::SaveToTimeline)}</summary>
                                <FileForm kinds=&[DocKind::Reconciliation]
                                    hidden=vec![("customer_id", customer_id.to_string())] options period=(from, to) />
                            </details>
                        }
                    })
                })}
            </Transition>
        </section>
    }
}

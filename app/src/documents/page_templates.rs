//! `/admin/documents`: the document templates (administrators): pick a kind and a language, edit the HTML,
//! see it filled in with sample data, save it (refused with the line of what is wrong) or reset it to the
//! built-in one; and the company's images documents show (stamp, signatures, logo).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    PreviewDocument, SaveDocumentTemplate, company_image_names, load_document_template, preview_document,
};
use super::{DocKind, DocTemplate, IMAGE_NAMES};
use crate::core::i18n::Lang;
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, FormError, Submit, action_error, bump_on_success, general_error, lang, t};

/// The fields of a document's line.
const LINE: &str = "no, name, mxik, unit, qty, price, discount, vat_rate, net, vat, total";

/// The fields templates may use, by kind: `(group, names)`.
fn field_list(kind: DocKind) -> Vec<(&'static str, &'static str)> {
    let party = "name, tax_id, address, phone, account, bank_code, oked, vat_code, director, accountant";
    let mut f = vec![("company.", party), ("buyer.", party), ("customer.", "name")];
    match kind {
        DocKind::Reconciliation => f.extend([
            ("", "currency"),
            ("period.", "from, to"),
            ("opening. turnover.", "debit, credit"),
            ("rows[].", "date, document, debit, credit"),
            ("closing.", "debit, credit, owes (buyer / seller / \"\"), amount, words"),
        ]),
        DocKind::Offer | DocKind::Contract => f.extend([
            ("doc.", "number, date, currency, note, manager, deal"),
            ("lines[].", LINE),
            ("totals.", "net, vat, total, words"),
        ]),
        DocKind::Invoice | DocKind::DeliveryNote | DocKind::Act => f.extend([
            ("doc.", "number, credit_note, date, due_date, contract_no, contract_date, currency, rate, note, manager"),
            ("lines[].", LINE),
            ("totals.", "net, vat, total, paid, due, words"),
        ]),
    }
    f
}

fn image_label(name: &str) -> Msg {
    match name {
        "logo" => Msg::ImageLogo,
        "stamp" => Msg::ImageStamp,
        "signature" => Msg::ImageSignature,
        _ => Msg::ImageAccountantSignature,
    }
}

/// A template's errors as "Line 12: …" (the field is `body.12`), and any other field error of `body`.
fn line_errors(err: Option<AppError>) -> Vec<String> {
    match err {
        Some(AppError::Validation { fields }) => fields
            .iter()
            .filter(|f| f.field == "body" || f.field.starts_with("body."))
            .map(|f| match f.field.strip_prefix("body.") {
                Some(line) => format!("{} {line}: {}", t(Msg::Line), t(f.code.msg())),
                None => t(f.code.msg()).to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    crate::ui::set_page_name(t(Msg::DocumentTemplates));
    let query = use_query_map();
    let kind =
        Memo::new(move |_| query.read().get("kind").and_then(|k| DocKind::parse(&k)).unwrap_or(DocKind::Invoice));
    let doc_lang = Memo::new(move |_| query.read().get("lang").and_then(|l| Lang::from_code(&l)).unwrap_or_else(lang));
    let save = ServerAction::<SaveDocumentTemplate>::new();
    let changes = RwSignal::new(0_u32);
    bump_on_success(save, changes);
    let template = Resource::new(
        move || (kind.get(), doc_lang.get(), changes.get()),
        |(k, l, _)| load_document_template(k.code().to_string(), l.code().to_string()),
    );
    let tabs = move || {
        let (k, l) = (kind.get(), doc_lang.get());
        let kinds = DocKind::ALL
            .into_iter()
            .map(|x| {
                let href = format!("/admin/documents?kind={}&lang={}", x.code(), l.code());
                view! { <a href=href class="tab" aria-current=(x == k).then_some("page")>{t(x.label())}</a> }
            })
            .collect_view();
        let langs = Lang::ALL
            .into_iter()
            .map(|x| {
                let href = format!("/admin/documents?kind={}&lang={}", k.code(), x.code());
                view! { <a href=href class="tab" aria-current=(x == l).then_some("page")>{x.native_name()}</a> }
            })
            .collect_view();
        view! {
            <nav class="tabs" data-test="template-kinds">{kinds}</nav>
            <nav class="tabs" data-test="template-langs">{langs}</nav>
        }
    };
    view! {
        <div class="page-head"><h1>{t(Msg::DocumentTemplates)}</h1></div>
        {tabs}
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match template.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(tpl) => view! { <Editor tpl save /> }.into_any(),
                }
            })}
        </Transition>
        <Images />
    }
}

#[component]
fn Editor(tpl: DocTemplate, save: ServerAction<SaveDocumentTemplate>) -> impl IntoView {
    let error = action_error(save);
    let preview = ServerAction::<PreviewDocument>::new();
    let preview_error = action_error(preview);
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let (kind, code) = (tpl.kind, tpl.lang.clone());
    // The saved template filled in with the sample, until a preview of the text being edited is asked for.
    let saved = OnceResource::new(preview_document(kind.code().to_string(), code.clone(), tpl.body.clone()));
    let shown = move || match preview.value().get() {
        Some(Ok(html)) => Some(html),
        _ => saved.get().and_then(Result::ok),
    };
    let on_preview = {
        let code = StoredValue::new(code.clone());
        move |_| {
            if let Some(area) = body_ref.get() {
                preview.dispatch(PreviewDocument {
                    kind: kind.code().to_string(),
                    lang: code.get_value(),
                    body: area.value(),
                });
            }
        }
    };
    let lines = move || {
        let mut all = line_errors(error.get());
        all.extend(line_errors(preview_error.get()));
        all.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()
    };
    let code_reset = code.clone();
    let reset_form = tpl.custom.then(move || {
        view! {
            <ActionForm action=save attr:class="inline-form">
                <input type="hidden" name="kind" value=kind.code() />
                <input type="hidden" name="lang" value=code_reset />
                <input type="hidden" name="version" value=tpl.version />
                <input type="hidden" name="body" value="" />
                <input type="hidden" name="reset" value="1" />
                <button type="submit" class="link" data-test="template-reset">{t(Msg::ResetTemplate)}</button>
            </ActionForm>
        }
    });
    let fields = field_list(kind)
        .into_iter()
        .map(|(group, names)| view! { <li><code>{group}</code> " " {names}</li> })
        .collect_view();
    view! {
        <section class="panel" data-test="template-editor">
            <p class="muted small">
                {t(if tpl.custom { Msg::CustomTemplate } else { Msg::BuiltInTemplate })} " · " {t(Msg::DocumentTemplatesHint)}
            </p>
            <details>
                <summary class="link">{t(Msg::TemplateFields)}</summary>
                <ul class="plain-list small">{fields}</ul>
            </details>
            <ActionForm action=save attr:class="stack" attr:data-test="template-form">
                <input type="hidden" name="kind" value=kind.code() />
                <input type="hidden" name="lang" value=code.clone() />
                <input type="hidden" name="version" value=tpl.version />
                <FormError error=general_error(error) />
                <label for="template-body" class="sr-only">{t(Msg::DocumentTemplates)}</label>
                <textarea id="template-body" name="body" rows="22" class="code" spellcheck="false" node_ref=body_ref
                    data-test="template-body">{tpl.body.clone()}</textarea>
                <ul class="field-error plain-list" role="alert" data-test="template-errors">{lines}</ul>
                <div class="actions">
                    <Submit pending=save.pending() label=Msg::Save test="template-save" />
                    <button type="button" class="secondary" on:click=on_preview data-test="template-preview">
                        {t(Msg::Preview)}
                    </button>
                </div>
            </ActionForm>
            {reset_form}
        </section>
        <section class="panel">
            <h2>{t(Msg::Preview)}</h2>
            <Transition fallback=|| ()>
                <div class="doc-preview" data-test="template-preview-page" inner_html=shown></div>
            </Transition>
        </section>
    }
}

/// The company's images: each shown, replaced by an upload, or removed (plain forms).
#[component]
fn Images() -> impl IntoView {
    let names = OnceResource::new(company_image_names());
    let refused = crate::ui::refusal_in_query("image_error");
    view! {
        <section class="panel" data-test="company-images">
            <h2>{t(Msg::CompanyImages)}</h2>
            <p class="muted small">{t(Msg::CompanyImagesHint)}</p>
            {move || refused().map(|code| view! { <p class="field-error" role="alert" data-test="image-error">{t(code.msg())}</p> })}
            <div class="company-images">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let have = names.await.unwrap_or_default();
                    IMAGE_NAMES
                        .into_iter()
                        .map(|name| {
                            let present = have.iter().any(|h| h == name);
                            let action = format!("/settings/company-images/{name}");
                            let input_id = format!("image-{name}");
                            view! {
                                <div class="image-slot" data-test=format!("image-{name}")>
                                    <h3>{t(image_label(name))}</h3>
                                    {if present {
                                        view! { <img src=format!("/api/v1/company-images/{name}") alt=t(image_label(name)) /> }.into_any()
                                    } else {
                                        view! { <div class="photo-blank muted">"—"</div> }.into_any()
                                    }}
                                    <form method="post" action=action.clone() enctype="multipart/form-data" class="photo-form">
                                        <label class="sr-only" for=input_id.clone()>{t(image_label(name))}</label>
                                        <input id=input_id type="file" name="file" accept="image/png,image/jpeg" required />
                                        <button type="submit" class="small" data-test=format!("image-upload-{name}")>{t(Msg::Upload)}</button>
                                    </form>
                                    {present.then(|| view! {
                                        <form method="post" action=action.clone() enctype="multipart/form-data">
                                            <input type="hidden" name="remove" value="1" />
                                            <button type="submit" class="link">{t(Msg::Remove)}</button>
                                        </form>
                                    })}
                                </div>
                            }
                        })
                        .collect_view()
                })}
            </Transition>
            </div>
        </section>
    }
}

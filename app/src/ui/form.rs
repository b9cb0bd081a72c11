//! Form pieces: fields with their translated errors, the form-level error, and the action helpers.

use leptos::prelude::*;

use super::{lang, t};
use crate::core::{AppError, Msg};

/// The error of the latest submission of a server action, as a signal.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The part of a form's error that is not about one field (shown above the form; field errors sit by the fields).
pub fn general_error(error: Signal<Option<AppError>>) -> Signal<Option<AppError>> {
    Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation { .. })))
}

/// The refusal a plain form's server answer names in the query (`?<key>=<code>`, as
/// `/customers/{id}?attach_error=empty_file`), for the page it came back to.
pub fn refusal_in_query(key: &'static str) -> impl Fn() -> Option<crate::core::ErrCode> + Clone + Send + Sync {
    let query = leptos_router::hooks::use_query_map();
    move || query.with(|q| q.get(key)).and_then(|c| serde_json::from_value::<crate::core::ErrCode>(c.into()).ok())
}

/// Clears a form after its action succeeded, so the next entry starts empty.
pub fn reset_on_success<I, O>(action: ServerAction<I>, form: NodeRef<leptos::html::Form>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_)))
            && let Some(form) = form.get()
        {
            form.reset();
        }
    });
}

/// Counts successful submissions of `action` in `changes` (so that other parts of a page, such as a
/// timeline, can refetch after it).
pub fn bump_on_success<I, O>(action: ServerAction<I>, changes: RwSignal<u32>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            changes.update(|n| *n += 1);
        }
    });
}

/// The translated field errors for `name` in `err`.
pub fn field_message(err: Option<AppError>, name: &str) -> Option<String> {
    let codes = err?.field_codes(name);
    if codes.is_empty() {
        return None;
    }
    Some(codes.iter().map(|c| t(c.msg())).collect::<Vec<_>>().join("; "))
}

/// The element id of field `name` in a form marked `scope` (empty: the page's only form with it).
fn field_id(scope: &str, name: &str) -> String {
    if scope.is_empty() { format!("f-{name}") } else { format!("f-{scope}-{name}") }
}

/// A labelled input with its error shown under it.
#[component]
pub fn Field(
    label: Msg,
    name: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] placeholder: Option<Msg>,
    /// Makes the element id unique when two forms on a page have a field of the same name.
    #[prop(optional, into)]
    scope: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = field_id(&scope, name);
    let err_id = format!("{id}-err");
    let placeholder = placeholder.map(t);
    let msg = move || field_message(error.get(), name);
    view! {
        <div class="field" class:invalid=move || msg().is_some()>
            <label for=id.clone()>{t(label)}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                placeholder=placeholder
                aria-invalid=move || msg().is_some().to_string()
                aria-describedby=err_id.clone()
                data-test=format!("field-{name}")
            />
            <p class="field-error" id=err_id data-test=format!("error-{name}")>
                {msg}
            </p>
        </div>
    }
}

/// A labelled multi-line input with its error.
#[component]
pub fn TextArea(
    label: Msg,
    name: &'static str,
    #[prop(optional, into)] value: String,
    /// As [`Field`]'s.
    #[prop(optional, into)]
    scope: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = field_id(&scope, name);
    let msg = move || field_message(error.get(), name);
    view! {
        <div class="field" class:invalid=move || msg().is_some()>
            <label for=id.clone()>{t(label)}</label>
            <textarea id=id name=name rows="4" data-test=format!("field-{name}")>
                {value}
            </textarea>
            <p class="field-error" data-test=format!("error-{name}")>
                {msg}
            </p>
        </div>
    }
}

/// A labelled select of `(value, label)` options.
#[component]
pub fn Select(
    label: Msg,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    /// As [`Field`]'s.
    #[prop(optional, into)]
    scope: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = field_id(&scope, name);
    let msg = move || field_message(error.get(), name);
    view! {
        <div class="field" class:invalid=move || msg().is_some()>
            <label for=id.clone()>{t(label)}</label>
            <select id=id name=name data-test=format!("field-{name}")>
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let sel = v == selected;
                        view! {
                            <option value=v selected=sel>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" data-test=format!("error-{name}")>
                {msg}
            </p>
        </div>
    }
}

/// The general message of an error that is not about one field (shown above the form).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div class="alert alert-error" role="alert" data-test="form-error">
                    {e.message(lang())}
                </div>
            }
        })
    }
}

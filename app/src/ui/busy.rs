//! Submit buttons that show the form is working, and a confirmation step before what cannot be undone.

use leptos::prelude::*;

use super::t;
use crate::core::Msg;

/// A form's submit button. While `pending` it is disabled (a second press, or Enter in a field, sends
/// nothing: a disabled default button blocks implicit submission too), marked `aria-busy` (a spinner), and
/// says `busy` when given ("Sending…", "Connecting…"), so nothing is sent twice.
#[component]
pub fn Submit(
    /// The action's pending state (`action.pending()`).
    #[prop(into)]
    pending: Signal<bool>,
    label: Msg,
    /// What the button says while the answer is awaited, for operations that take a while.
    #[prop(optional)]
    busy: Option<Msg>,
    #[prop(default = "button primary")] class: &'static str,
    /// The `data-test` name.
    #[prop(optional, into)]
    test: String,
    /// A name and value sent with the form when this button submits it (one form, several outcomes).
    #[prop(optional)]
    name: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=class
            name=name
            value=value
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            data-test=(!test.is_empty()).then_some(test)
        >
            {move || t(if pending.get() { busy.unwrap_or(label) } else { label })}
        </button>
    }
}

/// A destructive or irreversible submit that asks first: the button opens a small panel that says what will
/// happen, with the real submit and a way back. Plain HTML (`<details>`), so it works before the WASM has
/// loaded, with a keyboard and with a screen reader (the summary is announced as a collapsed button).
#[component]
pub fn ConfirmSubmit(
    #[prop(into)] pending: Signal<bool>,
    /// The first button ("Delete").
    label: Msg,
    /// What happens, as a question ("Delete the template? Letters already sent keep their text.").
    question: Msg,
    /// The button that does it ("Yes, delete").
    yes: Msg,
    /// `data-test` of the first button; the panel's are `{test}-yes` and `{test}-no`.
    test: &'static str,
    /// More to say under the question (what goes with a deleted record).
    #[prop(optional)]
    children: Option<Children>,
    /// Set while the panel is open (what it says can then be read only when someone asks to delete).
    #[prop(optional)]
    opened: Option<RwSignal<bool>>,
) -> impl IntoView {
    let details = NodeRef::<leptos::html::Details>::new();
    let toggle = move |_| {
        if let (Some(opened), Some(d)) = (opened, details.get()) {
            opened.set(d.open());
        }
    };
    let close = move |_| {
        if let Some(d) = details.get() {
            d.set_open(false);
        }
    };
    view! {
        <details class="confirm" node_ref=details on:toggle=toggle>
            <summary class="button small danger" data-test=test>
                {t(label)}
            </summary>
            <div class="confirm-panel" role="group" aria-label=t(label)>
                <p>{t(question)}</p>
                {children.map(|c| c())}
                <div class="actions">
                    <Submit pending label=yes class="button small danger-solid" test=format!("{test}-yes") />
                    <button type="button" class="button small" on:click=close data-test=format!("{test}-no")>
                        {t(Msg::Cancel)}
                    </button>
                </div>
            </div>
        </details>
    }
}

/// An "Edit" disclosure whose form is built only once it is opened: a list of twenty tasks carries no twenty
/// hidden forms, and their fields never stand in for the page's own. (It needs the WASM: without it the
/// record's creation forms still work, editing waits for the script.)
#[component]
pub fn EditInPlace(
    /// The summary's classes (`button small`, or `link small` in dense lists).
    #[prop(default = "button small")]
    class: &'static str,
    /// `data-test` of the summary.
    test: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let toggle = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        if let Some(d) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlDetailsElement>().ok()) {
            open.set(d.open());
        }
    };
    view! {
        <details class="edit-form" on:toggle=toggle>
            <summary class=class data-test=test>{t(Msg::Edit)}</summary>
            {move || open.get().then(|| children())}
        </details>
    }
}

//! What every page uses: the visitor's session and language, translated text, form pieces, page errors.
//! Below the areas (with `core`): it names no area and no page, so every area can use it and only look down.

mod busy;
mod form;
mod lang_switch;
mod page;

use leptos::prelude::*;

pub use busy::{ConfirmSubmit, EditInPlace, Submit};
pub use form::{
    Field, FormError, Select, TextArea, action_error, bump_on_success, field_message, general_error, refusal_in_query,
    reset_on_success,
};
pub use lang_switch::LanguageSwitch;
pub use page::{ErrorPage, NotFound};

use crate::core::identity::SessionInfo;
use crate::core::{Lang, Msg};

/// The visitor's session as the server resolved it for this page (provided as context by the app's root component).
pub fn session_info() -> SessionInfo {
    use_context::<SessionInfo>().unwrap_or_default()
}

/// The current UI language.
pub fn lang() -> Lang {
    session_info().lang
}

/// A message in the current UI language.
pub fn t(msg: Msg) -> &'static str {
    msg.text(lang())
}

/// A counted message for `n` in the current UI language ("5 писем"; see [`Msg::counted`]).
pub fn tn(msg: Msg, n: i64) -> String {
    msg.counted(lang(), n)
}

/// What the window title names: the page's kind, or what it shows (a customer, a deal). The frame provides
/// it and resets it to the kind when the path changes. Reference-counted, not arena-held: the server reads
/// it while writing the `<head>`, after the page's own reactive scope is gone.
#[derive(Clone)]
pub struct PageName(pub ArcRwSignal<String>);

/// Names the page in the window title ("Olma MChJ · Karvon" instead of "Customer · Karvon").
pub fn set_page_name(name: &str) {
    if let Some(PageName(n)) = use_context::<PageName>() {
        n.set(name.to_string());
    }
}

/// A window title: `what · Karvon`. It reads no context (the server formats the title while writing the
/// `<head>`, outside the page's reactive scope); the app's name is the same in every language.
pub fn window_title(what: &str) -> String {
    format!("{what} · Karvon")
}

//! What every page uses: the visitor's session and language, translated text, form pieces, page errors.
//! Below the areas (with `core`): it names no area and no page, so every area can use it and only look down.

mod busy;
mod form;
mod lang_switch;
mod page;

use leptos::prelude::*;

pub use busy::{ConfirmSubmit, EditInPlace, Submit};
pub use form::{
    Field, FormError, Select, TextArea, action_error, bump_on_success, field_message, general_error, reset_on_success,
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

/// The name of what the page shows (a customer's, a deal's), for the window title; the frame provides it
/// and clears it when the path changes.
#[derive(Clone, Copy)]
pub struct PageName(pub RwSignal<Option<String>>);

/// Names the page in the window title ("Olma MChJ · Karvon" instead of "Customer · Karvon").
pub fn set_page_name(name: &str) {
    if let Some(PageName(n)) = use_context::<PageName>() {
        n.set(Some(name.to_string()));
    }
}

/// A window title: `what · Karvon`.
pub fn window_title(what: &str) -> String {
    format!("{what} · {}", t(Msg::AppName))
}

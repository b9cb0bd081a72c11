//! The language switch of the top bar and the sign-in pages.

use leptos::prelude::*;

use super::{lang, t};
use crate::core::{Lang, Msg};

/// Three small forms, one per language; a plain POST, so it works without JavaScript.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let current = lang();
    view! {
        <div class="lang-switch" role="group" aria-label=t(Msg::Language)>
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <form method="post" action="/rpc/language">
                            <input type="hidden" name="lang" value=l.code() />
                            <button
                                type="submit"
                                class:active=l == current
                                aria-pressed=(l == current).to_string()
                                title=l.native_name()
                                data-test=format!("lang-{}", l.code())
                            >
                                {l.code().to_ascii_uppercase()}
                            </button>
                        </form>
                    }
                })
                .collect_view()}
        </div>
    }
}

//! Whole-page errors: not found, forbidden, server unreachable.

use leptos::prelude::*;

use super::{lang, t};
use crate::core::{AppError, Msg};

/// A whole-page error (not found, forbidden, server unreachable).
#[component]
pub fn ErrorPage(err: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::core::request::set_status(&err);
    let title = match err {
        AppError::NotFound => t(Msg::NotFoundTitle),
        _ => t(err.msg()),
    };
    let detail = err.message(lang());
    view! {
        <section class="error-page" data-test="error-page" data-error=err.tag()>
            <h1>{title}</h1>
            <p>{detail}</p>
            <a href="/" class="button">
                {t(Msg::BackHome)}
            </a>
        </section>
    }
}

/// The page for an unknown path.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage err=AppError::NotFound /> }
}

//! The one-time "create the administrator" page, open only while no user exists.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::api::SetupAdmin;
use super::page_login::AuthFrame;
use crate::core::Msg;
use crate::ui::{Field, FormError, Submit, action_error, general_error, session_info, t};

/// `/setup`.
#[component]
pub fn SetupPage() -> impl IntoView {
    if !session_info().needs_setup {
        return view! { <Redirect path="/login" /> }.into_any();
    }
    let action = ServerAction::<SetupAdmin>::new();
    let error = action_error(action);
    let general = general_error(error);
    let sending = RwSignal::new(false);
    view! {
        <AuthFrame title=Msg::SetupTitle>
            <p class="muted">{t(Msg::SetupIntro)}</p>
            <form method="post" action="/rpc/setup" class="stack" data-test="setup-form" on:submit=move |_| sending.set(true)>
                <FormError error=general />
                <Field label=Msg::FullName name="name" required=true autocomplete="name" error />
                <Field label=Msg::Email name="email" kind="email" required=true autocomplete="username" error />
                <Field
                    label=Msg::Password
                    name="password"
                    kind="password"
                    required=true
                    autocomplete="new-password"
                    error
                />
                <Field
                    label=Msg::PasswordRepeat
                    name="password_repeat"
                    kind="password"
                    required=true
                    autocomplete="new-password"
                    error
                />
                <Submit pending=sending label=Msg::SetupCreate busy=Msg::BusySaving test="setup-submit" />
            </form>
        </AuthFrame>
    }
    .into_any()
}

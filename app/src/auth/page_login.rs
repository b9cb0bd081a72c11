//! The sign-in page: a plain HTML form, so it works before (and without) the WASM.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::api::Login;
use crate::core::Msg;
use crate::ui::{Field, FormError, LanguageSwitch, Submit, action_error, general_error, session_info, t};

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let info = session_info();
    if info.needs_setup {
        return view! { <Redirect path="/setup" /> }.into_any();
    }
    if info.user.is_some() {
        return view! { <Redirect path="/" /> }.into_any();
    }
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    // Field errors are shown by the fields; a general one (bad credentials, throttled) above the form.
    let general = general_error(error);
    // A plain POST (it works before the WASM loads); the button shows it is on its way.
    let sending = RwSignal::new(false);
    let reset = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("reset").is_some());
    view! {
        <AuthFrame title=Msg::LoginTitle>
            {reset.then(|| view! { <p class="alert alert-ok" role="status" data-test="reset-done">{t(Msg::PasswordResetDone)}</p> })}
            <form method="post" action="/rpc/login" class="stack" data-test="login-form" on:submit=move |_| sending.set(true)>
                <FormError error=general />
                <Field label=Msg::Email name="email" kind="email" required=true autocomplete="username" error />
                <Field
                    label=Msg::Password
                    name="password"
                    kind="password"
                    required=true
                    autocomplete="current-password"
                    error
                />
                <Submit pending=sending label=Msg::LogIn busy=Msg::BusySigningIn test="login-submit" />
            </form>
            <p class="small"><a href="/forgot-password" data-test="forgot-link">{t(Msg::ForgotPassword)}</a></p>
        </AuthFrame>
    }
    .into_any()
}

/// The centred card used by the sign-in and set-up pages.
#[component]
pub fn AuthFrame(title: Msg, children: Children) -> impl IntoView {
    view! {
        <leptos_meta::Title text=crate::ui::window_title(t(title)) />
        <div class="auth-page">
            <main class="auth-card">
                <div class="brand">
                    <img src="/icons/icon-192.png" alt="" width="40" height="40" />
                    <span>{t(Msg::AppName)}</span>
                </div>
                <h1>{t(title)}</h1>
                {children()}
                <LanguageSwitch />
            </main>
        </div>
    }
}

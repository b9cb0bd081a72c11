//! A forgotten password: `/forgot-password` asks for the address, `/reset-password?token=` sets the new one.
//! Plain HTML forms, like sign-in: they work before (and without) the WASM.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::api::{ForgotPassword, ResetWithLink};
use super::page_login::AuthFrame;
use crate::core::{AppError, Msg};
use crate::ui::{Field, FormError, Submit, action_error, general_error, session_info, t};

/// `/forgot-password` (`?sent=1` after a request).
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    if session_info().user.is_some() {
        return view! { <Redirect path="/profile" /> }.into_any();
    }
    let query = use_query_map();
    let sent = query.with_untracked(|q| q.get("sent").is_some());
    let action = ServerAction::<ForgotPassword>::new();
    let error = action_error(action);
    let general = general_error(error);
    let sending = RwSignal::new(false);
    view! {
        <AuthFrame title=Msg::ForgotPasswordTitle>
            {if sent {
                view! { <p class="alert alert-ok" role="status" data-test="reset-sent">{t(Msg::ResetLinkSent)}</p> }.into_any()
            } else {
                view! {
                    <p class="muted">{t(Msg::ForgotPasswordIntro)}</p>
                    <form method="post" action="/rpc/password/forgot" class="stack" data-test="forgot-form"
                        on:submit=move |_| sending.set(true)>
                        <FormError error=general />
                        <Field label=Msg::Email name="email" kind="email" required=true autocomplete="username" error />
                        <Submit pending=sending label=Msg::SendResetLink busy=Msg::BusySendingLink test="forgot-submit" />
                    </form>
                }
                .into_any()
            }}
            <p class="small"><a href="/login" data-test="back-to-login">{t(Msg::BackToLogin)}</a></p>
        </AuthFrame>
    }
    .into_any()
}

/// `/reset-password?token=`: the link from the letter.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<ResetWithLink>::new();
    let error = action_error(action);
    let general = general_error(error);
    // The link itself is no field on the page: its error is said above the form, with the way to a new one.
    let link_bad = move || matches!(error.get(), Some(AppError::Validation { fields }) if fields.iter().any(|f| f.field == "token"));
    let sending = RwSignal::new(false);
    view! {
        <AuthFrame title=Msg::SetNewPassword>
            {move || link_bad().then(|| view! {
                <p class="alert alert-error" role="alert" data-test="reset-link-error">
                    {t(Msg::ErrResetLinkInvalid)} " "
                    <a href="/forgot-password">{t(Msg::ForgotPassword)}</a>
                </p>
            })}
            <form method="post" action="/rpc/password/reset" class="stack" data-test="reset-form"
                on:submit=move |_| sending.set(true)>
                <FormError error=general />
                <input type="hidden" name="token" value=token />
                <Field label=Msg::NewPassword name="new_password" kind="password" required=true
                    autocomplete="new-password" error />
                <Field label=Msg::PasswordRepeat name="password_repeat" kind="password" required=true
                    autocomplete="new-password" error />
                <Submit pending=sending label=Msg::SetNewPassword busy=Msg::BusySaving test="reset-submit" />
            </form>
        </AuthFrame>
    }
}

//! The profile: change password and personal API tokens.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{ChangePassword, CreateApiToken, RevokeApiToken, list_api_tokens};
use super::{ApiTokenInfo, TOKEN_EXPIRY_DAYS, TokenScope};
use crate::core::Msg;
use crate::core::format::date_time;
use crate::ui::{
    ConfirmSubmit, Field, FormError, Select, Submit, action_error, general_error, lang, reset_on_success, session_info,
    t,
};

/// `/profile`.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let user = session_info().user;
    let change = ServerAction::<ChangePassword>::new();
    let change_error = action_error(change);
    let change_general = general_error(change_error);
    let password_form = NodeRef::new();
    reset_on_success(change, password_form);
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    // A temporary password: only this form is open until the user has chosen their own; then a full load of
    // the home page (the session the page carries changes with it).
    let must_change = user.as_ref().is_some_and(|u| u.must_change_password);
    if must_change {
        Effect::new(move |_| {
            if changed() {
                let _ = window().location().assign("/");
            }
        });
    }
    view! {
        <h1>{t(Msg::NavProfile)}</h1>
        <p class="muted">
            {user.as_ref().map(|u| format!("{} · {} · {}", u.name, u.email, t(u.role.msg())))}
        </p>
        {must_change.then(|| view! {
            <div class="alert alert-warn" role="alert" data-test="must-change">{t(Msg::ErrPasswordChangeRequired)}</div>
        })}
        <div class="grid-2">
            <section class="panel">
                <h2>{t(Msg::ChangePassword)}</h2>
                <ActionForm action=change node_ref=password_form attr:class="stack" attr:data-test="password-form">
                    <FormError error=change_general />
                    {move || changed().then(|| view! { <div class="alert alert-ok" role="status">{t(Msg::PasswordChanged)}</div> })}
                    <Field label=Msg::CurrentPassword name="current_password" kind="password" required=true autocomplete="current-password" error=change_error />
                    <Field label=Msg::NewPassword name="new_password" kind="password" required=true autocomplete="new-password" error=change_error />
                    <Field label=Msg::PasswordRepeat name="password_repeat" kind="password" required=true autocomplete="new-password" error=change_error />
                    <Submit pending=change.pending() label=Msg::Save busy=Msg::BusySaving test="password-submit" />
                </ActionForm>
            </section>
            {(!must_change).then(|| view! {
                <section class="panel" data-test="my-time-zone">
                    <h2>{t(Msg::MyTimeZone)}</h2>
                    <crate::settings::page_modules::TimeZoneForm which="own" />
                </section>
            })}
            {(!must_change).then(|| view! { <ApiTokens /> })}
        </div>
    }
}

#[component]
fn ApiTokens() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let create_error = action_error(create);
    let token_form = NodeRef::new();
    reset_on_success(create, token_form);
    let tokens = Resource::new(move || (create.version().get(), revoke.version().get()), |_| list_api_tokens());
    view! {
        <section class="panel">
            <h2>{t(Msg::ApiTokens)}</h2>
            <p class="muted">{t(Msg::ApiTokensIntro)}</p>
            <ActionForm action=create node_ref=token_form attr:class="inline-form">
                <Field label=Msg::TokenName name="name" required=true error=create_error />
                <Select label=Msg::TokenAccess name="scope" options=scope_options() selected="read" error=create_error />
                <Select label=Msg::TokenExpires name="expires_days" options=expiry_options() selected="90" error=create_error />
                <Submit pending=create.pending() label=Msg::NewToken class="button" test="token-submit" />
            </ActionForm>
            {move || {
                create.value().get().and_then(Result::ok).map(|secret| {
                    view! {
                        <div class="alert alert-ok" role="status">
                            <p>{t(Msg::TokenCreated)}</p>
                            <code class="secret" data-test="new-token">{secret}</code>
                        </div>
                    }
                })
            }}
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    tokens.await.map(|list| {
                        view! {
                            <table class="table">
                                <TokenHead owner=false />
                                <tbody>
                                    {list.into_iter().map(|tok| {
                                        let id = tok.id;
                                        let revoke_form = move || view! {
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="id" value=id />
                                                <ConfirmSubmit pending=revoke.pending() label=Msg::Revoke question=Msg::RevokeTokenQuestion yes=Msg::RevokeYes test="token-revoke" />
                                            </ActionForm>
                                        }.into_any();
                                        view! { <TokenRow tok owner=false revoke=revoke_form /> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                    })
                })}
            </Transition>
        </section>
    }
}

fn scope_options() -> Vec<(String, String)> {
    [TokenScope::Read, TokenScope::Write].into_iter().map(|s| (s.code().to_string(), t(s.msg()).to_string())).collect()
}

fn expiry_options() -> Vec<(String, String)> {
    TOKEN_EXPIRY_DAYS
        .into_iter()
        .map(|d| match d {
            Some(d) => (d.to_string(), crate::ui::tn(Msg::DaysWord, d)),
            None => (String::new(), t(Msg::TokenNoExpiry).to_string()),
        })
        .collect()
}

/// The header of a token table (with the owner's column in the administrators' list).
#[component]
pub fn TokenHead(owner: bool) -> impl IntoView {
    view! {
        <thead>
            <tr>
                {owner.then(|| view! { <th>{t(Msg::TokenOwner)}</th> })}
                <th>{t(Msg::TokenName)}</th>
                <th>{t(Msg::TokenAccess)}</th>
                <th>{t(Msg::CreatedAt)}</th>
                <th>{t(Msg::LastUsed)}</th>
                <th>{t(Msg::TokenExpires)}</th>
                <th></th>
            </tr>
        </thead>
    }
}

/// One token: its name, access, dates and state; `revoke` draws the revoke form while it still works.
#[component]
pub fn TokenRow(tok: ApiTokenInfo, owner: bool, revoke: impl Fn() -> AnyView + Send + 'static) -> impl IntoView {
    let l = lang();
    let state = if tok.revoked {
        Some(Msg::Revoked)
    } else if tok.expired {
        Some(Msg::TokenExpired)
    } else {
        None
    };
    view! {
        <tr data-test="token-row" class:inactive=state.is_some()>
            {owner.then(|| view! { <td>{tok.user_name.clone()}</td> })}
            <td>{tok.name.clone()}</td>
            <td data-test="token-scope">{t(tok.scope.msg())}</td>
            <td>{date_time(l, tok.created_at)}</td>
            <td>{tok.last_used_at.map(|at| date_time(l, at)).unwrap_or_else(|| t(Msg::Never).to_string())}</td>
            <td>{tok.expires_at.map(|at| date_time(l, at)).unwrap_or_else(|| t(Msg::TokenNoExpiry).to_string())}</td>
            <td>
                {match state {
                    Some(m) => view! { <span class="badge">{t(m)}</span> }.into_any(),
                    None => revoke(),
                }}
            </td>
        </tr>
    }
}

//! `/admin/users`: create users, change role and team, deactivate.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{CreateUser, RevokeAnyToken, SetUserPassword, UpdateUser, list_all_tokens, users_and_teams};
use crate::auth::page_profile::{TokenHead, TokenRow};
use crate::core::Msg;
use crate::core::identity::Role;
use crate::ui::{
    ConfirmSubmit, ErrorPage, Field, FormError, Select, Submit, action_error, field_message, general_error,
    reset_on_success, session_info, t,
};

fn role_options() -> Vec<(String, String)> {
    Role::ALL.into_iter().map(|r| (r.as_str().to_string(), t(r.msg()).to_string())).collect()
}

/// The users page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let update = ServerAction::<UpdateUser>::new();
    let create_error = action_error(create);
    let form = NodeRef::new();
    reset_on_success(create, form);
    let update_error = action_error(update);
    let data = Resource::new(move || (create.version().get(), update.version().get()), |_| users_and_teams());
    let create_general = general_error(create_error);
    view! {
        <h1>{t(Msg::Users)}</h1>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok((users, teams)) => {
                        let mut team_opts = vec![(String::new(), t(Msg::NoTeam).to_string())];
                        team_opts.extend(teams.iter().map(|tm| (tm.id.to_string(), tm.name.clone())));
                        let rows = users
                            .into_iter()
                            .map(|u| {
                                let team_opts = team_opts.clone();
                                let me = session_info().user.is_some_and(|me| me.id == u.id);
                                view! {
                                    <tr data-test="user-row" class:inactive=!u.active>
                                        <td>
                                            {u.name}<br /><span class="muted small">{u.email}</span>
                                            {(!me).then(|| view! { <SetPasswordForm id=u.id /> })}
                                        </td>
                                        <td colspan="3">
                                            <ActionForm action=update attr:class="inline-form">
                                                <input type="hidden" name="id" value=u.id />
                                                <input type="hidden" name="version" value=u.version />
                                                <label class="sr-only" for=format!("role-{}", u.id)>{t(Msg::Role)}</label>
                                                <select name="role" id=format!("role-{}", u.id)>
                                                    {role_options().into_iter().map(|(v, l)| {
                                                        let sel = v == u.role.as_str();
                                                        view! { <option value=v selected=sel>{l}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <label class="sr-only" for=format!("team-{}", u.id)>{t(Msg::Team)}</label>
                                                <select name="team_id" id=format!("team-{}", u.id)>
                                                    {team_opts.into_iter().map(|(v, l)| {
                                                        let sel = Some(v.as_str()) == u.team_id.map(|i| i.to_string()).as_deref() || (v.is_empty() && u.team_id.is_none());
                                                        view! { <option value=v selected=sel>{l}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <label class="sr-only" for=format!("ext-{}", u.id)>{t(Msg::PhoneExt)}</label>
                                                <input name="phone_ext" id=format!("ext-{}", u.id) class="ext" inputmode="numeric"
                                                    value=u.phone_ext.clone().unwrap_or_default() placeholder=t(Msg::PhoneExt)
                                                    data-test="user-ext" />
                                                <label class="check">
                                                    <input type="checkbox" name="active" value="true" checked=u.active />
                                                    {t(Msg::Active)}
                                                </label>
                                                <Submit pending=update.pending() label=Msg::Save class="button small" />
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        view! {
                            <FormError error=update_error />
                            <table class="table">
                                <thead><tr><th>{t(Msg::Name)}</th><th colspan="3">{t(Msg::Role)} " · " {t(Msg::Team)} " · " {t(Msg::Status)}</th></tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            <section class="panel">
                                <h2>{t(Msg::NewUser)}</h2>
                                <ActionForm action=create node_ref=form attr:class="stack" attr:data-test="user-form">
                                    <FormError error=create_general />
                                    <div class="grid-2">
                                        <Field label=Msg::FullName name="name" required=true error=create_error />
                                        <Field label=Msg::Email name="email" kind="email" required=true error=create_error />
                                        <Field label=Msg::Password name="password" kind="password" required=true autocomplete="new-password" error=create_error />
                                        <Field label=Msg::PasswordRepeat name="password_repeat" kind="password" required=true autocomplete="new-password" error=create_error />
                                        <Select label=Msg::Role name="role" options=role_options() selected="manager" error=create_error />
                                        <Select label=Msg::Team name="team_id" options=team_opts error=create_error />
                                    </div>
                                    <Submit pending=create.pending() label=Msg::Create test="user-submit" />
                                </ActionForm>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
        <AllTokens />
    }
}

/// An administrator gives a user a temporary password (the user chooses their own at the next sign-in).
#[component]
fn SetPasswordForm(id: i64) -> impl IntoView {
    let action = ServerAction::<SetUserPassword>::new();
    let error = action_error(action);
    let form = NodeRef::new();
    reset_on_success(action, form);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let (pw, repeat) = (format!("pw-{id}"), format!("pw2-{id}"));
    let msg = move |field: &'static str| move || field_message(error.get(), field);
    view! {
        <details class="add-form set-password">
            <summary class="link small" data-test="set-password">{t(Msg::SetPassword)}</summary>
            <ActionForm action node_ref=form attr:class="stack" attr:data-test="set-password-form">
                <p class="muted small">{t(Msg::SetPasswordHint)}</p>
                <FormError error=general_error(error) />
                <input type="hidden" name="id" value=id />
                <div class="field" class:invalid=move || msg("new_password")().is_some()>
                    <label for=pw.clone()>{t(Msg::NewPassword)}</label>
                    <input id=pw name="new_password" type="password" autocomplete="new-password" required=true
                        data-test="field-new_password" />
                    <p class="field-error" data-test="error-new_password">{msg("new_password")}</p>
                </div>
                <div class="field" class:invalid=move || msg("password_repeat")().is_some()>
                    <label for=repeat.clone()>{t(Msg::PasswordRepeat)}</label>
                    <input id=repeat name="password_repeat" type="password" autocomplete="new-password" required=true
                        data-test="field-password_repeat" />
                    <p class="field-error" data-test="error-password_repeat">{msg("password_repeat")}</p>
                </div>
                <Submit pending=action.pending() label=Msg::SetPassword busy=Msg::BusySaving class="button small primary"
                    test="set-password-submit" />
                {move || done().then(|| view! { <p class="alert alert-ok small" role="status" data-test="password-set">{t(Msg::PasswordSet)}</p> })}
            </ActionForm>
        </details>
    }
}

/// Every user's API tokens, revocable here (a departed colleague's, a leaked one).
#[component]
fn AllTokens() -> impl IntoView {
    let revoke = ServerAction::<RevokeAnyToken>::new();
    let error = action_error(revoke);
    let tokens = Resource::new(move || revoke.version().get(), |_| list_all_tokens());
    view! {
        <section class="panel" data-test="all-tokens">
            <h2>{t(Msg::AllApiTokens)}</h2>
            <p class="muted">{t(Msg::AllApiTokensIntro)}</p>
            <FormError error />
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    tokens.await.map(|list| view! {
                        <div class="table-scroll">
                            <table class="table">
                                <TokenHead owner=true />
                                <tbody>
                                    {list.into_iter().map(|tok| {
                                        let id = tok.id;
                                        let revoke_form = move || view! {
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="id" value=id />
                                                <ConfirmSubmit pending=revoke.pending() label=Msg::Revoke
                                                    question=Msg::RevokeTokenQuestion yes=Msg::RevokeYes test="admin-token-revoke" />
                                            </ActionForm>
                                        }.into_any();
                                        view! { <TokenRow tok owner=true revoke=revoke_form /> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })
                })}
            </Transition>
        </section>
    }
}

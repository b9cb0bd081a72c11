//! `/admin/users`: create users, change role and team, deactivate.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{CreateUser, UpdateUser, users_and_teams};
use crate::core::Msg;
use crate::core::identity::Role;
use crate::ui::{ErrorPage, Field, FormError, Select, Submit, action_error, general_error, reset_on_success, t};

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
                                view! {
                                    <tr data-test="user-row" class:inactive=!u.active>
                                        <td>{u.name}<br /><span class="muted small">{u.email}</span></td>
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
    }
}

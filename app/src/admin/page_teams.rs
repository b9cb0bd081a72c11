//! `/admin/teams`: the teams and their sizes.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{CreateTeam, list_teams};
use crate::core::Msg;
use crate::ui::{ErrorPage, Field, Submit, action_error, reset_on_success, t};

/// The teams page.
#[component]
pub fn TeamsPage() -> impl IntoView {
    let create = ServerAction::<CreateTeam>::new();
    let error = action_error(create);
    let form = NodeRef::new();
    reset_on_success(create, form);
    let teams = Resource::new(move || create.version().get(), |_| list_teams());
    view! {
        <h1>{t(Msg::Teams)}</h1>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match teams.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(teams) => view! {
                        <table class="table">
                            <thead><tr><th>{t(Msg::Name)}</th><th>{t(Msg::Users)}</th></tr></thead>
                            <tbody>
                                {teams.into_iter().map(|tm| view! { <tr data-test="team-row"><td>{tm.name}</td><td>{tm.members}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Transition>
        <section class="panel">
            <h2>{t(Msg::NewTeam)}</h2>
            <ActionForm action=create node_ref=form attr:class="inline-form">
                <Field label=Msg::Name name="name" required=true error />
                <Submit pending=create.pending() label=Msg::Create />
            </ActionForm>
        </section>
    }
}

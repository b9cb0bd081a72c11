//! `/admin/:section`: the administrator's pages behind one route (one lazy WASM chunk and one route type in
//! the shell for all of them): users, teams, custom fields, pipelines.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::shell::ui::NotFound;

/// The section named in the path.
#[component]
pub fn AdminPage() -> impl IntoView {
    let params = use_params_map();
    let section = Memo::new(move |_| params.read().get("section").unwrap_or_default());
    move || match section.get().as_str() {
        "users" => view! { <super::page_users::UsersPage /> }.into_any(),
        "teams" => view! { <super::page_teams::TeamsPage /> }.into_any(),
        "custom-fields" => view! { <crate::custom_fields::page_admin::CustomFieldsPage /> }.into_any(),
        "pipelines" => view! { <crate::deals::page_admin::PipelinesPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

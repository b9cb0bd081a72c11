//! `/stock/groups`: the catalog's group tree in path order, each group with its products' count and a link
//! to them; those who keep the catalog add, rename, move and delete (empty) groups in plain forms.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{DeleteGroup, GroupChoice, GroupsView, SaveGroup, stock_groups};
use super::groups::ProductGroup;
use crate::core::Msg;
use crate::ui::{
    ErrorPage, Field, FormError, Select, Submit, action_error, bump_on_success, field_message, general_error,
    reset_on_success, t,
};

#[component]
pub fn GroupsPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.with(|q| q.get("cursor").filter(|c| !c.is_empty()));
    // Bumped by every form that saved: the tree is read again (the server's redirect lands on this page).
    let saved = RwSignal::new(0u32);
    let page = Resource::new(move || (cursor(), saved.get()), |(c, _)| stock_groups(c));
    view! {
        <div class="page-head">
            <h1>{t(Msg::ProductGroups)}</h1>
            <div class="actions">
                <a class="button secondary" href="/stock/products">{t(Msg::Catalog)}</a>
            </div>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(GroupsView { items, next_cursor, all, keeps_catalog }) => {
                        let new = keeps_catalog.then(|| {
                            let all = all.clone();
                            view! {
                                <details class="panel" data-test="new-group">
                                    <summary>{t(Msg::NewGroup)}</summary>
                                    <GroupForm group=None all saved />
                                </details>
                            }
                        });
                        let next = next_cursor.map(|c| view! {
                            <a class="button secondary" href=format!("/stock/groups?cursor={c}") data-test="next-page">
                                {t(Msg::Next)}
                            </a>
                        });
                        let table = if items.is_empty() {
                            super::nothing_yet()
                        } else {
                            view! {
                                <table class="table" data-test="groups">
                                    <thead>
                                        <tr>
                                            <th>{t(Msg::ProductGroupField)}</th>
                                            <th class="num">{t(Msg::Products)}</th>
                                            {keeps_catalog.then(|| view! { <th></th> })}
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {items
                                            .into_iter()
                                            .map(|g| view! { <GroupRow g all=all.clone() keeps_catalog saved /> })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any()
                        };
                        view! {
                            {new}
                            <section class="panel">{table}</section>
                            {next}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn GroupRow(g: ProductGroup, all: Vec<GroupChoice>, keeps_catalog: bool, saved: RwSignal<u32>) -> impl IntoView {
    let indent = format!("padding-left: {}rem", (g.depth - 1) as f32 * 1.25);
    let id = g.id;
    view! {
        <tr data-test="group-row">
            <td style=indent>
                <span class="muted small">{g.path.rsplit_once(" / ").map(|(up, _)| format!("{up} / ")).unwrap_or_default()}</span>
                <strong>{g.name.clone()}</strong>
            </td>
            <td class="num"><a href=format!("/stock/products?group={id}")>{g.products}</a></td>
            {keeps_catalog.then(|| view! {
                <td>
                    <details data-test="edit-group">
                        <summary>{t(Msg::Edit)}</summary>
                        <GroupForm group=Some(g.clone()) all saved />
                        <DeleteForm g saved />
                    </details>
                </td>
            })}
        </tr>
    }
}

/// The form that adds a group (`group: None`) or renames or moves one.
#[component]
fn GroupForm(group: Option<ProductGroup>, all: Vec<GroupChoice>, saved: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SaveGroup>::new();
    bump_on_success(save, saved);
    let error = action_error(save);
    let general = general_error(error);
    // A new one's form starts empty again once it is saved.
    let form = NodeRef::new();
    if group.is_none() {
        reset_on_success(save, form);
    }
    let scope = group.as_ref().map_or("new".to_string(), |g| format!("g{}", g.id));
    let (form_test, submit_test) = (format!("{scope}-group-form"), format!("{scope}-group-submit"));
    let mut parents = vec![(String::new(), t(Msg::TopLevel).to_string())];
    parents.extend(all.into_iter().map(|g| (g.id.to_string(), g.path)));
    view! {
        <ActionForm action=save node_ref=form attr:class="stack" attr:data-test=form_test>
            <FormError error=general />
            {group.as_ref().map(|g| view! {
                <input type="hidden" name="id" value=g.id.to_string() />
                <input type="hidden" name="version" value=g.version.to_string() />
            })}
            <div class="grid-2">
                <Field label=Msg::Name name="name" value=group.as_ref().map(|g| g.name.clone()).unwrap_or_default()
                    required=true scope=scope.clone() error />
                <Select label=Msg::ParentGroup name="parent_id" options=parents
                    selected=group.as_ref().and_then(|g| g.parent_id).map(|p| p.to_string()).unwrap_or_default()
                    scope=scope.clone() error />
            </div>
            <Submit pending=save.pending() label=Msg::Save test=submit_test />
        </ActionForm>
    }
}

/// Deletes an empty group; a group with products or subgroups is refused beside the button.
#[component]
fn DeleteForm(g: ProductGroup, saved: RwSignal<u32>) -> impl IntoView {
    let delete = ServerAction::<DeleteGroup>::new();
    bump_on_success(delete, saved);
    let error = action_error(delete);
    let general = general_error(error);
    let refused = move || field_message(error.get(), "id");
    view! {
        <ActionForm action=delete attr:class="stack" attr:data-test="delete-group-form">
            <FormError error=general />
            <input type="hidden" name="id" value=g.id.to_string() />
            <input type="hidden" name="version" value=g.version.to_string() />
            {move || refused().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <Submit pending=delete.pending() label=Msg::DeleteGroup class="button small" test="delete-group-submit" />
        </ActionForm>
    }
}

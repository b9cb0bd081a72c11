//! `/settings/modules`: each registered module with an on/off switch (a plain form: a full reload
//! rebuilds the navigation).

use leptos::prelude::*;

use crate::core::identity::Role;
use crate::core::modules::Modules;
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, session_info, t};

/// The modules page.
#[component]
pub fn ModulesPage() -> impl IntoView {
    let info = session_info();
    if info.user.as_ref().map(|u| u.role) != Some(Role::Admin) {
        return view! { <ErrorPage err=AppError::Forbidden /> }.into_any();
    }
    // The sales settings only while the sales module is on (a switched-off function vanishes).
    let sales = !info.disabled_modules.iter().any(|k| k == crate::orders::MODULE.key);
    let rows = Modules::current()
        .all()
        .iter()
        .map(|m| {
            let on = !info.disabled_modules.iter().any(|k| k == m.key);
            view! {
                <tr data-test=format!("module-{}", m.key)>
                    <td>{t(m.name)}</td>
                    <td>
                        <span class="badge" class:badge-on=on>{t(if on { Msg::Enabled } else { Msg::Disabled })}</span>
                    </td>
                    <td>
                        <form method="post" action="/rpc/settings/modules">
                            <input type="hidden" name="key" value=m.key />
                            <input type="hidden" name="enabled" value=(!on).to_string() />
                            <button type="submit" class="button small" data-test=format!("toggle-{}", m.key)>
                                {t(if on { Msg::TurnOff } else { Msg::TurnOn })}
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>{t(Msg::Modules)}</h1>
        <p class="muted">{t(Msg::ModulesIntro)}</p>
        <table class="table">
            <tbody>{rows}</tbody>
        </table>
        <h2>{t(Msg::CompanyTimeZone)}</h2>
        <p class="muted small">{t(Msg::CompanyTimeZoneHint)}</p>
        <TimeZoneForm which="company" />
        <SystemMailbox />
        <super::page_company::CompanyDetailsForm />
        {sales.then(|| view! { <super::page_company::SalesSettingsForm /> })}
    }
    .into_any()
}

/// The shared mailbox that sends password links (a plain form; the page reloads after it).
#[component]
fn SystemMailbox() -> impl IntoView {
    let data = Resource::new(|| (), |_| super::api::system_mailbox());
    view! {
        <h2>{t(Msg::SystemMailbox)}</h2>
        <p class="muted small">{t(Msg::SystemMailboxHint)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok((boxes, chosen, public_url)) => view! {
                        {(!public_url).then(|| view! {
                            <p class="alert alert-warn" data-test="no-public-url">{t(Msg::ErrResetUnavailable)}</p>
                        })}
                        <form method="post" action="/rpc/settings/system-mailbox/set" class="toolbar" data-test="system-mailbox-form">
                            <label for="system-mailbox" class="sr-only">{t(Msg::SystemMailbox)}</label>
                            <select id="system-mailbox" name="mailbox_id" data-test="system-mailbox">
                                <option value="">{t(Msg::NoSystemMailbox)}</option>
                                {boxes.into_iter().map(|(id, address)| {
                                    view! { <option value=id selected=chosen == Some(id)>{address}</option> }
                                }).collect_view()}
                            </select>
                            <button type="submit" class="button" data-test="system-mailbox-save">{t(Msg::Save)}</button>
                        </form>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A time-zone choice as a plain form (a full reload after it: every time on the page changes).
#[component]
pub fn TimeZoneForm(
    /// `company` (Settings, administrators) or `own` (the profile).
    which: &'static str,
) -> impl IntoView {
    let data = Resource::new(|| (), |_| super::api::time_zones());
    let (action, label) = match which {
        "company" => ("/rpc/settings/time-zone", Msg::CompanyTimeZone),
        _ => ("/rpc/profile/time-zone", Msg::MyTimeZone),
    };
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok((names, company, own)) => {
                        let current = if which == "company" { Some(company.clone()) } else { own };
                        let id = format!("tz-{which}");
                        view! {
                            <form method="post" action=action class="toolbar" data-test=format!("tz-form-{which}")>
                                <label for=id.clone()>{t(label)}</label>
                                <select id=id name="time_zone" data-test=format!("tz-{which}")>
                                    {(which != "company").then(|| view! {
                                        <option value="" selected=current.is_none()>
                                            {format!("{} ({company})", t(Msg::CompanyTimeZone))}
                                        </option>
                                    })}
                                    {names.into_iter().map(|n| {
                                        let selected = current.as_deref() == Some(n.as_str());
                                        view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                                    }).collect_view()}
                                </select>
                                <button type="submit" class="button" data-test=format!("tz-save-{which}")>{t(Msg::Save)}</button>
                            </form>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

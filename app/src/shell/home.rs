//! The home page: a greeting and the user's numbers.

use leptos::prelude::*;

use crate::core::Msg;
use crate::core::format::number;
use crate::customers::api::customer_counts;
use crate::ui::{session_info, t};

/// The first page after sign-in.
#[component]
pub fn HomePage() -> impl IntoView {
    let info = session_info();
    let name = info.user.as_ref().map(|u| u.name.clone()).unwrap_or_default();
    let customers_on = !info.disabled_modules.iter().any(|k| k == "customers");
    let counts = Resource::new(|| (), |_| customer_counts());
    let lang = info.lang;
    view! {
        <h1>{format!("{}, {name}", t(Msg::Welcome))}</h1>
        <p class="muted">{t(Msg::Tagline)}</p>
        {customers_on
            .then(|| {
                view! {
                    <div class="cards">
                        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                            {move || Suspend::new(async move {
                                counts
                                    .await
                                    .map(|c| {
                                        view! {
                                            <a class="stat" href="/customers" data-test="stat-own">
                                                <span class="stat-value">{number(lang, c.own.into())}</span>
                                                <span class="stat-label">{t(Msg::HomeMyCustomers)}</span>
                                            </a>
                                            <a class="stat" href="/customers" data-test="stat-visible">
                                                <span class="stat-value">{number(lang, c.visible.into())}</span>
                                                <span class="stat-label">{t(Msg::HomeAllCustomers)}</span>
                                            </a>
                                        }
                                    })
                            })}
                        </Suspense>
                    </div>
                }
            })}
    }
}

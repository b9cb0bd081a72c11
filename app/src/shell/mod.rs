//! The application shell: HTML document, router, layout (side navigation, top bar) and shared UI pieces.

pub mod home;
pub mod layout;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::Router;

use crate::auth::SessionInfo;
use crate::auth::api::get_session_info;
use crate::core::{Lang, Msg};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1f4e79" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon-192.png" type="image/png" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="stylesheet" id="leptos" href="/pkg/karvon.css" />
                <script>
                    "if ('serviceWorker' in navigator) { window.addEventListener('load', function () { navigator.serviceWorker.register('/sw.js'); }); }"
                </script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The visitor's session as the shell resolved it (provided as context inside the layout).
pub fn session_info() -> SessionInfo {
    use_context::<SessionInfo>().unwrap_or(SessionInfo {
        user: None,
        lang: Lang::default(),
        needs_setup: false,
        disabled_modules: Vec::new(),
    })
}

/// The current UI language.
pub fn lang() -> Lang {
    session_info().lang
}

/// A message in the current UI language.
pub fn t(msg: Msg) -> &'static str {
    msg.text(lang())
}

/// The root component: the router with every route (known statically, so the server can list them).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <layout::AppRoutes />
        </Router>
    }
}

/// Resolves the session once per page load, provides it, then renders the matched child route.
#[component]
pub fn SessionGate() -> impl IntoView {
    let session = Resource::new_blocking(|| (), |_| get_session_info());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(info) => view! { <layout::WithSession info /> }.into_any(),
                    Err(err) => view! { <ui::ErrorPage err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

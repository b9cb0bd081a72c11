//! The top of the app: the HTML document, the router (which names every page) and the registry of the
//! switchable areas. Nothing below imports it; the helpers every page uses live in `ui`.

pub mod home;
pub mod layout;

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::provide_meta_context;
use leptos_router::components::Router;

#[cfg(feature = "ssr")]
use crate::core::Msg;
use crate::core::identity::SessionInfo;
use crate::core::modules::Modules;

/// Every switchable module, in menu order. A new area adds its `MODULE` here.
pub const MODULES: Modules = Modules(&[
    crate::customers::MODULE,
    crate::interactions::MODULE,
    crate::tasks::MODULE,
    crate::mail::MODULE,
    crate::deals::MODULE,
    crate::orders::MODULE,
    crate::stock::MODULE,
]);

/// The id of the `<script type="application/json">` that carries the page's [`SessionInfo`].
const SESSION_SCRIPT_ID: &str = "karvon-session";
/// The id of the `<script type="application/json">` that carries the reader's time zone (its offsets).
const ZONE_SCRIPT_ID: &str = "karvon-zone";

/// The HTML document around the app, rendered on the server.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // `<` escaped so that no value can close the script element.
    let info = initial_session();
    provide_page_nonce();
    let code = info.lang.code();
    let session = serde_json::to_string(&info).unwrap_or_default().replace('<', "\\u003c");
    let zone = initial_zone();
    let zone_json = serde_json::to_string(&*zone).unwrap_or_default().replace('<', "\\u003c");
    // The service worker reads the zone's name from the page it keeps (the time of its offline mark).
    view! {
        <!DOCTYPE html>
        <html lang=code data-tz=zone.name.clone()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1f4e79" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon-192.png" type="image/png" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="stylesheet" id="leptos" href="/pkg/karvon.css" />
                <script nonce=leptos::nonce::use_nonce()>
                    "if ('serviceWorker' in navigator) { window.addEventListener('load', function () { navigator.serviceWorker.register('/sw.js'); }); }"
                </script>
                <script id=SESSION_SCRIPT_ID type="application/json" inner_html=session></script>
                <script id=ZONE_SCRIPT_ID type="application/json" inner_html=zone_json></script>
                <script id=crate::core::i18n::PACK_SCRIPT_ID type="application/json" inner_html=Msg::pack_json(info.lang)></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Gives this page's scripts the nonce its Content-Security-Policy header names (the hydration script and the
/// streamed resources read it from the context).
#[cfg(feature = "ssr")]
fn provide_page_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::core::request::CspNonce>().map(|n| n.0.clone()));
    if let Some(n) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(n));
    }
}

/// The session for this page: from the request on the server (the middleware resolved it), from the document
/// in the browser. Sign-in, sign-out, language and module changes are full page loads, so it never goes stale.
#[cfg(feature = "ssr")]
fn initial_session() -> SessionInfo {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::core::request::RequestCtx>().map(|ctx| ctx.session_info()))
        .unwrap_or_default()
}

/// The reader's time zone: from the request on the server, from the document in the browser.
#[cfg(feature = "ssr")]
fn initial_zone() -> std::sync::Arc<crate::core::zone::Zone> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::core::zone::ZoneCtx>().map(|z| z.0.clone()))
        .unwrap_or_else(crate::core::zone::company)
}

#[cfg(not(feature = "ssr"))]
fn initial_zone() -> std::sync::Arc<crate::core::zone::Zone> {
    let zone = document()
        .get_element_by_id(ZONE_SCRIPT_ID)
        .and_then(|el| el.text_content())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    std::sync::Arc::new(zone)
}

#[cfg(not(feature = "ssr"))]
fn initial_session() -> SessionInfo {
    document()
        .get_element_by_id(SESSION_SCRIPT_ID)
        .and_then(|el| el.text_content())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// The root component: the session and the router with every route
/// (known statically, so the server can list them).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(initial_session());
    provide_context(crate::core::zone::ZoneCtx(initial_zone()));
    provide_context(MODULES);
    view! {
        <Router>
            <layout::AppRoutes />
        </Router>
    }
}

//! Live notifications on every signed-in page: the browser listens to `/api/v1/events` and shows each
//! notification (a reminder, a call) as a toast, and as a browser notification where the user allowed it.

use leptos::prelude::*;

use super::Notification;
use crate::core::Msg;
use crate::core::format::date_time;
use crate::ui::{lang, t};

/// The toasts region (top right); connects once the page is interactive.
#[component]
pub fn Notifier() -> impl IntoView {
    let items = RwSignal::new(Vec::<Notification>::new());
    // The listening code is a lazy chunk, fetched after the page is up: it stays out of the shell module.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| leptos::task::spawn_local(listen(items)));
    let dismiss = move |id: i64| {
        items.update(|v| v.retain(|n| n.id != id));
        #[cfg(feature = "hydrate")]
        browser::mark_read(id);
    };
    view! {
        <div class="toasts" role="status" aria-live="polite" data-test="toasts">
            // A handful of toasts at most: re-rendered whole on a change (no keyed list code in the shell).
            {move || {
                items
                    .get()
                    .into_iter()
                    .map(|n| {
                        let id = n.id;
                        view! {
                            <div class="toast" data-test="toast" data-kind=n.kind>
                                <strong data-test="toast-title">{n.title}</strong>
                                {n.due_at.map(|at| view! { <div class="small">{format!("{}: {}", t(Msg::DueAt), date_time(lang(), at))}</div> })}
                                {n.body.map(|b| view! { <div class="small">{b}</div> })}
                                <div class="toast-actions">
                                    {n.link.map(|href| view! { <a href=href class="button small primary" on:click=move |_| dismiss(id)>{t(Msg::Open)}</a> })}
                                    <button type="button" class="button small" data-test="toast-dismiss" on:click=move |_| dismiss(id)>
                                        {t(Msg::Dismiss)}
                                    </button>
                                </div>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// A button that asks the browser's permission for notifications, shown while the user has not decided.
#[component]
pub fn AskNotifications() -> impl IntoView {
    // Only known in the browser.
    let ask = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| ask.set(browser::undecided()));
    move || {
        ask.get().then(|| {
            view! {
                <button type="button" class="button small" data-test="ask-notifications" on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    browser::ask_permission();
                    ask.set(false);
                }>{t(Msg::EnableNotifications)}</button>
            }
        })
    }
}

/// Opens the event stream (see [`browser::connect`]).
#[cfg(feature = "hydrate")]
#[leptos::lazy]
async fn listen(items: RwSignal<Vec<Notification>>) {
    browser::connect(items);
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::web_sys::{
        EventSource, MessageEvent, Notification as BrowserNotification, NotificationOptions, NotificationPermission,
    };

    use super::Notification;

    /// Opens the event stream (the browser reconnects by itself, resuming after the last id it saw).
    pub fn connect(items: RwSignal<Vec<Notification>>) {
        let Ok(source) = EventSource::new("/api/v1/events") else { return };
        let on_notification = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else { return };
            let Ok(n) = serde_json::from_str::<Notification>(&text) else { return };
            if BrowserNotification::permission() == NotificationPermission::Granted {
                let opts = NotificationOptions::new();
                opts.set_body(n.body.as_deref().unwrap_or(""));
                opts.set_tag(&format!("karvon-{}", n.id));
                let _ = BrowserNotification::new_with_options(&n.title, &opts);
            }
            items.update(|v| {
                if !v.iter().any(|x| x.id == n.id) {
                    v.push(n);
                }
            });
        });
        let _ = source.add_event_listener_with_callback("notification", on_notification.as_ref().unchecked_ref());
        // Both live as long as the page.
        on_notification.forget();
        std::mem::forget(source);
    }

    /// Tells the server the notification was seen. A beacon (a bare POST with the session cookie) rather
    /// than a server function: the shell module every page loads stays free of the server-fn client.
    pub fn mark_read(id: i64) {
        let _ = leptos::prelude::window().navigator().send_beacon(&format!("/api/v1/notifications/{id}/read"));
    }

    pub fn undecided() -> bool {
        BrowserNotification::permission() == NotificationPermission::Default
    }

    pub fn ask_permission() {
        let _ = BrowserNotification::request_permission();
    }
}

//! The layout: every route (the one place that names the pages), side navigation (collapsible on tablets),
//! top bar with search and user menu.

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

use crate::core::identity::Role;
use crate::core::{AppError, Msg};
use crate::ui::{ErrorPage, LanguageSwitch, NotFound, session_info, t};

/// Every route. Pages wait for their data on the server (`SsrMode::Async`) so that a 403 or 404 is the
/// response's real status.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=|| view! { <NotFound /> }>
            <Route path=path!("login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("setup") view={Lazy::<SetupRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("reset-password") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async />
            <ParentRoute path=path!("") view=Frame ssr=SsrMode::Async>
                <Route path=path!("") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("customers") view={Lazy::<CustomerListRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("customers/new") view={Lazy::<NewCustomerRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("customers/import") view={Lazy::<ImportsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("customers/import/:id") view={Lazy::<ImportRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("customers/:id") view={Lazy::<CustomerCardRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("customers/:id/merge") view={Lazy::<MergeRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("interactions") view={Lazy::<InteractionListRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("tasks") view={Lazy::<MyDayRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("calendar") view={Lazy::<CalendarRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("deals") view={Lazy::<DealsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("deals/:id") view={Lazy::<DealRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("mail") view={Lazy::<MailRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("mail/:id") view={Lazy::<MessageRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("segments") view={Lazy::<SegmentsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("orders") view={Lazy::<OrdersRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("orders/:id") view={Lazy::<OrderRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("invoices") view={Lazy::<InvoicesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("invoices/new") view={Lazy::<NewInvoiceRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("invoices/:id") view={Lazy::<InvoiceRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("payments") view={Lazy::<PaymentsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("payments/dynamics") view={Lazy::<DynamicsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("payments/:id") view={Lazy::<PaymentRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("receivables") view={Lazy::<ReceivablesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("stock") view={Lazy::<StockRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("stock/documents") view={Lazy::<StockDocumentsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("stock/documents/:id") view={Lazy::<StockDocumentRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("stock/products") view={Lazy::<StockCatalogRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("stock/products/:id") view={Lazy::<StockProductRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("stock/warehouses") view={Lazy::<StockWarehousesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("stock/groups") view={Lazy::<StockGroupsRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("stock/prices") view={Lazy::<StockPricesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("admin/:section") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("settings/modules") view={Lazy::<ModulesRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("profile") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async />
            </ParentRoute>
        </Routes>
    }
}

/// What kind of page a path shows, for the window title when the page does not name itself.
fn page_kind(path: &str) -> Msg {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] => Msg::NavHome,
        ["customers"] => Msg::NavCustomers,
        ["customers", "new"] => Msg::NewCustomer,
        ["customers", "import", ..] => Msg::Import,
        ["customers", _, "merge"] => Msg::MergeTitle,
        ["customers", _] => Msg::Customer,
        ["interactions"] => Msg::NavInteractions,
        ["tasks"] => Msg::NavMyDay,
        ["calendar"] => Msg::NavCalendar,
        ["deals"] => Msg::NavDeals,
        ["deals", _] => Msg::Deal,
        ["mail", ..] => Msg::Mail,
        ["segments"] => Msg::NavSegments,
        ["orders", ..] => Msg::NavOrders,
        ["invoices", ..] => Msg::NavInvoices,
        ["payments", "dynamics"] => Msg::PaymentDynamics,
        ["payments", ..] => Msg::NavPayments,
        ["receivables", ..] => Msg::NavReceivables,
        ["stock"] => Msg::StockDashboard,
        ["stock", "documents", ..] => Msg::StockDocuments,
        ["stock", "products", ..] => Msg::Catalog,
        ["stock", "warehouses"] => Msg::Warehouses,
        ["stock", "groups"] => Msg::ProductGroups,
        ["stock", "prices"] => Msg::PriceLists,
        ["admin", "users"] => Msg::NavUsers,
        ["admin", "teams"] => Msg::NavTeams,
        ["admin", "custom-fields"] => Msg::NavCustomFields,
        ["admin", "pipelines"] => Msg::NavPipelines,
        ["admin", "webhooks"] => Msg::NavWebhooks,
        ["admin", "documents"] => Msg::DocumentTemplates,
        ["settings", ..] => Msg::NavModules,
        ["profile"] => Msg::NavProfile,
        _ => Msg::NotFoundTitle,
    }
}

/// Pages are lazy routes grouped into areas: each area's pages are one split module (`cargo leptos build
/// --split`), loaded when one of them is first shown, so the first download holds only the shell. One
/// module per area rather than per page: code the pages of an area share (the customer card and the mail
/// reader both render a message, the board and the deal page the deal forms) would otherwise land in a chunk
/// per combination of pages that use it (561 files, about 200 fetched by a first visit to the board).
macro_rules! page_areas {
    ($($area:ident / $preload:ident { $($route:ident => $page:path,)* })*) => {$(
        // The variants are the route types' names, all ending in `Route`.
        #[allow(clippy::enum_variant_names)]
        mod $area {
            #[derive(Clone, Copy)]
            pub(super) enum Page { $($route,)* }
        }

        /// The area's pages behind one split point (the page is its index: a plain value crosses it).
        #[cfg_attr(feature = "hydrate", ::leptos::wasm_split::wasm_split(
            $area,
            wasm_split_path = ::leptos::wasm_split,
            preload(#[doc(hidden)] $preload)
        ))]
        fn $area(page: u8) -> AnyView {
            $(
                if page == $area::Page::$route as u8 {
                    return view! { <$page /> }.into_any();
                }
            )*
            unreachable!("a page of {}", stringify!($area))
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "hydrate")]
                    let view = $area($area::Page::$route as u8).await;
                    // On the server: the page's module is named in the response's preload links.
                    #[cfg(not(feature = "hydrate"))]
                    let view = {
                        ::leptos::prefetch_lazy_fn_on_server(stringify!($area));
                        $area($area::Page::$route as u8)
                    };
                    view
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    )*};
}

page_areas! {
    area_sign_in / preload_sign_in {
        LoginRoute => crate::auth::page_login::LoginPage,
        SetupRoute => crate::auth::page_setup::SetupPage,
        ForgotPasswordRoute => crate::auth::page_reset::ForgotPasswordPage,
        ResetPasswordRoute => crate::auth::page_reset::ResetPasswordPage,
    }
    area_day / preload_day {
        HomeRoute => super::home::HomePage,
        MyDayRoute => crate::tasks::page_day::MyDayPage,
        CalendarRoute => crate::tasks::page_calendar::CalendarPage,
    }
    area_customers / preload_customers {
        CustomerListRoute => crate::customers::page_list::CustomerListPage,
        NewCustomerRoute => crate::customers::form::NewCustomerPage,
        MergeRoute => crate::customers::page_merge::MergePage,
        ImportsRoute => crate::imports::page::ImportsPage,
        ImportRoute => crate::imports::page::ImportPage,
        SegmentsRoute => crate::segments::page::SegmentsPage,
    }
    area_card / preload_card {
        CustomerCardRoute => crate::customers::page_card::CustomerCardPage,
        InteractionListRoute => crate::interactions::page_list::InteractionListPage,
        MailRoute => crate::mail::page::MailPage,
        MessageRoute => crate::mail::page::MessagePage,
    }
    area_deals / preload_deals {
        DealsRoute => crate::deals::page_board::DealsPage,
        DealRoute => crate::deals::page_deal::DealPage,
    }
    area_orders / preload_orders {
        OrdersRoute => crate::orders::page_list::OrdersPage,
        OrderRoute => crate::orders::page_order::OrderPage,
        InvoicesRoute => crate::invoices::page_list::InvoicesPage,
        InvoiceRoute => crate::invoices::page_invoice::InvoicePage,
        NewInvoiceRoute => crate::invoices::page_new::NewInvoicePage,
    }
    area_money / preload_money {
        PaymentsRoute => crate::payments::page_list::PaymentsPage,
        PaymentRoute => crate::payments::page_payment::PaymentPage,
        ReceivablesRoute => crate::payments::page_receivables::ReceivablesPage,
        DynamicsRoute => crate::payments::page_dynamics::DynamicsPage,
    }
    area_stock / preload_stock {
        StockRoute => crate::stock::page_dashboard::StockDashboardPage,
        StockDocumentsRoute => crate::stock::page_documents::DocumentsPage,
        StockDocumentRoute => crate::stock::page_documents::DocumentPage,
        StockCatalogRoute => crate::stock::page_catalog::CatalogPage,
        StockProductRoute => crate::stock::page_catalog::ProductPage,
        StockWarehousesRoute => crate::stock::page_warehouses::WarehousesPage,
        StockGroupsRoute => crate::stock::page_groups::GroupsPage,
        StockPricesRoute => crate::stock::page_prices::PricesPage,
    }
    area_settings / preload_settings {
        AdminRoute => AdminPage,
        ModulesRoute => crate::settings::page_modules::ModulesPage,
        ProfileRoute => crate::auth::page_profile::ProfilePage,
    }
}

/// `/admin/:section`: the administrator's pages behind one route (one route type for all of them): users,
/// teams, custom fields, pipelines, webhooks.
#[component]
fn AdminPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let section = Memo::new(move |_| params.read().get("section").unwrap_or_default());
    move || match section.get().as_str() {
        "users" => view! { <crate::admin::page_users::UsersPage /> }.into_any(),
        "teams" => view! { <crate::admin::page_teams::TeamsPage /> }.into_any(),
        "custom-fields" => view! { <crate::custom_fields::page_admin::CustomFieldsPage /> }.into_any(),
        "pipelines" => view! { <crate::deals::page_admin::PipelinesPage /> }.into_any(),
        "webhooks" => view! { <crate::webhooks::page::WebhooksPage /> }.into_any(),
        "documents" => view! { <crate::documents::page_templates::TemplatesPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// The signed-in frame; sends visitors to set-up or login, and answers 404 for switched-off modules.
#[component]
fn Frame() -> impl IntoView {
    let info = session_info();
    let location = use_location();
    if info.needs_setup {
        return view! { <Redirect path="/setup" /> }.into_any();
    }
    let Some(user) = info.user.clone() else {
        return view! { <Redirect path="/login" /> }.into_any();
    };
    // A page opened inside the app (no page load) is named to the service worker, which keeps the pages of
    // the day readable offline (`public/sw.js`); a page load it sees itself.
    #[cfg(feature = "hydrate")]
    Effect::new(move |prev: Option<String>| {
        let path = location.pathname.get();
        if prev.is_some_and(|p| p != path)
            && let Some(worker) = leptos::web_sys::window().and_then(|w| w.navigator().service_worker().controller())
        {
            let _ = worker.post_message(&leptos::wasm_bindgen::JsValue::from_str(&path));
        }
        path
    });
    // The window title: what the page shows, else the page's kind.
    let page_name = ArcRwSignal::new(t(page_kind(&location.pathname.get_untracked())).to_string());
    provide_context(crate::ui::PageName(page_name.clone()));
    let on_path = page_name.clone();
    Effect::new(move |prev: Option<String>| {
        let path = location.pathname.get();
        if prev.is_some_and(|p| p != path) {
            on_path.set(t(page_kind(&path)).to_string());
        }
        path
    });
    let title = move || page_name.get();
    let module_off = move || {
        super::MODULES
            .for_path(&location.pathname.get())
            .is_some_and(|m| info.disabled_modules.iter().any(|k| k == m.key))
    };
    view! {
        <leptos_meta::Title text=title formatter=|what: String| crate::ui::window_title(&what) />
        <div class="app">
            // The menu's switch on tablets and phones: a real (visually hidden) checkbox, so it works without
            // JavaScript, with the keyboard (its label, the ☰ button, shows its focus) and with a screen reader
            // ("Menu, checkbox, checked"); a closed menu's links are out of the tab order (style/main.css).
            <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label=t(Msg::NavMenu)
                aria-controls="sidenav" data-test="nav-toggle" />
            <SideNav role=user.role />
            <div class="main">
                <TopBar name=user.name.clone() role=user.role />
                {(!user.must_change_password).then(|| view! { <crate::tasks::notifier::Notifier /> })}
                <main class="content" id="content">
                    {move || {
                        if module_off() {
                            view! { <ErrorPage err=AppError::NotFound /> }.into_any()
                        } else {
                            view! { <Outlet /> }.into_any()
                        }
                    }}
                </main>
            </div>
        </div>
    }
    .into_any()
}

/// The stock module's links below its dashboard's.
const STOCK_LINKS: [(&str, Msg, &str); 4] = [
    ("/stock/documents", Msg::StockDocuments, "nav-stock-documents"),
    ("/stock/products", Msg::Catalog, "nav-stock-catalog"),
    ("/stock/warehouses", Msg::Warehouses, "nav-stock-warehouses"),
    ("/stock/prices", Msg::PriceLists, "nav-stock-prices"),
];

/// The sales module's links below its orders'.
const SALES_LINKS: [(&str, Msg, &str); 4] = [
    ("/invoices", Msg::NavInvoices, "nav-invoices"),
    ("/payments", Msg::NavPayments, "nav-payments"),
    ("/payments/dynamics", Msg::PaymentDynamics, "nav-payment-dynamics"),
    ("/receivables", Msg::NavReceivables, "nav-receivables"),
];

#[component]
fn SideNav(role: Role) -> impl IntoView {
    let info = session_info();
    let on = move |key: &str| !info.disabled_modules.iter().any(|k| k == key);
    let location = use_location();
    let current = move |href: &'static str| {
        let path = location.pathname.get();
        // The deepest link that holds the page is the current one (the catalog, not the stock above it).
        let holds = |h: &str| h == "/" && path == "/" || h != "/" && (path == h || path.starts_with(&format!("{h}/")));
        let deeper = STOCK_LINKS
            .iter()
            .chain(&SALES_LINKS)
            .any(|(sub, ..)| sub.len() > href.len() && sub.starts_with(href) && holds(sub));
        let active = holds(href) && !deeper;
        active.then_some("page")
    };
    let modules = super::MODULES
        .all()
        .iter()
        .filter(|m| on(m.key))
        .map(|m| {
            let href = m.paths[0];
            // Customers also hold their segments; tasks their calendar; stock its documents, catalog, warehouses and
            // prices; sales (orders) its invoices, payments and receivables.
            let extra: &[(&str, Msg, &str)] = match m.key {
                "customers" => &[("/segments", Msg::NavSegments, "nav-segments")],
                "tasks" => &[("/calendar", Msg::NavCalendar, "nav-calendar")],
                "stock" => &STOCK_LINKS,
                "sales" => &SALES_LINKS,
                _ => &[],
            };
            let segments = extra.iter().map(|&(href, label, test)| {
                view! {
                    <li>
                        <a href=href aria-current=move || current(href) data-test=test>
                            {t(label)}
                        </a>
                    </li>
                }
            });
            view! {
                <li>
                    <a href=href aria-current=move || current(href) data-test=format!("nav-{}", m.key)>
                        {t(nav_label(m.key))}
                    </a>
                </li>
                {segments.collect_view()}
            }
        })
        .collect_view();
    const ADMIN_LINKS: [(&str, Msg, &str); 7] = [
        ("/admin/users", Msg::NavUsers, "nav-users"),
        ("/admin/teams", Msg::NavTeams, "nav-teams"),
        ("/admin/custom-fields", Msg::NavCustomFields, "nav-custom-fields"),
        ("/admin/pipelines", Msg::NavPipelines, "nav-pipelines"),
        ("/admin/webhooks", Msg::NavWebhooks, "nav-webhooks"),
        ("/admin/documents", Msg::DocumentTemplates, "nav-documents"),
        ("/settings/modules", Msg::NavModules, "nav-modules"),
    ];
    let admin = (role == Role::Admin).then(|| {
        let links = ADMIN_LINKS
            .into_iter()
            .filter(|(href, ..)| *href != "/admin/pipelines" || on(crate::deals::MODULE.key))
            .filter(|(href, ..)| *href != "/admin/documents" || on(crate::orders::MODULE.key))
            .map(|(href, label, test)| {
                view! {
                    <li>
                        <a href=href aria-current=move || current(href) data-test=test>
                            {t(label)}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <p class="nav-heading">{t(Msg::NavSettings)}</p>
            <ul>{links}</ul>
        }
    });
    view! {
        <nav class="sidenav" id="sidenav" aria-label=t(Msg::NavMenu)>
            <a href="/" class="brand">
                <img src="/icons/icon-192.png" alt="" width="28" height="28" />
                <span>{t(Msg::AppName)}</span>
            </a>
            <ul>
                <li>
                    <a href="/" aria-current=move || current("/") data-test="nav-home">
                        {t(Msg::NavHome)}
                    </a>
                </li>
                {modules}
            </ul>
            {admin}
            <ul class="nav-bottom">
                <li>
                    <a href="/api/docs" rel="external">
                        {t(Msg::NavApiDocs)}
                    </a>
                </li>
            </ul>
        </nav>
        <label for="nav-toggle" class="nav-scrim" aria-hidden="true"></label>
    }
}

/// The menu label of a module.
fn nav_label(key: &str) -> Msg {
    match key {
        "customers" => Msg::NavCustomers,
        "interactions" => Msg::NavInteractions,
        "tasks" => Msg::NavMyDay,
        "mail" => Msg::Mail,
        "deals" => Msg::NavDeals,
        "stock" => Msg::NavStock,
        "sales" => Msg::NavOrders,
        _ => Msg::AppName,
    }
}

#[component]
fn TopBar(name: String, role: Role) -> impl IntoView {
    let customers_on = !session_info().disabled_modules.iter().any(|k| k == "customers");
    view! {
        <header class="topbar">
            <label for="nav-toggle" class="nav-button" title=t(Msg::NavMenu) aria-hidden="true" data-test="nav-button">
                "☰"
            </label>
            {customers_on
                .then(|| {
                    view! {
                        <form class="search" method="get" action="/customers" role="search">
                            <label for="global-search" class="sr-only">
                                {t(Msg::SearchPlaceholder)}
                            </label>
                            <QuickSearch />
                        </form>
                    }
                })}
            <LanguageSwitch />
            <details class="user-menu">
                <summary data-test="user-menu">
                    <span class="avatar" aria-hidden="true">
                        {name.chars().next().unwrap_or('?').to_string()}
                    </span>
                    <span class="user-name">{name.clone()}</span>
                </summary>
                <div class="menu">
                    <p class="muted">{t(role.msg())}</p>
                    <a href="/profile" data-test="nav-profile">
                        {t(Msg::NavProfile)}
                    </a>
                    <form method="post" action="/rpc/logout">
                        <button type="submit" class="link" data-test="logout">
                            {t(Msg::LogOut)}
                        </button>
                    </form>
                </div>
            </details>
        </header>
    }
}

/// The top bar's search box: a plain GET form to the customer list (works without JavaScript); with it,
/// matching customers appear under the box as you type.
/// The type-ahead's server call, split into its own WASM chunk (loaded on the first keystroke), so the
/// shell module does not carry the server-function client.
#[lazy]
async fn find_customers(q: String) -> Result<Vec<crate::customers::api::SearchHit>, AppError> {
    crate::customers::api::quick_search(q).await
}

#[component]
fn QuickSearch() -> impl IntoView {
    use crate::customers::api::SearchHit;
    use leptos::leptos_dom::helpers::{TimeoutHandle, set_timeout_with_handle};
    let hits = RwSignal::new(Vec::<SearchHit>::new());
    // The highlighted hit (arrow keys), announced through `aria-activedescendant`.
    let active = RwSignal::new(None::<usize>);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // Only the answer to the latest request is shown, whatever order answers arrive in.
    let latest = StoredValue::new(0u64);
    let close = move || {
        hits.set(Vec::new());
        active.set(None);
    };
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let seq = latest.get_value() + 1;
        latest.set_value(seq);
        if value.trim().chars().count() < 2 {
            close();
            return;
        }
        // Wait for a pause in typing before asking the server.
        let ask = move || {
            leptos::task::spawn_local(async move {
                if let Ok(found) = find_customers(value).await
                    && latest.get_value() == seq
                {
                    hits.set(found);
                    active.set(None);
                }
            })
        };
        pending.set_value(set_timeout_with_handle(ask, std::time::Duration::from_millis(150)).ok());
    };
    let navigate = leptos_router::hooks::use_navigate();
    // A combobox as the ARIA authoring practices describe it: ↓/↑ move through the hits, Enter opens the
    // highlighted one (else the form searches the list), Escape closes them.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = hits.with(Vec::len);
        match ev.key().as_str() {
            "Escape" => close(),
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
            }
            "Enter" => {
                if let Some(id) = active.get().and_then(|i| hits.with(|h| h.get(i).map(|h| h.id))) {
                    ev.prevent_default();
                    close();
                    navigate(&format!("/customers/{id}"), Default::default());
                }
            }
            _ => {}
        }
    };
    view! {
        <input
            id="global-search"
            type="search"
            name="q"
            autocomplete="off"
            role="combobox"
            aria-autocomplete="list"
            aria-controls="search-hits"
            aria-expanded=move || if hits.with(Vec::is_empty) { "false" } else { "true" }
            aria-activedescendant=move || active.get().map(|i| format!("search-hit-{i}"))
            placeholder=t(Msg::SearchPlaceholder)
            data-test="global-search"
            on:input=on_input
            on:keydown=on_key
        />
        <ul id="search-hits" class="search-hits" role="listbox" aria-label=t(Msg::SearchPlaceholder) data-test="search-hits"
            hidden=move || hits.with(Vec::is_empty)>
            {move || {
                hits.get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, h)| {
                        let phone = h.phone.as_deref().map(crate::core::phone::display).unwrap_or_default();
                        view! {
                            <li role="option" id=format!("search-hit-{i}") aria-selected=move || (active.get() == Some(i)).to_string()
                                class:active=move || active.get() == Some(i)>
                                <a href=format!("/customers/{}", h.id) tabindex="-1" on:click=move |_| close()>
                                    <span>{h.name}</span>
                                    <span class="muted small">{phone} " · " {h.manager_name}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

//! The Karvon server: configuration, the axum router (pages, server functions, REST API), middleware.

pub mod admin;
pub mod backup;
pub mod config;
pub mod idempotency;
pub mod middleware;
pub mod pwa;
pub mod rest;
pub mod security;
pub mod seed;
pub mod seed_money;
pub mod seed_stock;
pub mod site;

use axum::Router;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};

use app::core::db::Db;

pub use config::Config;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub trust_proxy: bool,
    /// How many proxies in front are trusted to append to `X-Forwarded-For` (`KARVON_TRUSTED_PROXIES`).
    pub proxy_hops: usize,
    /// Karvon's own origins, for the CSRF check of state-changing requests.
    pub origins: security::Origins,
    /// Switched-off modules, cached briefly (see [`app::core::modules::ModuleCache`]).
    pub modules: app::core::modules::ModuleCache,
    /// Whether the first administrator exists (remembered once true).
    pub setup: app::auth::store::SetupState,
    /// The phone system's secret for `/api/v1/telephony/events`.
    pub telephony_token: Option<String>,
    /// The secret in the SMS gateway's delivery callback path.
    pub sms_callback_secret: Option<String>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Leptos options for the built site under `site_root`.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("karvon")
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(leptos::config::Env::PROD)
        .build()
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(app::App);
    let options = state.leptos_options.clone();
    let page_state = state.clone();
    let (build, worker) = pwa::build(&options);
    let pkg = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    site::drop_stale(&pkg);
    Router::new()
        .route("/healthz", get(rest::healthz))
        .route("/sw.js", get(move || std::future::ready(pwa::script_response(&worker))))
        .route("/manifest.webmanifest", get(pwa::manifest))
        .nest("/api", rest::router())
        .nest_service("/pkg", site::service(&pkg))
        .route(
            "/customers/import",
            axum::routing::post(rest::imports::upload_form)
                .layer(axum::extract::DefaultBodyLimit::max(rest::imports::MAX_UPLOAD_BYTES)),
        )
        .route("/customers/export", get(rest::imports::export_customers))
        .route("/calendar/feed/{token}", get(rest::tasks::calendar_feed))
        .route(
            "/interactions/{id}/attachments",
            axum::routing::post(rest::interactions::attach_form)
                .layer(axum::extract::DefaultBodyLimit::max(app::interactions::MAX_ATTACHMENT_BYTES + 64 * 1024)),
        )
        .route(
            "/settings/company-images/{name}",
            axum::routing::post(rest::documents::image_form)
                .layer(axum::extract::DefaultBodyLimit::max(app::documents::MAX_IMAGE_BYTES + 64 * 1024)),
        )
        .route(
            "/stock/products/{id}/photo",
            axum::routing::post(rest::stock::photo_form)
                .layer(axum::extract::DefaultBodyLimit::max(app::stock::photos::MAX_PHOTO_BYTES + 64 * 1024)),
        )
        .leptos_routes(&page_state, routes, move || app::shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(axum::middleware::from_fn(middleware::server_fn_arguments))
        .layer(axum::middleware::from_fn_with_state(state.clone(), idempotency::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_context))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::HeaderName::from_static(pwa::BUILD_HEADER),
            build,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(rest::MAX_BODY_BYTES))
        // Pages and JSON on the fly (brotli at a light level, or gzip); `/pkg` answers are precompressed and
        // event streams are never compressed (they must not be held back).
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::compression::CompressionLevel::Precise(4)),
        )
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

//! The service worker's script, served with the id of the build it belongs to (see `public/sw.js`).
//!
//! The site's files keep their names from build to build (`pkg/karvon.wasm`, `pkg/chunk_24.wasm`, ...), so
//! the worker may serve them from its cache only to pages of the same build. The id is a hash of the
//! built files, the same on every app server that runs the same build; every response names it in
//! `x-karvon-build`, and `/sw.js` carries it in its cache name, so a new build is a new worker that drops
//! the old cache.

use std::hash::{Hash, Hasher};
use std::path::Path;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::LeptosOptions;

/// The response header that names the build a page belongs to.
pub const BUILD_HEADER: &str = "x-karvon-build";

/// The site's build id (16 hex digits) and the worker's script with it filled in (`None` when the site
/// has not been built, as in the HTTP tests).
pub fn build(options: &LeptosOptions) -> (HeaderValue, Option<String>) {
    let root = Path::new(options.site_root.as_ref());
    let pkg = root.join(options.site_pkg_dir.as_ref());
    let name = options.output_name.as_ref();
    let mut h = std::hash::DefaultHasher::new();
    for file in
        [format!("{name}.wasm"), format!("{name}.js"), format!("{name}.css"), "__wasm_split_manifest.json".into()]
    {
        std::fs::read(pkg.join(file)).unwrap_or_default().hash(&mut h);
    }
    let id = format!("{:016x}", h.finish());
    let script = std::fs::read_to_string(root.join("sw.js")).ok().map(|s| s.replace("__BUILD__", &id));
    (HeaderValue::from_str(&id).expect("hex digits"), script)
}

/// `GET /sw.js`: never cached by the browser, so a new build's worker is found on the next visit.
pub fn script_response(script: &Option<String>) -> Response {
    match script {
        Some(body) => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
            body.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /manifest.webmanifest`: the install manifest in the visitor's language (name, description, `lang`).
pub async fn manifest(api: crate::rest::Api) -> Response {
    use app::core::Msg;
    let lang = api.ctx.lang;
    let body = serde_json::json!({
        "name": "Karvon CRM",
        "short_name": Msg::AppName.text(lang),
        "description": Msg::ManifestDescription.text(lang),
        "lang": lang.code(),
        "dir": "ltr",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6f9",
        "theme_color": "#1f4e79",
        "icons": [
            { "src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" },
            { "src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" },
            { "src": "/icons/maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" }
        ]
    });
    ([(header::CONTENT_TYPE, "application/manifest+json"), (header::VARY, "cookie, accept-language")], body.to_string())
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_names_the_build_of_the_files() {
        let dir = std::env::temp_dir().join(format!("karvon-pwa-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("sw.js"), "const BUILD = '__BUILD__';").unwrap();
        std::fs::write(dir.join("pkg/karvon.wasm"), b"one").unwrap();
        let options = LeptosOptions::builder()
            .output_name("karvon")
            .site_root(dir.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .build();
        let (id, script) = build(&options);
        let id = id.to_str().unwrap().to_string();
        assert_eq!(id.len(), 16);
        assert_eq!(script.as_deref(), Some(format!("const BUILD = '{id}';").as_str()));
        assert_eq!(build(&options).0, id.as_str(), "the same files, the same id");
        std::fs::write(dir.join("pkg/karvon.wasm"), b"two").unwrap();
        assert_ne!(build(&options).0, id.as_str(), "a new build, a new id");
        std::fs::remove_dir_all(&dir).unwrap();
        let missing = LeptosOptions::builder().output_name("karvon").site_root("/nonexistent").build();
        assert!(build(&missing).1.is_none());
        assert_eq!(script_response(&None).status(), StatusCode::NOT_FOUND);
    }
}

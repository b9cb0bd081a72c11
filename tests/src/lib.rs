//! Test harness: a fresh database per test (SQLite file, or a new PostgreSQL database when
//! `TEST_POSTGRES_URL` is set), the real router, and request helpers.

pub mod benchkit;
pub mod mailserver;

use std::sync::atomic::{AtomicU64, Ordering};

use app::auth::store as auth_store;
use app::core::db::{Db, DbConfig};
use app::core::identity::Role;
use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub db: Db,
    cleanup: Option<Box<dyn FnOnce() + Send>>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(f) = self.cleanup.take() {
            f();
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    format!("{prefix}_{}_{}_{n}", std::process::id(), rand::random::<u32>())
}

/// The PostgreSQL server URL for tests. Without it the PostgreSQL variants are skipped, unless
/// `KARVON_REQUIRE_POSTGRES=1` (CI) makes that a failure.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("KARVON_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("KARVON_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set");
    }
    url
}

impl TestDb {
    /// A fresh, migrated database on `backend`; `None` when PostgreSQL is not configured.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("karvon_test"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let url = format!("sqlite://{}", dir.join("karvon.db").display());
                let db = Db::connect(&DbConfig { url, max_connections: 4 }).await.expect("open sqlite");
                let cleanup = Box::new(move || {
                    let _ = std::fs::remove_dir_all(&dir);
                });
                Some(TestDb { db, cleanup: Some(cleanup) })
            }
            Backend::Postgres => {
                let base = postgres_url()?;
                let name = unique("karvon_test");
                let admin = sqlx::PgPool::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("TEST_POSTGRES_URL is set but PostgreSQL is unreachable: {e}"));
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create test database");
                admin.close().await;
                let url = with_database(&base, &name);
                let db = Db::connect(&DbConfig { url, max_connections: 4 }).await.expect("open postgres");
                let cleanup = Box::new(move || {
                    // Drop runs outside any runtime's async context: use a thread with its own runtime. The
                    // test's pool is not closed here: its connections belong to the test's runtime, which is
                    // blocked in this drop; `WITH (FORCE)` ends them on the server side instead.
                    std::thread::spawn(move || {
                        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                        rt.block_on(async {
                            if let Ok(admin) = sqlx::PgPool::connect(&base).await {
                                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                    .execute(&admin)
                                    .await;
                                admin.close().await;
                            }
                        });
                    })
                    .join()
                    .ok();
                });
                Some(TestDb { db, cleanup: Some(cleanup) })
            }
        }
    }
}

/// Replaces the database name in a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let root = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// Runs a store scenario on SQLite and on PostgreSQL: `both_backends!(name, scenario_fn)`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $scenario:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let t = $crate::TestDb::new($crate::Backend::Sqlite).await.unwrap();
                super::$scenario(t.db.clone()).await;
            }

            // Compiled as ignored without TEST_POSTGRES_URL (tests/build.rs): reported, never a silent pass.
            #[tokio::test]
            #[cfg_attr(not(karvon_postgres), ignore = "PostgreSQL: TEST_POSTGRES_URL is not set")]
            async fn postgres() {
                let t = $crate::TestDb::new($crate::Backend::Postgres)
                    .await
                    .expect("TEST_POSTGRES_URL was set when the tests were built, and is not now");
                super::$scenario(t.db.clone()).await;
            }
        }
    };
}

/// Creates a user directly in the store; returns their id. Password is `password-<email>`.
pub async fn make_user(db: &Db, email: &str, role: Role, team_id: Option<i64>) -> i64 {
    let hash = auth_store::hash_password(&format!("password-{email}"));
    auth_store::create_user(db, auth_store::NewUserRow { email, name: email, password_hash: &hash, role, team_id })
        .await
        .expect("create user")
}

/// The phone system's secret in test apps.
pub const TELEPHONY_TOKEN: &str = "pbx-test-secret-0123456789";

/// The secret in the SMS delivery callback's path in test apps.
pub const SMS_CALLBACK_SECRET: &str = "sms-callback-secret-0123456789";

/// The real router over a test database.
pub struct TestApp {
    pub db: Db,
    /// The app's module cache: a test that switches modules in the store directly must invalidate it.
    pub modules: app::core::modules::ModuleCache,
    pub router: Router,
    _guard: TestDb,
}

static PDF_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
    /// The body as sent (a PDF, an image).
    pub bytes: Vec<u8>,
}

impl Resp {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `name=value` of a `Set-Cookie` for `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    }

    /// The text of a PDF body, by poppler's `pdftotext` (installed by `scripts/setup.sh --tests`).
    pub fn pdf_text(&self) -> String {
        assert!(self.bytes.starts_with(b"%PDF-"), "not a PDF: {}", &self.body[..self.body.len().min(300)]);
        let dir = std::env::temp_dir().join(format!("karvon_pdf_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let n = PDF_SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let file = dir.join(format!("{n}.pdf"));
        std::fs::write(&file, &self.bytes).expect("write the PDF");
        let out = std::process::Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh --tests");
        let _ = std::fs::remove_file(&file);
        assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The `Location` header.
    pub fn location(&self) -> Option<String> {
        self.headers.get(http::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string)
    }
}

impl TestApp {
    /// The app on a fresh database of `backend`; `None` when PostgreSQL is not configured.
    pub async fn new(backend: Backend) -> Option<TestApp> {
        let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
        let guard = TestDb::new(backend).await?;
        let config = server::Config::load().expect("config");
        let state = server::AppState {
            db: guard.db.clone(),
            leptos_options: server::leptos_options(&config),
            trust_proxy: true,
            proxy_hops: 1,
            origins: server::security::Origins::new(None, true),
            modules: app::core::modules::ModuleCache::new(app::MODULES),
            setup: Default::default(),
            telephony_token: Some(TELEPHONY_TOKEN.into()),
            sms_callback_secret: Some(SMS_CALLBACK_SECRET.into()),
        };
        let modules = state.modules.clone();
        Some(TestApp { db: guard.db.clone(), modules, router: server::router(state), _guard: guard })
    }

    /// Sends a request through the router.
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("router never fails");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024).await.expect("body");
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    /// A JSON API call with an optional bearer token.
    pub async fn api(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        self.api_with(method, path, token, body, &[]).await
    }

    /// A JSON API call with extra request headers.
    pub async fn api_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path).header("x-forwarded-for", "10.0.0.1");
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).expect("request")).await
    }

    /// A page or form call as a browser without JavaScript makes it.
    /// `from` is the page the form is on (the `Referer`).
    pub async fn browser(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        form: Option<&str>,
        from: &str,
    ) -> Resp {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1:3000")
            .header("accept", "text/html")
            .header("accept-language", "ru-RU,ru;q=0.9")
            .header("referer", format!("http://127.0.0.1:3000{from}"))
            .header("x-forwarded-for", "10.0.0.2");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let body = match form {
            Some(f) => {
                req = req.header("content-type", "application/x-www-form-urlencoded");
                Body::from(f.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).expect("request")).await
    }

    /// A server function called as a hydrated page calls it (`fetch`, form-encoded body, the session cookie):
    /// the answer is the function's own status and JSON, not a browser redirect.
    pub async fn api_form(&self, path: &str, cookie: &str, form: &str) -> Resp {
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header("host", "127.0.0.1:3000")
            .header("origin", "http://127.0.0.1:3000")
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .header("x-forwarded-for", "10.0.0.3")
            .body(Body::from(form.to_string()))
            .expect("request");
        self.send(req).await
    }

    /// Signs in a user made by [`make_user`] (or [`TestApp::user_token`]) through the login form; the
    /// session cookie.
    pub async fn login(&self, email: &str) -> String {
        let form = format!("email={}&password=password-{}", email.replace('@', "%40"), email.replace('@', "%40"));
        let res = self.browser("POST", "/rpc/login", None, Some(&form), "/login").await;
        res.cookie("karvon_session").unwrap_or_else(|| panic!("login failed: {:?}", res.location()))
    }

    /// Creates a customer named `name` over REST as `token`'s user (201 asserted); its id.
    pub async fn customer(&self, token: &str, name: &str) -> i64 {
        let r = self.api("POST", "/api/v1/customers", Some(token), Some(serde_json::json!({"name": name}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_i64().expect("id")
    }

    /// `GET path` as `token`'s user (200 asserted); the JSON.
    pub async fn get_json(&self, token: &str, path: &str) -> Value {
        let r = self.api("GET", path, Some(token), None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        r.json()
    }

    /// Uploads a small PDF to an interaction as `token`'s user; the answer is the attachment (201).
    pub async fn attach_pdf(&self, token: &str, interaction: i64) -> Resp {
        let req = Request::builder()
            .method("POST")
            .uri(format!("/api/v1/interactions/{interaction}/attachments?file_name=a.pdf"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/pdf")
            .body(Body::from("%PDF-1.4"))
            .expect("request");
        self.send(req).await
    }

    /// Creates a user and returns an API token for them.
    pub async fn user_token(&self, email: &str, role: Role, team_id: Option<i64>) -> (i64, String) {
        let id = make_user(&self.db, email, role, team_id).await;
        let (_, token) = auth_store::create_api_token(&self.db, id, "test").await.expect("token");
        (id, token)
    }
}

/// Runs an HTTP scenario against the real router on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both_apps {
    ($name:ident, $scenario:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::TestApp::new($crate::Backend::Sqlite).await.unwrap();
                super::$scenario(app).await;
            }

            // Compiled as ignored without TEST_POSTGRES_URL (tests/build.rs): reported, never a silent pass.
            #[tokio::test]
            #[cfg_attr(not(karvon_postgres), ignore = "PostgreSQL: TEST_POSTGRES_URL is not set")]
            async fn postgres() {
                let app = $crate::TestApp::new($crate::Backend::Postgres)
                    .await
                    .expect("TEST_POSTGRES_URL was set when the tests were built, and is not now");
                super::$scenario(app).await;
            }
        }
    };
}

/// Every foreign key to `table`, read from the schema (SQLite's `pragma_foreign_key_list`, PostgreSQL's
/// `pg_constraint`): `(table, column)`, sorted.
pub async fn references_to(db: &Db, table: &str) -> Vec<(String, String)> {
    let mut refs: Vec<(String, String)> = match db {
        Db::Sqlite(p) => sqlx::query_as(
            "SELECT m.name, f.\"from\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table' AND f.\"table\" = $1",
        )
        .bind(table)
        .fetch_all(p)
        .await
        .expect("schema"),
        Db::Postgres(p) => sqlx::query_as(
            "SELECT cl.relname::text, a.attname::text FROM pg_constraint c \
             JOIN pg_class cl ON cl.oid = c.conrelid \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) \
             WHERE c.contype = 'f' AND c.confrelid = $1::regclass",
        )
        .bind(table)
        .fetch_all(p)
        .await
        .expect("schema"),
    };
    refs.sort();
    refs
}

/// A user's current version (what an administrator's page would have read).
pub async fn user_version(db: &Db, id: i64) -> i64 {
    app::admin::store::list_users(db).await.expect("users").into_iter().find(|u| u.id == id).expect("user").version
}

/// The next server-sent event of a stream (keep-alive comments skipped); `None` when the stream ended.
/// Panics after 5 s without one.
pub async fn next_event(
    stream: &mut (impl futures_util::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Unpin),
) -> Option<String> {
    use futures_util::StreamExt;
    loop {
        let frame =
            tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await.expect("within 5 s")?;
        let text = String::from_utf8_lossy(&frame.expect("chunk")).into_owned();
        if !text.starts_with(':') {
            return Some(text);
        }
    }
}

/// Changes a user as an administrator would, at their current version.
pub async fn set_user(
    db: &Db,
    id: i64,
    role: Role,
    team_id: Option<i64>,
    active: bool,
    phone_ext: Option<&str>,
) -> Result<(), app::core::AppError> {
    let version = user_version(db, id).await;
    app::admin::store::update_user(db, &app::admin::store::UserChange { id, version, role, team_id, active, phone_ext })
        .await
}

//! `karvon`: serve the app, create the administrator, fill demo data.

use std::net::SocketAddr;

use app::core::db::Db;
use server::{AppState, Config, leptos_options, router};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  karvon [serve]                                  start the server (see README for configuration)
  karvon admin create --email E --password P [--name N]
  karvon admin set-password --email E [--temporary]
                                                  new password from standard input; ends the user's
                                                  sessions and revokes their API tokens; --temporary:
                                                  the user must choose their own at the next sign-in
  karvon seed-demo --customers N [--deals D] [--seed S]   (D defaults to N / 4)
  karvon seed-demo --movements M [--products P] [--warehouses W] [--customers N …]
                                                  also a stocked company: P products (50,000), W warehouses
                                                  (20) and M posted movements in 100-line documents
  karvon migrate                                  apply migrations and exit
  karvon compress-site                            write .br and .gz copies of the built site's files
  karvon backup FILE                              a consistent copy of the database, taken while it is in use
  karvon restore FILE                             bring a backup back (stop the servers first)";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn fail(msg: &str) -> ! {
    eprintln!("karvon: {msg}");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::load().unwrap_or_else(|e| fail(&e));
    init_tracing(&config);
    let command: Vec<&str> = args.iter().take(2).map(String::as_str).collect();
    match command.as_slice() {
        [] | ["serve", ..] => serve(config).await,
        ["admin", "create", ..] => {
            let db = open(&config).await;
            let email = flag(&args, "--email").unwrap_or_else(|| fail(USAGE));
            let password = flag(&args, "--password").unwrap_or_else(|| fail(USAGE));
            let name = flag(&args, "--name").unwrap_or_else(|| "Administrator".into());
            match server::admin::create_admin(&db, &name, &email, &password).await {
                Ok(id) => println!("administrator {email} created (id {id})"),
                Err(e) => fail(&format!("{}: {:?}", e.message(app::core::Lang::En), e)),
            }
        }
        ["admin", "set-password", ..] => {
            let email = flag(&args, "--email").unwrap_or_else(|| fail(USAGE));
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprint!("new password for {email} (it is shown as you type; then Enter): ");
            }
            let password = server::admin::password_from(&mut std::io::stdin().lock())
                .unwrap_or_else(|e| fail(&format!("cannot read the password from standard input: {e}")));
            let db = open(&config).await;
            match server::admin::set_password(&db, &email, &password, args.iter().any(|a| a == "--temporary")).await {
                Ok(id) => println!("password of {email} (id {id}) set; their sessions ended and API tokens revoked"),
                Err(app::core::AppError::NotFound) => fail(&format!("no user with the e-mail {email}")),
                Err(e) => fail(&format!("{}: {:?}", e.message(app::core::Lang::En), e)),
            }
        }
        ["seed-demo", ..] => {
            let db = open(&config).await;
            let movements: Option<usize> = flag(&args, "--movements").and_then(|v| v.parse().ok());
            let n: u64 = flag(&args, "--customers")
                .and_then(|v| v.parse().ok())
                .or(movements.map(|_| 0))
                .unwrap_or_else(|| fail(USAGE));
            let seed: u64 = flag(&args, "--seed").and_then(|v| v.parse().ok()).unwrap_or(1);
            let started = std::time::Instant::now();
            let deals: usize = flag(&args, "--deals").and_then(|v| v.parse().ok()).unwrap_or(n as usize / 4);
            if let Err(e) = server::seed::seed_customers(&db, n, seed).await {
                fail(&format!("{e:?}"));
            }
            if let Err(e) = server::seed::seed_demo_deals(&db, deals).await {
                fail(&format!("{e:?}"));
            }
            let activity = match server::seed::seed_demo_activity(&db, seed).await {
                Ok(n) => n,
                Err(e) => fail(&format!("{e:?}")),
            };
            if let Some(movements) = movements {
                let products = flag(&args, "--products").and_then(|v| v.parse().ok()).unwrap_or(50_000);
                let warehouses = flag(&args, "--warehouses").and_then(|v| v.parse().ok()).unwrap_or(20);
                let by = match server::seed::demo_staff(&db).await {
                    Ok(staff) => staff[0],
                    Err(e) => fail(&format!("{e:?}")),
                };
                match server::seed_stock::seed_stock(&db, products, warehouses, movements, by, seed).await {
                    Ok(s) => println!(
                        "{} products, {} warehouses, {} posted documents with {} movements",
                        s.products, s.warehouses, s.documents, s.movements
                    ),
                    Err(e) => fail(&format!("{e:?}")),
                }
            }
            println!(
                "{n} demo customers with counterparties and contacts, {deals} deals, {} tasks and {} interactions of the demo staff, in {:.1} s (staff: demo10@karvon.uz … demo23@karvon.uz, password demo-password)",
                activity.0,
                activity.1,
                started.elapsed().as_secs_f64()
            );
        }
        ["backup", file, ..] => {
            let db = open(&config).await;
            match server::backup::backup(&db, &config.database_url, std::path::Path::new(file)).await {
                Ok(done) => println!("{done}"),
                Err(e) => fail(&e),
            }
        }
        ["restore", file, ..] => {
            match server::backup::restore(&config.database_url, std::path::Path::new(file)).await {
                Ok(done) => println!("{done}"),
                Err(e) => fail(&e),
            }
        }
        ["compress-site", ..] => {
            let pkg = std::path::Path::new(&config.site_root).join("pkg");
            match server::site::compress_site(&pkg) {
                Ok(c) => println!(
                    "{} files in {}: {} KB, brotli {} KB, gzip {} KB",
                    c.files,
                    pkg.display(),
                    c.raw / 1024,
                    c.brotli / 1024,
                    c.gzip / 1024
                ),
                Err(e) => fail(&format!("cannot compress {}: {e}", pkg.display())),
            }
        }
        ["migrate", ..] => {
            open(&config).await;
            println!("migrations applied");
        }
        _ => fail(USAGE),
    }
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log).unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log_json { builder.json().init() } else { builder.init() }
}

async fn open(config: &Config) -> Db {
    let db = match Db::connect(&config.db()).await {
        Ok(db) => db,
        Err(e) => fail(&format!("cannot open database {}: {e}", redact(&config.database_url))),
    };
    // Customers stored before duplicate detection existed get their name keys once.
    match app::customers::store::backfill_dup_keys(&db).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(customers = n, "duplicate keys filled in"),
        Err(e) => fail(&format!("cannot fill in duplicate keys: {e}")),
    }
    db
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

async fn serve(config: Config) {
    let started = std::time::Instant::now();
    let db = open(&config).await;
    // Imports whose server stopped are taken over (from their last committed batch), now and while running.
    app::imports::service::set_lease(config.import_lease_seconds as i64 * 1000);
    // The background jobs, stopped before the pool closes (else each would log its closed pool as an error).
    let mut tasks = vec![
        tokio::spawn(app::imports::service::watch(db.clone())),
        // Search documents a crash left stale are rebuilt.
        tokio::spawn(app::customers::search::watch(db.clone())),
        tokio::spawn(app::tasks::reminders::run(db.clone())),
        tokio::spawn(app::core::events::relay(db.clone())),
        tokio::spawn(app::core::idempotency::run(db.clone())),
        tokio::spawn(app::webhooks::deliver::run(db.clone())),
        // The company's time zone for work outside a request (imports, jobs), read again every minute.
        tokio::spawn({
            let db = db.clone();
            async move {
                loop {
                    if let Err(e) = app::core::zone::refresh_company(&db).await {
                        tracing::warn!(error = %e, "company time zone not read");
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                }
            }
        }),
    ];
    if let Some(sms) = config.sms.clone() {
        app::interactions::sms::ENABLED.store(true, std::sync::atomic::Ordering::Relaxed);
        let gateway: std::sync::Arc<dyn app::interactions::sms::SmsGateway> =
            std::sync::Arc::new(app::interactions::sms::Eskiz::new(sms));
        tasks.push(tokio::spawn(app::interactions::sms::run(db.clone(), gateway)));
    }
    app::mail::net::ALLOW_PRIVATE_HOSTS.store(config.mail_allow_private_hosts, std::sync::atomic::Ordering::Relaxed);
    app::webhooks::deliver::ALLOW_PRIVATE_HOSTS
        .store(config.webhook_allow_private_hosts, std::sync::atomic::Ordering::Relaxed);
    // Password links by e-mail are made of the public address (never of a request's Host header).
    app::auth::reset::set_public_url(config.public_url.clone());
    if let Some(file) = &config.mail_ca_file {
        let trusted =
            std::fs::read(file).map_err(|e| e.to_string()).and_then(|pem| app::mail::net::trust_company_ca(&pem));
        match trusted {
            Ok(n) => tracing::info!(file, certificates = n, "mail servers may use the company's certificate authority"),
            Err(e) => fail(&format!("KARVON_MAIL_CA_FILE {file}: {e}")),
        }
    }
    match app::mail::crypto::load_or_create(config.mail_key.as_deref(), &config.mail_key_file) {
        Ok(key) => {
            app::mail::crypto::install(key);
            let every = std::time::Duration::from_secs(config.mail_sync_seconds);
            tasks.push(tokio::spawn(app::mail::sync::run(db.clone(), every)));
        }
        // Mail stays off (connecting a mailbox says why); everything else works.
        Err(e) => tracing::error!(error = %e, "no mail key: mailboxes cannot be connected or synced"),
    }
    let state = AppState {
        db: db.clone(),
        leptos_options: leptos_options(&config),
        trust_proxy: config.trust_proxy,
        proxy_hops: if config.trust_proxy { config.proxy_hops } else { 0 },
        origins: server::security::Origins::new(config.public_url.as_deref(), config.trust_proxy),
        modules: app::core::modules::ModuleCache::new(app::MODULES),
        setup: Default::default(),
        telephony_token: config.telephony_token.clone(),
        sms_callback_secret: config.sms_callback_secret.clone(),
    };
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .unwrap_or_else(|e| fail(&format!("cannot listen on {}: {e}", config.addr)));
    tracing::info!(addr = %config.addr, db = if db.is_postgres() { "postgres" } else { "sqlite" },
        ready_ms = started.elapsed().as_millis() as u64, "Karvon is ready at http://{}", config.addr);
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await;
    if let Err(e) = served {
        tracing::error!(error = %e, "server error");
    }
    // Requests have finished; the background jobs stop at their next wait (an import batch's transaction rolls
    // back and resumes at the next start, as after a crash).
    for task in &tasks {
        task.abort();
    }
    // A connection still out belongs to a background task (an import batch, say,
    // whose transaction rolls back and resumes at the next start). Closing waits for it a few seconds, no
    // longer: a stop must not hang (seen once on PostgreSQL after a benchmark).
    if tokio::time::timeout(std::time::Duration::from_secs(5), db.close()).await.is_err() {
        tracing::warn!("database connections still in use after 5 s; stopping anyway");
    }
    tracing::info!("stopped");
}

/// Resolves on SIGTERM or Ctrl-C; axum then lets in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
    // Open event streams would hold the graceful stop forever.
    server::rest::events::close_all();
}

//! `karvon backup` / `karvon restore` on both databases: a backup taken while customers are being written is
//! one consistent moment (every customer with its audit row, nothing half-written), passes the integrity check,
//! and restores to exactly the data it holds.

use app::core::db::{Db, DbConfig};
use app::core::identity::Role;
use app::customers::{NewCustomer, service};

/// A database of its own (the restore needs its URL); removed afterwards by the caller.
async fn fresh(url: &str) -> Db {
    Db::connect(&DbConfig { url: url.to_string(), max_connections: 4 }).await.unwrap()
}

/// Customers and the audit rows of their creation: equal in any consistent state.
async fn census(db: &Db) -> (i64, i64, Vec<(i64, String)>) {
    app::db_run!(db, p => async {
        let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(p).await?;
        let created: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND action = 'created'").fetch_one(p).await?;
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM customers ORDER BY id").fetch_all(p).await?;
        Ok::<_, sqlx::Error>((customers, created, rows))
    }.await)
    .unwrap()
}

async fn backup_while_writing(source_url: &str, restore_url: &str, file: &std::path::Path) {
    let db = fresh(source_url).await;
    let user = app::auth::store::load_user(&db, tests::make_user(&db, "b@k.uz", Role::Manager, None).await)
        .await
        .unwrap()
        .unwrap();
    for i in 0..50 {
        service::create(&db, &user, &NewCustomer { name: format!("Oldin {i}"), ..Default::default() }).await.unwrap();
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, user, stop) = (db.clone(), user.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let c = NewCustomer { name: format!("Davomida {n}"), ..Default::default() };
                service::create(&db, &user, &c).await.unwrap();
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let done = server::backup::backup(&db, source_url, file).await.expect("backup");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(written > 0, "customers were written during the backup");
    assert!(server::backup::backup(&db, source_url, file).await.is_err(), "an existing file is never overwritten");
    let after = census(&db).await;
    db.close().await;

    let restored_msg = server::backup::restore(restore_url, file).await.expect("restore");
    let restored = fresh(restore_url).await;
    let (customers, created, rows) = census(&restored).await;
    assert_eq!(customers, created, "one consistent moment: every customer with its audit row ({done}; {restored_msg})");
    assert!(customers >= 50 && customers < after.0, "{customers} of {} (some written after the backup)", after.0);
    // The restored rows are exactly the source's first ones.
    assert_eq!(rows[..], after.2[..rows.len()]);
    // It works as a database: a new customer goes in after the restored ones.
    let user = app::auth::store::load_user(&restored, user.id).await.unwrap().unwrap();
    let c =
        service::create(&restored, &user, &NewCustomer { name: "Keyin".into(), ..Default::default() }).await.unwrap();
    assert!(c.id > rows.last().unwrap().0);
    restored.close().await;
}

#[tokio::test]
async fn sqlite_backup_and_restore() {
    let dir = std::env::temp_dir().join(format!("karvon_backup_{}_{}", std::process::id(), rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = format!("sqlite://{}", dir.join("live.db").display());
    let target = format!("sqlite://{}", dir.join("restored.db").display());
    std::fs::write(dir.join("restored.db"), b"an older database").unwrap();
    backup_while_writing(&source, &target, &dir.join("karvon.backup")).await;
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("restored.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept");
    assert!(server::backup::restore(&target, &dir.join("nope")).await.is_err());
    std::fs::write(dir.join("garbage"), b"not a database").unwrap();
    assert!(server::backup::restore(&target, &dir.join("garbage")).await.is_err(), "a broken backup is refused");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
#[cfg_attr(not(karvon_postgres), ignore = "PostgreSQL: TEST_POSTGRES_URL is not set")]
async fn postgres_backup_and_restore() {
    let base = tests::postgres_url().expect("TEST_POSTGRES_URL");
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    let tag = format!("{}_{}", std::process::id(), rand::random::<u32>());
    let (live, copy) = (format!("karvon_bk_live_{tag}"), format!("karvon_bk_copy_{tag}"));
    for name in [&live, &copy] {
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    }
    let file = std::env::temp_dir().join(format!("karvon_{tag}.dump"));
    backup_while_writing(&tests::with_database(&base, &live), &tests::with_database(&base, &copy), &file).await;
    let _ = std::fs::remove_file(&file);
    for name in [&live, &copy] {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await.unwrap();
    }
}

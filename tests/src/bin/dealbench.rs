//! Deal benchmarks, in-process, on SQLite and (when `TEST_POSTGRES_URL` is set) PostgreSQL: a pipeline's
//! board with 5,000 open deals (the server's part: the board's queries and their assembly), a move, and
//! the sales funnel over about 1,000,000 stage-history rows (250,000 deals), for everyone and narrowed to
//! one manager. Prints a table. `--deals N` changes the number of deals.

use std::time::Instant;

use app::core::Lang;
use app::core::db::{Db, DbConfig};
use app::core::identity::{CurrentUser, Role};
use app::deals::{DealFilter, DealMove, service};
use tests::benchkit::pct;

struct Row {
    backend: &'static str,
    history: i64,
    seed_s: f64,
    board: (f64, f64),
    board_manager: (f64, f64),
    moves: (f64, f64),
    funnel: (f64, f64),
    funnel_manager: (f64, f64),
}

async fn timed<F, Fut, T>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut ms = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        let _ = f(i).await;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    pct(ms)
}

async fn measure(backend: &'static str, url: &str, deals: usize) -> Row {
    let db = Db::connect(&DbConfig { url: url.into(), max_connections: 4 }).await.expect("database");
    server::seed::seed_customers(&db, 10_000, 7).await.expect("seed");
    let admin_id = tests::make_user(&db, "bench-admin@karvon.uz", Role::Admin, None).await;
    let (managers, customers, stages): (Vec<i64>, Vec<i64>, Vec<i64>) = app::db_run!(&db, p => {
        let m: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE role = 'manager' ORDER BY id").fetch_all(p).await.unwrap();
        let c: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers ORDER BY id").fetch_all(p).await.unwrap();
        let s: Vec<i64> = sqlx::query_scalar("SELECT id FROM pipeline_stages WHERE pipeline_id = 1 ORDER BY position").fetch_all(p).await.unwrap();
        (m, c, s)
    });
    let t = Instant::now();
    let history = server::seed::seed_deals(&db, deals, &managers, &customers, &stages).await.expect("seed deals");
    let seed_s = t.elapsed().as_secs_f64();
    let admin = CurrentUser {
        id: admin_id,
        email: "a@x".into(),
        name: "A".into(),
        role: Role::Admin,
        team_id: None,
        lang: None,
        must_change_password: false,
        time_zone: None,
    };
    let manager = CurrentUser {
        id: managers[0],
        email: "m@x".into(),
        name: "M".into(),
        role: Role::Manager,
        team_id: None,
        lang: None,
        must_change_password: false,
        time_zone: None,
    };
    let board_filter = DealFilter { pipeline_id: Some(1), ..Default::default() };
    let open: i64 = service::board(&db, &admin, Lang::En, &board_filter)
        .await
        .expect("board")
        .columns
        .iter()
        .map(|c| c.totals.count)
        .sum();
    assert_eq!(open, 5_000.min(deals as i64), "open deals on the board");
    let board = timed(200, |_| service::board(&db, &admin, Lang::En, &board_filter)).await;
    let board_manager = timed(200, |_| service::board(&db, &manager, Lang::En, &board_filter)).await;
    // Moves of open deals.
    let page = service::list(&db, &admin, &board_filter, None, 100).await.expect("list");
    let cards = page.items;
    let moves = timed(cards.len(), |i| {
        let c = cards[i].clone();
        let at = stages.iter().position(|s| Some(*s) == c.stage_id).unwrap_or(0);
        // To a stage without entry rules: the second from the first, else back to the first.
        let to = stages[if at == 0 { 1 } else { 0 }];
        let (db, admin) = (db.clone(), admin.clone());
        async move {
            service::move_deal(&db, &admin, c.id, &DealMove { stage_id: to, version: c.version }).await.expect("move")
        }
    })
    .await;
    let funnel_filter = DealFilter { pipeline_id: Some(1), ..Default::default() };
    let f = service::funnel(&db, &admin, Lang::En, &funnel_filter).await.expect("funnel");
    assert_eq!(f.total, deals as i64);
    let funnel = timed(20, |_| service::funnel(&db, &admin, Lang::En, &funnel_filter)).await;
    let one = DealFilter { manager_id: Some(managers[0]), ..funnel_filter.clone() };
    let funnel_manager = timed(20, |_| service::funnel(&db, &admin, Lang::En, &one)).await;
    db.close().await;
    Row { backend, history, seed_s, board, board_manager, moves, funnel, funnel_manager }
}

#[tokio::main]
async fn main() {
    let deals = tests::benchkit::arg("--deals", 250_000) as usize;
    let dir = std::env::temp_dir().join(format!("karvon-dealbench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut rows = vec![measure("SQLite", &format!("sqlite://{}", dir.join("bench.db").display()), deals).await];
    if let Some(base) = tests::postgres_url() {
        let name = format!("karvon_dealbench_{}", std::process::id());
        let admin = sqlx::PgPool::connect(&base).await.expect("postgres");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create database");
        rows.push(measure("PostgreSQL", &tests::with_database(&base, &name), deals).await);
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await.ok();
    }
    // `--keep`: leave the SQLite database for a look at its plans (`sqlite3 DIR/bench.db`).
    if std::env::args().any(|a| a == "--keep") {
        println!("SQLite database kept: {}", dir.join("bench.db").display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!("\n{} deals (5,000 open), 10,000 customers; milliseconds, p50 / p99\n", deals);
    println!("| | {} | target |", rows.iter().map(|r| r.backend).collect::<Vec<_>>().join(" | "));
    println!("|---|{}---|", "---|".repeat(rows.len()));
    let line = |label: &str, target: &str, f: &dyn Fn(&Row) -> String| {
        println!("| {label} | {} | {target} |", rows.iter().map(f).collect::<Vec<_>>().join(" | "));
    };
    let pp = |(a, b): (f64, f64)| format!("{a:.1} / {b:.1}");
    line("stage-history rows", "1,000,000", &|r| r.history.to_string());
    line("seeding, s", "", &|r| format!("{:.1}", r.seed_s));
    line("board, administrator (all 5,000)", "p99 < 50", &|r| pp(r.board));
    line("board, one manager", "p99 < 50", &|r| pp(r.board_manager));
    line("move (one stage)", "", &|r| pp(r.moves));
    line("funnel, whole pipeline", "< 500", &|r| pp(r.funnel));
    line("funnel, one manager", "< 500", &|r| pp(r.funnel_manager));
}

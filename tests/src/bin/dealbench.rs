//! Deal benchmarks, in-process, on SQLite and (when `TEST_POSTGRES_URL` is set) PostgreSQL: a pipeline's
//! board with 5,000 open deals (the server's part: the board's queries and their assembly), a move, and
//! the sales funnel over about 1,000,000 stage-history rows (250,000 deals), for everyone and narrowed to
//! one manager. Prints a table. `--deals N` changes the number of deals.

use std::time::Instant;

use app::auth::{CurrentUser, Role};
use app::core::Lang;
use app::core::db::{Db, DbConfig, Rows, V};
use app::deals::{DealFilter, DealMove, service};
use app::insert_rows;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// p50 and p99 of timings in milliseconds.
fn pct(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99))
}

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

/// Deals spread over the last year: the newest 5,000 open across the seven starter stages, the rest won or
/// lost after getting 1 to 7 stages far; every stay is a history row.
async fn seed(db: &Db, deals: usize, managers: &[i64], customers: &[i64], stages: &[i64]) -> i64 {
    let now = app::core::now_millis();
    let year = 365 * 86_400_000i64;
    let mut history = 0i64;
    let first_id: i64 = match db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM deals").fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM deals").fetch_one(p).await.unwrap(),
    };
    let batch = 20_000;
    let mut done = 0;
    while done < deals {
        let n = batch.min(deals - done);
        let mut d = Rows::new(
            db,
            "INSERT INTO deals (id, title, pipeline_id, stage_id, customer_id, manager_id, amount, currency, status, \
             lost_stage_id, loss_reason_id, closed_at, max_position, stage_entered_at, created_by, created_at, updated_at)",
            17,
        );
        let mut h = Rows::new(
            db,
            "INSERT INTO deal_stage_history (deal_id, pipeline_id, stage_id, deal_created_at, entered_at, left_at, moved_by)",
            7,
        );
        for k in 0..n {
            let i = done + k;
            let id = first_id + i as i64;
            let open = i >= deals.saturating_sub(5_000);
            let created = now - year + (year - 86_400_000) * i as i64 / deals as i64;
            let reach = 1 + (i * 7919 % 7) as i64;
            let manager = managers[i % managers.len()];
            let status = if open {
                "open"
            } else if i % 3 == 0 {
                "won"
            } else {
                "lost"
            };
            let day = 86_400_000i64;
            let stage = stages[(reach - 1) as usize];
            let entered_last = created + (reach - 1) * day;
            d.push([
                V::I(id),
                V::S(format!("Deal {i}")),
                V::I(1),
                V::I(stage),
                V::I(customers[i % customers.len()]),
                V::I(manager),
                V::I(((i % 97) as i64 + 1) * 100_000_000),
                V::S(if i % 10 == 0 { "USD".into() } else { "UZS".into() }),
                V::S(status.into()),
                if status == "lost" { V::I(stage) } else { V::NI },
                if status == "lost" { V::I(1 + (i % 5) as i64) } else { V::NI },
                if open { V::NI } else { V::I(entered_last + day) },
                V::I(reach),
                V::I(entered_last),
                V::I(manager),
                V::I(created),
                V::I(entered_last),
            ]);
            for s in 0..reach {
                let entered = created + s * day;
                let left = if s + 1 < reach {
                    V::I(entered + day)
                } else if open {
                    V::NI
                } else {
                    V::I(entered + day)
                };
                h.push([
                    V::I(id),
                    V::I(1),
                    V::I(stages[s as usize]),
                    V::I(created),
                    V::I(entered),
                    left,
                    V::I(manager),
                ]);
                history += 1;
            }
        }
        insert(db, &d, &h).await.expect("insert deals");
        done += n;
    }
    if let Db::Postgres(p) = db {
        sqlx::query("SELECT setval(pg_get_serial_sequence('deals', 'id'), (SELECT MAX(id) FROM deals))")
            .execute(p)
            .await
            .unwrap();
        sqlx::query("ANALYZE").execute(p).await.unwrap();
    } else if let Db::Sqlite(p) = db {
        sqlx::query("ANALYZE").execute(p).await.unwrap();
    }
    history
}

/// One batch of deals and their history in one transaction.
async fn insert(db: &Db, d: &Rows, h: &Rows) -> Result<(), sqlx::Error> {
    app::db_run!(db, p => {
        let mut tx = p.begin().await?;
        insert_rows!(tx, *d);
        insert_rows!(tx, *h);
        tx.commit().await
    })
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
    let history = seed(&db, deals, &managers, &customers, &stages).await;
    let seed_s = t.elapsed().as_secs_f64();
    let admin = CurrentUser {
        id: admin_id,
        email: "a@x".into(),
        name: "A".into(),
        role: Role::Admin,
        team_id: None,
        lang: None,
    };
    let manager = CurrentUser {
        id: managers[0],
        email: "m@x".into(),
        name: "M".into(),
        role: Role::Manager,
        team_id: None,
        lang: None,
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
    let deals = arg("--deals", 250_000);
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
    let _ = std::fs::remove_dir_all(&dir);
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

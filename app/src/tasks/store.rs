//! SQL for tasks, "My day", reminders and notifications, on both databases.

use super::{MyDay, Notification, Task, TaskPage, TaskValues};
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::Scope;
use crate::core::{AppError, ErrCode, Millis, now_millis};
use crate::customers::store::{Arg, ChangedSince, bind_args, push_cond};
use crate::db_run;

const SELECT: &str = "SELECT t.id, t.title, t.notes, t.due_at, t.assignee_id, u.name AS assignee_name, t.customer_id, \
    c.name AS customer_name, t.contact_id, ct.name AS contact_name, t.deal_id, t.remind_at, t.reminded_at, t.done_at, \
    t.created_by, t.created_at, t.updated_at, t.version, t.archived_at \
    FROM tasks t JOIN users u ON u.id = t.assignee_id LEFT JOIN customers c ON c.id = t.customer_id \
    LEFT JOIN contacts ct ON ct.id = t.contact_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    notes: Option<String>,
    due_at: i64,
    assignee_id: i64,
    assignee_name: String,
    customer_id: Option<i64>,
    customer_name: Option<String>,
    contact_id: Option<i64>,
    contact_name: Option<String>,
    deal_id: Option<i64>,
    remind_at: Option<i64>,
    reminded_at: Option<i64>,
    done_at: Option<i64>,
    created_by: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
}

impl From<Row> for Task {
    fn from(r: Row) -> Task {
        Task {
            id: r.id,
            title: r.title,
            notes: r.notes,
            due_at: r.due_at,
            assignee_id: r.assignee_id,
            assignee_name: r.assignee_name,
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            contact_id: r.contact_id,
            contact_name: r.contact_name,
            deal_id: r.deal_id,
            remind_at: r.remind_at,
            reminded_at: r.reminded_at,
            done_at: r.done_at,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
            archived_at: r.archived_at,
        }
    }
}

/// Appends the condition that limits tasks to `scope`: one's own (assigned or made), the team's, or all.
pub fn scope_sql(scope: Scope, sql: &mut String, args: &mut Vec<Arg>) {
    match scope {
        Scope::All => {}
        Scope::Own { user_id } => {
            args.push(Arg::I(user_id));
            let n = args.len();
            sql.push_str(&format!(" AND (t.assignee_id = ${n} OR t.created_by = ${n})"));
        }
        Scope::Team { team_id, user_id } => {
            args.push(Arg::I(user_id));
            args.push(Arg::I(team_id));
            let (a, b) = (args.len() - 1, args.len());
            sql.push_str(&format!(
                " AND (t.assignee_id = ${a} OR t.created_by = ${a} OR t.assignee_id IN (SELECT id FROM users WHERE team_id = ${b}))"
            ));
        }
    }
}

/// One task, or `NotFound`. The caller checks access.
pub async fn get(db: &Db, id: i64) -> Result<Task, AppError> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    let row: Option<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    row.map(Task::from).ok_or(AppError::NotFound)
}

/// Creates a task; returns its id.
pub async fn create(
    db: &Db,
    created_by: i64,
    assignee_id: i64,
    customer_id: Option<i64>,
    contact_id: Option<i64>,
    deal_id: Option<i64>,
    v: &TaskValues,
) -> Result<i64, AppError> {
    let sql = "INSERT INTO tasks (title, notes, due_at, assignee_id, customer_id, contact_id, remind_at, created_by, \
               created_at, updated_at, deal_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id";
    let id: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(&v.title).bind(&v.notes).bind(v.due_at)
        .bind(assignee_id).bind(customer_id).bind(contact_id).bind(v.remind_at).bind(created_by).bind(now_millis())
        .bind(deal_id)
        .fetch_one(p).await)?;
    Ok(id)
}

/// Saves a task if `version` is current (`Conflict` otherwise). A moved reminder may fire again.
pub async fn update(
    db: &Db,
    current: &Task,
    version: i64,
    assignee_id: i64,
    v: &TaskValues,
    done_at: Option<Millis>,
) -> Result<(), AppError> {
    let reminded_at = if v.remind_at == current.remind_at { current.reminded_at } else { None };
    let sql = "UPDATE tasks SET title = $1, notes = $2, due_at = $3, assignee_id = $4, remind_at = $5, \
               reminded_at = $6, done_at = $7, updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10";
    let n = db_run!(db, p => sqlx::query(sql).bind(&v.title).bind(&v.notes).bind(v.due_at).bind(assignee_id)
        .bind(v.remind_at).bind(reminded_at).bind(done_at).bind(now_millis()).bind(current.id).bind(version)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if n == 1 { Ok(()) } else { Err(AppError::Conflict) }
}

/// `user_id`'s open tasks: overdue (before `now`), the rest of today, and later; each capped at
/// [`super::DAY_LIST_LIMIT`], with full counts. Every part is a range of the open-tasks index.
pub async fn my_day(db: &Db, user_id: i64, now: Millis) -> Result<MyDay, AppError> {
    let day_start = crate::core::format::day_start(now);
    let tomorrow = day_start + 86_400_000;
    let part = format!(
        "{SELECT} WHERE t.assignee_id = $1 AND t.done_at IS NULL AND t.archived_at IS NULL AND t.due_at >= $2 AND t.due_at < $3 \
         ORDER BY t.due_at, t.id LIMIT $4"
    );
    let counts = "SELECT COALESCE(SUM(CASE WHEN due_at < $2 THEN 1 ELSE 0 END), 0), \
                  COALESCE(SUM(CASE WHEN due_at >= $2 AND due_at < $3 THEN 1 ELSE 0 END), 0), \
                  COALESCE(SUM(CASE WHEN due_at >= $3 THEN 1 ELSE 0 END), 0) \
                  FROM tasks WHERE assignee_id = $1 AND done_at IS NULL AND archived_at IS NULL";
    let limit = super::DAY_LIST_LIMIT;
    type Parts = (Vec<Row>, Vec<Row>, Vec<Row>, (i64, i64, i64));
    let (overdue, today, upcoming, (o, t, u)): Parts = db_run!(db, p => {
        let overdue = sqlx::query_as(&part).bind(user_id).bind(i64::MIN).bind(now).bind(limit).fetch_all(p).await?;
        let today = sqlx::query_as(&part).bind(user_id).bind(now).bind(tomorrow).bind(limit).fetch_all(p).await?;
        let upcoming = sqlx::query_as(&part).bind(user_id).bind(tomorrow).bind(i64::MAX).bind(limit).fetch_all(p).await?;
        let counts = sqlx::query_as(counts).bind(user_id).bind(now).bind(tomorrow).fetch_one(p).await?;
        Ok::<_, sqlx::Error>((overdue, today, upcoming, counts))
    })?;
    Ok(MyDay {
        overdue: overdue.into_iter().map(Task::from).collect(),
        overdue_count: o,
        today: today.into_iter().map(Task::from).collect(),
        today_count: t,
        upcoming: upcoming.into_iter().map(Task::from).collect(),
        upcoming_count: u,
        user_id,
        day_start,
        now,
    })
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    pub assignee_id: Option<i64>,
    pub customer_id: Option<i64>,
    /// `Some(true)`: done only; `Some(false)`: open only.
    pub done: Option<bool>,
    /// Due from (inclusive), epoch ms.
    pub from: Option<Millis>,
    /// Due before (exclusive), epoch ms.
    pub to: Option<Millis>,
    pub cursor: Option<String>,
    pub limit: i64,
    /// Living tasks (default), archived ones, or both.
    pub archived: crate::core::archive::Archived,
    /// A sync job's read: changed at or after this, oldest change first.
    pub updated_since: Option<Millis>,
}

/// A page of the tasks in `scope`, by due time (keyset on `(due_at, id)`).
pub async fn list(db: &Db, scope: Scope, q: &TaskQuery) -> Result<TaskPage, AppError> {
    let limit = q.limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    sql.push_str(&q.archived.sql("t"));
    let mut args: Vec<Arg> = Vec::new();
    scope_sql(scope, &mut sql, &mut args);
    if let Some(a) = q.assignee_id {
        push_cond(&mut sql, &mut args, " AND t.assignee_id = #", Arg::I(a));
    }
    if let Some(c) = q.customer_id {
        push_cond(&mut sql, &mut args, " AND t.customer_id = #", Arg::I(c));
    }
    match q.done {
        Some(true) => sql.push_str(" AND t.done_at IS NOT NULL"),
        Some(false) => sql.push_str(" AND t.done_at IS NULL"),
        None => {}
    }
    if let Some(f) = q.from {
        push_cond(&mut sql, &mut args, " AND t.due_at >= #", Arg::I(f));
    }
    if let Some(to) = q.to {
        push_cond(&mut sql, &mut args, " AND t.due_at < #", Arg::I(to));
    }
    let changed = match q.updated_since {
        Some(since) => Some(ChangedSince::new(since, q.cursor.as_deref())?),
        None => None,
    };
    if let Some(changed) = &changed {
        changed.push("t", &mut sql, &mut args);
    } else if let Some(c) = q.cursor.as_deref().filter(|c| !c.is_empty()) {
        let (at, id) = crate::interactions::store::parse_position(c)
            .ok_or_else(|| AppError::field("cursor", ErrCode::InvalidChoice))?;
        args.push(Arg::I(at));
        args.push(Arg::I(id));
        let (a, b) = (args.len() - 1, args.len());
        sql.push_str(&format!(" AND (t.due_at, t.id) > (${a}, ${b})"));
    }
    sql.push_str(&match changed {
        Some(_) => ChangedSince::order("t"),
        None => " ORDER BY t.due_at, t.id".to_string(),
    });
    args.push(Arg::I(limit + 1));
    sql.push_str(&format!(" LIMIT ${}", args.len()));
    let rows: Vec<Row> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let mut items: Vec<Task> = rows.into_iter().map(Task::from).collect();
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|t| match changed {
            Some(_) => ChangedSince::cursor(t.updated_at, t.id),
            None => format!("{}_{}", t.due_at, t.id),
        })
    } else {
        None
    };
    Ok(TaskPage { items, next_cursor })
}

/// A reminder that fired: whom it is for and what it says.
#[derive(Debug, Clone)]
pub struct Fired {
    pub user_id: i64,
    pub notification: Notification,
}

/// Claims up to 100 reminders due at `now` and writes their notifications, in one transaction: each
/// reminder fires once, whatever crashes, and several servers on PostgreSQL never claim the same row
/// (`FOR UPDATE SKIP LOCKED`; SQLite has a single writer).
pub async fn claim_due_reminders(db: &Db, now: Millis) -> Result<Vec<Fired>, AppError> {
    let claim_pg = "WITH due AS (SELECT id FROM tasks WHERE remind_at <= $1 AND reminded_at IS NULL AND done_at IS NULL \
                    AND archived_at IS NULL ORDER BY remind_at LIMIT 100 FOR UPDATE SKIP LOCKED) \
                    UPDATE tasks t SET reminded_at = $1 FROM due WHERE t.id = due.id \
                    RETURNING t.id, t.assignee_id, t.title, t.due_at, t.customer_id";
    let claim_sqlite = "UPDATE tasks SET reminded_at = $1 WHERE id IN (SELECT id FROM tasks WHERE remind_at <= $1 \
                        AND reminded_at IS NULL AND done_at IS NULL AND archived_at IS NULL ORDER BY remind_at LIMIT 100) \
                        RETURNING id, assignee_id, title, due_at, customer_id";
    let claim = if db.is_postgres() { claim_pg } else { claim_sqlite };
    let insert = "INSERT INTO notifications (user_id, kind, title, body, link, task_id, created_at) \
                  VALUES ($1, 'reminder', $2, $3, $4, $5, $6) RETURNING id";
    type Claimed = (i64, i64, String, i64, Option<i64>);
    // A cheap read first: an idle server opens no write transaction every second.
    let probe = "SELECT id FROM tasks WHERE remind_at <= $1 AND reminded_at IS NULL AND done_at IS NULL \
                 AND archived_at IS NULL LIMIT 1";
    let any: Option<i64> = db_run!(db, p => sqlx::query_scalar(probe).bind(now).fetch_optional(p).await)?;
    if any.is_none() {
        return Ok(Vec::new());
    }
    let fired: Vec<Fired> = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let claimed: Vec<Claimed> = sqlx::query_as(claim).bind(now).fetch_all(&mut *tx).await?;
        let mut fired = Vec::with_capacity(claimed.len());
        for (task_id, user_id, title, due_at, customer_id) in claimed {
            let body: Option<String> = None;
            let link = Some(match customer_id {
                Some(c) => format!("/customers/{c}"),
                None => "/tasks".to_string(),
            });
            let id: i64 = sqlx::query_scalar(insert).bind(user_id).bind(&title).bind(&body).bind(&link).bind(task_id)
                .bind(now).fetch_one(&mut *tx).await?;
            let notification = super::Notification { id, kind: "reminder".into(), title, body, link, due_at: Some(due_at), created_at: now };
            fired.push(Fired { user_id, notification });
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(fired)
    })?;
    Ok(fired)
}

/// Records a notification for `user_id` (a call ringing, say); returns it.
pub async fn notify(
    db: &Db,
    user_id: i64,
    kind: &str,
    title: &str,
    body: Option<&str>,
    link: Option<&str>,
) -> Result<Notification, AppError> {
    let now = now_millis();
    let sql = "INSERT INTO notifications (user_id, kind, title, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).bind(kind).bind(title).bind(body).bind(link)
        .bind(now).fetch_one(p).await)?;
    Ok(Notification {
        id,
        kind: kind.into(),
        title: title.into(),
        body: body.map(str::to_string),
        link: link.map(str::to_string),
        due_at: None,
        created_at: now,
    })
}

/// `user_id`'s unread notifications after id `after`, oldest first (at most 50, of the last week).
pub async fn unread(db: &Db, user_id: i64, after: i64) -> Result<Vec<Notification>, AppError> {
    let sql = "SELECT n.id, n.kind, n.title, n.body, n.link, t.due_at, n.created_at FROM notifications n \
               LEFT JOIN tasks t ON t.id = n.task_id \
               WHERE n.user_id = $1 AND n.read_at IS NULL AND n.id > $2 AND n.created_at > $3 ORDER BY n.id LIMIT 50";
    let week_ago = now_millis() - 7 * 86_400_000;
    type R = (i64, String, String, Option<String>, Option<String>, Option<i64>, i64);
    let rows: Vec<R> =
        db_run!(db, p => sqlx::query_as(sql).bind(user_id).bind(after).bind(week_ago).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, title, body, link, due_at, created_at)| Notification {
            id,
            kind,
            title,
            body,
            link,
            due_at,
            created_at,
        })
        .collect())
}

/// Marks `user_id`'s notification read (another user's is left alone).
pub async fn mark_read(db: &Db, user_id: i64, id: i64) -> Result<(), AppError> {
    // Marking twice is harmless; somebody else's notification is not found.
    let sql = "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3";
    let n = db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(id).bind(user_id).execute(p).await
        .map(|r| r.rows_affected()))?;
    if n == 1 { Ok(()) } else { Err(AppError::NotFound) }
}

/// The meetings (by author) and tasks (by assignee) of `users` that start in `[from, to)`, by time; at most
/// 2,000 of each.
pub async fn calendar_items(
    db: &Db,
    users: &[i64],
    from: Millis,
    to: Millis,
) -> Result<Vec<super::calendar::CalendarItem>, AppError> {
    use super::calendar::CalendarItem;
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let ids = crate::core::db::placeholders_after(2, users.len());
    let meetings = format!(
        "SELECT i.id, i.occurred_at, i.ends_at, i.duration_secs, i.status, i.place, i.subject, i.body, c.id, c.name, u.name \
         FROM interactions i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.author_id \
         WHERE i.kind = 'meeting' AND i.archived_at IS NULL AND i.occurred_at >= $1 AND i.occurred_at < $2 AND i.author_id IN ({ids}) \
         ORDER BY i.occurred_at LIMIT 2000"
    );
    let tasks = format!(
        "SELECT t.id, t.due_at, t.title, t.notes, t.remind_at, t.done_at, c.id, c.name, u.name \
         FROM tasks t JOIN users u ON u.id = t.assignee_id LEFT JOIN customers c ON c.id = t.customer_id \
         WHERE t.due_at >= $1 AND t.due_at < $2 AND t.archived_at IS NULL AND t.assignee_id IN ({ids}) ORDER BY t.due_at LIMIT 2000"
    );
    type M = (
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        String,
        String,
    );
    type T = (i64, i64, String, Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<String>, String);
    let (m, t): (Vec<M>, Vec<T>) = db_run!(db, p => {
        let mut q1 = sqlx::query_as(&meetings).bind(from).bind(to);
        let mut q2 = sqlx::query_as(&tasks).bind(from).bind(to);
        for u in users {
            q1 = q1.bind(*u);
            q2 = q2.bind(*u);
        }
        Ok::<_, sqlx::Error>((q1.fetch_all(p).await?, q2.fetch_all(p).await?))
    })?;
    let mut items: Vec<CalendarItem> = m
        .into_iter()
        .map(|(id, start, ends_at, duration, status, place, subject, body, cid, cname, uname)| CalendarItem {
            kind: "meeting".into(),
            id,
            title: subject.unwrap_or_default(),
            start,
            end: ends_at.or(duration.filter(|d| *d > 0).map(|d| start + d * 1000)),
            customer_id: Some(cid),
            customer_name: Some(cname),
            user_name: uname,
            status,
            place,
            notes: body,
            remind_at: None,
        })
        .collect();
    items.extend(t.into_iter().map(|(id, due, title, notes, remind_at, done_at, cid, cname, uname)| CalendarItem {
        kind: "task".into(),
        id,
        title,
        start: due,
        end: None,
        customer_id: cid,
        customer_name: cname,
        user_name: uname,
        status: if done_at.is_some() { "done".into() } else { "open".into() },
        place: None,
        notes,
        remind_at,
    }));
    items.sort_by_key(|i| (i.start, i.id));
    Ok(items)
}

/// Gives `user_id` a new calendar feed token (the old one stops working); returns the token.
pub async fn renew_feed(db: &Db, user_id: i64) -> Result<String, AppError> {
    let (token, hash) = crate::auth::store::new_secret("cal_");
    let sql = "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
               ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at";
    db_run!(db, p => sqlx::query(sql).bind(user_id).bind(&hash).bind(now_millis()).execute(p).await.map(|_| ()))?;
    Ok(token)
}

/// Stops `user_id`'s feed.
pub async fn revoke_feed(db: &Db, user_id: i64) -> Result<(), AppError> {
    db_run!(db, p => sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1").bind(user_id).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// Whether `user_id` has a feed, and since when.
pub async fn feed_since(db: &Db, user_id: i64) -> Result<Option<Millis>, AppError> {
    let sql = "SELECT created_at FROM calendar_feeds WHERE user_id = $1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(user_id).fetch_optional(p).await)?)
}

/// The active user whose feed `token` is.
pub async fn feed_user(db: &Db, token: &str) -> Result<Option<i64>, AppError> {
    let sql =
        "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.token_hash = $1 AND u.active";
    let hash = crate::auth::store::hash_secret(token);
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(&hash).fetch_optional(p).await)?)
}

/// A deal's open tasks, soonest first (at most 100). The caller checks access.
pub async fn open_for_deal(db: &Db, deal_id: i64) -> Result<Vec<Task>, AppError> {
    let sql = format!(
        "{SELECT} WHERE t.deal_id = $1 AND t.done_at IS NULL AND t.archived_at IS NULL ORDER BY t.due_at, t.id LIMIT 100"
    );
    let rows: Vec<Row> = db_run!(db, p => sqlx::query_as(&sql).bind(deal_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Task::from).collect())
}

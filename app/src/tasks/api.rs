//! Server functions for tasks and notifications: thin shims over [`super::service`].

// One argument per form field: plain HTML forms post them by name.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{MyDay, Task};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// "My day" and the people whose day the user may look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDayView {
    pub day: MyDay,
    pub people: Vec<(i64, String)>,
}

/// The user's day, or (`of`) a colleague's in their scope.
#[server(prefix = "/rpc", endpoint = "tasks/day")]
pub async fn load_my_day(of: Option<String>) -> Result<MyDayView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let of = match of.filter(|s| !s.is_empty()) {
            Some(s) => Some(s.parse().map_err(|_| AppError::field("of", crate::core::ErrCode::InvalidChoice))?),
            None => None,
        };
        let day = super::service::my_day(&db, user, of).await?;
        let people = crate::admin::store::staff(&db, user.scope()).await?;
        Ok(MyDayView { day, people })
    };
    run.await.inspect_err(set_status)
}

/// Creates a task from a form: `due` is a company-local `YYYY-MM-DDTHH:MM`, `remind` minutes before it
/// (empty: no reminder).
#[server(prefix = "/rpc", endpoint = "tasks/create")]
pub async fn create_task(
    title: String,
    due: String,
    remind: Option<String>,
    assignee_id: Option<String>,
    customer_id: Option<i64>,
    contact_id: Option<String>,
    notes: Option<String>,
    deal_id: Option<String>,
) -> Result<Task, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let (due_at, minutes) = form_times(&due, remind)?;
        let input = super::NewTask {
            title,
            notes,
            due_at,
            assignee_id: form_id("assignee_id", assignee_id)?,
            customer_id,
            contact_id: form_id("contact_id", contact_id)?,
            deal_id: form_id("deal_id", deal_id)?,
            remind_at: minutes.map(|m| due_at - m * 60_000),
        };
        super::service::create(&db, ctx.user()?, &input)
            .await
            .map_err(|e| e.renamed(&[("due_at", "due"), ("remind_at", "remind")]))
    };
    run.await.inspect_err(set_status)
}

/// A form's due time (`due`, company time) and reminder choice (minutes before it; empty: none).
#[cfg(feature = "ssr")]
fn form_times(due: &str, remind: Option<String>) -> Result<(crate::core::Millis, Option<i64>), AppError> {
    use crate::core::ErrCode;
    let due_at = match crate::core::format::parse_date_time(due) {
        Some(d) => d,
        None if due.trim().is_empty() => return Err(AppError::field("due", ErrCode::Required)),
        None => return Err(AppError::field("due", ErrCode::InvalidDate)),
    };
    let minutes = remind.filter(|r| !r.is_empty()).map(|r| r.parse::<i64>()).transpose();
    let minutes = minutes.map_err(|_| AppError::field("remind", ErrCode::InvalidChoice))?;
    if minutes.is_some_and(|m| !(0..=10_080).contains(&m)) {
        return Err(AppError::field("remind", ErrCode::InvalidChoice));
    }
    Ok((due_at, minutes))
}

/// A form's optional id choice (empty: none).
#[cfg(feature = "ssr")]
fn form_id(field: &str, v: Option<String>) -> Result<Option<i64>, AppError> {
    match v.filter(|s| !s.is_empty()) {
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| AppError::field(field, crate::core::ErrCode::InvalidChoice)),
        None => Ok(None),
    }
}

/// Saves a task's edit form: title, due time, reminder, assignee (moved to a colleague), notes.
#[server(prefix = "/rpc", endpoint = "tasks/update")]
pub async fn update_task(
    id: i64,
    version: i64,
    title: String,
    due: String,
    remind: Option<String>,
    assignee_id: Option<String>,
    notes: Option<String>,
) -> Result<Task, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let (due_at, minutes) = form_times(&due, remind)?;
        let patch = super::TaskPatch {
            version,
            title: Some(title),
            notes: Some(notes.unwrap_or_default()),
            due_at: Some(due_at),
            assignee_id: form_id("assignee_id", assignee_id)?,
            // No choice clears the reminder (0 in a patch).
            remind_at: Some(minutes.map_or(0, |m| due_at - m * 60_000)),
            done: None,
        };
        super::service::update(&db, ctx.user()?, id, &patch)
            .await
            .map_err(|e| e.renamed(&[("due_at", "due"), ("remind_at", "remind")]))
    };
    run.await.inspect_err(set_status)
}

/// Marks a task done (`done` = `true`) or open again.
#[server(prefix = "/rpc", endpoint = "tasks/done")]
pub async fn set_task_done(id: i64, version: i64, done: bool) -> Result<Task, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let patch = super::TaskPatch { version, done: Some(done), ..Default::default() };
        super::service::update(&db, ctx.user()?, id, &patch).await
    };
    run.await.inspect_err(set_status)
}

/// The open tasks about a customer, soonest first (at most 50), with the server's clock.
#[server(prefix = "/rpc", endpoint = "tasks/customer")]
pub async fn customer_tasks(customer_id: i64) -> Result<CustomerTasksView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let q = super::store::TaskQuery {
            customer_id: Some(customer_id),
            done: Some(false),
            limit: 50,
            ..Default::default()
        };
        let user = ctx.user()?;
        let page = super::service::list(&db, user, &q).await?;
        let people = crate::admin::store::staff(&db, user.scope()).await?;
        Ok(CustomerTasksView { now: crate::core::now_millis(), tasks: page.items, people })
    };
    run.await.inspect_err(set_status)
}

/// A customer's open tasks, the server's clock, and who they may be given to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTasksView {
    pub now: crate::core::Millis,
    pub tasks: Vec<Task>,
    pub people: Vec<(i64, String)>,
}

/// A calendar view's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    pub items: Vec<super::calendar::CalendarItem>,
    /// The first day shown (company midnight) and how many.
    pub from: crate::core::Millis,
    pub days: u32,
    /// The people whose calendar the user may open.
    pub people: Vec<(i64, String)>,
    /// When the user's feed link was made, if there is one.
    pub feed_since: Option<crate::core::Millis>,
}

/// The calendar by `view` (`day` or `week`, default week) around `date` (`YYYY-MM-DD`, default today) for
/// `of` (a colleague's id, `team`, or the user).
#[server(prefix = "/rpc", endpoint = "calendar/view")]
pub async fn load_calendar(
    view: Option<String>,
    date: Option<String>,
    of: Option<String>,
) -> Result<CalendarView, AppError> {
    use crate::core::ErrCode;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let at = match date.filter(|d| !d.is_empty()) {
            Some(d) => {
                crate::core::format::parse_date(&d).ok_or_else(|| AppError::field("date", ErrCode::InvalidDate))?
            }
            None => crate::core::now_millis(),
        };
        let (from, days) = match view.as_deref() {
            Some("day") => (crate::core::format::day_start(at), 1),
            None | Some("") | Some("week") => (super::calendar::week_start(at), 7),
            Some(_) => return Err(AppError::field("view", ErrCode::InvalidChoice)),
        };
        let users = super::service::calendar_users(&db, user, of.as_deref()).await?;
        let items = super::store::calendar_items(&db, &users, from, from + i64::from(days) * 86_400_000).await?;
        let people = crate::admin::store::staff(&db, user.scope()).await?;
        let feed_since = super::store::feed_since(&db, user.id).await?;
        Ok(CalendarView { items, from, days, people, feed_since })
    };
    run.await.inspect_err(set_status)
}

/// Makes a new private feed link (the old one stops working); returns its path.
#[server(prefix = "/rpc", endpoint = "calendar/feed")]
pub async fn renew_calendar_feed() -> Result<String, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let token = super::store::renew_feed(&db, ctx.user()?.id).await?;
        Ok(format!("/calendar/feed/{token}"))
    };
    run.await.inspect_err(set_status)
}

/// Stops the user's feed link.
#[server(prefix = "/rpc", endpoint = "calendar/feed-off")]
pub async fn revoke_calendar_feed() -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        super::store::revoke_feed(&db, ctx.user()?.id).await
    };
    run.await.inspect_err(set_status)
}

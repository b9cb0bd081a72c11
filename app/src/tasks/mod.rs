//! Tasks and reminders: what someone has to do by when, optionally about a customer; "My day" lists them.
//! A reminder fires once, at its time, as an in-app (and browser) notification.

pub mod api;
pub mod calendar;
pub mod notifier;
pub mod page_calendar;
pub mod page_day;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::modules::ModuleDef;
use crate::core::{AppError, Checks, ErrCode, Millis, Msg};
use crate::interactions::time_ok;

/// The tasks module (switchable in Settings > Modules).
pub const MODULE: ModuleDef = ModuleDef {
    key: "tasks",
    name: Msg::ModuleTasks,
    paths: &["/tasks", "/calendar", "/api/v1/tasks", "/api/v1/calendar"],
};

/// A task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: i64,
    pub title: String,
    pub notes: Option<String>,
    /// Epoch ms.
    pub due_at: Millis,
    pub assignee_id: i64,
    pub assignee_name: String,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    /// The deal it is about.
    pub deal_id: Option<i64>,
    /// When the reminder fires (epoch ms); `None`: no reminder.
    pub remind_at: Option<Millis>,
    /// When it fired.
    pub reminded_at: Option<Millis>,
    pub done_at: Option<Millis>,
    pub created_by: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
    /// When it was archived (epoch milliseconds).
    #[serde(default)]
    pub archived_at: Option<i64>,
}

/// Input for a new task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewTask {
    pub title: String,
    #[serde(default)]
    pub notes: Option<String>,
    /// Epoch ms.
    pub due_at: Millis,
    /// Defaults to the caller; a sales head may assign to the team, an administrator to anyone.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    #[serde(default)]
    pub customer_id: Option<i64>,
    #[serde(default)]
    pub contact_id: Option<i64>,
    /// A deal of the same customer (the customer may be left out: it is the deal's).
    #[serde(default)]
    pub deal_id: Option<i64>,
    /// Epoch ms; must not be after `due_at`.
    #[serde(default)]
    pub remind_at: Option<Millis>,
}

/// A change to a task; absent fields stay. `remind_at: 0` removes the reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskPatch {
    pub version: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub due_at: Option<Millis>,
    #[serde(default)]
    pub assignee_id: Option<i64>,
    #[serde(default)]
    pub remind_at: Option<Millis>,
    /// `true` marks it done, `false` open again.
    #[serde(default)]
    pub done: Option<bool>,
}

/// Validated task values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskValues {
    pub title: String,
    pub notes: Option<String>,
    pub due_at: Millis,
    pub remind_at: Option<Millis>,
}

/// Checks a task's own fields.
pub fn check(
    title: &str,
    notes: Option<&str>,
    due_at: Millis,
    remind_at: Option<Millis>,
    now: Millis,
) -> Result<TaskValues, AppError> {
    let mut checks = Checks::default();
    let title = checks.text("title", title, 300);
    let notes = checks.opt_text("notes", notes, 5000);
    if !time_ok(due_at, now) {
        checks.fail("due_at", ErrCode::InvalidDate);
    }
    let remind_at = remind_at.filter(|r| *r != 0);
    if let Some(r) = remind_at {
        if !time_ok(r, now) {
            checks.fail("remind_at", ErrCode::InvalidDate);
        } else if r > due_at {
            checks.fail("remind_at", ErrCode::ReminderAfterDue);
        }
    }
    checks.finish()?;
    Ok(TaskValues { title, notes, due_at, remind_at })
}

impl NewTask {
    pub fn validate(&self, now: Millis) -> Result<TaskValues, AppError> {
        check(&self.title, self.notes.as_deref(), self.due_at, self.remind_at, now)
    }
}

impl TaskPatch {
    /// The current values with the patch applied, validated.
    pub fn apply(&self, t: &Task, now: Millis) -> Result<TaskValues, AppError> {
        let title = self.title.clone().unwrap_or_else(|| t.title.clone());
        let notes = self.notes.clone().or_else(|| t.notes.clone());
        let remind_at = match self.remind_at {
            Some(0) => None,
            Some(r) => Some(r),
            None => t.remind_at,
        };
        check(&title, notes.as_deref(), self.due_at.unwrap_or(t.due_at), remind_at, now)
    }
}

/// The reminder choices of the forms: minutes before the due time.
pub const REMIND_CHOICES: [(&str, Option<i64>, Msg); 5] = [
    ("", None, Msg::NoReminder),
    ("0", Some(0), Msg::RemindAtDue),
    ("15", Some(15), Msg::Remind15),
    ("60", Some(60), Msg::Remind60),
    ("1440", Some(1440), Msg::Remind1440),
];

/// "My day": overdue, today's and upcoming open tasks, each list capped, with full counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MyDay {
    pub overdue: Vec<Task>,
    pub overdue_count: i64,
    pub today: Vec<Task>,
    pub today_count: i64,
    pub upcoming: Vec<Task>,
    pub upcoming_count: i64,
    /// Whose day it is.
    pub user_id: i64,
    /// Start of today (company time), epoch ms.
    pub day_start: Millis,
    /// The server's clock when it was read.
    pub now: Millis,
}

/// How many tasks each part of "My day" lists.
pub const DAY_LIST_LIMIT: i64 = 50;

/// A page of tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskPage {
    pub items: Vec<Task>,
    pub next_cursor: Option<String>,
}

/// An in-app notification (a reminder that fired, a call ringing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    /// `reminder` or `call`.
    pub kind: String,
    pub title: String,
    pub body: Option<String>,
    /// Where clicking it leads.
    pub link: Option<String>,
    /// A reminder's task is due then (shown in the reader's language and format).
    #[serde(default)]
    pub due_at: Option<Millis>,
    pub created_at: Millis,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_795_749_900_000;

    #[test]
    fn a_reminder_comes_before_the_due_time() {
        let ok = NewTask {
            title: " Call back ".into(),
            due_at: NOW + 3_600_000,
            remind_at: Some(NOW),
            ..Default::default()
        };
        assert_eq!(ok.validate(NOW).unwrap().title, "Call back");
        let late = NewTask { remind_at: Some(NOW + 7_200_000), ..ok.clone() };
        assert_eq!(late.validate(NOW).unwrap_err().field_codes("remind_at"), vec![ErrCode::ReminderAfterDue]);
        let bad = NewTask { title: "".into(), due_at: 5, ..ok };
        let err = bad.validate(NOW).unwrap_err();
        assert_eq!(err.field_codes("title"), vec![ErrCode::Required]);
        assert_eq!(err.field_codes("due_at"), vec![ErrCode::InvalidDate]);
    }
}

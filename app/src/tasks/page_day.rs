//! `/tasks`: "My day": overdue, today's and upcoming tasks, a form for a new one; a sales head or an
//! administrator may look at a colleague's day.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::Task;
use super::api::{MyDayView, load_my_day};
use super::panel::{NewTaskForm, TaskItem};
use crate::core::Msg;
use crate::core::format::number;
use crate::ui::{ErrorPage, lang, session_info, t};

/// `/tasks?of=<user id>`.
#[component]
pub fn MyDayPage() -> impl IntoView {
    let query = use_query_map();
    let of = move || query.with(|q| q.get("of").filter(|s| !s.is_empty()));
    let changes = RwSignal::new(0u32);
    let day = Resource::new(move || (of(), changes.get()), |(of, _)| load_my_day(of));
    let me = session_info().user.map(|u| u.id).unwrap_or_default();
    view! {
        <div class="page-head">
            <h1>{t(Msg::MyDay)}</h1>
            <div class="actions">
                <super::notifier::AskNotifications />
            </div>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match day.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(MyDayView { day, people }) => {
                        let whose = day.user_id;
                        let chooser = (people.len() > 1).then(|| {
                            let options = people.clone();
                            view! {
                                <form method="get" action="/tasks" class="toolbar day-of" data-test="day-of">
                                    <label for="day-of" class="sr-only">{t(Msg::Assignee)}</label>
                                    <select id="day-of" name="of">
                                        {options.into_iter().map(|(id, name)| view! {
                                            <option value=id selected=id == whose>{name}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button">{t(Msg::Show)}</button>
                                </form>
                            }
                        });
                        view! {
                            {chooser}
                            <div class="grid-2 day">
                                <div>
                                    <Part title=Msg::Overdue count=day.overdue_count tasks=day.overdue changes now=day.now people=people.clone() test="overdue" />
                                    <Part title=Msg::Today count=day.today_count tasks=day.today changes now=day.now people=people.clone() test="today" />
                                    <Part title=Msg::Upcoming count=day.upcoming_count tasks=day.upcoming changes now=day.now people=people.clone() test="upcoming" />
                                </div>
                                <section class="panel" aria-labelledby="nt-h">
                                    <h2 id="nt-h">{t(Msg::NewTask)}</h2>
                                    <NewTaskForm changes people me />
                                </section>
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One part of the day with its full count (the list shows the first few).
#[component]
fn Part(
    title: Msg,
    count: i64,
    tasks: Vec<Task>,
    changes: RwSignal<u32>,
    now: crate::core::Millis,
    people: Vec<(i64, String)>,
    test: &'static str,
) -> impl IntoView {
    let shown = tasks.len() as i64;
    let warn = test == "overdue" && count > 0;
    view! {
        <section class="panel" data-test=format!("day-{test}")>
            <h2>
                {t(title)} " "
                <span class="badge" class:badge-warn=warn data-test="count">{number(lang(), count.into())}</span>
            </h2>
            {if tasks.is_empty() {
                view! { <p class="empty">{t(Msg::NoTasks)}</p> }.into_any()
            } else {
                view! {
                    <ul class="tasks">
                        {tasks.into_iter().map(|task| view! { <TaskItem task changes now people=people.clone() /> }).collect_view()}
                    </ul>
                    {(count > shown).then(|| view! { <p class="muted small">{crate::ui::tn(Msg::AndMore, count - shown)}</p> })}
                }.into_any()
            }}
        </section>
    }
}

//! `/calendar`: meetings and tasks by day or week, for the user, a colleague or the team; and the private
//! iCalendar feed link for calendar apps.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{CalendarView, RenewCalendarFeed, RevokeCalendarFeed, load_calendar};
use super::calendar::CalendarItem;
use crate::core::format::{date, date_input, date_time, time_of_day};
use crate::core::{Millis, Msg};
use crate::interactions::status_msg;
use crate::ui::{ConfirmSubmit, ErrorPage, Submit, lang, t};

const WEEKDAYS: [Msg; 7] = [Msg::WdMon, Msg::WdTue, Msg::WdWed, Msg::WdThu, Msg::WdFri, Msg::WdSat, Msg::WdSun];

/// `/calendar?view=day|week&date=YYYY-MM-DD&of=<user id>|team`.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).filter(|s| !s.is_empty()));
    let renew = ServerAction::<RenewCalendarFeed>::new();
    let revoke = ServerAction::<RevokeCalendarFeed>::new();
    let data = Resource::new(
        move || (param("view"), param("date"), param("of"), renew.version().get(), revoke.version().get()),
        |(view, date, of, _, _)| load_calendar(view, date, of),
    );
    view! {
        <div class="page-head">
            <h1>{t(Msg::Calendar)}</h1>
        </div>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(CalendarView { items, from, days, people, feed_since }) => {
                        let of = param("of");
                        let link = move |view: &str, at: Millis| {
                            let mut href = format!("/calendar?view={view}&date={}", date_input(at));
                            if let Some(o) = &of {
                                href.push_str(&format!("&of={o}"));
                            }
                            href
                        };
                        let view_name = if days == 1 { "day" } else { "week" };
                        let step = i64::from(days) * 86_400_000;
                        let lang = lang();
                        let selected_of = param("of").unwrap_or_default();
                        // Whose item it is matters when several people's calendars are shown.
                        let team = selected_of == "team";
                        let columns = (0..i64::from(days)).map(|d| {
                            let day = from + d * 86_400_000;
                            let mine: Vec<CalendarItem> = items.iter().filter(|i| i.start >= day && i.start < day + 86_400_000).cloned().collect();
                            let weekday = WEEKDAYS[((d + if days == 1 { weekday_of(from) } else { 0 }) % 7) as usize];
                            view! {
                                <section class="cal-day" data-test="cal-day">
                                    <h2 class="cal-day-head">
                                        <a href=link("day", day)>
                                            {t(weekday)}
                                            <span class="muted small">{date(lang, day)}</span>
                                        </a>
                                    </h2>
                                    {if mine.is_empty() {
                                        view! { <p class="muted small">"—"</p> }.into_any()
                                    } else {
                                        view! { <ul class="cal-items">{mine.into_iter().map(|i| view! { <Item i show_user=team /> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                            }
                        }).collect_view();
                        view! {
                            <div class="toolbar cal-nav">
                                <a class="button" href=link(view_name, from - step) data-test="cal-prev">"‹"</a>
                                <a class="button" href=link(view_name, crate::core::format::parse_date(&date_input_now()).unwrap_or(from))>{t(Msg::Today)}</a>
                                <a class="button" href=link(view_name, from + step) data-test="cal-next">"›"</a>
                                <a class="button" class:primary=days == 1 href=link("day", from)>{t(Msg::DayView)}</a>
                                <a class="button" class:primary=days == 7 href=link("week", from) data-test="cal-week">{t(Msg::WeekView)}</a>
                                <form method="get" action="/calendar" class="inline">
                                    <input type="hidden" name="view" value=view_name />
                                    <input type="hidden" name="date" value=date_input(from) />
                                    <label for="cal-of" class="sr-only">{t(Msg::Assignee)}</label>
                                    <select id="cal-of" name="of" data-test="cal-of">
                                        <option value="">{t(Msg::MyCalendar)}</option>
                                        {(people.len() > 1).then(|| view! { <option value="team" selected=selected_of == "team">{t(Msg::WholeTeam)}</option> })}
                                        {people.into_iter().map(|(id, name)| {
                                            let sel = selected_of == id.to_string();
                                            view! { <option value=id selected=sel>{name}</option> }
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button">{t(Msg::Show)}</button>
                                </form>
                            </div>
                            <div class=if days == 1 { "cal cal-1" } else { "cal cal-7" } data-test="calendar">{columns}</div>
                            <Feed since=feed_since renew revoke />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Monday = 0 … Sunday = 6 of a company-local day.
fn weekday_of(day: Millis) -> i64 {
    (day - super::calendar::week_start(day)) / 86_400_000
}

/// Today's `YYYY-MM-DD` on this side's clock (the browser's, or the server's when rendering).
fn date_input_now() -> String {
    #[cfg(feature = "ssr")]
    return date_input(crate::core::now_millis());
    #[cfg(not(feature = "ssr"))]
    date_input(leptos::web_sys::js_sys::Date::now() as Millis)
}

#[component]
fn Item(i: CalendarItem, show_user: bool) -> impl IntoView {
    let finished = i.status == "done" || i.status == "cancelled";
    let kind = if i.kind == "meeting" { t(Msg::IntMeeting) } else { t(Msg::Tasks) };
    let title = if i.title.is_empty() { kind.to_string() } else { i.title.clone() };
    let status = (i.kind == "meeting").then(|| t(status_msg(&i.status)));
    view! {
        <li class=format!("cal-item cal-{}", i.kind) class:finished=finished data-test="cal-item" data-kind=i.kind.clone()>
            <div class="cal-time">
                {time_of_day(i.start)}
                {status.map(|s| view! { <span class="muted">{format!(" · {s}")}</span> })}
            </div>
            <strong>{title}</strong>
            {show_user.then(|| view! { <div class="small muted">{i.user_name.clone()}</div> })}
            {i.customer_id.zip(i.customer_name.clone()).map(|(id, name)| view! { <div class="small"><a href=format!("/customers/{id}")>{name}</a></div> })}
            {i.place.clone().map(|p| view! { <div class="small muted">{p}</div> })}
        </li>
    }
}

/// The private feed link: made, renewed (the old link stops working) or turned off.
#[component]
fn Feed(
    since: Option<Millis>,
    renew: ServerAction<RenewCalendarFeed>,
    revoke: ServerAction<RevokeCalendarFeed>,
) -> impl IntoView {
    let made = move || renew.value().get().and_then(Result::ok);
    let origin = move || {
        #[cfg(feature = "hydrate")]
        return leptos::prelude::window().location().origin().unwrap_or_default();
        #[cfg(not(feature = "hydrate"))]
        String::new()
    };
    view! {
        <section class="panel cal-feed" data-test="cal-feed">
            <h2>{t(Msg::CalendarFeed)}</h2>
            <p class="muted small">{t(Msg::CalendarFeedIntro)}</p>
            {move || made().map(|path| view! {
                <p class="alert alert-ok" role="status">{t(Msg::CalendarFeedCopy)}</p>
                <input class="wide" readonly=true value=format!("{}{path}", origin()) data-test="cal-feed-url" aria-label=t(Msg::CalendarFeed) />
            })}
            {since.map(|at| view! { <p class="small">{format!("{}: {}", t(Msg::CreatedAt), date_time(lang(), at))}</p> })}
            <div class="actions">
                <ActionForm action=renew attr:class="inline">
                    {if since.is_some() {
                        view! {
                            <ConfirmSubmit pending=renew.pending() label=Msg::CalendarFeedRenew
                                question=Msg::CalendarFeedRenewQuestion yes=Msg::YesRenew test="cal-feed-new" />
                        }.into_any()
                    } else {
                        view! { <Submit pending=renew.pending() label=Msg::CalendarFeedMake class="button" test="cal-feed-new" /> }.into_any()
                    }}
                </ActionForm>
                {since.map(|_| view! {
                    <ActionForm action=revoke attr:class="inline">
                        <ConfirmSubmit pending=revoke.pending() label=Msg::CalendarFeedOff question=Msg::CalendarFeedOffQuestion yes=Msg::YesTurnOff test="cal-feed-off" />
                    </ActionForm>
                })}
            </div>
        </section>
    }
}

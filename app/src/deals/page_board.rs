//! `/deals`: a pipeline's kanban board (stages as columns, cards moved with a mouse, by touch with the grip,
//! or with the arrow keys; won and lost zones while dragging), following other users' changes live; with
//! `?view=list`, the same deals as a paged table.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{get_board, get_funnel, list_deals};
use super::{Board, BoardCard, ColumnTotals, DealFilter, DealPage, Funnel, Pipeline, PipelineMode, days_between};
use crate::core::format::{date, date_input, money, number, parse_date};
use crate::core::{AppError, Millis, Msg};
use crate::ui::{ErrorPage, Submit, lang, t};

/// The filter in the page's query string.
fn filter_of(q: &leptos_router::params::ParamsMap) -> DealFilter {
    let id = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let day = |k: &str| q.get(k).and_then(|v| parse_date(&v));
    DealFilter {
        pipeline_id: id("pipeline"),
        manager_id: id("manager"),
        team_id: id("team"),
        source: q.get("source").filter(|s| !s.trim().is_empty()),
        from: day("from"),
        // "To" is inclusive for people: up to the end of that day.
        to: day("to").map(|d| d + 86_400_000),
        status: q.get("status").filter(|s| !s.is_empty()),
        ..Default::default()
    }
}

/// What the page shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Shown {
    Board(Box<Board>),
    List(Box<Board>, DealPage),
    Funnel(Box<Board>, Funnel),
}

/// `/deals?pipeline=&manager=&team=&source=&from=&to=&view=list&status=&cursor=`.
#[component]
pub fn DealsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.get(),
        |q| async move {
            let filter = filter_of(&q);
            let board = get_board(filter.clone()).await?;
            let f = DealFilter { pipeline_id: Some(board.pipeline.id), ..filter };
            match q.get("view").as_deref() {
                Some("list") => {
                    let page = list_deals(f, q.get("cursor")).await?;
                    Ok::<_, AppError>(Shown::List(Box::new(board), page))
                }
                Some("funnel") => {
                    let funnel = get_funnel(f).await?;
                    Ok(Shown::Funnel(Box::new(board), funnel))
                }
                _ => Ok(Shown::Board(Box::new(board))),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                match data.await {
                    Err(err) => view! { <ErrorPage err /> }.into_any(),
                    Ok(Shown::Board(board)) => {
                        let filter = DealFilter { pipeline_id: Some(board.pipeline.id), ..filter_of(&q) };
                        view! {
                            <Head board=(*board).clone() q=q.clone() list=false />
                            <BoardView board=*board filter />
                        }
                            .into_any()
                    }
                    Ok(Shown::List(board, page)) => {
                        view! {
                            <Head board=(*board).clone() q=q.clone() list=true />
                            <ListView board=*board page q />
                        }
                            .into_any()
                    }
                    Ok(Shown::Funnel(board, funnel)) => {
                        view! {
                            <Head board=(*board).clone() q=q.clone() list=false />
                            <super::page_funnel::FunnelView funnel q />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Title, pipeline switch, filters and the board/list switch (a plain GET form: works without scripts).
#[component]
fn Head(board: Board, q: leptos_router::params::ParamsMap, list: bool) -> impl IntoView {
    let get = |k: &str| q.get(k).unwrap_or_default();
    let pid = board.pipeline.id;
    let manager = get("manager");
    let team = get("team");
    let view_value = q.get("view").filter(|v| v == "list" || v == "funnel").unwrap_or_else(|| "board".into());
    let view_value = if list { "list".to_string() } else { view_value };
    view! {
        <div class="page-head">
            <h1>{t(Msg::NavDeals)}</h1>
        </div>
        <form method="get" action="/deals" class="toolbar deal-filters" data-test="deal-filters">
            <label>
                <span>{t(Msg::Pipeline)}</span>
                <select name="pipeline" data-test="filter-pipeline">
                    {board.pipelines.iter().map(|(id, name)| view! {
                        <option value=*id selected=*id == pid>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t(Msg::Manager)}</span>
                <select name="manager" data-test="filter-manager">
                    <option value="">{t(Msg::Everyone)}</option>
                    {board.managers.iter().map(|(id, name)| view! {
                        <option value=*id selected=id.to_string() == manager>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            {(!board.teams.is_empty()).then(|| view! {
                <label>
                    <span>{t(Msg::Team)}</span>
                    <select name="team" data-test="filter-team">
                        <option value="">{t(Msg::Everyone)}</option>
                        {board.teams.iter().map(|(id, name)| view! {
                            <option value=*id selected=id.to_string() == team>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            <label>
                <span>{t(Msg::Source)}</span>
                <input name="source" value=get("source") size="10" data-test="filter-source" />
            </label>
            <label>
                <span>{t(Msg::CreatedFrom)}</span>
                <input type="date" name="from" value=get("from") />
            </label>
            <label>
                <span>{t(Msg::CreatedTo)}</span>
                <input type="date" name="to" value=get("to") />
            </label>
            {list.then(|| {
                let status = get("status");
                view! {
                    <label>
                        <span>{t(Msg::Status)}</span>
                        <select name="status" data-test="filter-status">
                            {[("open", Msg::DealOpen), ("won", Msg::DealWon), ("lost", Msg::DealLost), ("all", Msg::Everything)]
                                .into_iter()
                                .map(|(v, m)| view! { <option value=v selected=status == v>{t(m)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                }
            })}
            <input type="hidden" name="view" value=view_value.clone() />
            <button type="submit" class="button">{t(Msg::Show)}</button>
        </form>
        <nav class="view-switch" aria-label=t(Msg::NavDeals)>
            {[("board", Msg::BoardView), ("list", Msg::ListView), ("funnel", Msg::Funnel)].into_iter().map(|(v, m)| {
                let current = v == view_value;
                view! {
                    <a href=format!("/deals?pipeline={pid}&view={v}") aria-current=current.then_some("page")
                        class="button secondary small" class:primary=current data-test=format!("view-{v}")>{t(m)}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// A column's state on the open board.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Col {
    stage_id: Option<i64>,
    name: String,
    probability: i64,
    totals: ColumnTotals,
    cards: Vec<BoardCard>,
    more: bool,
}

/// Where a dragged card may be dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Stage(i64),
    Won,
    Lost,
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
impl Target {
    fn parse(s: &str) -> Option<Target> {
        match s {
            "won" => Some(Target::Won),
            "lost" => Some(Target::Lost),
            s => s.strip_prefix("stage:").and_then(|id| id.parse().ok()).map(Target::Stage),
        }
    }
}

/// A card being dragged: where the pointer started, how far it went, what is under it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    id: i64,
    x0: f64,
    y0: f64,
    dx: f64,
    dy: f64,
    active: bool,
    over: Option<Target>,
}

fn sums_view(totals: &ColumnTotals) -> impl IntoView + use<> {
    let l = lang();
    totals
        .sums
        .iter()
        .map(|s| {
            view! {
                <span class="col-sum">
                    {money(l, s.amount, &s.currency)}
                    <span class="muted" title=t(Msg::Weighted)>" ≈ " {money(l, s.weighted, &s.currency)}</span>
                </span>
            }
        })
        .collect_view()
}

/// The board itself: columns with their cards, moves, the lost dialog, live updates.
#[component]
fn BoardView(board: Board, filter: DealFilter) -> impl IntoView {
    let pipeline: Pipeline = board.pipeline.clone();
    let now: Millis = board.now;
    let cols = RwSignal::new(
        board
            .columns
            .iter()
            .map(|c| {
                let stage = c.totals.stage_id.and_then(|s| pipeline.stage(s));
                Col {
                    stage_id: c.totals.stage_id,
                    name: stage.map(|s| s.label(lang())).unwrap_or_else(|| t(Msg::DealOpen).to_string()),
                    probability: stage.map_or(0, |s| s.probability),
                    totals: c.totals.clone(),
                    cards: c.cards.clone(),
                    more: c.more,
                }
            })
            .collect::<Vec<_>>(),
    );
    let drag = RwSignal::new(None::<Drag>);
    let notice = RwSignal::new(None::<String>);
    let lost_for = RwSignal::new(None::<i64>);
    let stage_ids: Vec<i64> = cols.get_untracked().iter().filter_map(|c| c.stage_id).collect();
    let staged = pipeline.mode != PipelineMode::None;
    let undo = RwSignal::new(None::<Undo>);
    let ops = Ops { cols, notice, undo, filter: filter.clone(), stage_ids: stage_ids.clone() };
    #[cfg(feature = "hydrate")]
    {
        client::listen(pipeline.id, ops.clone());
        client::track_pointer(drag, ops.clone(), lost_for);
    }
    let col_ops = ops.clone();
    let columns = move || {
        let ops = col_ops.clone();
        cols.get()
            .into_iter()
            .map(|col| {
                let target = col.stage_id.map(|s| format!("stage:{s}")).unwrap_or_default();
                let over = col.stage_id.map(Target::Stage);
                let pct = format!("{}%", col.probability);
                let test = col.stage_id.map(|s| format!("column-{s}")).unwrap_or_else(|| "column-open".into());
                let count = col.totals.count;
                view! {
                    <section class="kanban-col" data-drop=target class:drop-over=move || over.is_some() && drag.get().and_then(|d| d.over) == over
                        data-test=test aria-label=col.name.clone()>
                        <header class="kanban-head">
                            <h2>{col.name.clone()} {staged.then(|| view! { <span class="muted small">" " {pct}</span> })}</h2>
                            <p class="kanban-totals">
                                <span class="badge" data-test="col-count">{number(lang(), count.into())}</span>
                                {sums_view(&col.totals)}
                            </p>
                        </header>
                        <ul class="kanban-cards">
                            {col.cards.into_iter().map(|card| view! { <Card card now drag ops=ops.clone() /> }).collect_view()}
                        </ul>
                        {col.more.then(|| view! {
                            <a class="muted small" href=format!("/deals?pipeline={}&view=list", pipeline.id)>{t(Msg::AllInList)}</a>
                        })}
                    </section>
                }
            })
            .collect_view()
    };
    let reasons = board.loss_reasons.clone();
    let undo_ops = ops.clone();
    view! {
        <p class="sr-only" role="status" aria-live="polite">{move || notice.get()}</p>
        {move || notice.get().map(|n| view! {
            <div class="alert alert-error board-notice" data-test="board-notice">
                {n} " "
                <button type="button" class="link" on:click=move |_| notice.set(None)>{t(Msg::Dismiss)}</button>
            </div>
        })}
        {move || undo.get().map(|u| {
            #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
            let undo_ops = undo_ops.clone();
            view! {
                <div class="alert board-undo" role="status" data-test="board-undo">
                    <span>{u.what.clone()}</span>
                    " "
                    <button type="button" class="button small" data-test="undo-move"
                        on:click=move |_| {
                            #[cfg(feature = "hydrate")]
                            client::undo(undo_ops.clone());
                        }>
                        {t(Msg::UndoAction)}
                    </button>
                    <button type="button" class="link small" on:click=move |_| undo.set(None)>{t(Msg::Dismiss)}</button>
                </div>
            }
        })}
        <p class="muted small board-hint">{t(if staged { Msg::BoardHint } else { Msg::BoardHintNoStages })}</p>
        <div class="kanban" class:dragging=move || drag.get().is_some_and(|d| d.active) data-test="board">
            {columns}
        </div>
        <div class="drop-zones" class:visible=move || drag.get().is_some_and(|d| d.active) aria-hidden="true">
            <div class="drop-zone won" data-drop="won" class:drop-over=move || drag.get().and_then(|d| d.over) == Some(Target::Won)>{t(Msg::DealWon)}</div>
            <div class="drop-zone lost" data-drop="lost" class:drop-over=move || drag.get().and_then(|d| d.over) == Some(Target::Lost)>{t(Msg::DealLost)}</div>
        </div>
        {move || lost_for.get().map(|id| view! { <LostDialog id reasons=reasons.clone() lost_for ops=ops.clone() /> })}
    }
}

/// The board's state and the filter it was opened with, for moves and live updates.
#[derive(Clone)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Ops {
    cols: RwSignal<Vec<Col>>,
    notice: RwSignal<Option<String>>,
    /// The last move or close made here, which can be taken back.
    undo: RwSignal<Option<Undo>>,
    filter: DealFilter,
    stage_ids: Vec<i64>,
}

/// A move or close that "Undo" takes back: the deal, what it became (`what`, shown), and how back.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Undo {
    id: i64,
    what: String,
    /// The stage it came from, or `None`: reopen it (it was won or lost).
    back_to: Option<i64>,
    version: i64,
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
impl Ops {
    /// The name of a stage's column.
    fn stage_name(&self, stage: i64) -> String {
        self.cols
            .with_untracked(|cols| cols.iter().find(|c| c.stage_id == Some(stage)).map(|c| c.name.clone()))
            .unwrap_or_default()
    }

    fn find(&self, id: i64) -> Option<BoardCard> {
        self.cols.with_untracked(|cols| cols.iter().flat_map(|c| c.cards.iter()).find(|c| c.id == id).cloned())
    }

    /// Puts `card` at the top of its stage's column (removing it from wherever it was), or only removes it.
    fn place(&self, id: i64, card: Option<BoardCard>) {
        self.cols.update(|cols| {
            for c in cols.iter_mut() {
                c.cards.retain(|x| x.id != id);
            }
            if let Some(card) = card
                && let Some(col) = cols.iter_mut().find(|c| c.stage_id == card.stage_id || c.stage_id.is_none())
            {
                col.cards.insert(0, card);
            }
        });
    }

    fn set_totals(&self, totals: Vec<ColumnTotals>) {
        self.cols.update(|cols| {
            for c in cols.iter_mut() {
                if let Some(t) = totals.iter().find(|t| t.stage_id == c.stage_id) {
                    c.totals = t.clone();
                }
            }
        });
    }

    /// The neighbouring stage of a card (`step` -1 or +1), for keyboard moves.
    fn neighbour(&self, stage: Option<i64>, step: i64) -> Option<i64> {
        let i = self.stage_ids.iter().position(|s| Some(*s) == stage)? as i64 + step;
        self.stage_ids.get(usize::try_from(i).ok()?).copied()
    }
}

/// The message shown when the server refuses a move or a close: the broken rule, with the field it is about.
pub(crate) fn refusal(err: &AppError) -> String {
    match err {
        AppError::Validation { fields } => fields
            .iter()
            .map(|f| {
                let what = match f.field.as_str() {
                    "amount" => Some(Msg::Amount),
                    "expected_close" => Some(Msg::ExpectedClose),
                    "counterparty_id" => Some(Msg::Counterparty),
                    "contacts" => Some(Msg::Contacts),
                    "interest" => Some(Msg::Interest),
                    "loss_reason_id" => Some(Msg::LossReason),
                    _ => None,
                };
                match what {
                    Some(w) => format!("{}: {}", t(w), t(f.code.msg())),
                    None => t(f.code.msg()).to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Conflict => t(Msg::DealChangedMeanwhile).to_string(),
        e => e.message(lang()),
    }
}

/// One card. The whole card drags with a mouse; on a touch screen the grip does (the rest scrolls).
#[component]
fn Card(card: BoardCard, now: Millis, drag: RwSignal<Option<Drag>>, ops: Ops) -> impl IntoView {
    let id = card.id;
    let days = days_between(card.stage_entered_at, now);
    let overdue = card.next_task_due.is_some_and(|d| d < now);
    let l = lang();
    let start = move |ev: leptos::ev::PointerEvent, grip: bool| {
        if ev.button() != 0 || (ev.pointer_type() != "mouse" && !grip) {
            return;
        }
        drag.set(Some(Drag {
            id,
            x0: ev.client_x() as f64,
            y0: ev.client_y() as f64,
            dx: 0.0,
            dy: 0.0,
            active: false,
            over: None,
        }));
    };
    let stage = card.stage_id;
    let key_ops = ops.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        ev.prevent_default();
        if let Some(to) = key_ops.neighbour(stage, step) {
            #[cfg(feature = "hydrate")]
            client::drop_on(key_ops.clone(), id, Target::Stage(to), true);
            #[cfg(not(feature = "hydrate"))]
            let _ = to;
        }
    };
    let moved = move || {
        drag.get()
            .filter(|d| d.id == id && d.active)
            // Whole pixels: no float printer in the WASM (see deals::page_funnel).
            .map(|d| format!("translate({}px, {}px) rotate(1.5deg)", d.dx.round() as i32, d.dy.round() as i32))
    };
    view! {
        <li class="deal-card" tabindex="0" data-deal=id data-test="deal-card" class:lifted=move || moved().is_some()
            style:transform=moved aria-keyshortcuts="ArrowLeft ArrowRight"
            on:pointerdown=move |ev| start(ev, false) on:keydown=on_key>
            <span class="grip" aria-hidden="true" on:pointerdown=move |ev| { ev.stop_propagation(); start(ev, true) }>"⠿"</span>
            <a class="deal-title" href=format!("/deals/{id}") draggable="false"
                on:click=move |ev| { if drag.get_untracked().is_some_and(|d| d.active) { ev.prevent_default(); } }>
                {card.title.clone()}
            </a>
            <span class="deal-customer">{card.customer_name.clone()}</span>
            <span class="deal-amount" data-test="card-amount">
                {card.amount.map(|a| money(l, a, &card.currency)).unwrap_or_else(|| t(Msg::NoAmount).to_string())}
            </span>
            <span class="deal-meta muted small">
                {card.manager_name.clone()} " · " {format!("{days} {}", t(Msg::DaysShort))}
            </span>
            {card.next_task_title.clone().map(|title| view! {
                <span class="deal-task small" class:overdue=overdue>
                    "☐ " {title} " · " {card.next_task_due.map(|d| date(l, d)).unwrap_or_default()}
                </span>
            })}
        </li>
    }
}

/// Asks why a deal dropped on "Lost" was lost.
#[component]
fn LostDialog(
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))] id: i64,
    reasons: Vec<(i64, String)>,
    lost_for: RwSignal<Option<i64>>,
    ops: Ops,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        #[cfg(feature = "hydrate")]
        client::close_lost(ops.clone(), id, reason.get_untracked(), note.get_untracked(), lost_for, error, busy);
        #[cfg(not(feature = "hydrate"))]
        let _ = &ops;
    };
    view! {
        <div class="dialog-scrim">
            <form class="dialog panel" role="dialog" aria-modal="true" aria-labelledby="lost-h" on:submit=submit data-test="lost-dialog">
                <h2 id="lost-h">{t(Msg::WhyLost)}</h2>
                <div class="field" class:invalid=move || error.get().is_some()>
                    <label for="lost-reason">{t(Msg::LossReason)}</label>
                    <select id="lost-reason" data-test="lost-reason" on:change=move |ev| reason.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {reasons.into_iter().map(|(rid, name)| view! { <option value=rid>{name}</option> }).collect_view()}
                    </select>
                    <p class="field-error" data-test="error-loss_reason_id">{move || error.get()}</p>
                </div>
                <div class="field">
                    <label for="lost-note">{t(Msg::Notes)}</label>
                    <textarea id="lost-note" rows="2" on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <div class="actions">
                    <Submit pending=busy label=Msg::MarkLost class="button" test="lost-submit" />
                    <button type="button" class="button secondary" on:click=move |_| lost_for.set(None)>{t(Msg::Cancel)}</button>
                </div>
            </form>
        </div>
    }
}

/// The list view: the same filter, paged, with status.
#[component]
fn ListView(board: Board, page: DealPage, q: leptos_router::params::ParamsMap) -> impl IntoView {
    let l = lang();
    let stage_name = |s: Option<i64>| s.and_then(|s| board.pipeline.stage(s)).map(|s| s.label(l)).unwrap_or_default();
    let next = page.next_cursor.clone().map(|c| {
        let mut params: Vec<String> =
            q.into_iter().filter(|(k, _)| k != "cursor").map(|(k, v)| format!("{k}={}", urlencode(&v))).collect();
        params.push(format!("cursor={}", urlencode(&c)));
        format!("/deals?{}", params.join("&"))
    });
    view! {
        <table class="table deal-list" data-test="deal-list">
            <thead>
                <tr>
                    <th>{t(Msg::Deal)}</th>
                    <th>{t(Msg::Customer)}</th>
                    <th>{t(Msg::DealStage)}</th>
                    <th class="num">{t(Msg::Amount)}</th>
                    <th>{t(Msg::Manager)}</th>
                    <th>{t(Msg::NextTask)}</th>
                </tr>
            </thead>
            <tbody>
                {page.items.iter().map(|c| view! {
                    <tr>
                        <td><a href=format!("/deals/{}", c.id)>{c.title.clone()}</a></td>
                        <td><a href=format!("/customers/{}", c.customer_id)>{c.customer_name.clone()}</a></td>
                        <td>{stage_name(c.stage_id)}</td>
                        <td class="num">{c.amount.map(|a| money(l, a, &c.currency)).unwrap_or_default()}</td>
                        <td>{c.manager_name.clone()}</td>
                        <td>{c.next_task_title.clone().unwrap_or_default()} " " {c.next_task_due.map(|d| date(l, d)).unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {page.items.is_empty().then(|| view! { <p class="empty">{t(Msg::NoDeals)}</p> })}
        {next.map(|href| view! { <a class="button secondary" href=href data-test="next-page">{t(Msg::Next)}</a> })}
    }
}

fn urlencode(s: &str) -> String {
    crate::customers::page_list::encode(s)
}

/// A date input's value for a day (used by forms on other pages too).
pub fn day_value(at: Option<Millis>) -> String {
    at.map(date_input).unwrap_or_default()
}

#[cfg(feature = "hydrate")]
mod client {
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::web_sys::{EventSource, MessageEvent};

    use super::{Drag, Ops, Target, refusal};
    use crate::deals::DealStatus;
    use crate::deals::api::{close_deal, get_board_update, move_deal};

    /// Follows the pipeline's changes: a card whose version is newer than the one shown is fetched again
    /// (through the reader's scope and the board's filter) with the new totals.
    pub fn listen(pipeline_id: i64, ops: Ops) {
        let Ok(source) = EventSource::new(&format!("/api/v1/pipelines/{pipeline_id}/events")) else { return };
        let on_deal = {
            let ops = ops.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                let Some(text) = ev.data().as_string() else { return };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { return };
                let (Some(id), Some(version)) = (v["deal_id"].as_i64(), v["version"].as_i64()) else { return };
                if ops.find(id).is_some_and(|c| c.version >= version) {
                    return;
                }
                refresh(ops.clone(), id);
            })
        };
        let on_reload = Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
            let _ = window().location().reload();
        });
        let _ = source.add_event_listener_with_callback("deal", on_deal.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("reload", on_reload.as_ref().unchecked_ref());
        on_deal.forget();
        on_reload.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    }

    /// Fetches one card and the totals again.
    fn refresh(ops: Ops, id: i64) {
        spawn_local(async move {
            if let Ok(u) = get_board_update(ops.filter.clone(), id).await {
                ops.place(id, u.card);
                ops.set_totals(u.totals);
            }
        });
    }

    /// Moves with the pointer (mouse, pen, or touch from the grip) are followed on the window.
    pub fn track_pointer(drag: RwSignal<Option<Drag>>, ops: Ops, lost_for: RwSignal<Option<i64>>) {
        let moving = window_event_listener(leptos::ev::pointermove, move |ev| {
            let Some(mut d) = drag.get_untracked() else { return };
            d.dx = ev.client_x() as f64 - d.x0;
            d.dy = ev.client_y() as f64 - d.y0;
            if !d.active && d.dx.hypot(d.dy) > 6.0 {
                d.active = true;
            }
            if d.active {
                ev.prevent_default();
                d.over = document()
                    .element_from_point(ev.client_x() as f32, ev.client_y() as f32)
                    .and_then(|el| el.closest("[data-drop]").ok().flatten())
                    .and_then(|el| el.get_attribute("data-drop"))
                    .and_then(|s| Target::parse(&s));
            }
            drag.set(Some(d));
        });
        let up_ops = ops.clone();
        let up = window_event_listener(leptos::ev::pointerup, move |_| {
            let Some(d) = drag.get_untracked() else { return };
            // The click that follows a drag must not open the deal: clear the drag after it.
            let clear = move || drag.set(None);
            if d.active {
                match d.over {
                    Some(Target::Lost) => lost_for.set(Some(d.id)),
                    Some(target) => drop_on(up_ops.clone(), d.id, target, false),
                    None => {}
                }
                set_timeout(clear, std::time::Duration::from_millis(0));
            } else {
                clear();
            }
        });
        let cancel = window_event_listener(leptos::ev::pointercancel, move |_| drag.set(None));
        on_cleanup(move || {
            moving.remove();
            up.remove();
            cancel.remove();
        });
    }

    /// Drops a card on a stage (shown there at once, put back if the server refuses) or on "won".
    pub fn drop_on(ops: Ops, id: i64, target: Target, refocus: bool) {
        let Some(card) = ops.find(id) else { return };
        let before = ops.cols.get_untracked();
        match target {
            Target::Stage(stage) if Some(stage) == card.stage_id => {}
            Target::Stage(stage) => {
                ops.place(id, Some(crate::deals::BoardCard { stage_id: Some(stage), ..card.clone() }));
                ops.notice.set(None);
                ops.undo.set(None);
                spawn_local(async move {
                    match move_deal(id, stage, card.version).await {
                        Ok(deal) => {
                            ops.undo.set(card.stage_id.map(|from| super::Undo {
                                id,
                                what: format!("{} → {}", card.title, ops.stage_name(stage)),
                                back_to: Some(from),
                                version: deal.version,
                            }));
                            let moved = crate::deals::BoardCard {
                                stage_id: deal.stage_id,
                                stage_entered_at: deal.stage_entered_at,
                                version: deal.version,
                                updated_at: deal.updated_at,
                                ..card
                            };
                            ops.place(id, Some(moved));
                            refresh(ops.clone(), id);
                        }
                        Err(err) => {
                            ops.cols.set(before);
                            ops.notice.set(Some(refusal(&err)));
                            if matches!(err, crate::core::AppError::Conflict) {
                                refresh(ops.clone(), id);
                            }
                        }
                    }
                    if refocus {
                        focus(id);
                    }
                });
            }
            Target::Won => {
                ops.undo.set(None);
                spawn_local(async move {
                    match close_deal(id, card.version, DealStatus::Won.code().into(), None, None, None).await {
                        Ok(deal) => {
                            let what = format!("{} → {}", card.title, crate::ui::t(crate::core::Msg::DealWon));
                            ops.undo.set(Some(super::Undo { id, what, back_to: None, version: deal.version }));
                            refresh(ops.clone(), id)
                        }
                        Err(err) => ops.notice.set(Some(refusal(&err))),
                    }
                });
            }
            Target::Lost => {}
        }
    }

    /// Closes a deal as lost from the dialog.
    pub fn close_lost(
        ops: Ops,
        id: i64,
        reason: String,
        note: String,
        lost_for: RwSignal<Option<i64>>,
        error: RwSignal<Option<String>>,
        busy: RwSignal<bool>,
    ) {
        let Some(card) = ops.find(id) else { return };
        busy.set(true);
        spawn_local(async move {
            let reason = Some(reason).filter(|r| !r.is_empty());
            let note = Some(note).filter(|n| !n.trim().is_empty());
            match close_deal(id, card.version, DealStatus::Lost.code().into(), reason, None, note).await {
                Ok(deal) => {
                    lost_for.set(None);
                    let what = format!("{} → {}", card.title, crate::ui::t(crate::core::Msg::DealLost));
                    ops.undo.set(Some(super::Undo { id, what, back_to: None, version: deal.version }));
                    refresh(ops.clone(), id);
                }
                Err(err) => error.set(Some(refusal(&err))),
            }
            busy.set(false);
        });
    }

    /// Takes the last move or close back: to the stage it came from, or open again.
    pub fn undo(ops: Ops) {
        let Some(u) = ops.undo.get_untracked() else { return };
        ops.undo.set(None);
        spawn_local(async move {
            let result = match u.back_to {
                Some(stage) => move_deal(u.id, stage, u.version).await.map(|_| ()),
                None => close_deal(u.id, u.version, DealStatus::Open.code().into(), None, None, None).await.map(|_| ()),
            };
            match result {
                Ok(()) => refresh(ops.clone(), u.id),
                Err(err) => {
                    ops.notice.set(Some(refusal(&err)));
                    refresh(ops.clone(), u.id);
                }
            }
        });
    }

    fn focus(id: i64) {
        request_animation_frame(move || {
            if let Ok(Some(el)) = document().query_selector(&format!("[data-deal=\"{id}\"]"))
                && let Ok(el) = el.dyn_into::<leptos::web_sys::HtmlElement>()
            {
                let _ = el.focus();
            }
        });
    }
}

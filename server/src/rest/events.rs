//! `GET /api/v1/events`: the signed-in user's live events as server-sent events. On connecting (and on
//! reconnecting with `Last-Event-ID`) the unread notifications come first, so nothing fired while a page
//! was closed or offline is missed.

use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::{broadcast, watch};

use app::auth::store as auth_store;
use app::core::db::Db;
use app::core::events::{self, Event};
use app::core::identity::{CurrentUser, Scope};

use super::{Api, ApiError};
use crate::AppState;
use crate::middleware::Credential;

/// Turned on when the server stops, ending every open stream (a graceful stop waits for open responses).
static CLOSING: LazyLock<watch::Sender<bool>> = LazyLock::new(|| watch::channel(false).0);

/// Ends every open event stream (called when the server begins to stop).
pub fn close_all() {
    CLOSING.send_replace(true);
}

/// How often an open stream checks that its caller may still listen (session or token alive, user active,
/// role and team as they are now): a stream ends within this of sign-out, token revocation or deactivation.
/// The tests shorten it.
pub static RECHECK_MS: AtomicU64 = AtomicU64::new(30_000);

/// Who is listening, and what they may see, as of the last check.
struct Listener {
    db: Db,
    credential: Credential,
    user: CurrentUser,
    /// A sales head's team members (the managers whose deals their scope covers).
    team: HashSet<i64>,
    recheck: tokio::time::Interval,
}

impl Listener {
    async fn new(db: &Db, credential: Option<Credential>, user: &CurrentUser) -> Option<Listener> {
        let every = Duration::from_millis(RECHECK_MS.load(Ordering::Relaxed).max(10));
        let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut listener =
            Listener { db: db.clone(), credential: credential?, user: user.clone(), team: HashSet::new(), recheck };
        listener.load_team().await.then_some(listener)
    }

    async fn load_team(&mut self) -> bool {
        self.team = match self.user.scope() {
            Scope::Team { team_id, .. } => match auth_store::team_member_ids(&self.db, team_id).await {
                Ok(ids) => ids.into_iter().collect(),
                Err(_) => return false,
            },
            _ => HashSet::new(),
        };
        true
    }

    /// Checks the credential again; `false` when the stream must end.
    async fn still_allowed(&mut self) -> bool {
        // A database error ends the stream too: the browser reconnects and is checked afresh.
        match self.credential.user(&self.db).await {
            Ok(Some(user)) if user.id == self.user.id => {
                self.user = user;
                self.load_team().await
            }
            _ => false,
        }
    }

    /// Whether a deal of one of `managers` is within the listener's scope.
    fn sees(&self, managers: &[i64]) -> bool {
        self.sees_in(self.user.scope(), managers)
    }

    /// Whether the listener sees the money of a customer of one of `managers`.
    fn sees_money(&self, managers: &[i64]) -> bool {
        self.user.money_scope().is_some_and(|scope| self.sees_in(scope, managers))
    }

    fn sees_in(&self, scope: Scope, managers: &[i64]) -> bool {
        match scope {
            Scope::All => true,
            Scope::Own { user_id } => managers.contains(&user_id),
            Scope::Team { user_id, .. } => managers.iter().any(|m| *m == user_id || self.team.contains(m)),
        }
    }
}

struct Feed {
    user_id: i64,
    backlog: VecDeque<Event>,
    /// The newest id the backlog had: the same event may also arrive live, and is skipped then.
    sent_up_to: i64,
    rx: broadcast::Receiver<Event>,
    closing: watch::Receiver<bool>,
    listener: Listener,
}

fn sse(e: &Event) -> SseEvent {
    let ev = SseEvent::default().event(&e.name).data(e.data.to_string());
    match e.id {
        Some(id) => ev.id(id.to_string()),
        None => ev,
    }
}

/// The caller's events: `notification` (a reminder or a call), with the notification as JSON.
#[utoipa::path(get, path = "/api/v1/events", tag = "tasks", security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 401, body = super::ErrorBody)))]
pub async fn stream(
    State(state): State<AppState>,
    api: Api,
    credential: Option<axum::Extension<Credential>>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let user = api.user()?;
    let after: i64 =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
    // Subscribe before reading the backlog, so that nothing falls between the two.
    let rx = events::subscribe(&state.db);
    let unread = app::tasks::service::unread(&state.db, user, after).await.map_err(|e| api.err(e))?;
    let backlog = unread
        .into_iter()
        .map(|n| Event {
            user_id: user.id,
            name: "notification".into(),
            id: Some(n.id),
            data: serde_json::to_value(&n).unwrap_or_default(),
        })
        .collect::<VecDeque<Event>>();
    let sent_up_to = backlog.iter().filter_map(|e| e.id).max().unwrap_or(after);
    let listener = Listener::new(&state.db, credential.map(|c| c.0), user)
        .await
        .ok_or_else(|| api.err(app::core::AppError::Unauthenticated))?;
    let feed = Feed { user_id: user.id, backlog, sent_up_to, rx, closing: CLOSING.subscribe(), listener };
    let stream = futures_util::stream::unfold(feed, |mut feed| async move {
        if let Some(e) = feed.backlog.pop_front() {
            return Some((Ok(sse(&e)), feed));
        }
        loop {
            if *feed.closing.borrow() {
                return None;
            }
            tokio::select! {
                _ = feed.closing.changed() => return None,
                _ = feed.listener.recheck.tick() => {
                    if !feed.listener.still_allowed().await {
                        return None;
                    }
                }
                got = feed.rx.recv() => match got {
                    Ok(e) if e.user_id == feed.user_id && e.id.is_none_or(|id| id > feed.sent_up_to) => {
                        return Some((Ok(sse(&e)), feed));
                    }
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// A stream of the events sent to no one user (`user_id` 0) that `pass` lets through as it finds them, for as
/// long as the listener may listen; a stream that lagged behind gets a `reload` event.
fn broadcast_feed<P>(db: &Db, listener: Listener, pass: P) -> impl Stream<Item = Result<SseEvent, Infallible>> + use<P>
where
    P: Fn(&Event, &Listener) -> Option<SseEvent> + Send + Sync + 'static,
{
    let feed = (events::subscribe(db), CLOSING.subscribe(), listener);
    let pass = std::sync::Arc::new(pass);
    futures_util::stream::unfold(feed, move |(mut rx, mut closing, mut listener)| {
        let pass = pass.clone();
        async move {
            loop {
                if *closing.borrow() {
                    return None;
                }
                tokio::select! {
                    _ = closing.changed() => return None,
                    _ = listener.recheck.tick() => {
                        if !listener.still_allowed().await {
                            return None;
                        }
                    }
                    got = rx.recv() => match got {
                        Ok(e) if e.user_id == 0 => {
                            if let Some(ev) = pass(&e, &listener) {
                                return Some((Ok(ev), (rx, closing, listener)));
                            }
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            return Some((Ok(SseEvent::default().event("reload").data("{}")), (rx, closing, listener)));
                        }
                        Ok(_) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                }
            }
        }
    })
}

/// A pipeline's live changes for its open boards: a `deal` event (`{"deal_id", "version"}`) whenever one of
/// its deals is created, changed, moved or closed, on whichever app server. It carries no deal data: the
/// board asks for the card, through the reader's scope.
#[utoipa::path(get, path = "/api/v1/pipelines/{id}/events", tag = "deals", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 401, body = super::ErrorBody)))]
pub async fn board_stream(
    State(state): State<AppState>,
    api: Api,
    credential: Option<axum::Extension<Credential>>,
    axum::extract::Path(pipeline_id): axum::extract::Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let user = api.user()?;
    let listener = Listener::new(&state.db, credential.map(|c| c.0), user)
        .await
        .ok_or_else(|| api.err(app::core::AppError::Unauthenticated))?;
    let stream = broadcast_feed(&state.db, listener, move |e, listener| {
        if e.name != app::deals::service::EVENT || e.data["pipeline_id"].as_i64() != Some(pipeline_id) {
            return None;
        }
        let managers: Vec<i64> =
            e.data["managers"].as_array().map(|a| a.iter().filter_map(|m| m.as_i64()).collect()).unwrap_or_default();
        if !listener.sees(&managers) {
            return None;
        }
        let data = serde_json::json!({"deal_id": e.data["deal_id"], "version": e.data["version"]});
        Some(SseEvent::default().event(&e.name).data(data.to_string()))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Stock stream parameters.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockStreamParams {
    /// Only documents from or to this warehouse.
    pub warehouse_id: Option<i64>,
}

/// Live stock changes for open dashboards and stock lists: a `stock` event (`{"document_id", "number",
/// "status", "warehouses", "products"}`) whenever a document is posted, received or cancelled, on whichever
/// app server. Everyone signed in sees stock.
#[utoipa::path(get, path = "/api/v1/stock/events", tag = "stock", params(StockStreamParams), security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 401, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn stock_stream(
    State(state): State<AppState>,
    api: Api,
    credential: Option<axum::Extension<Credential>>,
    super::ApiQuery(p): super::ApiQuery<StockStreamParams>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let user = api.user()?;
    let listener = Listener::new(&state.db, credential.map(|c| c.0), user)
        .await
        .ok_or_else(|| api.err(app::core::AppError::Unauthenticated))?;
    let only = p.warehouse_id;
    let stream = broadcast_feed(&state.db, listener, move |e, _| {
        let mine = only
            .is_none_or(|w| e.data["warehouses"].as_array().is_some_and(|a| a.iter().any(|x| x.as_i64() == Some(w))));
        (e.name == app::stock::service::EVENT && mine)
            .then(|| SseEvent::default().event(&e.name).data(e.data.to_string()))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Live money changes for open receivables, payment and invoice pages and customer cards: a `money` event
/// (`{"customer_id"}`; `null` for a payment to no customer) whenever a payment is posted, allocated or
/// reversed or an invoice issued or cancelled, on whichever app server, for the readers who see that
/// customer's money. It carries no sums: the page reads them again through the reader's scope.
#[utoipa::path(get, path = "/api/v1/money/events", tag = "payments", security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody)))]
pub async fn money_stream(
    State(state): State<AppState>,
    api: Api,
    credential: Option<axum::Extension<Credential>>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let user = api.user()?;
    if user.money_scope().is_none() {
        return Err(api.err(app::core::AppError::Forbidden));
    }
    let listener = Listener::new(&state.db, credential.map(|c| c.0), user)
        .await
        .ok_or_else(|| api.err(app::core::AppError::Unauthenticated))?;
    let stream = broadcast_feed(&state.db, listener, move |e, listener| {
        if e.name != app::payments::EVENT && e.name != app::invoices::EVENT {
            return None;
        }
        let manager = e.data["manager_id"].as_i64();
        let seen = match manager {
            Some(m) => listener.sees_money(&[m]),
            None => listener.user.money_scope() == Some(Scope::All),
        };
        seen.then(|| {
            let data = serde_json::json!({"customer_id": e.data["customer_id"]});
            SseEvent::default().event("money").data(data.to_string())
        })
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

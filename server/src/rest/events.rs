//! `GET /api/v1/events`: the signed-in user's live events as server-sent events. On connecting (and on
//! reconnecting with `Last-Event-ID`) the unread notifications come first, so nothing fired while a page
//! was closed or offline is missed.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::LazyLock;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::{broadcast, watch};

use app::core::events::{self, Event};

use super::{Api, ApiError};
use crate::AppState;

/// Turned on when the server stops, ending every open stream (a graceful stop waits for open responses).
static CLOSING: LazyLock<watch::Sender<bool>> = LazyLock::new(|| watch::channel(false).0);

/// Ends every open event stream (called when the server begins to stop).
pub fn close_all() {
    CLOSING.send_replace(true);
}

struct Feed {
    user_id: i64,
    backlog: VecDeque<Event>,
    /// The newest id the backlog had: the same event may also arrive live, and is skipped then.
    sent_up_to: i64,
    rx: broadcast::Receiver<Event>,
    closing: watch::Receiver<bool>,
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
    let feed = Feed { user_id: user.id, backlog, sent_up_to, rx, closing: CLOSING.subscribe() };
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

/// A pipeline's live changes for its open boards: a `deal` event (`{"deal_id", "version"}`) whenever one of
/// its deals is created, changed, moved or closed, on whichever app server. It carries no deal data: the
/// board asks for the card, through the reader's scope.
#[utoipa::path(get, path = "/api/v1/pipelines/{id}/events", tag = "deals", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 401, body = super::ErrorBody)))]
pub async fn board_stream(
    State(state): State<AppState>,
    api: Api,
    axum::extract::Path(pipeline_id): axum::extract::Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    api.user()?;
    let feed = (events::subscribe(&state.db), CLOSING.subscribe());
    let stream = futures_util::stream::unfold(feed, move |(mut rx, mut closing)| async move {
        loop {
            if *closing.borrow() {
                return None;
            }
            tokio::select! {
                _ = closing.changed() => return None,
                got = rx.recv() => match got {
                    Ok(e) if e.user_id == 0 && e.name == app::deals::service::EVENT
                        && e.data["pipeline_id"].as_i64() == Some(pipeline_id) => {
                        let data = serde_json::json!({"deal_id": e.data["deal_id"], "version": e.data["version"]});
                        let ev = SseEvent::default().event(&e.name).data(data.to_string());
                        return Some((Ok(ev), (rx, closing)));
                    }
                    // A board that lagged behind reloads its columns.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some((Ok(SseEvent::default().event("reload").data("{}")), (rx, closing)));
                    }
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

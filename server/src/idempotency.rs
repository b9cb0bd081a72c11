//! `Idempotency-Key` on every POST (REST and server functions): a retried request with the same key gets
//! the first answer back (marked `Idempotent-Replayed: true`) and never acts twice; the same key on a
//! different request is refused (422); a retry while the first is still being answered gets 409. Keys are
//! per user and kept for a day (`app::core::idempotency`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::core::idempotency::{self, Claim};
use app::core::request::RequestCtx;
use app::core::{AppError, ErrCode};

use crate::AppState;
use crate::rest::ApiError;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The header on a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";
/// The largest body a keyed request may have (the largest upload).
const MAX_KEYED_BODY: usize = crate::rest::imports::MAX_UPLOAD_BYTES;

/// The middleware (after the request context, which names the user).
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != http::Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER).map(|v| v.to_str().map(str::to_string)) else {
        return next.run(req).await;
    };
    let ctx = req.extensions().get::<RequestCtx>();
    let lang = ctx.map(|c| c.lang).unwrap_or_default();
    // Without a user (signing in, a machine with its own secret) there is nobody to keep the key for.
    let Some(user_id) = ctx.and_then(|c| c.user.as_ref()).map(|u| u.id) else {
        return next.run(req).await;
    };
    let key = match key {
        Ok(k) if idempotency::valid_key(&k) => k,
        _ => return ApiError(AppError::field("Idempotency-Key", ErrCode::InvalidKey), lang).into_response(),
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_KEYED_BODY).await else {
        return ApiError(AppError::PayloadTooLarge, lang).into_response();
    };
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let content_type = parts.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let fingerprint = idempotency::fingerprint(parts.method.as_str(), path, content_type, &bytes);
    match idempotency::claim(&state.db, user_id, &key, &fingerprint).await {
        Err(e) => ApiError(e, lang).into_response(),
        Ok(Claim::Mismatch) => {
            ApiError(AppError::field("Idempotency-Key", ErrCode::IdempotencyKeyReused), lang).into_response()
        }
        Ok(Claim::InProgress) => ApiError(AppError::Conflict, lang).into_response(),
        Ok(Claim::Done { status, content_type, body }) => {
            let mut res = Response::new(axum::body::Body::from(body));
            *res.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
            if let Some(ct) = content_type.and_then(|c| http::HeaderValue::from_str(&c).ok()) {
                res.headers_mut().insert(http::header::CONTENT_TYPE, ct);
            }
            res.headers_mut().insert(REPLAYED, http::HeaderValue::from_static("true"));
            res
        }
        Ok(Claim::Go) => {
            let res = next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await;
            if res.status().is_server_error() {
                // Nothing was done (the change's transaction rolled back): a retry may act.
                if let Err(e) = idempotency::release(&state.db, user_id, &key).await {
                    tracing::warn!(error = ?e, "releasing an idempotency key failed");
                }
                return res;
            }
            let (parts, body) = res.into_parts();
            let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
                return ApiError(AppError::Internal { ref_id: "idempotent-body".into() }, lang).into_response();
            };
            let content_type = parts.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
            if let Err(e) =
                idempotency::finish(&state.db, user_id, &key, parts.status.as_u16(), content_type, &body).await
            {
                // The change is done; its answer is not kept, so a retry would be told "in progress" until
                // the lease ends. Say so in the log; the caller still gets the answer.
                tracing::error!(error = ?e, "keeping an idempotent answer failed");
            }
            Response::from_parts(parts, axum::body::Body::from(body))
        }
    }
}

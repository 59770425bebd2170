//! The sync endpoints (`/api/sync/v1/…`): plain JSON over axum, outside the
//! server functions, described by `/api/openapi.json` and `docs/sync.md`.
//! Every answer that is not a success carries an `ApiError` body.
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

use app::backend::devices::{self, Standing};
use app::backend::policy::{Actor, load_actor};
use app::backend::session::{token_from_headers, token_hash, user_by_id, user_for_token};
use app::backend::sync::{self as sync, SyncError};
use jalon_core::sync::protocol::{MAX_BODY_BYTES, PullRequest, PullResponse, PushRequest};
use uuid::Uuid;

use crate::state::AppState;

pub const OPENAPI: &str = include_str!("openapi.json");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/sync/v1/push", post(push))
        .route("/api/sync/v1/pull", post(pull))
        .route("/api/openapi.json", get(openapi))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Seconds a phone told "busy" waits before sending again (its own back-off
/// already waits at least this long).
const RETRY_AFTER_SECONDS: &str = "2";

fn refuse(err: SyncError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (status, Json(err.body())).into_response();
    if matches!(err, SyncError::Busy) {
        res.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
    }
    res
}

async fn actor(state: &AppState, headers: &HeaderMap) -> Result<Actor, SyncError> {
    let token = token_from_headers(headers).ok_or(SyncError::NotSignedIn)?;
    let user = user_for_token(&state.db, &token, chrono::Utc::now())
        .await
        .map_err(from_app)?
        .ok_or(SyncError::NotSignedIn)?;
    load_actor(&state.db, user).await.map_err(from_app)
}

fn from_app(err: app::error::AppError) -> SyncError {
    match err {
        app::error::AppError::Busy => SyncError::Busy,
        _ => SyncError::Internal,
    }
}

/// Reads a JSON body of at most `MAX_BODY_BYTES`.
async fn read_json<T: DeserializeOwned>(body: Body) -> Result<T, Response> {
    let bytes: Bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            let body = jalon_core::sync::protocol::ApiError {
                error: "payload_too_large".into(),
                message: format!(
                    "Envoi trop volumineux (au plus {} Mo).",
                    MAX_BODY_BYTES / (1024 * 1024)
                ),
                mutation_id: None,
                last_batch: None,
            };
            (StatusCode::PAYLOAD_TOO_LARGE, Json(body)).into_response()
        })?;
    serde_json::from_slice(&bytes).map_err(|e| refuse(SyncError::Malformed(e.to_string())))
}

async fn push(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let req: PushRequest = match read_json(body).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    let actor = match pusher(&state, &parts.headers, req.device_id).await {
        Ok(a) => a,
        Err(e) => return refuse(e),
    };
    match sync::push(&state.db, &actor, req).await {
        Ok(res) => Json(res).into_response(),
        Err(e) => refuse(e),
    }
}

/// Who pushes: the session's user, or, for a device signed out from afar
/// whose sign-out lets it send what waits on it, its user once more when
/// the request carries the session it last synced with. Any other push from
/// a signed-out device is told to empty its store.
async fn pusher(state: &AppState, headers: &HeaderMap, device: Uuid) -> Result<Actor, SyncError> {
    let standing = devices::standing(&state.db, device).await?;
    let Standing::Revoked {
        user_id,
        last_push,
        session_hash,
    } = standing
    else {
        return actor(state, headers).await;
    };
    let carried = token_from_headers(headers).map(|t| token_hash(&t));
    if last_push && carried.is_some() && carried == session_hash {
        let user = user_by_id(&state.db, &user_id).await.map_err(from_app)?;
        return load_actor(&state.db, user).await.map_err(from_app);
    }
    devices::told_to_wipe(&state.db, device).await?;
    Err(SyncError::DeviceRevoked)
}

async fn pull(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let req: PullRequest = match read_json(body).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    match answer_pull(&state, &parts.headers, &req).await {
        Ok(res) => Json(res).into_response(),
        Err(e) => refuse(e),
    }
}

/// A pull from a device signed out from afar tells it to empty its store;
/// any other is answered and noted on the device's row.
async fn answer_pull(
    state: &AppState,
    headers: &HeaderMap,
    req: &PullRequest,
) -> Result<PullResponse, SyncError> {
    if let Some(device) = req.device_id
        && devices::standing(&state.db, device).await? != Standing::InUse
    {
        devices::told_to_wipe(&state.db, device).await?;
        return Err(SyncError::DeviceRevoked);
    }
    let actor = actor(state, headers).await?;
    let res = sync::pull(&state.db, &actor, req).await?;
    if let (Some(device), Some(token)) = (req.device_id, token_from_headers(headers)) {
        let user_agent = headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let report = devices::Report {
            device,
            session_hash: &token_hash(&token),
            user_agent,
            pending: req.pending,
            cursor: req.cursor,
        };
        devices::seen(&state.db, &actor, report).await?;
    }
    Ok(res)
}

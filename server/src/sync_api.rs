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

use app::backend::policy::{Actor, load_actor};
use app::backend::session::{token_from_headers, user_for_token};
use app::backend::sync::{self as sync, SyncError};
use jalon_core::sync::protocol::MAX_BODY_BYTES;

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

/// Reads the actor and the JSON body, then answers with `apply`'s result.
async fn answer<Req, Res, F>(state: AppState, req: Request, apply: F) -> Response
where
    Req: DeserializeOwned,
    Res: serde::Serialize,
    F: AsyncFnOnce(&AppState, &Actor, Req) -> Result<Res, SyncError>,
{
    let (parts, body) = req.into_parts();
    let actor = match actor(&state, &parts.headers).await {
        Ok(a) => a,
        Err(e) => return refuse(e),
    };
    let req = match read_json(body).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    match apply(&state, &actor, req).await {
        Ok(res) => Json(res).into_response(),
        Err(e) => refuse(e),
    }
}

async fn push(State(state): State<AppState>, req: Request) -> Response {
    answer(state, req, async |state, actor, req| {
        sync::push(&state.db, actor, req).await
    })
    .await
}

async fn pull(State(state): State<AppState>, req: Request) -> Response {
    answer(state, req, async |state, actor, req| {
        sync::pull(&state.db, actor, &req).await
    })
    .await
}

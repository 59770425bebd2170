//! Files to download (`GET` routes outside Leptos): the person must be
//! signed in and allowed, a refusal is a status with a French sentence, and
//! the file is never cached.
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use serde::de::DeserializeOwned;

use app::backend::db::Db;
use app::backend::policy::Actor;
use app::error::AppError;

use crate::state::{AppState, signed_actor};

/// A file ready to send.
pub struct Download {
    pub content_type: &'static str,
    pub file_name: String,
    pub body: Vec<u8>,
}

/// A `GET` route answering the file `make` builds from the query's
/// parameters for the signed-in person; `not_signed_in` tells a visitor what
/// to do.
pub fn get<P, M, F>(not_signed_in: &'static str, make: M) -> MethodRouter<AppState>
where
    P: DeserializeOwned + Send + 'static,
    M: Fn(Db, Actor, P) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Download, AppError>> + Send + 'static,
{
    axum::routing::get(
        move |State(state): State<AppState>,
              headers: HeaderMap,
              RawQuery(raw): RawQuery,
              query: Result<Query<P>, QueryRejection>| {
            let make = make.clone();
            async move { serve(&state, &headers, (raw, query), not_signed_in, make).await }
        },
    )
}

/// Like [`get`], for files that print this server's address (an
/// attestation's QR code): `make` also receives the origin people reach it
/// at (`--public-url`, else the request's host).
pub fn get_with_origin<P, M, F>(
    not_signed_in: &'static str,
    public: Option<String>,
    secure: bool,
    make: M,
) -> MethodRouter<AppState>
where
    P: DeserializeOwned + Send + 'static,
    M: Fn(Db, Actor, P, String) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Download, AppError>> + Send + 'static,
{
    axum::routing::get(
        move |State(state): State<AppState>,
              headers: HeaderMap,
              RawQuery(raw): RawQuery,
              query: Result<Query<P>, QueryRejection>| {
            let make = make.clone();
            let origin = public.clone().unwrap_or_else(|| {
                let host = headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or("localhost");
                format!("{}://{host}", if secure { "https" } else { "http" })
            });
            async move {
                let make = move |db, actor, p| make(db, actor, p, origin.clone());
                serve(&state, &headers, (raw, query), not_signed_in, make).await
            }
        },
    )
}

/// Reads the query, finds the signed-in person, lets `make` build the file,
/// writes it to the audit log (who took which file, with which filters) and
/// answers it, or the refusal.
async fn serve<P, F>(
    state: &AppState,
    headers: &HeaderMap,
    (raw, query): (Option<String>, Result<Query<P>, QueryRejection>),
    not_signed_in: &str,
    make: impl Fn(Db, Actor, P) -> F,
) -> Response
where
    F: Future<Output = Result<Download, AppError>>,
{
    let refuse = |err| refuse_download(err, not_signed_in);
    let Ok(Query(params)) = query else {
        return refuse(AppError::Invalid("Paramètres d'export illisibles.".into()));
    };
    let actor = match signed_actor(&state.db, headers).await {
        Ok(actor) => actor,
        Err(e) => return refuse(e),
    };
    let file = match make(state.db.clone(), actor.clone(), params).await {
        Ok(file) => file,
        Err(e) => return refuse(e),
    };
    if let Err(e) = audit(&state.db, &actor, &file.file_name, raw.as_deref()).await {
        return refuse(e);
    }
    (
        [
            (header::CONTENT_TYPE, file.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file.file_name),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        file.body,
    )
        .into_response()
}

/// One line of the audit log per file given out.
async fn audit(db: &Db, actor: &Actor, file: &str, query: Option<&str>) -> Result<(), AppError> {
    let details =
        serde_json::json!({ "file": file, "query": query.unwrap_or_default() }).to_string();
    let mut tx = db.begin().await?;
    app::backend::policy::audited(&mut *tx, actor, "export", ("file", file), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// A download refused: its status and a French sentence as plain text.
pub fn refuse_download(err: AppError, not_signed_in: &str) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = match err {
        AppError::NotSignedIn => not_signed_in.to_string(),
        AppError::NotFound => "Fichier introuvable ou non autorisé.".to_string(),
        other => other.to_string(),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

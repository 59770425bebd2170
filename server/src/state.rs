//! What every route of the server shares: the Leptos options, the
//! database, the service worker of this build; and who is signed in on a
//! plain (non-Leptos) route.
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use app::backend::db::Db;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub db: Db,
    pub service_worker: crate::pwa::ServiceWorker,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The signed-in person of a plain GET route (downloads), from the session cookie.
pub async fn signed_actor(
    db: &app::backend::db::Db,
    headers: &axum::http::HeaderMap,
) -> Result<app::backend::policy::Actor, app::error::AppError> {
    use app::backend::session::{token_from_headers, user_for_token};
    let user = match token_from_headers(headers) {
        Some(token) => user_for_token(db, &token, chrono::Utc::now()).await?,
        None => None,
    };
    let user = user.ok_or(app::error::AppError::NotSignedIn)?;
    app::backend::policy::load_actor(db, user).await
}

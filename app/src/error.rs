//! The one error type of server functions. Its `Display` is the French
//! sentence shown to the user; `status()` is the HTTP status of the answer.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Identifiant ou mot de passe incorrect.")]
    BadCredentials,
    #[error("Vous n'êtes pas connecté. Connectez-vous pour continuer.")]
    NotSignedIn,
    /// Also the answer to a read that the policy denies: no existence leak.
    #[error("Cette page n'existe pas ou n'est pas accessible.")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error("Trop d'essais de connexion. Réessayez dans {retry_minutes} minute(s).")]
    TooManyAttempts { retry_minutes: i64 },
    #[error("Le serveur est très occupé. Réessayez dans quelques secondes.")]
    Busy,
    #[error("Le serveur a rencontré un problème. Réessayez dans un moment.")]
    Internal,
    #[error("Impossible de joindre le serveur. Vérifiez la connexion et réessayez.")]
    Network,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadCredentials | AppError::NotSignedIn => 401,
            AppError::NotFound => 404,
            AppError::Invalid(_) => 422,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Busy => 503,
            AppError::Internal => 500,
            AppError::Network => 503,
        }
    }
}

/// A refused input, with its French sentence (the checks of `jalon-core`
/// answer in words).
impl From<String> for AppError {
    fn from(message: String) -> Self {
        AppError::Invalid(message)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::Invalid(format!("Données reçues illisibles : {msg}"))
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Sets the HTTP status of the current server-function answer and
    /// returns the error, for `return Err(err.respond())`.
    pub fn respond(self) -> Self {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(code) = http::StatusCode::from_u16(self.status())
        {
            res.set_status(code);
        }
        self
    }
}

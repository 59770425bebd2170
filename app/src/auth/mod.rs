//! Who is signed in: roles, sessions, passwords and the sign-in screen.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

mod account;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod session;
mod sign_in;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use account::{AccountPage, ChangeSecret};
pub use sign_in::SignInPage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Supervisor,
    Counsellor,
    Worker,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Counsellor => "counsellor",
            Role::Worker => "worker",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "supervisor" => Some(Role::Supervisor),
            "counsellor" => Some(Role::Counsellor),
            "worker" => Some(Role::Worker),
            _ => None,
        }
    }

    /// The role as staff screens name it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Responsable",
            Role::Supervisor => "Encadrant·e technique",
            Role::Counsellor => "CIP",
            Role::Worker => "Salarié·e",
        }
    }
}

/// The signed-in person, as every screen knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: String,
    pub structure_id: String,
    pub structure_name: String,
    pub structure_is_demo: bool,
    pub display_name: String,
    pub login: String,
    pub role: Role,
    /// Structure setting: the roll call is taken per half-day.
    #[serde(default)]
    pub half_days: bool,
}

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "auth/current_user")]
pub async fn fetch_current_user() -> Result<Option<CurrentUser>, AppError> {
    session::current_user().await
}

#[server(prefix = "/api", endpoint = "auth/sign_in")]
pub async fn sign_in(login: String, secret: String) -> Result<(), AppError> {
    use crate::audit::{self, Entry};
    let login = login.trim();
    if login.is_empty() || secret.is_empty() {
        return Err(
            AppError::Invalid("Indiquez votre identifiant et votre mot de passe.".into()).respond(),
        );
    }
    let db = crate::db::db()?;
    let ip = audit::client_ip();
    throttle::check(&db, login, ip.as_deref(), chrono::Utc::now())
        .await
        .map_err(AppError::respond)?;
    // Over-long input can't be a real account: refused like a wrong secret.
    let checked = if login.len() > 200 || secret.len() > 1024 {
        Err(AppError::BadCredentials)
    } else {
        session::check_credentials(&db, login, &secret).await
    };
    match checked {
        Ok(user) => {
            let entry = Entry {
                structure_id: Some(&user.structure_id),
                actor_id: Some(&user.id),
                action: "sign_in",
                target_type: Some("login"),
                target_id: Some(login),
                details: None,
            };
            audit::record(&db, entry).await?;
            session::open(&db, &user).await?;
            leptos_axum::redirect("/");
            Ok(())
        }
        Err(err) => {
            let login: String = login.chars().take(200).collect();
            audit::failed_attempt(&db, "login", &login).await?;
            Err(err.respond())
        }
    }
}

#[server(prefix = "/api", endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let db = crate::db::db()?;
    session::close(&db).await?;
    leptos_axum::redirect("/connexion");
    Ok(())
}

/// The actions every screen may trigger, shared through context so the
/// current-user resource refreshes after each of them.
#[derive(Clone, Copy)]
pub struct AuthActions {
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    /// A worker's first sign-in, by activation code.
    pub activate: ServerAction<crate::people::ActivateAccount>,
}

pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

/// Creates the sign-in/out actions and the current-user resource; call once, in `App`.
pub fn provide_auth() -> UserResource {
    let actions = AuthActions {
        sign_in: ServerAction::<SignIn>::new(),
        sign_out: ServerAction::<SignOut>::new(),
        activate: ServerAction::<crate::people::ActivateAccount>::new(),
    };
    provide_context(actions);
    let user = Resource::new(
        move || {
            (
                actions.sign_in.version().get(),
                actions.sign_out.version().get(),
                actions.activate.version().get(),
            )
        },
        |_| current_user_or_cached(),
    );
    provide_context(user);
    user
}

/// The signed-in person; with no network, the person this phone belongs to
/// (kept in IndexedDB), so the app keeps working offline.
async fn current_user_or_cached() -> Result<Option<CurrentUser>, AppError> {
    let answer = fetch_current_user().await;
    #[cfg(feature = "hydrate")]
    if answer == Err(AppError::Network) {
        let cached = send_wrapper::SendWrapper::new(async {
            let store = crate::sync::client::browser::store().await.ok()?;
            store.owner().await.ok().flatten()
        })
        .await;
        if let Some(user) = cached {
            return Ok(Some(user));
        }
    }
    answer
}

pub fn use_user() -> UserResource {
    expect_context::<UserResource>()
}

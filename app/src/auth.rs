//! Who is signed in on this phone: the current-user resource, the sign-in,
//! sign-out and activation actions every screen may trigger, and their
//! server functions. Sessions and passwords are the backend's.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{session, throttle};
use crate::error::AppError;
pub use jalon_core::roles::{CurrentUser, Role};

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "auth/current_user")]
pub async fn fetch_current_user() -> Result<Option<CurrentUser>, AppError> {
    session::current_user().await
}

#[server(prefix = "/api", endpoint = "auth/sign_in")]
pub async fn sign_in(login: String, secret: String) -> Result<(), AppError> {
    use crate::backend::audit::{self, Entry};
    let login = login.trim();
    if login.is_empty() || secret.is_empty() {
        return Err(
            AppError::Invalid("Indiquez votre identifiant et votre mot de passe.".into()).respond(),
        );
    }
    let db = crate::backend::db::db()?;
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
    let db = crate::backend::db::db()?;
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
    pub activate: ServerAction<crate::pages::people::ActivateAccount>,
}

pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

/// Creates the sign-in/out actions and the current-user resource; call once, in `App`.
pub fn provide_auth() -> UserResource {
    let actions = AuthActions {
        sign_in: ServerAction::<SignIn>::new(),
        sign_out: ServerAction::<SignOut>::new(),
        activate: ServerAction::<crate::pages::people::ActivateAccount>::new(),
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
            let store = crate::local::phone::store().await.ok()?;
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

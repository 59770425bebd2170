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

/// A worker's first sign-in: the code their counsellor gave them, and the
/// PIN they choose.
#[server(prefix = "/api", endpoint = "people/activate_account")]
pub async fn activate_account(
    code: String,
    pin: String,
    pin_again: String,
) -> Result<(), AppError> {
    use crate::backend::audit::{self, Entry};
    let db = crate::backend::db::db()?;
    let ip = audit::client_ip();
    // Guessing codes is throttled like guessing passwords, per address.
    let throttle_key = format!("activation:{}", ip.as_deref().unwrap_or("?"));
    crate::backend::throttle::check(&db, &throttle_key, ip.as_deref(), chrono::Utc::now())
        .await
        .map_err(AppError::respond)?;
    let now = crate::backend::db::now();
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT a.code_hash, a.user_id FROM activation_codes a JOIN users u ON u.id = a.user_id \
         WHERE a.code_hash = $1 AND a.used_at IS NULL AND a.expires_at > $2 \
         AND u.active = TRUE AND u.role = 'worker'",
    )
    .bind(crate::backend::people::activation_code_hash(&code))
    .bind(&now)
    .fetch_optional(&db)
    .await?;
    let Some((hash, user_id)) = row else {
        audit::failed_attempt(&db, "activation_code", &throttle_key).await?;
        return Err(invalid(
            "Ce code ne marche pas. Il est peut-être mal recopié, déjà utilisé ou trop ancien. \
             Demandez un nouveau code à votre conseillère ou votre conseiller."
                .to_string(),
        ));
    };
    jalon_core::people::pin(&pin, &pin_again).map_err(invalid)?;
    let pin_hash = crate::backend::password::hash(&pin).map_err(|_| AppError::Internal)?;
    let mut tx = db.begin().await?;
    let used = sqlx::query(
        "UPDATE activation_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL",
    )
    .bind(&now)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Err(invalid("Ce code vient d'être utilisé.".to_string()));
    }
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&pin_hash)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    // A new PIN ends the sessions opened with the old one.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    let structure_id: String = sqlx::query_scalar("SELECT structure_id FROM users WHERE id = $1")
        .bind(&user_id)
        .fetch_one(&mut *tx)
        .await?;
    let entry = Entry {
        structure_id: Some(&structure_id),
        actor_id: Some(&user_id),
        action: "account_activated",
        target_type: Some("user"),
        target_id: Some(&user_id),
        details: None,
    };
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    let user = crate::backend::session::user_by_id(&db, &user_id).await?;
    crate::backend::session::open(&db, &user).await?;
    // First, what Jalon does with their data, in easy words (the view is kept).
    leptos_axum::redirect("/confidentialite?facile=1&activation=1");
    Ok(())
}

/// A refused input: answered with status 422 and the French reason.
#[cfg(feature = "ssr")]
fn invalid(message: String) -> AppError {
    AppError::Invalid(message).respond()
}

/// The actions every screen may trigger, shared through context so the
/// current-user resource refreshes after each of them.
#[derive(Clone, Copy)]
pub struct AuthActions {
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    /// A worker's first sign-in, by activation code.
    pub activate: ServerAction<ActivateAccount>,
}

pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

/// Creates the sign-in/out actions and the current-user resource; call once, in `App`.
pub fn provide_auth() -> UserResource {
    let actions = AuthActions {
        sign_in: ServerAction::<SignIn>::new(),
        sign_out: ServerAction::<SignOut>::new(),
        activate: ServerAction::<ActivateAccount>::new(),
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

/// The signed-in person as known now, read without tracking (in handlers
/// and tasks).
pub fn signed_in_now(user: UserResource) -> Option<CurrentUser> {
    user.get_untracked().and_then(|r| r.ok()).flatten()
}

pub fn use_user() -> UserResource {
    expect_context::<UserResource>()
}

//! "Mon compte": who is signed in, changing one's own password (or a
//! worker's PIN), and signing out.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::auth::{AuthActions, CurrentUser, Role, use_user};
use crate::error::AppError;
use crate::widgets::Field;
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, Loaded, status_of};

/// Replaces the signed-in person's password (staff) or PIN (worker) after
/// checking the current one; their other sessions end.
#[server(prefix = "/api", endpoint = "auth/change_secret")]
pub async fn change_secret(
    current: String,
    new: String,
    new_again: String,
) -> Result<(), AppError> {
    use jalon_core::people as validate;
    let (db, actor) = crate::backend::policy::require_actor().await?;
    let user = &actor.user;
    if crate::backend::session::check_credentials(&db, &user.login, &current)
        .await
        .is_err()
    {
        return Err(
            AppError::Invalid("Le mot de passe ou le code actuel est incorrect.".into()).respond(),
        );
    }
    let checked = if user.role == Role::Worker {
        validate::pin(&new, &new_again)
    } else {
        validate::password(&new).and_then(|()| {
            if new == new_again {
                Ok(())
            } else {
                Err("Les deux mots de passe ne sont pas identiques.".to_string())
            }
        })
    };
    checked.map_err(|m| AppError::Invalid(m).respond())?;
    let hash = crate::backend::password::hash(&new).map_err(|_| AppError::Internal)?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    crate::backend::audit::record(
        &mut *tx,
        crate::backend::audit::Entry {
            structure_id: Some(&user.structure_id),
            actor_id: Some(&user.id),
            action: "secret_changed",
            target_type: Some("user"),
            target_id: Some(&user.id),
            details: None,
        },
    )
    .await?;
    tx.commit().await?;
    crate::backend::session::close_others(&db, &user.id).await?;
    Ok(())
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = use_user();
    view! {
        <Title text="Mon compte"/>
        <Loaded resource=user render=move |value| match value {
            Some(u) => account(u).into_any(),
            None => view! { <Redirect path="/connexion"/> }.into_any(),
        }/>
    }
}

fn account(u: CurrentUser) -> impl IntoView {
    let sign_out = expect_context::<AuthActions>().sign_out;
    let sync = crate::local::sync::use_sync();
    // Read only once the page is live (the sync may run during hydration).
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let waiting = move || live.get() && sync.waiting.get() + sync.refused.get() > 0;
    let change = ServerAction::<ChangeSecret>::new();
    let worker = u.role == Role::Worker;
    let (secret, new_label, again_label) = if worker {
        (
            "Code actuel",
            "Nouveau code (6 chiffres ou plus)",
            "Tapez encore le nouveau code",
        )
    } else {
        (
            "Mot de passe actuel",
            "Nouveau mot de passe (10 caractères ou plus)",
            "Tapez encore le nouveau mot de passe",
        )
    };
    let input_mode = if worker { "numeric" } else { "text" };
    view! {
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="user"/>"Mon compte"</h1>
            <dl class="facts">
                <dt>"Nom"</dt><dd>{u.display_name.clone()}</dd>
                <dt>"Identifiant"</dt><dd>{u.login.clone()}</dd>
                <dt>"Rôle"</dt><dd>{u.role.label()}</dd>
                <dt>"Structure"</dt><dd>{u.structure_name.clone()}</dd>
            </dl>
            <details class="card">
                <summary class="button button--quiet">
                    {if worker { "Changer mon code" } else { "Changer mon mot de passe" }}
                </summary>
                <ActionForm action=change attr:class="form">
                    <Field id="current" label=secret>
                        <input class="field__input" id="current" name="current" type="password" inputmode=input_mode autocomplete="current-password" required/>
                    </Field>
                    <Field id="new" label=new_label>
                        <input class="field__input" id="new" name="new" type="password" inputmode=input_mode autocomplete="new-password" required/>
                    </Field>
                    <Field id="new-again" label=again_label>
                        <input class="field__input" id="new-again" name="new_again" type="password" inputmode=input_mode autocomplete="new-password" required/>
                    </Field>
                    <FormStatus status=status_of(change) done="C'est changé. Vos autres appareils sont déconnectés."/>
                    <button type="submit" class="button button--primary button--wide">"Enregistrer"</button>
                </ActionForm>
            </details>
            <a class="button button--secondary button--wide" href="/appareils">"Mes appareils"</a>
            // Both blocks stay in the page, one hidden: the waiting count can
            // change while the page is still being hydrated.
            <div class="notice notice--warn" role="alert" hidden=move || !waiting()>
                <p>
                    <strong>"Vous ne pouvez pas encore vous déconnecter."</strong>
                    " Des enregistrements sont seulement sur ce téléphone : la déconnexion les effacerait. "
                    "Synchronisez d'abord (il faut du réseau), et réglez les enregistrements refusés."
                </p>
                <button type="button" class="button button--primary button--wide" on:click=move |_| sync.sync_now()>
                    "Synchroniser"
                </button>
            </div>
            <div hidden=waiting>
                <ActionForm action=sign_out attr:class="form">
                    <FormStatus status=status_of(sign_out) done="Vous êtes déconnecté."/>
                    <button type="submit" class="button button--secondary button--wide">
                        <Icon name="logout"/>
                        "Se déconnecter"
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}

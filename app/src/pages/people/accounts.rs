//! Admin screen "Comptes": staff accounts, their activation state, and the
//! structure's access setting.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::UserLine;
use crate::error::AppError;
use crate::widgets::Field;
use crate::widgets::Loaded;
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, status_of};

#[cfg(feature = "ssr")]
use super::{audit_admin, change, invalid, store, validate};
#[cfg(feature = "ssr")]
use crate::backend::policy::require_admin;
use jalon_core::roles::Role;

/// The staff accounts, the CIP access setting, and the SMTP server alert
/// e-mails go through (`None`: alerts are in Jalon only).
#[server(prefix = "/api", endpoint = "people/list_users")]
pub async fn list_users() -> Result<(Vec<UserLine>, bool, Option<String>), AppError> {
    let (db, actor) = require_admin().await?;
    type Row = (
        String,
        String,
        String,
        String,
        crate::backend::db::Flag,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, login, display_name, role, active, email FROM users WHERE structure_id = $1 \
         AND role <> 'worker' ORDER BY active DESC, display_name",
    )
    .bind(&actor.user.structure_id)
    .fetch_all(&db)
    .await?;
    let users = rows
        .into_iter()
        .filter_map(|(id, login, display_name, role, active, email)| {
            Some(UserLine {
                id,
                login,
                display_name,
                role: Role::parse(&role)?,
                active: active.0,
                email,
            })
        })
        .collect();
    let mail = use_context::<crate::backend::alert_mail::AlertMailStatus>().and_then(|s| s.0);
    Ok((users, actor.counsellors_see_all, mail))
}

/// A staff member's address for alert e-mails; empty removes it.
#[server(prefix = "/api", endpoint = "people/set_user_email")]
pub async fn set_user_email(id: String, email: String) -> Result<(), AppError> {
    let (db, actor) = require_admin().await?;
    let email = validate::email(&email).map_err(invalid)?;
    let before: Option<(Option<String>, String)> =
        sqlx::query_as("SELECT email, role FROM users WHERE id = $1 AND structure_id = $2")
            .bind(&id)
            .bind(&actor.user.structure_id)
            .fetch_optional(&db)
            .await?;
    let (before, role) = before.ok_or_else(|| AppError::NotFound.respond())?;
    if role == Role::Worker.as_str() {
        return Err(AppError::NotFound.respond());
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(&email)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    let details = change(
        serde_json::json!({ "email": before }),
        serde_json::json!({ "email": email }),
    );
    audit_admin(&mut *tx, &actor, "user_email_set", ("user", &id), &details).await?;
    tx.commit().await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "people/create_user")]
pub async fn create_user(
    role: String,
    login: String,
    display_name: String,
    password: String,
) -> Result<(), AppError> {
    let (db, actor) = require_admin().await?;
    let role = match Role::parse(&role) {
        Some(r @ (Role::Admin | Role::Supervisor | Role::Counsellor)) => r,
        _ => {
            return Err(invalid(AppError::Invalid(
                "Rôle : choisissez responsable, encadrant·e ou CIP.".into(),
            )));
        }
    };
    let login = validate::login(&login).map_err(invalid)?;
    let name = validate::text("Nom", &display_name, validate::MAX_NAME_CHARS).map_err(invalid)?;
    validate::password(&password).map_err(invalid)?;
    let hash = crate::backend::password::hash(&password).map_err(|_| AppError::Internal)?;
    let mut tx = db.begin().await?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
        .bind(&login)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(invalid(AppError::Invalid(format!(
            "L'identifiant « {login} » est déjà pris."
        ))));
    }
    let id = store::insert_user(
        &mut tx,
        store::NewUser {
            structure_id: &actor.user.structure_id,
            role,
            login: &login,
            display_name: &name,
            password_hash: Some(&hash),
        },
    )
    .await?;
    let details = change(
        serde_json::Value::Null,
        serde_json::json!({ "login": login, "display_name": name, "role": role.as_str() }),
    );
    audit_admin(&mut *tx, &actor, "user_created", ("user", &id), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// Loads a staff or worker account of the admin's structure.
#[cfg(feature = "ssr")]
async fn user_of_structure(
    db: &crate::backend::db::Db,
    structure_id: &str,
    id: &str,
) -> Result<(String, bool), AppError> {
    let row: Option<(String, crate::backend::db::Flag)> = sqlx::query_as(
        "SELECT display_name, active FROM users WHERE id = $1 AND structure_id = $2",
    )
    .bind(id)
    .bind(structure_id)
    .fetch_optional(db)
    .await?;
    let (name, active) = row.ok_or_else(|| AppError::NotFound.respond())?;
    Ok((name, active.0))
}

#[server(prefix = "/api", endpoint = "people/rename_user")]
pub async fn rename_user(id: String, display_name: String) -> Result<(), AppError> {
    let (db, actor) = require_admin().await?;
    let (before, _) = user_of_structure(&db, &actor.user.structure_id, &id).await?;
    let name = validate::text("Nom", &display_name, validate::MAX_NAME_CHARS).map_err(invalid)?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
        .bind(&name)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    let details = change(
        serde_json::json!({ "display_name": before }),
        serde_json::json!({ "display_name": name }),
    );
    audit_admin(&mut *tx, &actor, "user_renamed", ("user", &id), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivating ends the person's sessions at once; reactivating lets them sign in again.
#[server(prefix = "/api", endpoint = "people/set_user_active")]
pub async fn set_user_active(id: String, active: bool) -> Result<(), AppError> {
    let (db, actor) = require_admin().await?;
    if id == actor.user.id && !active {
        return Err(invalid(AppError::Invalid(
            "Vous ne pouvez pas désactiver votre propre compte.".into(),
        )));
    }
    let (_, before) = user_of_structure(&db, &actor.user.structure_id, &id).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if !active {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
    }
    let details = change(
        serde_json::json!({ "active": before }),
        serde_json::json!({ "active": active }),
    );
    let action = if active {
        "user_reactivated"
    } else {
        "user_deactivated"
    };
    audit_admin(&mut *tx, &actor, action, ("user", &id), &details).await?;
    tx.commit().await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "people/set_counsellors_see_all")]
pub async fn set_counsellors_see_all(enabled: bool) -> Result<(), AppError> {
    let (db, actor) = require_admin().await?;
    let before = actor.counsellors_see_all;
    use crate::backend::settings::{Setting, set};
    set(&db, &actor, Setting::CounsellorsSeeAll, before, enabled).await
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let rename = ServerAction::<RenameUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let setting = ServerAction::<SetCounsellorsSeeAll>::new();
    let set_email = ServerAction::<SetUserEmail>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                rename.version().get(),
                set_active.version().get(),
                setting.version().get(),
                set_email.version().get(),
            )
        },
        |_| list_users(),
    );
    view! {
        <Title text="Comptes"/>
        <section class="page">
            <h1 class="page__title"><Icon name="user"/>"Comptes du personnel"</h1>
            <Loaded resource=users render=move |(list, see_all, mail)| view! {
                            <FormStatus status=status_of(set_active) done="Compte mis à jour."/>
                            <FormStatus status=status_of(rename) done="Nom enregistré."/>
                            <FormStatus status=status_of(set_email) done="Adresse enregistrée."/>
                            <ul class="list">
                                {list.into_iter().map(|u| user_row(u, (rename, set_active, set_email))).collect_view()}
                            </ul>
                            {alert_mail_card(mail)}
                            <ActionForm action=setting attr:class="card form">
                                <h2 class="card__title">"Accès des CIP"</h2>
                                <p>{if see_all {
                                    "Les CIP voient tous les salariés de la structure."
                                } else {
                                    "Chaque CIP voit seulement les salariés dont il ou elle est référent·e."
                                }}</p>
                                <input type="hidden" name="enabled" value=(!see_all).to_string()/>
                                <button type="submit" class="button button--secondary">
                                    {if see_all { "Limiter aux référent·es" } else { "Ouvrir à tous les salariés" }}
                                </button>
                            </ActionForm>
                        }/>
            <ActionForm action=create attr:class="card form">
                <h2 class="card__title">"Nouveau compte"</h2>
                <Field id="new-role" label="Rôle">
                    <select class="field__input" id="new-role" name="role">
                        <option value="supervisor">"Encadrant·e technique"</option>
                        <option value="counsellor">"CIP"</option>
                        <option value="admin">"Responsable"</option>
                    </select>
                </Field>
                <Field id="new-name" label="Nom affiché">
                    <input class="field__input" id="new-name" name="display_name" maxlength="100" required/>
                </Field>
                <Field id="new-login" label="Identifiant">
                    <input class="field__input" id="new-login" name="login" autocapitalize="none" maxlength="60" required/>
                </Field>
                <Field id="new-password" label="Mot de passe (10 caractères ou plus)">
                    <input class="field__input" id="new-password" name="password" type="password" autocomplete="new-password" required/>
                </Field>
                <FormStatus status=status_of(create) done="Compte créé."/>
                <button type="submit" class="button button--primary button--wide">"Créer le compte"</button>
            </ActionForm>
        </section>
    }
}

/// Whether alerts leave Jalon by e-mail, said where the addresses are set.
fn alert_mail_card(server: Option<String>) -> impl IntoView {
    let (class, text) = match server {
        Some(server) => (
            "card",
            format!(
                "Quand une alerte arrive, la ou le CIP référent·e reçoit un e-mail sans aucun \
                 détail (« Une alerte vous attend dans Jalon ») par le serveur {server}. \
                 Sans adresse ci-dessus, les alertes restent dans Jalon seulement."
            ),
        ),
        None => (
            "card notice notice--warn",
            "Aucun serveur d'envoi n'est réglé : les alertes ne partent pas par e-mail, \
             les CIP les voient seulement dans Jalon (le nombre d'alertes ouvertes est \
             affiché dans leur menu). La personne qui héberge Jalon peut régler l'envoi."
                .to_string(),
        ),
    };
    view! {
        <section class=class data-testid="alert-mail">
            <h2 class="card__title">"Alertes par e-mail"</h2>
            <p>{text}</p>
        </section>
    }
}

fn user_row(
    u: UserLine,
    (rename, set_active, set_email): (
        ServerAction<RenameUser>,
        ServerAction<SetUserActive>,
        ServerAction<SetUserEmail>,
    ),
) -> impl IntoView {
    let status = if u.active { "Actif" } else { "Désactivé" };
    let name_id = format!("name-{}", u.id);
    let email_id = format!("email-{}", u.id);
    let (id_a, id_b, id_c) = (u.id.clone(), u.id.clone(), u.id.clone());
    let address = match &u.email {
        Some(email) => format!(" · {email}"),
        None if u.role == Role::Counsellor => {
            " · sans e-mail : alertes dans Jalon seulement".into()
        }
        None => String::new(),
    };
    view! {
        <li class="list__item list__item--stack">
            <span class="list__main">{u.display_name.clone()}</span>
            <span class="list__meta">{u.role.label()}" · "{u.login.clone()}" · "{status}{address}</span>
            <details class="inline-edit">
                <summary class="button button--quiet">"Modifier"</summary>
                <ActionForm action=rename attr:class="form">
                    <input type="hidden" name="id" value=id_a/>
                    <label class="field__label" for=name_id.clone()>"Nom affiché"</label>
                    <input class="field__input" id=name_id name="display_name" value=u.display_name.clone() maxlength="100"/>
                    <button type="submit" class="button button--secondary">"Enregistrer le nom"</button>
                </ActionForm>
                <ActionForm action=set_email attr:class="form">
                    <input type="hidden" name="id" value=id_c/>
                    <label class="field__label" for=email_id.clone()>"E-mail pour les alertes (vide : aucun)"</label>
                    <input class="field__input" id=email_id name="email" type="email" autocomplete="off" value=u.email.clone().unwrap_or_default() maxlength="254"/>
                    <button type="submit" class="button button--secondary">"Enregistrer l'adresse"</button>
                </ActionForm>
                <ActionForm action=set_active attr:class="form">
                    <input type="hidden" name="id" value=id_b/>
                    <input type="hidden" name="active" value=(!u.active).to_string()/>
                    <button type="submit" class="button button--secondary">
                        {if u.active { "Désactiver le compte" } else { "Réactiver le compte" }}
                    </button>
                </ActionForm>
                <a class="button button--secondary" href=format!("/appareils?personne={}", u.id)>"Appareils connectés"</a>
            </details>
        </li>
    }
}

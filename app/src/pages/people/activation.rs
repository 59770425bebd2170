//! Worker accounts without email: a counsellor or admin issues a one-time
//! activation code (QR code + short code, valid 48 h, single use); the worker
//! opens it on their own phone and chooses a PIN of at least six digits.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::ActivationCode;
use crate::error::AppError;
use crate::widgets::Field;
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, status_of};

#[cfg(feature = "ssr")]
use crate::backend::policy::{Action, Resource, authorize, require_actor, worker_ref};

#[cfg(feature = "ssr")]
const CODE_HOURS: i64 = 48;
/// No 0/O, 1/I/L: a code read aloud or copied by hand stays unambiguous.
#[cfg(feature = "ssr")]
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
#[cfg(feature = "ssr")]
const CODE_LEN: usize = 8;

#[cfg(feature = "ssr")]
use crate::backend::people::activation_code_hash as code_hash;

#[server(prefix = "/api", endpoint = "people/issue_activation_code")]
pub async fn issue_activation_code(worker_id: String) -> Result<ActivationCode, AppError> {
    use rand::Rng;
    let (db, actor) = require_actor().await?;
    let access = worker_ref(&db, &actor, &worker_id).await?;
    authorize(
        &db,
        &actor,
        Action::Manage,
        &Resource::WorkerAccount(&access),
    )
    .await?;
    let user_id = access.user_id.clone().ok_or(AppError::NotFound)?;
    let login: String = sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
        .bind(&user_id)
        .fetch_one(&db)
        .await?;
    let mut rng = rand::rngs::OsRng;
    let code: String = (0..CODE_LEN)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    let now = chrono::Utc::now();
    let expires = now + chrono::Duration::hours(CODE_HOURS);
    let mut tx = db.begin().await?;
    // Only the latest code works: issuing one cancels the others.
    sqlx::query("DELETE FROM activation_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO activation_codes (code_hash, user_id, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(code_hash(&code))
    .bind(&user_id)
    .bind(&actor.user.id)
    .bind(crate::backend::db::timestamp(now))
    .bind(crate::backend::db::timestamp(expires))
    .execute(&mut *tx)
    .await?;
    super::audit_admin(
        &mut *tx,
        &actor,
        "activation_code_issued",
        ("worker", &worker_id),
        "",
    )
    .await?;
    tx.commit().await?;

    let shown = format!("{}-{}", &code[..4], &code[4..]);
    let link = format!(
        "{}/activer?code={code}",
        crate::backend::session::request_origin()
    );
    let qr_svg = crate::backend::qr::svg(&link);
    let paris = expires.with_timezone(&chrono_tz::Europe::Paris);
    Ok(ActivationCode {
        code: shown,
        login,
        expires_at: paris.format("%d/%m/%Y à %H:%M").to_string(),
        link,
        qr_svg,
    })
}

/// On a worker file: issue a code and show it with its QR code.
#[component]
pub fn ActivationPanel(worker_id: String, ready: bool) -> impl IntoView {
    let issue = ServerAction::<IssueActivationCode>::new();
    let issued = move || issue.value().get().and_then(|r| r.ok());
    view! {
        <article class="card">
            <h2 class="card__title"><Icon name="key"/>"Accès au téléphone du salarié"</h2>
            <p>{if ready {
                "Le compte est activé. Un nouveau code permet au salarié de choisir un nouveau code secret."
            } else {
                "Le compte n'est pas encore activé. Créez un code et montrez-le au salarié."
            }}</p>
            <ActionForm action=issue attr:class="form">
                <input type="hidden" name="worker_id" value=worker_id/>
                <button type="submit" class="button button--primary button--wide">"Créer un code d'activation"</button>
            </ActionForm>
            <FormStatus status=Signal::derive(move || status_of(issue).get().filter(|s| s.is_err())) done=""/>
            {move || issued().map(|c| view! {
                <div class="activation">
                    <div class="activation__qr" inner_html=c.qr_svg.clone()></div>
                    <p class="activation__code" aria-label="Code d'activation">{c.code.clone()}</p>
                    <p>"Identifiant du salarié : "<strong>{c.login.clone()}</strong></p>
                    <p>"Valable une seule fois, jusqu'au "{c.expires_at.clone()}"."</p>
                    <p class="hint">"Le salarié scanne le QR code avec son téléphone, ou ouvre "{c.link.clone()}"."</p>
                </div>
            })}
        </article>
    }
}

/// The worker's own phone: type (or scan) the code, choose a PIN.
#[component]
pub fn ActivatePage() -> impl IntoView {
    let activate = expect_context::<crate::auth::AuthActions>().activate;
    let query = use_query_map();
    let prefilled = move || {
        query
            .read()
            .get("code")
            .map(|c| jalon_core::people::normalize_code(&c))
            .unwrap_or_default()
    };
    view! {
        <Title text="Activer mon compte"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="key"/>"Activer mon compte"</h1>
            <p>"Votre conseillère ou votre conseiller vous a donné un code."</p>
            <ActionForm action=activate attr:class="form">
                <Field id="code" label="Code reçu">
                    <input class="field__input field__input--code" id="code" name="code" value=prefilled
                        autocapitalize="characters" autocomplete="one-time-code" maxlength="20" required/>
                </Field>
                <Field id="pin" label="Choisissez votre code secret (6 chiffres)">
                    <input class="field__input" id="pin" name="pin" type="password" inputmode="numeric"
                        autocomplete="new-password" maxlength="12" required/>
                </Field>
                <Field id="pin-again" label="Tapez encore le même code">
                    <input class="field__input" id="pin-again" name="pin_again" type="password" inputmode="numeric"
                        autocomplete="new-password" maxlength="12" required/>
                </Field>
                <FormStatus status=status_of(activate) done="Votre compte est activé."/>
                <button type="submit" class="button button--primary button--wide">"Activer mon compte"</button>
            </ActionForm>
            <p class="hint">"Gardez votre code secret pour vous. Il sert à ouvrir Jalon sur votre téléphone."</p>
        </section>
    }
}

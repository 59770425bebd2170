//! The audit log: sign-ins, failed sign-ins, denials, and every admin change
//! (who, what, when, from what value to what value), and its admin screen.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::shell::Field;
use crate::shell::Loaded;
use crate::shell::icons::Icon;

#[cfg(feature = "ssr")]
pub use ssr::*;

/// What the screen shows of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditLine {
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub details: Option<String>,
    pub client_ip: Option<String>,
}

/// The event kinds, with their French names for the filter.
pub const ACTIONS: &[(&str, &str)] = &[
    ("sign_in", "Connexion"),
    ("sign_in_failed", "Connexion refusée"),
    ("access_denied", "Accès refusé"),
    ("account_activated", "Compte salarié activé"),
    ("secret_changed", "Mot de passe ou code changé"),
    ("activation_code_issued", "Code d'activation créé"),
    ("user_created", "Compte créé"),
    ("user_renamed", "Compte renommé"),
    ("user_deactivated", "Compte désactivé"),
    ("user_reactivated", "Compte réactivé"),
    ("team_created", "Équipe créée"),
    ("team_supervisor_changed", "Encadrant·e d'équipe changé·e"),
    ("worker_created", "Parcours créé"),
    ("worker_moved", "Changement d'équipe"),
    ("worker_ended", "Parcours terminé"),
    ("settings_changed", "Réglage modifié"),
    ("sensitive_read", "Lecture d'une observation sensible"),
    ("framework_changed", "Référentiel modifié"),
    ("framework_imported", "Référentiel importé"),
];

fn action_label(action: &str) -> String {
    ACTIONS
        .iter()
        .find(|(code, _)| *code == action)
        .map(|(_, label)| label.to_string())
        .unwrap_or_else(|| action.to_string())
}

/// The latest 200 events of the admin's structure, newest first, filtered by
/// kind and by period (dates `YYYY-MM-DD`, Paris days, inclusive).
#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn list_audit(
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Vec<AuditLine>, AppError> {
    use crate::people::validate::optional_date;
    let (db, actor) = crate::auth::policy::require_admin().await?;
    let action = action.filter(|a| !a.is_empty());
    if action
        .as_deref()
        .is_some_and(|a| !ACTIONS.iter().any(|(code, _)| *code == a))
    {
        return Err(AppError::Invalid("Type d'événement inconnu.".into()).respond());
    }
    let bound = |d: chrono::NaiveDate, days: i64| {
        use chrono::TimeZone;
        let midnight = (d + chrono::Duration::days(days))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default();
        chrono_tz::Europe::Paris
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| crate::db::timestamp(t.with_timezone(&chrono::Utc)))
    };
    let from = optional_date("Du", from.as_deref())
        .map_err(AppError::respond)?
        .and_then(|d| bound(d, 0));
    let to = optional_date("Au", to.as_deref())
        .map_err(AppError::respond)?
        .and_then(|d| bound(d, 1));
    let rows: Vec<AuditLine> = sqlx::query_as(
        "SELECT a.at, u.display_name AS actor, a.action, a.target_id AS target, a.details, a.client_ip \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
         WHERE a.structure_id = $1 AND ($2 IS NULL OR a.action = $2) \
         AND ($3 IS NULL OR a.at >= $3) AND ($4 IS NULL OR a.at < $4) \
         ORDER BY a.at DESC LIMIT 200",
    )
    .bind(&actor.user.structure_id)
    .bind(&action)
    .bind(&from)
    .bind(&to)
    .fetch_all(&db)
    .await?;
    Ok(rows)
}

fn paris_time(at: &str) -> String {
    #[cfg(feature = "ssr")]
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(at) {
        return t
            .with_timezone(&chrono_tz::Europe::Paris)
            .format("%d/%m/%Y %H:%M:%S")
            .to_string();
    }
    at.replace('T', " ").chars().take(19).collect()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        (q.get("action"), q.get("from"), q.get("to"))
    };
    let events = Resource::new(filters, |(action, from, to)| list_audit(action, from, to));
    view! {
        <Title text="Journal"/>
        <section class="page">
            <h1 class="page__title"><Icon name="file"/>"Journal des actions"</h1>
            <form method="get" class="card form">
                <Field id="f-action" label="Type">
                    <select class="field__input" id="f-action" name="action">
                        <option value="">"Tous"</option>
                        {ACTIONS.iter().map(|(code, label)| {
                            let selected = move || query.read().get("action").as_deref() == Some(*code);
                            view! { <option value=*code selected=selected>{*label}</option> }
                        }).collect_view()}
                    </select>
                </Field>
                <div class="field__row">
                    <Field id="f-from" label="Du">
                        <input class="field__input" id="f-from" name="from" type="date" value=move || query.read().get("from")/>
                    </Field>
                    <Field id="f-to" label="Au">
                        <input class="field__input" id="f-to" name="to" type="date" value=move || query.read().get("to")/>
                    </Field>
                </div>
                <button type="submit" class="button button--secondary">"Filtrer"</button>
            </form>
            <Loaded resource=events render=move |value| match value {
                        list if list.is_empty() => view! {
                            <p class="empty">"Aucun événement pour ces critères."</p>
                        }.into_any(),
                        list => view! {
                            <ul class="list">
                                {list.into_iter().map(|e| view! {
                                    <li class="list__item list__item--stack">
                                        <span class="list__main">{action_label(&e.action)}</span>
                                        <span class="list__meta">
                                            {paris_time(&e.at)}
                                            {e.actor.map(|a| format!(" · {a}"))}
                                            {e.client_ip.map(|ip| format!(" · {ip}"))}
                                        </span>
                                        {e.target.map(|t| view! { <span class="list__meta">"Cible : "{t}</span> })}
                                        {e.details.filter(|d| !d.is_empty()).map(|d| view! { <code class="audit__details">{d}</code> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
            }/>
        </section>
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::db::{new_id, now};

    pub struct Entry<'a> {
        pub structure_id: Option<&'a str>,
        pub actor_id: Option<&'a str>,
        pub action: &'a str,
        pub target_type: Option<&'a str>,
        pub target_id: Option<&'a str>,
        /// Free text or JSON: for changes, `{"before": …, "after": …}`.
        pub details: Option<&'a str>,
    }

    /// An event done by a signed-in person of their structure.
    pub async fn by_actor<'e, E>(
        executor: E,
        actor: &crate::auth::policy::Actor,
        action: &str,
        target: (&str, &str),
        details: &str,
    ) -> Result<(), sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
    {
        let entry = Entry {
            structure_id: Some(&actor.user.structure_id),
            actor_id: Some(&actor.user.id),
            action,
            target_type: Some(target.0),
            target_id: Some(target.1),
            details: Some(details),
        };
        record(executor, entry).await
    }

    /// A refused sign-in or activation attempt: what the brute-force limits count.
    pub async fn failed_attempt(
        db: &crate::db::Db,
        target_type: &str,
        target_id: &str,
    ) -> Result<(), sqlx::Error> {
        let entry = Entry {
            structure_id: None,
            actor_id: None,
            action: "sign_in_failed",
            target_type: Some(target_type),
            target_id: Some(target_id),
            details: None,
        };
        record(db, entry).await
    }

    /// The client address of the current request, when known.
    pub fn client_ip() -> Option<String> {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip().to_string())
    }

    pub async fn record<'e, E>(executor: E, entry: Entry<'_>) -> Result<(), sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
    {
        sqlx::query(
            "INSERT INTO audit_log (id, structure_id, at, actor_id, action, target_type, target_id, details, client_ip) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(new_id())
        .bind(entry.structure_id)
        .bind(now())
        .bind(entry.actor_id)
        .bind(entry.action)
        .bind(entry.target_type)
        .bind(entry.target_id)
        .bind(entry.details)
        .bind(client_ip())
        .execute(executor)
        .await?;
        Ok(())
    }
}

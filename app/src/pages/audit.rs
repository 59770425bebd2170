//! The admin's "Journal": the audit log (sign-ins, failed sign-ins, denials,
//! and every admin change: who, what, when, from what value to what value),
//! filtered by kind and period. The writer is `backend::audit`.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::widgets::Field;
use crate::widgets::Loaded;
use crate::widgets::icons::Icon;

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
    ("retention_hold_set", "Conservation prolongée"),
    (
        "person_anonymised",
        "Personne anonymisée (fin de conservation)",
    ),
    ("person_erased", "Données d'une personne effacées"),
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
    use jalon_core::people::optional_date;
    let (db, actor) = crate::backend::policy::require_admin().await?;
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
            .map(|t| crate::backend::db::timestamp(t.with_timezone(&chrono::Utc)))
    };
    let from = optional_date("Du", from.as_deref())
        .map_err(|m| AppError::Invalid(m).respond())?
        .and_then(|d| bound(d, 0));
    let to = optional_date("Au", to.as_deref())
        .map_err(|m| AppError::Invalid(m).respond())?
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

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
    /// The worker the event is about (their file, or one of their records).
    pub person: Option<String>,
}

/// One page of the journal, with the choices of its filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub lines: Vec<AuditLine>,
    /// (id, name) of the structure's accounts, for « Par ».
    pub actors: Vec<(String, String)>,
    /// (id, name) of the structure's workers, for « Personne concernée ».
    pub people: Vec<(String, String)>,
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
    ("device_revoked", "Appareil déconnecté à distance"),
    ("data_request_made", "Demande d'un salarié sur ses données"),
    (
        "data_request_answered",
        "Réponse à une demande sur les données",
    ),
];

fn action_label(action: &str) -> String {
    ACTIONS
        .iter()
        .find(|(code, _)| *code == action)
        .map(|(_, label)| label.to_string())
        .unwrap_or_else(|| action.to_string())
}

/// The latest 200 events of the admin's structure, newest first, filtered by
/// kind, by period (dates `YYYY-MM-DD`, Paris days, inclusive), by who acted
/// and by the person concerned (their file or any of their records): with
/// « Lecture d'une observation sensible », the log of who read what about whom.
#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn list_audit(
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[server(default)] actor_id: Option<String>,
    #[server(default)] person: Option<String>,
) -> Result<AuditView, AppError> {
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
    let actor_id = actor_id.filter(|a| !a.is_empty());
    let person = person.filter(|p| !p.is_empty());
    // The worker an event is about: the target itself, or the worker of the
    // record it targets.
    const PERSON: &str = "COALESCE(\
         (SELECT w.id FROM workers w WHERE w.id = a.target_id), \
         (SELECT o.worker_id FROM observations o WHERE o.id = a.target_id), \
         (SELECT o.worker_id FROM objectives o WHERE o.id = a.target_id), \
         (SELECT r.worker_id FROM objective_reactions r WHERE r.id = a.target_id), \
         (SELECT b.worker_id FROM bilans b WHERE b.id = a.target_id), \
         (SELECT t.worker_id FROM attestations t WHERE t.id = a.target_id))";
    let lines: Vec<AuditLine> = sqlx::query_as(&format!(
        "SELECT x.at, x.actor, x.action, x.target, x.details, x.client_ip, \
         (SELECT w.first_name || ' ' || w.last_name FROM workers w WHERE w.id = x.person_id) AS person \
         FROM (SELECT a.at, u.display_name AS actor, a.action, a.target_id AS target, a.details, \
         a.client_ip, {PERSON} AS person_id \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
         WHERE a.structure_id = $1 AND ($2 IS NULL OR a.action = $2) \
         AND ($3 IS NULL OR a.at >= $3) AND ($4 IS NULL OR a.at < $4) \
         AND ($5 IS NULL OR a.actor_id = $5)) x \
         WHERE ($6 IS NULL OR x.person_id = $6) \
         ORDER BY x.at DESC LIMIT 200"
    ))
    .bind(&actor.user.structure_id)
    .bind(&action)
    .bind(&from)
    .bind(&to)
    .bind(&actor_id)
    .bind(&person)
    .fetch_all(&db)
    .await?;
    let actors: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, display_name FROM users WHERE structure_id = $1 AND role <> 'worker' \
         ORDER BY display_name",
    )
    .bind(&actor.user.structure_id)
    .fetch_all(&db)
    .await?;
    let people: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, first_name || ' ' || last_name FROM workers \
         WHERE structure_id = $1 AND anonymised_at IS NULL ORDER BY last_name, first_name",
    )
    .bind(&actor.user.structure_id)
    .fetch_all(&db)
    .await?;
    Ok(AuditView {
        lines,
        actors,
        people,
    })
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
        (
            q.get("action"),
            q.get("from"),
            q.get("to"),
            q.get("par"),
            q.get("personne"),
        )
    };
    let events = Resource::new(filters, |(action, from, to, by, person)| {
        list_audit(action, from, to, by, person)
    });
    view! {
        <Title text="Journal"/>
        <section class="page">
            <h1 class="page__title"><Icon name="file"/>"Journal des actions"</h1>
            <Loaded resource=events render=move |view| journal(view, query)/>
        </section>
    }
}

fn journal(view: AuditView, query: Memo<leptos_router::params::ParamsMap>) -> impl IntoView {
    // One filter: a select named `key`, « all » first, then (value, label).
    let filter = move |key: &'static str,
                       label: &'static str,
                       all: &'static str,
                       list: Vec<(String, String)>| {
        let id = format!("f-{key}");
        view! {
            <Field id=id.clone() label=label>
                <select class="field__input" id=id name=key>
                    <option value="">{all}</option>
                    {list.into_iter().map(|(value, text)| {
                        let wanted = value.clone();
                        let selected = move || query.read().get(key).as_deref() == Some(wanted.as_str());
                        view! { <option value=value selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </Field>
        }
    };
    let kinds = ACTIONS
        .iter()
        .map(|(code, label)| (code.to_string(), label.to_string()))
        .collect();
    view! {
        <form method="get" class="card form">
            {filter("action", "Type", "Tous", kinds)}
            {filter("personne", "Personne concernée", "Toutes", view.people)}
            {filter("par", "Par", "Tout le monde", view.actors)}
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
        {if view.lines.is_empty() {
            view! { <p class="empty">"Aucun événement pour ces critères."</p> }.into_any()
        } else {
            view! {
                <ul class="list" data-testid="journal">
                    {view.lines.into_iter().map(|e| view! {
                        <li class="list__item list__item--stack">
                            <span class="list__main">{action_label(&e.action)}</span>
                            <span class="list__meta">
                                {paris_time(&e.at)}
                                {e.actor.map(|a| format!(" · {a}"))}
                                {e.client_ip.map(|ip| format!(" · {ip}"))}
                            </span>
                            {e.person.map(|p| view! { <span class="list__meta">"Personne concernée : "{p}</span> })}
                            {e.target.map(|t| view! { <span class="list__meta">"Cible : "{t}</span> })}
                            {e.details.filter(|d| !d.is_empty()).map(|d| view! { <code class="audit__details">{d}</code> })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

//! A parcours as a whole, on the worker file: renewing the contract, changing
//! the referent counsellor, ending the parcours with its outcome. Each change
//! keeps its history (who, when, why) in `worker_events` and the audit log.
//! The admin and the worker's referent counsellor may make them.
use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use leptos_router::hooks::use_query_map;

use super::Choice;
use crate::error::AppError;
use crate::widgets::Loaded;
use crate::widgets::{FormStatus, status_of};
pub use crate::wire::parcours::ParcoursEvent;
use crate::wire::parcours::{TimelineKind, TimelinePage};
use jalon_core::people::ExitOutcome;

#[cfg(feature = "ssr")]
use super::{COUNSELLOR_OF_STRUCTURE, audit_admin, change, invalid, own_id};
#[cfg(feature = "ssr")]
use crate::backend::policy::{Action, Resource, authorize, require_actor, worker_ref};
#[cfg(feature = "ssr")]
use jalon_core::people as validate;

/// What the parcours forms need, sent with the file to whoever may use them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParcoursChoices {
    /// Today in Paris, the default of date fields.
    pub today: String,
    pub counsellors: Vec<Choice>,
    pub counsellor_id: Option<String>,
}

/// The counsellors of a structure one may name as referent.
#[cfg(feature = "ssr")]
pub async fn choices(
    db: &crate::backend::db::Db,
    structure_id: &str,
    counsellor_id: Option<String>,
) -> Result<ParcoursChoices, AppError> {
    let counsellors: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, display_name FROM users WHERE structure_id = $1 AND role = 'counsellor' \
         AND active = TRUE ORDER BY display_name",
    )
    .bind(structure_id)
    .fetch_all(db)
    .await?;
    Ok(ParcoursChoices {
        today: crate::backend::db::today_paris().to_string(),
        counsellors: counsellors
            .into_iter()
            .map(|(id, label)| Choice { id, label })
            .collect(),
        counsellor_id,
    })
}

/// One change of a parcours, as it is kept: a row of `worker_events` (shown
/// in the file's history and timeline) and a line of the audit log.
#[cfg(feature = "ssr")]
struct Change<'a> {
    kind: &'a str,
    /// The audit log's action.
    action: &'a str,
    effective_on: &'a str,
    /// What `worker_events` keeps before and after (dates, ids, the outcome).
    values: (Option<&'a str>, Option<&'a str>),
    reason: &'a str,
    /// What the audit log keeps before and after.
    audit: (serde_json::Value, serde_json::Value),
}

#[cfg(feature = "ssr")]
async fn record(
    conn: &mut sqlx::AnyConnection,
    actor: &crate::backend::policy::Actor,
    worker_id: &str,
    c: Change<'_>,
) -> Result<(), AppError> {
    use crate::backend::db::{new_id, now};
    sqlx::query(
        "INSERT INTO worker_events (id, worker_id, kind, effective_on, before_value, after_value, \
         reason, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(worker_id)
    .bind(c.kind)
    .bind(c.effective_on)
    .bind(c.values.0)
    .bind(c.values.1)
    .bind(c.reason)
    .bind(now())
    .bind(&actor.user.id)
    .execute(&mut *conn)
    .await?;
    let details = change(c.audit.0, c.audit.1);
    audit_admin(conn, actor, c.action, ("worker", worker_id), &details).await
}

/// Where a parcours stands, read inside the write transaction.
#[cfg(feature = "ssr")]
#[derive(sqlx::FromRow)]
struct Current {
    status: String,
    contract_start: String,
    contract_end: Option<String>,
    counsellor_id: Option<String>,
}

#[cfg(feature = "ssr")]
async fn current(conn: &mut sqlx::AnyConnection, worker_id: &str) -> Result<Current, AppError> {
    Ok(sqlx::query_as(
        "SELECT status, contract_start, contract_end, counsellor_id FROM workers WHERE id = $1",
    )
    .bind(worker_id)
    .fetch_one(conn)
    .await?)
}

/// The signed-in person, if they may change this parcours (the admin, the
/// referent counsellor); anyone else is answered as for a missing record.
#[cfg(feature = "ssr")]
async fn manager(
    worker_id: &str,
) -> Result<(crate::backend::db::Db, crate::backend::policy::Actor), AppError> {
    let (db, actor) = require_actor().await?;
    let access = worker_ref(&db, &actor, worker_id).await?;
    authorize(&db, &actor, Action::Manage, &Resource::Parcours(&access)).await?;
    Ok((db, actor))
}

/// Where a parcours still running stands; an ended one can no longer change.
#[cfg(feature = "ssr")]
async fn running(conn: &mut sqlx::AnyConnection, worker_id: &str) -> Result<Current, AppError> {
    let now = current(conn, worker_id).await?;
    if now.status == "ended" {
        return Err(invalid(AppError::Invalid(
            "Ce parcours est terminé : il ne peut plus changer.".into(),
        )));
    }
    Ok(now)
}

/// Renews the contract: its end moves later, the days up to the new end count
/// as expected in the attendance figures.
#[server(prefix = "/api", endpoint = "people/renew_contract")]
pub async fn renew_contract(
    worker_id: String,
    contract_end: String,
    reason: String,
) -> Result<(), AppError> {
    let (db, actor) = manager(&worker_id).await?;
    let new_end = validate::date("Nouvelle fin du contrat", &contract_end).map_err(invalid)?;
    let reason = validate::reason(&reason).map_err(invalid)?;
    let new_end_s = new_end.format("%Y-%m-%d").to_string();
    let mut tx = db.begin().await?;
    let now = running(&mut tx, &worker_id).await?;
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let start = parse(&now.contract_start).ok_or(AppError::Internal)?;
    validate::renewal_end(start, now.contract_end.as_deref().and_then(parse), new_end)
        .map_err(invalid)?;
    sqlx::query("UPDATE workers SET contract_end = $1 WHERE id = $2")
        .bind(&new_end_s)
        .bind(&worker_id)
        .execute(&mut *tx)
        .await?;
    let today = crate::backend::db::today_paris().to_string();
    record(
        &mut tx,
        &actor,
        &worker_id,
        Change {
            kind: "renewal",
            action: "contract_renewed",
            effective_on: &today,
            values: (now.contract_end.as_deref(), Some(&new_end_s)),
            reason: &reason,
            audit: (
                serde_json::json!({ "contract_end": now.contract_end }),
                serde_json::json!({ "contract_end": new_end_s, "reason": reason }),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Names another referent counsellor (or none). The former one no longer
/// follows the person unless the structure lets counsellors see everyone.
#[server(prefix = "/api", endpoint = "people/change_counsellor")]
pub async fn change_counsellor(
    worker_id: String,
    counsellor_id: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    let (db, actor) = manager(&worker_id).await?;
    let counsellor = own_id(
        &db,
        &actor.user.structure_id,
        COUNSELLOR_OF_STRUCTURE,
        counsellor_id,
        "CIP référent·e",
    )
    .await?;
    let reason = validate::reason(&reason).map_err(invalid)?;
    let mut tx = db.begin().await?;
    let now = running(&mut tx, &worker_id).await?;
    if now.counsellor_id == counsellor {
        return Err(invalid(AppError::Invalid(
            "CIP référent·e : c'est déjà la personne choisie.".into(),
        )));
    }
    sqlx::query("UPDATE workers SET counsellor_id = $1 WHERE id = $2")
        .bind(&counsellor)
        .bind(&worker_id)
        .execute(&mut *tx)
        .await?;
    let today = crate::backend::db::today_paris().to_string();
    record(
        &mut tx,
        &actor,
        &worker_id,
        Change {
            kind: "counsellor",
            action: "counsellor_changed",
            effective_on: &today,
            values: (now.counsellor_id.as_deref(), counsellor.as_deref()),
            reason: &reason,
            audit: (
                serde_json::json!({ "counsellor_id": now.counsellor_id }),
                serde_json::json!({ "counsellor_id": counsellor, "reason": reason }),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends the parcours on a date with its outcome: the contract ends that day
/// (no day after it counts as expected) and the exit joins the funders' figures.
#[server(prefix = "/api", endpoint = "people/end_worker")]
pub async fn end_worker(
    worker_id: String,
    end_date: String,
    outcome: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    let (db, actor) = manager(&worker_id).await?;
    let end = validate::date("Date de fin", &end_date).map_err(invalid)?;
    let outcome =
        validate::exit_outcome(outcome.as_deref().unwrap_or_default()).map_err(invalid)?;
    let reason = jalon_core::text::optional_line(
        "Précisions",
        reason.as_deref().unwrap_or_default(),
        validate::MAX_REASON_CHARS,
    )
    .map_err(invalid)?
    .unwrap_or_default();
    let end_s = end.format("%Y-%m-%d").to_string();
    let mut tx = db.begin().await?;
    let now = running(&mut tx, &worker_id).await?;
    if end_s < now.contract_start {
        return Err(invalid(AppError::Invalid(
            "La fin du parcours ne peut pas précéder le début du contrat.".into(),
        )));
    }
    sqlx::query(
        "UPDATE workers SET status = 'ended', contract_end = $1, exit_outcome = $2 WHERE id = $3",
    )
    .bind(&end_s)
    .bind(outcome.code())
    .bind(&worker_id)
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        &actor,
        &worker_id,
        Change {
            kind: "exit",
            action: "worker_ended",
            effective_on: &end_s,
            values: (now.contract_end.as_deref(), Some(outcome.code())),
            reason: &reason,
            audit: (
                serde_json::json!({ "status": now.status, "contract_end": now.contract_end }),
                serde_json::json!({ "status": "ended", "contract_end": end_s, "exit_outcome": outcome.code() }),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The three parcours forms, for the admin and the referent counsellor.
#[component]
pub fn ParcoursPanel(
    worker_id: String,
    choices: ParcoursChoices,
    renewed: ServerAction<RenewContract>,
    referent: ServerAction<ChangeCounsellor>,
    ended: ServerAction<EndWorker>,
) -> impl IntoView {
    let current = choices.counsellor_id.clone().unwrap_or_default();
    let (id_renew, id_referent, id_end) = (worker_id.clone(), worker_id.clone(), worker_id);
    view! {
        <ActionForm action=renewed attr:class="card form">
            <h2 class="card__title">"Renouveler le contrat"</h2>
            <input type="hidden" name="worker_id" value=id_renew/>
            <label class="field__label" for="renew-end">"Nouvelle fin du contrat"</label>
            <input class="field__input" id="renew-end" name="contract_end" type="date" required/>
            <label class="field__label" for="renew-reason">"Motif"</label>
            <input class="field__input" id="renew-reason" name="reason" maxlength="500" required
                placeholder="Ex. : prolongation accordée pour finir la formation"/>
            <FormStatus status=status_of(renewed) done="Contrat renouvelé."/>
            <button type="submit" class="button button--secondary">"Renouveler"</button>
        </ActionForm>
        <ActionForm action=referent attr:class="card form">
            <h2 class="card__title">"Changer de CIP référent·e"</h2>
            <input type="hidden" name="worker_id" value=id_referent/>
            <label class="field__label" for="referent">"CIP référent·e"</label>
            <select class="field__input" id="referent" name="counsellor_id">
                <option value="" selected=current.is_empty()>"Personne pour l'instant"</option>
                {choices.counsellors.into_iter().map(|c| {
                    let selected = c.id == current;
                    view! { <option value=c.id selected=selected>{c.label}</option> }
                }).collect_view()}
            </select>
            <label class="field__label" for="referent-reason">"Motif"</label>
            <input class="field__input" id="referent-reason" name="reason" maxlength="500" required
                placeholder="Ex. : départ en congé de la CIP"/>
            <FormStatus status=status_of(referent) done="CIP référent·e changé·e."/>
            <button type="submit" class="button button--secondary">"Changer de CIP"</button>
        </ActionForm>
        <ActionForm action=ended attr:class="card form">
            <h2 class="card__title">"Terminer le parcours"</h2>
            <input type="hidden" name="worker_id" value=id_end/>
            <label class="field__label" for="end-date">"Date de fin"</label>
            <input class="field__input" id="end-date" name="end_date" type="date" value=choices.today required/>
            <fieldset class="choices">
                <legend class="field__label">"Issue du parcours"</legend>
                {ExitOutcome::ALL.into_iter().map(|o| {
                    let id = format!("outcome-{}", o.code());
                    let label_for = id.clone();
                    view! {
                        <label class="choice" for=label_for>
                            <input type="radio" id=id name="outcome" value=o.code() required/>
                            <span class="choice__text">
                                <span class="choice__label">{o.label()}</span>
                                <span class="choice__hint">{o.hint()}</span>
                            </span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label class="field__label" for="end-reason">"Précisions (facultatif)"</label>
            <input class="field__input" id="end-reason" name="reason" maxlength="500"
                placeholder="Ex. : CDI d'agent d'entretien chez un bailleur"/>
            <FormStatus status=status_of(ended) done="Parcours terminé."/>
            <button type="submit" class="button button--secondary">"Terminer le parcours"</button>
        </ActionForm>
    }
}

/// One window of a person's timeline (8 weeks, newest first), for the staff
/// who may read their file; `kind` keeps one kind of line, `before` is the
/// last day of the window (today when empty).
#[server(prefix = "/api", endpoint = "people/timeline")]
pub async fn timeline(
    worker_id: String,
    kind: Option<String>,
    before: Option<String>,
) -> Result<TimelinePage, AppError> {
    let (db, actor) = require_actor().await?;
    let access = worker_ref(&db, &actor, &worker_id).await?;
    authorize(&db, &actor, Action::View, &Resource::Worker(&access)).await?;
    if actor.user.role == jalon_core::roles::Role::Worker {
        return Err(AppError::NotFound.respond());
    }
    let kind =
        match kind.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(TimelineKind::parse(code).ok_or_else(|| {
                invalid(AppError::Invalid("Type de ligne : choix inconnu.".into()))
            })?),
        };
    let before = validate::optional_date("Jusqu'au", before.as_deref()).map_err(invalid)?;
    crate::backend::parcours::timeline(&db, &actor, &access, kind, before).await
}

/// The timeline of a file: filters by kind, the window's lines, and a link
/// to the older window. Its address keeps the filter and the window
/// (`?vue=…&avant=…`), so the browser's back button and a shared link work.
#[component]
pub fn Timeline(worker_id: String) -> impl IntoView {
    let query = use_query_map();
    let id = worker_id.clone();
    let page = leptos::prelude::Resource::new(
        move || {
            let q = query.read();
            (id.clone(), q.get("vue"), q.get("avant"))
        },
        |(id, kind, before)| timeline(id, kind, before),
    );
    let base = format!("/salaries/{worker_id}");
    let current = move || query.read().get("vue").unwrap_or_default();
    let filter_link = {
        let base = base.clone();
        move |code: &'static str, label: &'static str| {
            let href = if code.is_empty() {
                base.clone()
            } else {
                format!("{base}?vue={code}")
            };
            view! {
                <a class="chip chip--choice" href=href aria-current=move || (current() == code).then_some("true")>{label}</a>
            }
        }
    };
    view! {
        <section class="timeline" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Le parcours"</h2>
            <nav class="chips" aria-label="Voir">
                {filter_link("", "Tout")}
                {TimelineKind::ALL.into_iter().map(|k| filter_link(k.code(), k.label())).collect_view()}
            </nav>
            <Loaded resource=page render=move |p| timeline_window(p, base.clone(), current())/>
        </section>
    }
}

fn timeline_window(page: TimelinePage, base: String, kind: String) -> impl IntoView {
    let window = format!(
        "Du {} au {}",
        jalon_core::dates::french_date(&page.from),
        jalon_core::dates::french_date(&page.to)
    );
    let older = page.older.map(|before| {
        let href = if kind.is_empty() {
            format!("{base}?avant={before}")
        } else {
            format!("{base}?vue={kind}&avant={before}")
        };
        view! { <a class="button button--secondary button--wide" href=href>"Voir les 8 semaines d'avant"</a> }
    });
    let lines = if page.items.is_empty() {
        view! { <p class="empty">"Rien de noté sur ces 8 semaines."</p> }.into_any()
    } else {
        view! {
            <ol class="timeline__list">
                {page.items.into_iter().map(|i| view! {
                    <li class=format!("timeline__item timeline__item--{}", i.kind.code()) data-kind=i.kind.code()>
                        <p class="timeline__head">
                            <time datetime=i.on.clone()>{jalon_core::dates::day_label(&i.on)}</time>
                            " · "<strong>{i.title}</strong>
                            {i.open_alert.then(|| view! { <span class="chip chip--alert">"à prendre en compte"</span> })}
                            {i.sensitive.then(|| view! { <span class="chip">"Sensible"</span> })}
                        </p>
                        {(!i.detail.is_empty()).then(|| view! { <p class="timeline__detail">{i.detail}</p> })}
                        {i.by.map(|b| view! { <p class="list__meta">"par "{b}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        }.into_any()
    };
    view! {
        <p class="list__meta">{window}</p>
        {lines}
        {older}
    }
}

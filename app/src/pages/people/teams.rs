//! Admin screen "Équipes": teams, their activity and their supervisors.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{Choice, TeamLine, people_choices};
use crate::error::AppError;
use crate::widgets::Field;
use crate::widgets::Loaded;
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, status_of};

#[cfg(feature = "ssr")]
use super::{SUPERVISOR_OF_STRUCTURE, audit_admin, change, invalid, own_id, store, validate};
#[cfg(feature = "ssr")]
use crate::backend::policy::require_admin;

#[server(prefix = "/api", endpoint = "people/list_teams")]
pub async fn list_teams() -> Result<Vec<TeamLine>, AppError> {
    let (db, actor) = require_admin().await?;
    let teams: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT t.id, t.name, t.activity, \
         (SELECT COUNT(*) FROM workers w WHERE w.team_id = t.id AND w.status = 'active') \
         FROM teams t WHERE t.structure_id = $1 ORDER BY t.name",
    )
    .bind(&actor.user.structure_id)
    .fetch_all(&db)
    .await?;
    let links: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT ts.team_id, u.id, u.display_name FROM team_supervisors ts \
         JOIN users u ON u.id = ts.user_id JOIN teams t ON t.id = ts.team_id \
         WHERE t.structure_id = $1 ORDER BY u.display_name",
    )
    .bind(&actor.user.structure_id)
    .fetch_all(&db)
    .await?;
    Ok(teams
        .into_iter()
        .map(|(id, name, activity, workers)| TeamLine {
            supervisors: links
                .iter()
                .filter(|(team, _, _)| *team == id)
                .map(|(_, uid, label)| Choice {
                    id: uid.clone(),
                    label: label.clone(),
                })
                .collect(),
            id,
            name,
            activity,
            workers,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "people/create_team")]
pub async fn create_team(
    name: String,
    activity: String,
    supervisor_id: Option<String>,
) -> Result<(), AppError> {
    let (db, actor) = require_admin().await?;
    let name =
        validate::text("Nom de l'équipe", &name, validate::MAX_NAME_CHARS).map_err(invalid)?;
    let activity =
        validate::text("Activité", &activity, validate::MAX_NAME_CHARS).map_err(invalid)?;
    let sid = actor.user.structure_id.clone();
    let supervisor = own_id(
        &db,
        &sid,
        SUPERVISOR_OF_STRUCTURE,
        supervisor_id,
        "Encadrant·e",
    )
    .await?;
    let supervisors: Vec<&str> = supervisor.iter().map(String::as_str).collect();
    let mut tx = db.begin().await?;
    let id = store::insert_team(&mut tx, &sid, &name, &activity, &supervisors).await?;
    let details = change(
        serde_json::Value::Null,
        serde_json::json!({ "name": name, "activity": activity, "supervisors": supervisors }),
    );
    audit_admin(&mut *tx, &actor, "team_created", ("team", &id), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds (`assign = true`) or removes a supervisor of a team.
#[server(prefix = "/api", endpoint = "people/assign_supervisor")]
pub async fn assign_supervisor(
    team_id: String,
    user_id: String,
    assign: bool,
) -> Result<(), AppError> {
    use super::TEAM_OF_STRUCTURE;
    let (db, actor) = require_admin().await?;
    let sid = actor.user.structure_id.clone();
    let team = own_id(&db, &sid, TEAM_OF_STRUCTURE, Some(team_id), "Équipe")
        .await?
        .ok_or_else(|| invalid(AppError::Invalid("Équipe : choix inconnu.".into())))?;
    let user = own_id(
        &db,
        &sid,
        SUPERVISOR_OF_STRUCTURE,
        Some(user_id),
        "Encadrant·e",
    )
    .await?
    .ok_or_else(|| invalid(AppError::Invalid("Encadrant·e : choix inconnu.".into())))?;
    let mut tx = db.begin().await?;
    let sql = if assign {
        "INSERT INTO team_supervisors (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM team_supervisors WHERE team_id = $1 AND user_id = $2"
    };
    sqlx::query(sql)
        .bind(&team)
        .bind(&user)
        .execute(&mut *tx)
        .await?;
    let details = change(
        serde_json::json!({ "supervisor": user, "assigned": !assign }),
        serde_json::json!({ "supervisor": user, "assigned": assign }),
    );
    audit_admin(
        &mut *tx,
        &actor,
        "team_supervisor_changed",
        ("team", &team),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[component]
pub fn TeamsPage() -> impl IntoView {
    let create = ServerAction::<CreateTeam>::new();
    let assign = ServerAction::<AssignSupervisor>::new();
    let data = Resource::new(
        move || (create.version().get(), assign.version().get()),
        |_| async { Ok::<_, AppError>((list_teams().await?, people_choices().await?)) },
    );
    view! {
        <Title text="Équipes"/>
        <section class="page">
            <h1 class="page__title"><Icon name="team"/>"Équipes"</h1>
            <Loaded resource=data render=move |(teams, choices): (Vec<TeamLine>, super::Choices)| {
                            let supervisors = choices.supervisors.clone();
                            view! {
                                <FormStatus status=status_of(assign) done="Équipe mise à jour."/>
                                {teams.is_empty().then(|| view! {
                                    <p class="empty">"Aucune équipe. Créez la première avec le formulaire ci-dessous."</p>
                                })}
                                {teams.into_iter().map(|t| team_card(t, &choices.supervisors, assign)).collect_view()}
                                <ActionForm action=create attr:class="card form">
                                    <h2 class="card__title">"Nouvelle équipe"</h2>
                                    <Field id="team-name" label="Nom de l'équipe">
                                        <input class="field__input" id="team-name" name="name" maxlength="100" required/>
                                    </Field>
                                    <Field id="team-activity" label="Activité">
                                        <input class="field__input" id="team-activity" name="activity" maxlength="100" required/>
                                    </Field>
                                    <Field id="team-supervisor" label="Encadrant·e">
                                        <select class="field__input" id="team-supervisor" name="supervisor_id">
                                            <option value="">"Plus tard"</option>
                                            {supervisors.into_iter().map(|s| view! { <option value=s.id>{s.label}</option> }).collect_view()}
                                        </select>
                                    </Field>
                                    <FormStatus status=status_of(create) done="Équipe créée."/>
                                    <button type="submit" class="button button--primary button--wide">"Créer l'équipe"</button>
                                </ActionForm>
                            }
                        }/>
        </section>
    }
}

fn team_card(
    team: TeamLine,
    all_supervisors: &[Choice],
    assign: ServerAction<AssignSupervisor>,
) -> impl IntoView + use<> {
    let others: Vec<Choice> = all_supervisors
        .iter()
        .filter(|s| !team.supervisors.iter().any(|t| t.id == s.id))
        .cloned()
        .collect();
    let team_id = team.id.clone();
    view! {
        <article class="card">
            <h2 class="card__title"><Icon name="team"/>{team.name.clone()}</h2>
            <p class="card__meta">{team.activity.clone()}" · "{team.workers}" salariés"</p>
            <ul class="list list--flat">
                {team.supervisors.into_iter().map(|s| {
                    let team_id = team_id.clone();
                    view! {
                        <li class="list__item">
                            <span class="list__main">{s.label.clone()}</span>
                            <ActionForm action=assign>
                                <input type="hidden" name="team_id" value=team_id/>
                                <input type="hidden" name="user_id" value=s.id/>
                                <input type="hidden" name="assign" value="false"/>
                                <button type="submit" class="button button--quiet">"Retirer"</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!others.is_empty()).then(|| view! {
                <ActionForm action=assign attr:class="field__row">
                    <input type="hidden" name="team_id" value=team_id.clone()/>
                    <input type="hidden" name="assign" value="true"/>
                    <label class="visually-hidden" for=format!("add-{team_id}")>"Encadrant·e à ajouter"</label>
                    <select class="field__input" id=format!("add-{team_id}") name="user_id">
                        {others.into_iter().map(|s| view! { <option value=s.id>{s.label}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button button--secondary">"Ajouter"</button>
                </ActionForm>
            })}
        </article>
    }
}

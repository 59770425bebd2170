//! The home screen of each role: what a person needs first when they open Jalon.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Redirect};

use crate::auth::{CurrentUser, Role, use_user};
use crate::error::AppError;
use crate::widgets::Loaded;
use crate::widgets::icons::Icon;
pub use crate::wire::home::{HomeSummary, TeamLine, WorkerLine};

#[server(prefix = "/api", endpoint = "home/summary")]
pub async fn fetch_home_summary() -> Result<HomeSummary, AppError> {
    let user = crate::backend::session::current_user()
        .await?
        .ok_or_else(|| AppError::NotSignedIn.respond())?;
    let db = crate::backend::db::db()?;
    crate::backend::home::summary(&db, &user).await
}

#[component]
pub fn HomePage() -> impl IntoView {
    let user = use_user();
    // Created here, never inside the closure below: that closure may run
    // again while the server renders (when the user resource settles late),
    // and a resource created in it would then exist twice on the server and
    // once in the browser, and the page would fail to hydrate.
    let summary = Resource::new(|| (), |_| fetch_home_summary());
    view! {
        <Title text=""/>
        <Loaded resource=user render=move |value| match value {
                    Some(u) => view! { <RoleHome user=u summary/> }.into_any(),
                    None => view! { <Redirect path="/connexion"/> }.into_any(),
        }/>
    }
}

#[component]
fn RoleHome(user: CurrentUser, summary: Resource<Result<HomeSummary, AppError>>) -> impl IntoView {
    let greeting = match user.role {
        Role::Worker => format!("Bonjour {}", first_word(&user.display_name)),
        _ => format!("Bonjour {}", user.display_name),
    };
    // The worker's home reads the phone's store: it opens offline too.
    let worker = user.role == Role::Worker;
    view! {
        <section class="page">
            <h1 class="page__title"><Icon name="home"/>{greeting}</h1>
            {if worker {
                view! { <crate::pages::objectives::WorkerHome/> }.into_any()
            } else {
                view! { <Loaded resource=summary render=summary_view/> }.into_any()
            }}
        </section>
    }
}

fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

fn summary_view(summary: HomeSummary) -> AnyView {
    match summary {
        HomeSummary::Admin { users, teams, active_workers } => view! {
            <p class="lead">"Votre structure en chiffres."</p>
            <ul class="stats">
                <li class="stat"><span class="stat__value">{active_workers}</span><span class="stat__label">"salariés en parcours"</span></li>
                <li class="stat"><span class="stat__value">{teams}</span><span class="stat__label">"équipes"</span></li>
                <li class="stat"><span class="stat__value">{users}</span><span class="stat__label">"comptes actifs"</span></li>
            </ul>
            <a class="button button--secondary button--wide" href="/presences">"Présences et export"</a>
            <a class="button button--secondary button--wide" href="/referentiels">"Référentiels de compétences"</a>
            <a class="button button--secondary button--wide" href="/admin/conservation">"Conservation des données"</a>
            <a class="button button--secondary button--wide" href="/admin/accueil">"Liste d'accueil des nouveaux salariés"</a>
        }
        .into_any(),
        HomeSummary::Supervisor { teams } if teams.is_empty() => view! {
            <p class="empty">"Aucune équipe ne vous est encore confiée. Demandez à la ou au responsable de vous ajouter à une équipe."</p>
        }
        .into_any(),
        HomeSummary::Supervisor { teams } => view! {
            <a class="button button--primary button--wide" href="/pointage">"Pointage du jour"</a>
            <a class="button button--secondary button--wide" href="/observations/nouvelle">"Nouvelle observation"</a>
            <a class="button button--secondary button--wide" href="/seances">"Séances d'apprentissage"</a>
            <a class="button button--secondary button--wide" href="/objectifs">"Objectifs des salariés"</a>
            <a class="button button--secondary button--wide" href="/securite">"Quart d'heure sécurité"</a>
            <p class="lead">"Vos équipes aujourd'hui."</p>
            {teams
                .into_iter()
                .map(|t| {
                    let count = t.workers.len();
                    view! {
                        <article class="card">
                            <h2 class="card__title"><Icon name="team"/>{t.name}</h2>
                            <p class="card__meta">{t.activity}" · "{count}" salariés"</p>
                            <ul class="people">
                                {t.workers.into_iter().map(|w| {
                                    let welcome = format!("Accueil de {}", w.name);
                                    view! {
                                        <li class="people__line">
                                            <A href=format!("/salaries/{}", w.id)>{w.name}</A>
                                            <a class="people__more" href=format!("/accueil?salarie={}", w.id)
                                                aria-label=welcome>"Accueil"</a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </article>
                    }
                })
                .collect_view()}
        }
        .into_any(),
        HomeSummary::Counsellor { workers, .. } if workers.is_empty() => view! {
            <p class="empty">"Vous ne suivez encore aucun salarié. La ou le responsable vous désigne comme référent·e d'un parcours."</p>
        }
        .into_any(),
        HomeSummary::Counsellor { workers, open_alerts, unread } => {
            let count = workers.len();
            let alerts = match open_alerts {
                0 => "Aucune alerte à prendre en compte".to_string(),
                1 => "1 alerte à prendre en compte".to_string(),
                n => format!("{n} alertes à prendre en compte"),
            };
            let unread = match unread {
                0 => "rien de nouveau".to_string(),
                1 => "1 observation non lue".to_string(),
                n => format!("{n} observations non lues"),
            };
            let card = if open_alerts > 0 { "card observation--open-alert" } else { "card" };
            let button = if open_alerts > 0 { "button button--primary button--wide" } else { "button button--secondary button--wide" };
            view! {
                <article class=card>
                    <h2 class="card__title"><Icon name="file"/>"Observations"</h2>
                    <p>{alerts}" · "{unread}</p>
                    <A href="/fil" attr:class=button>"Ouvrir le fil des observations"</A>
                </article>
                <p class="lead">"Vous suivez "{count}" salariés."</p>
                <ul class="list">
                    {workers
                        .into_iter()
                        .map(|w| view! {
                            <li>
                                <A href=format!("/salaries/{}", w.id) attr:class="list__item list__link">
                                    <span class="list__main">{w.name}</span>
                                    <span class="list__meta">{w.team.unwrap_or_else(|| "Sans équipe".into())}</span>
                                    // Empty (and hidden) unless the person is new.
                                    <span class="list__meta list__welcome">{w.welcome}</span>
                                </A>
                            </li>
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
        HomeSummary::Worker { first_name: _, team, contract_end } => view! {
            <p class="lead">"Voici votre espace."</p>
            <article class="card">
                <h2 class="card__title"><Icon name="team"/>"Mon équipe"</h2>
                <p>{team.unwrap_or_else(|| "Pas encore d'équipe.".into())}</p>
            </article>
            <article class="card">
                <h2 class="card__title"><Icon name="calendar"/>"Mon contrat"</h2>
                <p>{contract_end.map(|d| format!("Il se termine le {d}.")).unwrap_or_else(|| "Pas de date de fin.".into())}</p>
            </article>
        }
        .into_any(),
    }
}

//! A worker's progression per skill, from their evaluations: the latest
//! level and its history (which session, when, by whom). The rules are
//! plain functions (unit-tested); the pages read the phone's store, so they
//! work offline for staff and for the worker.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::run::evaluations;
use crate::local::catalogue;
use crate::local::sync as client;
use crate::local::sync::use_sync;
use crate::widgets::icons::Icon;
use jalon_core::dates::long_day;
use jalon_core::observations::{self, Summary};
use jalon_core::sessions::progression::{Entry, Seen, SkillProgress, progression, successes_first};
use jalon_core::sessions::{Level, RECORD_TYPE};

/// One session's verdict on one skill.
/// The worker's evaluations held on the phone, turned into progression.
/// The progression held on the phone: one worker's (staff), or all it holds (a worker's own).
pub async fn load(worker_id: Option<String>) -> Result<Vec<SkillProgress>, String> {
    let records = client::records(RECORD_TYPE)
        .await
        .map_err(|e| e.to_string())?;
    let catalogue = catalogue::load().await.unwrap_or_default();
    let list: Vec<_> = evaluations(records)
        .into_iter()
        .filter(|(_, e)| worker_id.as_ref().is_none_or(|w| *w == e.worker_id))
        .collect();
    let entries: Vec<Entry> = list
        .iter()
        .map(|(r, e)| Entry {
            evaluation: e,
            by: &r.author_name,
            updated_at: &r.updated_at,
        })
        .collect();
    // Skills seen at work: the « Compétence » observations this phone holds
    // (a worker's phone holds those shared with them).
    let notes = client::records(observations::RECORD_TYPE)
        .await
        .map_err(|e| e.to_string())?;
    let sightings: Vec<(&jalon_core::sync::engine::LocalRecord, Summary)> = notes
        .iter()
        .filter_map(|r| Some((r, serde_json::from_value::<Summary>(r.data.clone()).ok()?)))
        .filter(|(_, o)| !o.retracted && worker_id.as_ref().is_none_or(|w| *w == o.worker_id))
        .collect();
    let seen: Vec<Seen> = sightings
        .iter()
        .filter_map(|(r, o)| {
            Some(Seen {
                on: &o.observed_on,
                skill: o.skill.as_ref()?,
                level: o.level?,
                note: &o.body,
                by: &r.author_name,
                updated_at: &r.updated_at,
            })
        })
        .collect();
    Ok(progression(&entries, &seen, |t| {
        catalogue.archived(&t.framework_id, &t.skill_id)
    }))
}

fn level_chip(level: Level, for_worker: bool) -> impl IntoView {
    let words = if for_worker {
        level.for_worker()
    } else {
        level.label()
    };
    view! { <span class=format!("level-chip level-chip--{}", level.code())>{words}</span> }
}

fn skill_card(s: SkillProgress, for_worker: bool) -> impl IntoView {
    let latest = s.history.first().cloned();
    let count = s.history.len();
    view! {
        <article class="card progress" data-skill=s.skill.title.clone()>
            <h3 class="progress__title">{s.skill.title.clone()}</h3>
            <p>{level_chip(s.level, for_worker)}</p>
            {latest.map(|e| view! {
                <p class="card__meta">
                    {match (for_worker, e.at_work) {
                        (true, true) => format!("Vu au travail le {} par {}", long_day(&e.held_on), e.by),
                        (true, false) => format!("Vu le {} avec {}", long_day(&e.held_on), e.by),
                        (false, _) => format!("Dernière évaluation : {} · {} · {}", long_day(&e.held_on), e.origin(), e.by),
                    }}
                </p>
            })}
            <details class="progress__history">
                <summary>{if count > 1 { format!("Historique ({count} évaluations)") } else { "Détail".to_string() }}</summary>
                <ol class="history">
                    {s.history.into_iter().map(|e| view! {
                        <li class="history__item" data-origin=if e.at_work { "travail" } else { "seance" }>
                            <p><strong>{long_day(&e.held_on)}</strong>{format!(" · {} · {} · ", e.origin(), e.by)}{level_chip(e.level, for_worker)}</p>
                            {(!e.note.is_empty()).then(|| view! { <p class="muted">{e.note.clone()}</p> })}
                            <ul>
                                {e.criteria.into_iter().map(|(label, level, comment)| view! {
                                    <li>
                                        {format!("{label} : {}", if for_worker { level.for_worker() } else { level.label() })}
                                        {(!comment.is_empty()).then(|| view! { <span class="muted">{format!(" — {comment}")}</span> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ol>
            </details>
        </article>
    }
}

/// Staff: a worker's skills (`/progression?salarie=`).
#[component]
pub fn ProgressionPage() -> impl IntoView {
    let sync = use_sync();
    let query = use_query_map();
    let data = LocalResource::new(move || {
        sync.revision.track();
        let worker = query.read().get("salarie").unwrap_or_default();
        async move {
            let name = client::workers()
                .await
                .unwrap_or_default()
                .into_iter()
                .find(|w| w.id == worker)
                .map(|w| w.name());
            load(Some(worker)).await.map(|p| (name, p))
        }
    });
    view! {
        <Title text="Compétences"/>
        <section class="page page--narrow">
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((name, skills)) => {
                            let (active, archived): (Vec<_>, Vec<_>) = skills.into_iter().partition(|s| !s.archived);
                            view! {
                                <h1 class="page__title"><Icon name="star"/>{format!("Compétences de {}", name.unwrap_or_else(|| "la personne".into()))}</h1>
                                {active.is_empty().then(|| view! { <p class="empty">"Aucune évaluation sur ce téléphone pour l'instant."</p> })}
                                {active.into_iter().map(|s| skill_card(s, false)).collect_view()}
                                {(!archived.is_empty()).then(|| view! {
                                    <h2 class="section-title">"Compétences retirées du référentiel"</h2>
                                    <p class="muted">"Elles ne sont plus proposées ; leurs évaluations restent."</p>
                                    {archived.into_iter().map(|s| skill_card(s, false)).collect_view()}
                                })}
                            }.into_any()
                        }
                        Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The worker's own skills, in plain words, successes first.
#[component]
pub fn MySkillsPage() -> impl IntoView {
    let sync = use_sync();
    let data = LocalResource::new(move || {
        sync.revision.track();
        load(None)
    });
    view! {
        <Title text="Ce que je sais faire"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="star"/>"Ce que je sais faire"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(skills) if skills.is_empty() => view! {
                            <p class="empty">"Pas encore d'évaluation. Votre encadrant vous évalue pendant les séances d'apprentissage et au travail."</p>
                        }.into_any(),
                        Ok(skills) => {
                            let skills = successes_first(skills);
                            let known = skills.iter().filter(|s| s.level == Level::Acquired).count();
                            view! {
                                <p class="lead">{match known {
                                    0 => "Vous apprenez. Voici où vous en êtes.".to_string(),
                                    1 => "Bravo : vous savez faire 1 chose.".to_string(),
                                    n => format!("Bravo : vous savez faire {n} choses."),
                                }}</p>
                                {skills.into_iter().map(|s| skill_card(s, true)).collect_view()}
                            }.into_any()
                        }
                        Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

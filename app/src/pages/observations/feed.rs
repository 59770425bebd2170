//! The counsellor's side: a feed of the observations about the workers they
//! follow (open alerts first, then unread, then the rest), filters, and the
//! follow-up written on the server — read, acknowledged, replies — which
//! the sync carries back to the supervisors' phones ("Vu par la CIP").
use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::widgets::Field;
use crate::widgets::Loaded;
use crate::widgets::icons::Icon;
pub use crate::wire::feed::*;
use jalon_core::dates::day_label;
use jalon_core::observations::{Category, FollowUp, Kind, category_label};

/// The lines a supervisor sees under their observation.
pub fn follow_up_view(follow: &FollowUp) -> impl IntoView + use<> {
    let acknowledged = follow.acknowledged_by.clone().map(|by| {
        format!(
            "Alerte prise en compte par {by}, le {}",
            follow.acknowledged_at.clone().unwrap_or_default()
        )
    });
    let seen = follow.seen_by.clone().map(|by| {
        format!(
            "Vu par la CIP ({by}, le {})",
            follow.seen_at.clone().unwrap_or_default()
        )
    });
    let replies = follow
        .replies
        .iter()
        .map(|r| {
            view! {
                <li class="reply">
                    <p class="card__meta">"Réponse de "{r.author.clone()}", le "{r.at.clone()}</p>
                    <p class="observation__body">{r.body.clone()}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        {acknowledged.map(|t| view! { <p class="follow follow--ack"><Icon name="check"/>{t}</p> })}
        {seen.map(|t| view! { <p class="follow"><Icon name="check"/>{t}</p> })}
        <ul class="replies" aria-label="Réponses">{replies}</ul>
    }
}

#[server(prefix = "/api", endpoint = "observations/feed")]
pub async fn observation_feed(filter: FeedFilter) -> Result<Feed, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::feed::feed(&db, &actor, filter).await
}

#[server(prefix = "/api", endpoint = "observations/mark_read")]
pub async fn mark_observation_read(id: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::feed::follow_up(&db, &actor, &id, crate::backend::feed::Step::Read).await
}

#[server(prefix = "/api", endpoint = "observations/mark_all_read")]
pub async fn mark_all_observations_read(filter: FeedFilter) -> Result<u32, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::feed::mark_all_read(&db, &actor, filter).await
}

#[server(prefix = "/api", endpoint = "observations/acknowledge")]
pub async fn acknowledge_observation(id: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::feed::follow_up(&db, &actor, &id, crate::backend::feed::Step::Acknowledge).await
}

#[server(prefix = "/api", endpoint = "observations/reply")]
pub async fn reply_to_observation(id: String, body: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::feed::follow_up(&db, &actor, &id, crate::backend::feed::Step::Reply(body)).await
}

#[server(prefix = "/api", endpoint = "observations/history")]
pub async fn observation_history(id: String) -> Result<Vec<VersionLine>, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::feed::history(&db, &actor, &id).await
}

/// The history of one observation, fetched when asked for (online).
#[component]
pub fn HistoryButton(id: String) -> impl IntoView {
    let lines = RwSignal::new(None::<Result<Vec<VersionLine>, AppError>>);
    let open = move |_| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            lines.set(Some(observation_history(id).await));
        });
    };
    view! {
        <button type="button" class="button button--quiet" on:click=open>"Voir l'historique"</button>
        {move || lines.get().map(|result| match result {
            Ok(lines) => view! {
                <ol class="history" aria-label="Historique">
                    {lines.into_iter().map(|l| view! {
                        <li>
                            <p class="card__meta">{format!("Version {} · {} · {}", l.version, l.by, l.at)}</p>
                            {(!l.reason.is_empty()).then(|| view! { <p>{if l.retracted { "Retirée — motif : " } else { "Motif : " }}{l.reason.clone()}</p> })}
                            {(!l.text.is_empty()).then(|| view! { <p class="observation__body">{l.text.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any(),
            Err(e) => view! { <p class="notice notice--error">{e.to_string()}</p> }.into_any(),
        })}
    }
}

/// Badges shared by the feed and the phone's cards.
/// The skill named by a « Compétence » observation, and where it was seen.
pub fn skill_seen_view(label: Option<String>) -> impl IntoView {
    label.map(|label| {
        view! {
            <p class="observation__skill"><Icon name="star"/>{label}" · "
                <span class="muted">{jalon_core::sessions::progression::AT_WORK}</span>
            </p>
        }
    })
}

pub fn badges(kind: Kind, category: &str, sensitive: bool, shared: bool) -> impl IntoView + use<> {
    let category = category_label(category);
    view! {
        <span class=format!("chip chip--kind chip--{}", kind.as_str())>{kind.label()}</span>
        {(!category.is_empty()).then(|| view! { <span class="chip">{category}</span> })}
        {sensitive.then(|| view! { <span class="chip chip--sensitive">"Sensible"</span> })}
        {shared.then(|| view! { <span class="chip chip--shared">"Partagée avec le salarié"</span> })}
    }
}

/// One filter of the feed: a labelled list, "all" first.
fn pick(
    id: &'static str,
    label: &'static str,
    all: &'static str,
    list: Vec<(String, String)>,
    current: String,
    on_change: impl FnMut(leptos::ev::Event) + Send + 'static,
) -> impl IntoView {
    let options = list
        .into_iter()
        .map(|(value, label)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <Field id=id label=label>
            <select class="field__input" id=id on:change=on_change>
                <option value="">{all}</option>{options}
            </select>
        </Field>
    }
}

#[component]
pub fn FeedPage() -> impl IntoView {
    // "Ses observations" on a worker file opens the feed on that person.
    let query = leptos_router::hooks::use_query_map();
    let worker_id = query.read_untracked().get("salarie").unwrap_or_default();
    // On desks, the observation open beside the list (`?obs=` keeps it).
    let open = RwSignal::new(query.read_untracked().get("obs"));
    let filter = RwSignal::new(FeedFilter {
        worker_id,
        ..FeedFilter::default()
    });
    let feed = Resource::new(move || filter.get(), observation_feed);
    view! {
        <Title text="Fil des observations"/>
        <section class="page">
            <h1 class="page__title"><Icon name="file"/>"Fil des observations"</h1>
            <crate::pages::privacy::WaitingRequests/>
            <Loaded resource=feed render=move |f: Feed| view! { <FeedView feed=f filter open refresh=move || feed.refetch()/> }/>
        </section>
    }
}

#[component]
fn FeedView(
    feed: Feed,
    filter: RwSignal<FeedFilter>,
    open: RwSignal<Option<String>>,
    refresh: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let f = filter.get_untracked();
    let set = move |apply: fn(&mut FeedFilter, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            filter.update(|f| {
                apply(f, value);
                f.limit = 0;
            });
        }
    };
    let kinds: Vec<(String, String)> = Kind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    let categories: Vec<(String, String)> = Category::BARRIERS
        .into_iter()
        .map(|c| (c.code().to_string(), format!("Frein : {}", c.label())))
        .chain(Category::BEHAVIOURS.into_iter().map(|c| {
            (
                c.code().to_string(),
                format!("Comportement : {}", c.label()),
            )
        }))
        .collect();
    let filtered = FeedFilter {
        limit: 0,
        ..f.clone()
    } != FeedFilter::default();
    let summary = format!(
        "{} · {}",
        match feed.open_alerts {
            0 => "Aucune alerte à prendre en compte".to_string(),
            1 => "1 alerte à prendre en compte".to_string(),
            n => format!("{n} alertes à prendre en compte"),
        },
        match feed.unread {
            0 => "tout est lu".to_string(),
            1 => "1 non lue".to_string(),
            n => format!("{n} non lues"),
        }
    );
    let more = feed.more;
    let shown = feed.items.len() as u32;
    let unread = feed.unread;
    let mark_error = RwSignal::new(None::<String>);
    let mark_all = {
        let refresh = refresh.clone();
        move |_| {
            let refresh = refresh.clone();
            let current = filter.get_untracked();
            leptos::task::spawn_local(async move {
                match mark_all_observations_read(current).await {
                    Ok(_) => refresh(),
                    Err(e) => mark_error.set(Some(e.to_string())),
                }
            });
        }
    };
    let empty = feed.items.is_empty();
    let detail = {
        let items = feed.items.clone();
        let refresh = refresh.clone();
        move || {
            let id = open.get()?;
            let item = items.iter().find(|i| i.id == id)?.clone();
            Some(
                view! { <ul class="cards"><FeedCard item refresh=refresh.clone() open=None/></ul> }
                    .into_any(),
            )
        }
    };
    let items = feed
        .items
        .into_iter()
        .map(|item| view! { <FeedCard item refresh=refresh.clone() open=Some(open)/> })
        .collect_view();
    let choices = feed.choices;
    view! {
        <div class="split split--feed">
        <div class="split__list split__list--page">
        <p class="feed__summary" role="status">{summary}</p>
        {(unread > 0).then(|| view! {
            <button type="button" class="button button--quiet" on:click=mark_all>
                {format!("Tout marquer comme lu ({unread})")}
            </button>
        })}
        {move || mark_error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
        <details class="filters" open=filtered>
            <summary class="button button--secondary">{if filtered { "Filtres (actifs)" } else { "Filtrer" }}</summary>
            <div class="form">
            {pick("f-worker", "Personne", "Toutes", choices.workers, f.worker_id.clone(), set(|f, v| f.worker_id = v))}
            {pick("f-team", "Équipe", "Toutes", choices.teams, f.team_id.clone(), set(|f, v| f.team_id = v))}
            {pick("f-kind", "Type", "Tous", kinds, f.kind.clone(), set(|f, v| f.kind = v))}
            {pick("f-category", "Catégorie", "Toutes", categories, f.category.clone(), set(|f, v| f.category = v))}
            {pick("f-author", "Écrite par", "Tout le monde", choices.authors, f.author_id.clone(), set(|f, v| f.author_id = v))}
            <div class="field__row">
                <Field id="f-from" label="Du">
                    <input class="field__input" id="f-from" type="date" value=f.from.clone() on:change=set(|f, v| f.from = v)/>
                </Field>
                <Field id="f-to" label="Au">
                    <input class="field__input" id="f-to" type="date" value=f.to.clone() on:change=set(|f, v| f.to = v)/>
                </Field>
            </div>
            <button type="button" class="button button--quiet" on:click=move |_| filter.set(FeedFilter::default())>"Effacer les filtres"</button>
            </div>
        </details>
        {empty.then(|| view! { <p class="empty">"Aucune observation pour ces critères."</p> })}
        <ul class="cards" aria-label="Observations">{items}</ul>
        {more.then(|| view! {
            <button type="button" class="button button--secondary button--wide"
                on:click=move |_| filter.update(|f| f.limit = shown + FEED_PAGE)>"Voir plus"</button>
        })}
        </div>
        <section class="split__detail desk-only" id="observation-ouverte" tabindex="-1" aria-label="Observation ouverte">
            {move || detail().unwrap_or_else(|| view! {
                <p class="split__placeholder">"Choisissez « Ouvrir » sur une observation pour la lire ici et y donner suite."</p>
            }.into_any())}
        </section>
        </div>
    }
}

/// One observation with its follow-up. In the list (`open` given), desks
/// show it short, with « Ouvrir » to read it and act on it beside the list.
#[component]
fn FeedCard(
    item: FeedItem,
    refresh: impl Fn() + Clone + Send + Sync + 'static,
    open: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let replying = RwSignal::new(false);
    let reply = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let run = {
        let refresh = refresh.clone();
        let id = item.id.clone();
        move |step: u8| {
            let (id, refresh) = (id.clone(), refresh.clone());
            let text = reply.get_untracked();
            if step == 2
                && let Err(message) = jalon_core::observations::clean_reply(&text)
            {
                error.set(Some(message));
                return;
            }
            busy.set(true);
            leptos::task::spawn_local(async move {
                let result = match step {
                    0 => mark_observation_read(id).await,
                    1 => acknowledge_observation(id).await,
                    _ => reply_to_observation(id, text).await,
                };
                busy.set(false);
                match result {
                    Ok(()) => refresh(),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        }
    };
    let (mark, ack, send) = (run.clone(), run.clone(), run);
    let class = format!(
        "card observation{}{}",
        if item.alert_open {
            " observation--open-alert"
        } else {
            ""
        },
        if item.read {
            ""
        } else {
            " observation--unread"
        }
    );
    let when = match item.observed_at.as_str() {
        "" => day_label(&item.observed_on),
        at => format!("{} à {at}", day_label(&item.observed_on)),
    };
    let meta = match &item.team {
        Some(team) => format!("{when} · {} · {team}", item.author_name),
        None => format!("{when} · {}", item.author_name),
    };
    let field = format!(
        "reply-{}{}",
        item.id,
        if open.is_some() { "" } else { "-ouverte" }
    );
    let id = item.id.clone();
    let current = move || open.is_some_and(|o| o.get().as_deref() == Some(id.as_str()));
    let opener = open.map(|o| {
        let id = item.id.clone();
        let name = item.worker_name.clone();
        view! {
            <a class="button button--secondary observation__open" href=format!("/fil?obs={id}")
                aria-label=format!("Ouvrir l'observation sur {name}")
                on:click=move |ev| {
                    ev.prevent_default();
                    o.set(Some(id.clone()));
                    crate::widgets::split::focus("observation-ouverte");
                }>"Ouvrir"</a>
        }
    });
    view! {
        <li class=class data-kind=item.kind.as_str() data-id=item.id.clone()
            aria-current=move || current().then_some("true")>
            <div class="card__head">
                <strong class="card__title">{item.worker_name.clone()}</strong>
            </div>
            <div class="chips">
                {item.alert_open.then(|| view! { <span class="chip chip--alert-open"><Icon name="alert"/>"À prendre en compte"</span> })}
                {(!item.read).then(|| view! { <span class="chip chip--new">"Nouvelle"</span> })}
                {badges(item.kind, &item.category, item.sensitive, item.shared)}
            </div>
            <p class="card__meta">{meta}</p>
            {skill_seen_view(item.skill_seen.clone())}
            {if item.retracted {
                view! { <p class="observation__retracted">"Observation retirée — motif : "{item.change_reason.clone()}</p> }.into_any()
            } else {
                view! { <p class="observation__body">{item.body.clone()}</p> }.into_any()
            }}
            {super::incident::incident_view(item.incident.clone(), item.work_accident)}
            {opener}
            {follow_up_view(&item.follow)}
            <a class="observation__file" href=format!("/salaries/{}", item.worker_id)>
                {format!("Parcours de {}", item.worker_name)}
            </a>
            {item.edited.then(|| view! { <HistoryButton id=item.id.clone()/> })}
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
            <div class="button-row">
                {(!item.read).then(|| view! {
                    <button type="button" class="button button--secondary" disabled=move || busy.get()
                        on:click=move |_| mark(0)>"Marquer comme lue"</button>
                })}
                {(item.alert_open && item.can_respond).then(|| view! {
                    <button type="button" class="button button--primary" disabled=move || busy.get()
                        on:click=move |_| ack(1)>"Prendre en compte"</button>
                })}
                {(item.can_respond && !item.retracted).then(|| view! {
                    <button type="button" class="button button--quiet" on:click=move |_| replying.update(|r| *r = !*r)>"Répondre"</button>
                })}
            </div>
            <Show when=move || replying.get()>
                {
                    let send = send.clone();
                    let field = field.clone();
                    view! {
                        <div class="reply-form">
                            <Field id=field.clone() label="Votre réponse (l'encadrant la verra sur son téléphone)">
                                <textarea class="field__input field__input--text" id=field.clone() rows="3"
                                    prop:value=move || reply.get()
                                    on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                            </Field>
                            <button type="button" class="button button--primary" disabled=move || busy.get()
                                on:click=move |_| send(2)>"Envoyer la réponse"</button>
                        </div>
                    }
                }
            </Show>
        </li>
    }
}

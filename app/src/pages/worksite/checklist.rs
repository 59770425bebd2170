//! « Liste d'accueil » (`/admin/accueil`): the admin writes the structure's
//! welcome checklist (Jalon's list until then); staff phones receive it with
//! the frameworks, so the welcome screen works offline.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::widgets::icons::Icon;
use jalon_core::worksite::welcome::WelcomeItem;

#[server(prefix = "/api", endpoint = "worksite/welcome_items")]
pub async fn welcome_items() -> Result<Vec<WelcomeItem>, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::worksite::list(&db, &actor).await
}

/// `items`: the list as JSON (`[{"id": …, "title": …}]`).
#[server(prefix = "/api", endpoint = "worksite/save_welcome_items")]
pub async fn save_welcome_items(items: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    let items: Vec<WelcomeItem> = serde_json::from_str(&items)
        .map_err(|_| AppError::Invalid("Liste illisible : rechargez la page.".into()).respond())?;
    crate::backend::worksite::save(&db, &actor, items).await
}

#[component]
pub fn ChecklistPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| welcome_items());
    view! {
        <Title text="Liste d'accueil"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="team"/>"Liste d'accueil"</h1>
            <p class="lead">"Les étapes de l'accueil d'un nouveau salarié, dans l'ordre. Les encadrants les cochent sur leur téléphone."</p>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(items) => view! { <Editor items/> }.into_any(),
                        Err(e) => view! { <p class="notice notice--error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Editor(items: Vec<WelcomeItem>) -> impl IntoView {
    let items = RwSignal::new(items);
    let save = ServerAction::<SaveWelcomeItems>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = serde_json::to_string(&items.get_untracked()).unwrap_or_default();
        save.dispatch(SaveWelcomeItems { items: text });
    };
    let add = move |_| {
        items.update(|list| {
            let id = format!("etape-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
            list.push(WelcomeItem {
                id,
                title: String::new(),
            });
        })
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <ol class="checklist-edit">
                <For each=move || items.with(|l| l.iter().map(|i| i.id.clone()).collect::<Vec<_>>())
                    key=|id| id.clone() let:id>
                    {
                        let read = id.clone();
                        let write = id.clone();
                        let gone = id.clone();
                        let field_id = format!("item-{id}");
                        view! {
                            <li class="checklist-edit__item">
                                <label class="visually-hidden" for=field_id.clone()>"Intitulé de l'étape"</label>
                                <input class="field__input" type="text" id=field_id
                                    prop:value=move || items.with(|l| l.iter().find(|i| i.id == read).map(|i| i.title.clone()).unwrap_or_default())
                                    on:input=move |ev| {
                                        let value = event_target_value(&ev);
                                        items.update(|l| if let Some(i) = l.iter_mut().find(|i| i.id == write) { i.title = value; });
                                    }/>
                                <button type="button" class="button button--quiet"
                                    on:click=move |_| items.update(|l| l.retain(|i| i.id != gone))>"Retirer"</button>
                            </li>
                        }
                    }
                </For>
            </ol>
            <button type="button" class="button button--secondary button--wide" on:click=add>"+ Ajouter une étape"</button>
            {move || match save.value().get() {
                Some(Ok(())) => Some(view! { <p class="notice notice--ok" role="status">"Liste enregistrée. Les téléphones la reçoivent à leur prochaine synchronisation."</p> }.into_any()),
                Some(Err(e)) => Some(view! { <p class="notice notice--error" role="alert">{e.to_string()}</p> }.into_any()),
                None => None,
            }}
            <button type="submit" class="button button--primary button--wide">"Enregistrer la liste"</button>
        </form>
    }
}

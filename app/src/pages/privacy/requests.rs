//! The workers' requests about their data, for those who answer them (the
//! referent counsellor, the admin): open ones first, with a link to the
//! person's file (where the access document is downloaded), and how each
//! was answered. `?salarie=` shows one person's.
use jalon_core::dates::french_date;
use jalon_core::privacy::{ANSWER_WITHIN_DAYS, RequestKind};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{AnswerRequest, requests_to_answer};
use crate::widgets::icons::Icon;
use crate::widgets::{Field, FormStatus, Loaded, status_of};
use crate::wire::privacy::RequestLine;

#[component]
pub fn RequestsPage() -> impl IntoView {
    let query = use_query_map();
    let answer = ServerAction::<AnswerRequest>::new();
    let list = Resource::new(
        move || (query.with(|q| q.get("salarie")), answer.version().get()),
        |(worker, _)| requests_to_answer(worker),
    );
    view! {
        <Title text="Demandes sur les données"/>
        <section class="page">
            <h1 class="page__title"><Icon name="key"/>"Demandes sur les données"</h1>
            <p class="muted">{format!(
                "Ce que les salariés demandent depuis leur téléphone : une copie de leurs données ou une correction. Réponse dans les {ANSWER_WITHIN_DAYS} jours au plus."
            )}</p>
            <FormStatus status=status_of(answer) done="Réponse enregistrée."/>
            <Loaded resource=list render=move |lines| view! {
                {lines.is_empty().then(|| view! { <p class="empty">"Aucune demande."</p> })}
                <ul class="list" data-testid="requests">
                    {lines.into_iter().map(|r| request_card(r, answer)).collect_view()}
                </ul>
            }/>
        </section>
    }
}

fn request_card(r: RequestLine, answer: ServerAction<AnswerRequest>) -> impl IntoView {
    let what = match r.kind {
        RequestKind::Access => "Demande une copie de ses données".to_string(),
        RequestKind::Correction => format!("Demande une correction : « {} »", r.body),
    };
    let field = format!("answer-{}", r.id);
    view! {
        <li class="card" data-testid="request">
            <h2 class="card__title">
                <a href=format!("/salaries/{}", r.worker_id)>{r.worker.clone()}</a>
            </h2>
            <p>{what}</p>
            <p class="muted">{format!("Envoyée le {}", french_date(&r.asked_on))}</p>
            {match r.answer {
                Some(a) => view! {
                    <p>{format!("Répondu le {} par {} : {}", french_date(&a.on), a.by, a.text)}</p>
                }.into_any(),
                None => view! {
                    {(r.kind == RequestKind::Access).then(|| view! {
                        <a class="button button--secondary button--wide" href=format!("/api/privacy/access.pdf?salarie={}", r.worker_id) download>
                            "Document à remettre (PDF)"
                        </a>
                    })}
                    <ActionForm action=answer attr:class="form">
                        <input type="hidden" name="id" value=r.id.clone()/>
                        <Field id=field.clone() label="Réponse donnée (ce qui a été remis ou corrigé)">
                            <textarea class="field__input" id=field name="answer" rows="3" maxlength="2000" required></textarea>
                        </Field>
                        <button type="submit" class="button button--primary button--wide">"Enregistrer la réponse"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}

/// On the counsellor's feed and the admin's data-protection screen: the
/// workers' requests waiting for an answer, when there are some.
#[component]
pub fn WaitingRequests() -> impl IntoView {
    let list = Resource::new(|| (), |_| requests_to_answer(None));
    view! {
        <Suspense fallback=|| ()>
            {move || list.get().and_then(Result::ok).map(|lines| {
                let open = lines.iter().filter(|r| r.answer.is_none()).count();
                (open > 0).then(|| view! {
                    <article class="card observation--open-alert" data-testid="waiting-requests">
                        <h2 class="card__title"><Icon name="key"/>"Demandes sur les données"</h2>
                        <p>{if open == 1 {
                            "1 demande d'un salarié attend votre réponse.".to_string()
                        } else {
                            format!("{open} demandes de salariés attendent votre réponse.")
                        }}</p>
                        <a class="button button--primary button--wide" href="/demandes">"Voir les demandes"</a>
                    </article>
                })
            })}
        </Suspense>
    }
}

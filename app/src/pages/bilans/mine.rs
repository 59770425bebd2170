//! "Mes bilans", on the worker's phone: each validated bilan shared with
//! them, in plain words (short sentences, icons, "vous"), and their
//! attestation of skills with its verification code. Read from the copy
//! the phone keeps (`local::papers`), so it opens with no network.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::local::sync::use_sync;
use crate::widgets::icons::Icon;
use crate::wire::bilans::{AttestationView, MyBilan, MyPapers};
use jalon_core::dates::french_date;
use jalon_core::sessions::Level;
use jalon_core::text::plural;

#[component]
pub fn MyBilansPage() -> impl IntoView {
    let sync = use_sync();
    let data = LocalResource::new(move || {
        sync.revision.track();
        async {
            let kept = crate::local::papers::load().await?;
            serde_json::from_str::<MyPapers>(&kept).ok()
        }
    });
    view! {
        <Title text="Mes bilans"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="file"/>"Mes bilans"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Some(papers) if !papers.bilans.is_empty() || !papers.attestations.is_empty() => {
                            my_papers(papers).into_any()
                        }
                        _ => view! {
                            <p class="empty">"Pas encore de bilan. Quand votre conseillère aura fait un bilan avec vous, il sera ici."</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn my_papers(p: MyPapers) -> impl IntoView {
    view! {
        {p.attestations.into_iter().map(my_attestation).collect_view()}
        {p.bilans.into_iter().map(my_bilan).collect_view()}
    }
}

fn line(icon: &'static str, text: String) -> impl IntoView {
    view! { <p class="easy__line"><Icon name=icon/><span>{text}</span></p> }
}

fn my_bilan(b: MyBilan) -> impl IntoView {
    let r = &b.content.records;
    let w = &b.content.words;
    let title = match b.kind {
        jalon_core::bilans::Kind::Entry => "Votre bilan d'entrée",
        jalon_core::bilans::Kind::Midway => "Votre bilan intermédiaire",
        jalon_core::bilans::Kind::Exit => "Votre bilan de sortie",
        jalon_core::bilans::Kind::Request => "Votre bilan",
    };
    let known: Vec<String> = r
        .skills
        .iter()
        .filter(|s| s.level == Level::Acquired)
        .map(|s| s.skill.clone())
        .collect();
    let learning: Vec<String> = r
        .skills
        .iter()
        .filter(|s| s.level == Level::InProgress)
        .map(|s| s.skill.clone())
        .collect();
    let present = r.attendance.present_halves;
    let lifted: u32 = r.barriers.iter().map(|b| b.lifted).sum();
    view! {
        <article class="card easy" data-testid="my-bilan">
            <h2 class="card__title">{title}</h2>
            <p class="muted">{format!("Du {} au {}.", french_date(&b.from), french_date(&b.to))}</p>
            {line("calendar", format!("Vous êtes venu·e {}.", plural(present as usize, "demi-journée", "demi-journées")))}
            {(!known.is_empty()).then(|| line("star", format!("Vous savez faire : {}.", known.join(", "))))}
            {(!learning.is_empty()).then(|| line("clock", format!("Vous apprenez : {}.", learning.join(", "))))}
            {(!r.objectives_reached.is_empty()).then(|| line("check", format!("Objectifs atteints : {}.", r.objectives_reached.join(", "))))}
            {(lifted > 0).then(|| line("check", format!("Vous avez levé {}.", plural(lifted as usize, "difficulté", "difficultés"))))}
            {(!w.worker_words.is_empty()).then(|| line("user", format!("Ce que vous avez dit : « {} »", w.worker_words)))}
            {(!w.conclusions.is_empty()).then(|| line("file", format!("Ce que retient votre conseillère : {}", w.conclusions)))}
            {(!w.next_objectives.is_empty()).then(|| line("mark", format!("Vos prochains objectifs : {}.", w.next_objectives.join(", "))))}
            {(!w.orientation.is_empty()).then(|| line("exit", format!("La suite : {}", w.orientation)))}
            <p class="muted">{format!("Bilan validé le {}.", french_date(&b.validated_at))}</p>
        </article>
    }
}

fn my_attestation(a: AttestationView) -> impl IntoView {
    let c = a.content;
    let skills: Vec<String> = c
        .frameworks
        .iter()
        .flat_map(|f| f.skills.iter().map(|s| s.skill.clone()))
        .chain(c.behaviours.iter().map(|s| s.skill.clone()))
        .collect();
    view! {
        <article class="card easy" data-testid="my-attestation">
            <h2 class="card__title">"Votre attestation de compétences"</h2>
            {line("star", format!("Elle dit que vous savez faire {} : {}.", plural(skills.len(), "chose", "choses"), skills.join(", ")))}
            {line("check", format!("Un employeur peut la vérifier avec ce code : {}.", a.code))}
            <div class="document__qr" inner_html=a.qr_svg></div>
            <a class="button button--secondary button--wide" href=format!("/api/attestations/document.pdf?id={}", a.id) download>
                <Icon name="file"/>"Télécharger (avec réseau)"
            </a>
        </article>
    }
}

//! /synthese: the funders' summary of a period (DDETS, France Travail, the
//! Département), on screen, printable, and as a CSV file
//! (`/api/synthese/export.csv`, same figures: `backend::funders`).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::widgets::icons::Icon;
use crate::widgets::{Loaded, PeriodFields};
pub use crate::wire::funders::FundersSummary;
use jalon_core::attendance::rates::{days, percent};
use jalon_core::dates::french_date;

/// The summary of the people the reader may see, for the period
/// (`YYYY-MM-DD`; empty: the current month).
#[server(prefix = "/api", endpoint = "reports/funders_summary")]
pub async fn funders_summary_of(from: String, to: String) -> Result<FundersSummary, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::funders::summary(&db, &actor, &from, &to).await
}

#[component]
pub fn FundersPage() -> impl IntoView {
    let query = use_query_map();
    let period = move || {
        query.with(|q| {
            (
                q.get("du").unwrap_or_default(),
                q.get("au").unwrap_or_default(),
            )
        })
    };
    let summary = Resource::new(period, |(from, to)| funders_summary_of(from, to));
    view! {
        <Title text="Synthèse pour les financeurs"/>
        <section class="page funders">
            <h1 class="page__title"><Icon name="file"/>"Synthèse pour les financeurs"</h1>
            <Loaded resource=summary render=move |s| view! { <SummaryView s/> }/>
        </section>
    }
}

/// A label and its value, as a line of a figures list.
fn figure(label: &'static str, key: &'static str, value: String) -> impl IntoView {
    view! { <div><dt>{label}</dt><dd data-figure=key>{value}</dd></div> }
}

#[component]
fn SummaryView(s: FundersSummary) -> impl IntoView {
    let csv = format!("/api/synthese/export.csv?du={}&au={}", s.from, s.to);
    let rate = (s.recorded_halves > 0)
        .then(|| f64::from(s.present_halves) * 100.0 / f64::from(s.recorded_halves));
    let exits = s
        .exits
        .iter()
        .map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td>{*n}</td></tr> })
        .collect_view();
    let absences = if s.absences.is_empty() {
        view! { <p class="muted">"Aucune absence pointée sur la période."</p> }.into_any()
    } else {
        let rows = s
            .absences
            .iter()
            .map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td>{format!("{} j", days(*n))}</td></tr> })
            .collect_view();
        view! {
            <table class="doc__table" aria-label="Absences par motif">
                <thead><tr><th scope="col">"Motif"</th><th scope="col">"Jours"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <form class="form filters no-print" method="get" action="/synthese">
            <PeriodFields from=s.from.clone() to=s.to.clone()/>
            <button type="submit" class="button button--secondary button--wide">"Afficher"</button>
        </form>
        <p class="funders__period" data-testid="period">
            {format!("Période du {} au {}", french_date(&s.from), french_date(&s.to))}
        </p>
        <p class="muted">"Personnes que vous suivez, chiffres calculés depuis les pointages, les fiches et les évaluations de Jalon."</p>
        <div class="button-row no-print">
            <a class="button button--secondary" href=csv download>"Télécharger (CSV)"</a>
            <crate::widgets::PrintButton class="button button--secondary"/>
        </div>
        <article class="card" aria-labelledby="funders-people">
            <h2 class="card__title" id="funders-people">"Personnes"</h2>
            <dl class="figures">
                {figure("Personnes accompagnées", "accompanied", s.accompanied.to_string())}
                {figure("Entrées", "entries", s.entries.to_string())}
                {figure("Sorties", "exits", s.exits_total.to_string())}
                {figure("dont sorties dynamiques", "exits-dynamic", s.exits_dynamic.to_string())}
            </dl>
        </article>
        <article class="card" aria-labelledby="funders-exits">
            <h2 class="card__title" id="funders-exits">"Sorties par issue"</h2>
            <table class="doc__table" aria-label="Sorties par issue">
                <thead><tr><th scope="col">"Issue"</th><th scope="col">"Personnes"</th></tr></thead>
                <tbody>{exits}</tbody>
            </table>
        </article>
        <article class="card" aria-labelledby="funders-presence">
            <h2 class="card__title" id="funders-presence">"Présences"</h2>
            <dl class="figures">
                {figure("Jours de présence", "present", days(s.present_halves))}
                {figure("Taux de présence", "rate", percent(rate))}
                {figure("Jours attendus", "expected", days(s.expected_halves))}
                {figure("Jours non pointés", "not-recorded", days(s.expected_halves.saturating_sub(s.recorded_halves)))}
                {figure("Retards", "late", s.late_count.to_string())}
            </dl>
            <h3 class="card__subtitle">"Absences par motif"</h3>
            {absences}
        </article>
        <article class="card" aria-labelledby="funders-skills">
            <h2 class="card__title" id="funders-skills">"Compétences"</h2>
            <dl class="figures">
                {figure("Séances d'apprentissage", "sessions", s.sessions.to_string())}
                {figure("Compétences acquises", "skills-acquired", s.skills_acquired.to_string())}
                {figure("Personnes ayant acquis au moins une compétence", "people-skills", s.people_with_new_skills.to_string())}
            </dl>
        </article>
    }
}

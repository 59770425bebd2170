//! "Mes présences": the worker's own month as a calendar, read from the
//! phone's store (the sync brings them their own days only), with plain-word
//! counts and no comparison with anyone.
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::local::sync::use_sync;
use crate::local::sync::{self as client, today_local};
use crate::widgets::icons::Icon;
use jalon_core::attendance::rates::{days, tally};
use jalon_core::attendance::{Attendance, Presence, RECORD_TYPE};
use jalon_core::dates::{long_day, month_end, month_label};

fn first_of(month: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

/// What a calendar cell shows for a day's entries: class, icon, words.
fn day_mark(entries: &[&Attendance]) -> (&'static str, &'static str, String) {
    let absent = entries.iter().any(|e| e.status == Presence::Absent);
    let present = entries.iter().any(|e| e.status == Presence::Present);
    let late = entries.iter().any(|e| e.late_minutes > 0);
    match (present, absent, late) {
        (true, _, true) => ("cal__day--late", "clock", "En retard".into()),
        (true, true, _) => ("cal__day--half", "check", "Présent une demi-journée".into()),
        (true, false, _) => ("cal__day--present", "check", "Présent".into()),
        (false, true, _) => ("cal__day--absent", "minus", "Absent".into()),
        _ => ("", "", String::new()),
    }
}

#[component]
pub fn MyAttendancePage() -> impl IntoView {
    let sync = use_sync();
    let query = use_query_map();
    let this_month = today_local().get(..7).unwrap_or_default().to_string();
    let month = move || {
        query
            .read()
            .get("mois")
            .filter(|m| first_of(m).is_some())
            .unwrap_or_else(|| this_month.clone())
    };
    let records = LocalResource::new(move || {
        sync.revision.track();
        async move { client::records(RECORD_TYPE).await.unwrap_or_default() }
    });
    view! {
        <Title text="Mes présences"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="calendar"/>"Mes présences"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || {
                    let month = month();
                    Suspend::new(async move {
                        let entries: Vec<Attendance> = records
                            .await
                            .iter()
                            .filter_map(|r| serde_json::from_value::<Attendance>(r.data.clone()).ok())
                            .filter(|a| a.day.starts_with(&month))
                            .collect();
                        month_view(&month, entries)
                    })
                }}
            </Suspense>
        </section>
    }
}

fn month_view(month: &str, entries: Vec<Attendance>) -> impl IntoView + use<> {
    let Some(first) = first_of(month) else {
        return view! { <p class="empty">"Mois inconnu."</p> }.into_any();
    };
    let last = month_end(first);
    let prev = (first - Duration::days(1)).format("%Y-%m").to_string();
    let next = (last + Duration::days(1)).format("%Y-%m").to_string();
    let is_current = today_local().starts_with(month);
    let s = tally(entries.iter());
    let absences = s.justified + s.unjustified;
    let lead = (first.weekday().num_days_from_monday()) as usize;
    let mut cells = Vec::new();
    for _ in 0..lead {
        cells.push(
            view! { <li class="cal__day cal__day--blank" aria-hidden="true"></li> }.into_any(),
        );
    }
    let mut day = first;
    while day <= last {
        let key = day.to_string();
        let todays: Vec<&Attendance> = entries.iter().filter(|e| e.day == key).collect();
        let (class, icon, words) = day_mark(&todays);
        let label = if words.is_empty() {
            long_day(&key)
        } else {
            format!("{} : {words}", long_day(&key))
        };
        cells.push(
            view! {
                <li class=format!("cal__day {class}") aria-label=label data-day=key.clone()>
                    <span class="cal__num">{day.day()}</span>
                    {(!icon.is_empty()).then(|| view! { <Icon name=icon/> })}
                </li>
            }
            .into_any(),
        );
        day += Duration::days(1);
    }
    let late_words = match s.late_count {
        0 => "Aucun retard".to_string(),
        1 => "1 retard".to_string(),
        n => format!("{n} retards"),
    };
    view! {
        <nav class="month-nav" aria-label="Changer de mois">
            <a class="button button--quiet" href=format!("/mes-presences?mois={prev}") aria-label="Mois précédent">"‹"</a>
            <h2 class="month-nav__title">{month_label(first)}</h2>
            {if is_current {
                view! { <span class="month-nav__spacer"></span> }.into_any()
            } else {
                view! { <a class="button button--quiet" href=format!("/mes-presences?mois={next}") aria-label="Mois suivant">"›"</a> }.into_any()
            }}
        </nav>
        <ul class="counts" aria-label="Ce mois-ci">
            <li data-count="present"><Icon name="check"/><span>{format!("Jours présents : {}", days(s.present))}</span></li>
            <li data-count="late"><Icon name="clock"/><span>{late_words}</span></li>
            <li data-count="absent"><Icon name="minus"/><span>{format!("Absences : {} jour{}", days(absences), if absences > 2 { "s" } else { "" })}</span></li>
        </ul>
        <ol class="cal" aria-label=format!("Calendrier de {}", month_label(first))>
            {["L", "M", "M", "J", "V", "S", "D"].into_iter().map(|d| view! { <li class="cal__head" aria-hidden="true">{d}</li> }).collect_view()}
            {cells}
        </ol>
        <p class="muted">"Ces informations viennent du pointage de votre encadrant. Une erreur ? Parlez-en à votre encadrant ou à votre conseillère."</p>
    }
    .into_any()
}

//! The attendance export (see `csv` for how French spreadsheets read it):
//! dates as jj/mm/aaaa, decimal commas.
use crate::backend::csv::{row, start};
use crate::wire::attendance::PeriodReport;
use jalon_core::attendance::rates::{days, justification, percent};
use jalon_core::attendance::{Presence, Slot};
use jalon_core::dates::french_date;

/// One row per pointed day (or half-day).
pub fn detail(report: &PeriodReport) -> String {
    let mut out = start();
    out.push_str(&row(&[
        "Nom",
        "Prénom",
        "Équipe",
        "Date",
        "Période",
        "Présence",
        "Motif d'absence",
        "Absence justifiée",
        "Retard (minutes)",
        "Départ avant l'heure",
        "Compté",
        "Motif de modification",
    ]
    .map(String::from)));
    for w in &report.workers {
        for line in &w.days {
            let e = &line.entry;
            let absent = e.status == Presence::Absent;
            let reason = match e.reason {
                Some(jalon_core::attendance::AbsenceReason::Other) => e.reason_text.clone(),
                Some(r) => r.label().to_string(),
                None => String::new(),
            };
            out.push_str(&row(&[
                w.last_name.clone(),
                w.first_name.clone(),
                w.team.clone().unwrap_or_default(),
                french_date(&line.day),
                match line.slot {
                    Slot::Day => "journée".into(),
                    Slot::Morning => "matin".into(),
                    Slot::Afternoon => "après-midi".into(),
                },
                if absent { "absent" } else { "présent" }.into(),
                reason,
                if absent { justification(e.reason) } else { "" }.into(),
                if absent {
                    String::new()
                } else {
                    e.late_minutes.to_string()
                },
                e.left_at.clone(),
                match &line.not_counted {
                    Some(why) => format!("non ({why})"),
                    None => "oui".into(),
                },
                e.change_reason.clone(),
            ]));
        }
    }
    out
}

/// One row per worker, then the whole.
pub fn summary(report: &PeriodReport) -> String {
    let mut out = start();
    out.push_str(&row(&[
        "Nom",
        "Prénom",
        "Équipe",
        "Du",
        "Au",
        "Taux de présence",
        "Jours attendus",
        "Jours pointés",
        "Jours présents",
        "Absences justifiées (jours)",
        "Absences injustifiées (jours)",
        "Retards",
        "Minutes de retard",
        "Départs avant l'heure",
        "Jours non pointés",
    ]
    .map(String::from)));
    let from = french_date(&report.filter.from);
    let to = french_date(&report.filter.to);
    let line = |last: &str, first: &str, team: &str, s: &jalon_core::attendance::rates::Summary| {
        row(&[
            last.into(),
            first.into(),
            team.into(),
            from.clone(),
            to.clone(),
            percent(s.rate()),
            days(s.expected),
            days(s.recorded),
            days(s.present),
            days(s.justified),
            days(s.unjustified),
            s.late_count.to_string(),
            s.late_minutes.to_string(),
            s.left_early.to_string(),
            days(s.not_recorded()),
        ])
    };
    for w in &report.workers {
        out.push_str(&line(
            &w.last_name,
            &w.first_name,
            w.team.as_deref().unwrap_or_default(),
            &w.summary,
        ));
    }
    let all = report.team_name.clone().unwrap_or_else(|| "toutes".into());
    out.push_str(&line("Ensemble", "", &all, &report.total));
    out
}

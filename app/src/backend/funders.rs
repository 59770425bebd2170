//! The funders' summary of a period: people accompanied, entries, exits by
//! outcome, attendance (from the attendance report, the one place figures
//! are computed), absence reasons, learning sessions and skills acquired.
//! It counts only the people the reader may see, like the report it starts
//! from; the screen and the CSV file are built from the same figures.
use std::collections::HashSet;

use jalon_core::people::ExitOutcome;
use jalon_core::sessions::Level;

use crate::backend::attendance::{absences_by_reason, build_report};
use crate::backend::csv::{row, start};
use crate::backend::db::Db;
use crate::backend::policy::Actor;
use crate::error::AppError;
use crate::wire::attendance::ReportFilter;
use crate::wire::funders::FundersSummary;

/// The summary of the period (`YYYY-MM-DD`; empty: the current month).
pub async fn summary(
    db: &Db,
    actor: &Actor,
    from: &str,
    to: &str,
) -> Result<FundersSummary, AppError> {
    let report = build_report(
        db,
        actor,
        ReportFilter {
            team_id: String::new(),
            worker_id: String::new(),
            from: from.to_string(),
            to: to.to_string(),
        },
    )
    .await?;
    let (from, to) = (report.filter.from.clone(), report.filter.to.clone());
    let visible: HashSet<&str> = report
        .workers
        .iter()
        .map(|w| w.worker_id.as_str())
        .collect();

    #[derive(sqlx::FromRow)]
    struct Contract {
        id: String,
        contract_start: String,
        contract_end: Option<String>,
        status: String,
        exit_outcome: Option<String>,
    }
    let contracts: Vec<Contract> = sqlx::query_as(
        "SELECT id, contract_start, contract_end, status, exit_outcome FROM workers \
         WHERE structure_id = $1",
    )
    .bind(&actor.user.structure_id)
    .fetch_all(db)
    .await?;
    let mut accompanied: Vec<&str> = Vec::new();
    let (mut entries, mut exits_total, mut exits_dynamic) = (0, 0, 0);
    let mut by_outcome: Vec<(Option<ExitOutcome>, u32)> = Vec::new();
    for c in contracts.iter().filter(|c| visible.contains(c.id.as_str())) {
        let end = c.contract_end.as_deref();
        if c.contract_start.as_str() > to.as_str() || end.is_some_and(|e| e < from.as_str()) {
            continue;
        }
        accompanied.push(&c.id);
        if c.contract_start.as_str() >= from.as_str() {
            entries += 1;
        }
        if c.status == "ended" && end.is_some_and(|e| e >= from.as_str() && e <= to.as_str()) {
            exits_total += 1;
            let outcome = c.exit_outcome.as_deref().and_then(ExitOutcome::from_code);
            if outcome.is_some_and(ExitOutcome::dynamic) {
                exits_dynamic += 1;
            }
            match by_outcome.iter_mut().find(|(o, _)| *o == outcome) {
                Some((_, n)) => *n += 1,
                None => by_outcome.push((outcome, 1)),
            }
        }
    }
    // The funders' order, then the exits recorded without an outcome.
    let mut exits: Vec<(String, u32)> = ExitOutcome::ALL
        .iter()
        .map(|o| {
            let n = by_outcome
                .iter()
                .find(|(x, _)| *x == Some(*o))
                .map_or(0, |(_, n)| *n);
            (o.label().to_string(), n)
        })
        .collect();
    if let Some((_, n)) = by_outcome.iter().find(|(o, _)| o.is_none()) {
        exits.push(("Issue non renseignée".into(), *n));
    }

    let mut absences: Vec<(String, u32)> =
        absences_by_reason(report.workers.iter().flat_map(|w| w.days.iter()))
            .into_iter()
            .map(|(label, n)| (label.to_string(), n))
            .collect();
    absences.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let evaluations = crate::backend::skills::evidence_of(db, &accompanied).await?;
    let mut sessions: HashSet<&str> = HashSet::new();
    let (mut skills_acquired, mut people_with_new_skills) = (0, 0);
    let day_before = chrono::NaiveDate::parse_from_str(&from, "%Y-%m-%d")
        .map(|d| (d - chrono::Duration::days(1)).to_string())
        .map_err(|_| AppError::Internal)?;
    for stored in evaluations.values() {
        for s in stored.evaluations.iter().filter(|s| {
            !s.evaluation.absent && s.evaluation.held_on >= from && s.evaluation.held_on <= to
        }) {
            sessions.insert(&s.evaluation.session_id);
        }
        let acquired = |until: &str| -> HashSet<(String, String)> {
            crate::backend::skills::levels_until(stored, until)
                .into_iter()
                .filter(|p| p.level == Level::Acquired)
                .map(|p| (p.skill.framework_id, p.skill.skill_id))
                .collect()
        };
        let before = acquired(&day_before);
        let new = acquired(&to).difference(&before).count() as u32;
        skills_acquired += new;
        if new > 0 {
            people_with_new_skills += 1;
        }
    }

    Ok(FundersSummary {
        from,
        to,
        accompanied: accompanied.len() as u32,
        entries,
        exits,
        exits_total,
        exits_dynamic,
        expected_halves: report.total.expected,
        recorded_halves: report.total.recorded,
        present_halves: report.total.present,
        late_count: report.total.late_count,
        absences,
        sessions: sessions.len() as u32,
        skills_acquired,
        people_with_new_skills,
    })
}

/// The summary as a spreadsheet for French Excel: one line per figure
/// (section, figure, value), days written with a decimal comma.
pub fn csv(s: &FundersSummary) -> String {
    use jalon_core::attendance::rates::days;
    use jalon_core::dates::french_date;
    let mut out = start();
    let mut line = |section: &str, figure: &str, value: String| {
        out.push_str(&row(&[section.to_string(), figure.to_string(), value]));
    };
    line("Rubrique", "Indicateur", "Valeur".into());
    line("Période", "Du", french_date(&s.from));
    line("Période", "Au", french_date(&s.to));
    line(
        "Personnes",
        "Personnes accompagnées",
        s.accompanied.to_string(),
    );
    line("Personnes", "Entrées", s.entries.to_string());
    line("Sorties", "Sorties", s.exits_total.to_string());
    line(
        "Sorties",
        "dont sorties dynamiques",
        s.exits_dynamic.to_string(),
    );
    for (label, n) in &s.exits {
        line("Sorties", label, n.to_string());
    }
    line("Présences", "Jours attendus", days(s.expected_halves));
    line("Présences", "Jours pointés", days(s.recorded_halves));
    line("Présences", "Jours de présence", days(s.present_halves));
    line("Présences", "Retards", s.late_count.to_string());
    for (label, n) in &s.absences {
        line("Absences (jours)", label, days(*n));
    }
    line(
        "Compétences",
        "Séances d'apprentissage",
        s.sessions.to_string(),
    );
    line(
        "Compétences",
        "Compétences acquises",
        s.skills_acquired.to_string(),
    );
    line(
        "Compétences",
        "Personnes ayant acquis au moins une compétence",
        s.people_with_new_skills.to_string(),
    );
    out
}

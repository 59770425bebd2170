use super::progression::{Entry, Seen, progression, skill_level, successes_first};
use super::*;

fn tag(id: &str) -> SkillTag {
    SkillTag {
        framework_id: "f1".into(),
        skill_id: id.into(),
        title: format!("Compétence {id}"),
    }
}

fn criterion(skill: &str, n: usize) -> PlanCriterion {
    PlanCriterion {
        skill: Some(tag(skill)),
        criterion_id: format!("{skill}-{n}"),
        label: format!("Critère {n} de {skill}"),
    }
}

fn eval(day: &str, levels: &[(&str, usize, Level)]) -> Evaluation {
    let plan: Vec<PlanCriterion> = levels.iter().map(|(s, n, _)| criterion(s, *n)).collect();
    let mut results = blank_results(&plan);
    for (r, (_, _, level)) in results.iter_mut().zip(levels) {
        r.level = *level;
    }
    Evaluation {
        worker_id: uuid::Uuid::now_v7().to_string(),
        session_id: uuid::Uuid::now_v7().to_string(),
        plan_id: "p1".into(),
        title: format!("Séance du {day}"),
        afest: false,
        held_on: day.into(),
        place: "Parc".into(),
        duration_min: Some(60),
        absent: false,
        reflection: String::new(),
        results,
    }
}

use Level::*;

#[test]
fn a_skill_level_comes_from_its_rated_criteria() {
    assert_eq!(skill_level(&[Acquired, Acquired]), Some(Acquired));
    assert_eq!(skill_level(&[Acquired, NotEvaluated]), Some(Acquired));
    assert_eq!(skill_level(&[NotAcquired, NotAcquired]), Some(NotAcquired));
    assert_eq!(skill_level(&[Acquired, NotAcquired]), Some(InProgress));
    assert_eq!(skill_level(&[InProgress]), Some(InProgress));
    assert_eq!(skill_level(&[NotEvaluated, NotEvaluated]), None);
    assert_eq!(skill_level(&[]), None);
}

#[test]
fn the_latest_session_gives_the_level_and_history_keeps_every_session() {
    let first = eval(
        "2026-10-01",
        &[
            ("haie", 1, NotAcquired),
            ("haie", 2, InProgress),
            ("epi", 1, Acquired),
        ],
    );
    let second = eval(
        "2026-11-05",
        &[("haie", 1, Acquired), ("haie", 2, Acquired)],
    );
    // Same day as `second`, written later, rating nothing: leaves no trace.
    let unrated = eval("2026-11-05", &[("haie", 1, NotEvaluated)]);
    let mut absent = eval("2026-11-20", &[("haie", 1, NotAcquired)]);
    absent.absent = true;
    let entries = [
        Entry {
            evaluation: &second,
            by: "Karim",
            updated_at: "2026-11-05T10:00:00Z",
        },
        Entry {
            evaluation: &first,
            by: "Karim",
            updated_at: "2026-10-01T10:00:00Z",
        },
        Entry {
            evaluation: &unrated,
            by: "Léa",
            updated_at: "2026-11-05T12:00:00Z",
        },
        Entry {
            evaluation: &absent,
            by: "Léa",
            updated_at: "2026-11-20T09:00:00Z",
        },
    ];
    let skills = progression(&entries, &[], |_| false);
    assert_eq!(skills.len(), 2);
    let epi = &skills[0];
    assert_eq!(
        (epi.skill.skill_id.as_str(), epi.level, epi.history.len()),
        ("epi", Acquired, 1)
    );
    let haie = &skills[1];
    assert_eq!(haie.level, Acquired, "latest session wins");
    let days: Vec<&str> = haie.history.iter().map(|e| e.held_on.as_str()).collect();
    assert_eq!(
        days,
        ["2026-11-05", "2026-10-01"],
        "newest first, absences and unrated left out"
    );
    assert_eq!(haie.history[1].level, InProgress);
    assert_eq!(haie.history[1].by, "Karim");
    assert_eq!(haie.history[1].criteria.len(), 2);

    // A later regression is shown as it is.
    let third = eval(
        "2026-11-21",
        &[("haie", 1, Acquired), ("haie", 2, NotAcquired)],
    );
    let mut more: Vec<Entry> = entries.into_iter().collect();
    more.push(Entry {
        evaluation: &third,
        by: "Léa",
        updated_at: "2026-11-21T09:00:00Z",
    });
    let haie = progression(&more, &[], |_| false)
        .into_iter()
        .find(|s| s.skill.skill_id == "haie")
        .unwrap();
    assert_eq!((haie.level, haie.history.len()), (InProgress, 3));
}

#[test]
fn archived_skills_keep_their_evaluations_and_are_marked() {
    let e = eval(
        "2026-10-01",
        &[("vieux", 1, Acquired), ("haie", 1, InProgress)],
    );
    let entries = [Entry {
        evaluation: &e,
        by: "Karim",
        updated_at: "x",
    }];
    let skills = progression(&entries, &[], |t| t.skill_id == "vieux");
    let old = skills.iter().find(|s| s.skill.skill_id == "vieux").unwrap();
    assert!(old.archived);
    assert_eq!((old.level, old.history.len()), (Acquired, 1));
    assert!(
        !skills
            .iter()
            .find(|s| s.skill.skill_id == "haie")
            .unwrap()
            .archived
    );
}

#[test]
fn the_worker_sees_successes_first() {
    let e = eval(
        "2026-10-01",
        &[
            ("a", 1, NotAcquired),
            ("b", 1, InProgress),
            ("c", 1, Acquired),
        ],
    );
    let entries = [Entry {
        evaluation: &e,
        by: "Karim",
        updated_at: "x",
    }];
    let order: Vec<Level> = successes_first(progression(&entries, &[], |_| false))
        .into_iter()
        .map(|s| s.level)
        .collect();
    assert_eq!(order, [Acquired, InProgress, NotAcquired]);
}

#[test]
fn evaluations_are_checked_on_the_phone_and_the_server() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let good = eval("2026-11-23", &[("haie", 1, Acquired)]);
    assert!(validate(&good, today).is_ok());
    let bad = |f: fn(&mut Evaluation)| {
        let mut e = good.clone();
        f(&mut e);
        validate(&e, today).unwrap_err()
    };
    assert!(bad(|e| e.worker_id = "'; DROP TABLE workers; --".into()).contains("inconnue"));
    assert!(bad(|e| e.held_on = "23/11/2026".into()).contains("illisible"));
    assert!(bad(|e| e.held_on = "2030-01-01".into()).contains("futur"));
    assert!(bad(|e| e.title = "  ".into()).contains("à remplir"));
    assert!(bad(|e| e.results.clear()).contains("aucun critère"));
    assert!(bad(|e| e.results[0].comment = "x".repeat(1001)).contains("au plus 1000"));
    assert!(bad(|e| e.reflection = "x".repeat(4001)).contains("au plus 4000"));
    assert!(bad(|e| e.duration_min = Some(-5)).contains("Durée"));
    assert!(
        bad(|e| {
            let twin = e.results[0].clone();
            e.results.push(twin)
        })
        .contains("double")
    );
    let mut hostile = good.clone();
    hostile.results[0].comment = "<script>alert(1)</script>".into();
    assert_eq!(
        validate(&hostile, today).unwrap().results[0].comment,
        "<script>alert(1)</script>"
    );
}

#[test]
fn plans_are_tidied_and_bounded() {
    let body = PlanBody {
        objectives: vec!["Tailler droit".into(), "  ".into()],
        criteria: vec![
            criterion("haie", 1),
            criterion("haie", 1),
            PlanCriterion {
                skill: None,
                criterion_id: String::new(),
                label: "  ".into(),
            },
        ],
        steps: vec![
            Step::default(),
            Step {
                title: "Démonstration".into(),
                ..Default::default()
            },
        ],
        difficulties: vec![Difficulty::default()],
        duration_min: 90,
        ..Default::default()
    };
    let (title, clean) = check_plan("  Taille de haie  ", body.clone()).unwrap();
    assert_eq!(title, "Taille de haie");
    assert_eq!(clean.objectives, ["Tailler droit"]);
    assert_eq!(
        clean.criteria.len(),
        1,
        "blank and repeated criteria dropped"
    );
    assert_eq!(clean.steps.len(), 1);
    assert!(clean.difficulties.is_empty());
    assert!(check_plan("", body.clone()).unwrap_err().contains("Titre"));
    let mut long = body.clone();
    long.duration_min = 24 * 60 + 1;
    assert!(check_plan("T", long).unwrap_err().contains("Durée"));
    let mut many = body;
    many.criteria = (0..41).map(|n| criterion("x", n)).collect();
    assert!(check_plan("T", many).unwrap_err().contains("au plus 40"));
    // Every criterion gets a key unique in the session.
    let keys: Vec<String> = blank_results(&[
        criterion("a", 1),
        criterion("a", 1),
        PlanCriterion {
            skill: None,
            criterion_id: String::new(),
            label: "Libre".into(),
        },
    ])
    .into_iter()
    .map(|r| r.key)
    .collect();
    assert_eq!(keys, ["a-1", "a-1-2", "libre-3"]);
}

#[test]
fn a_skill_seen_at_work_counts_next_to_sessions_by_its_day_and_says_where_it_comes_from() {
    let session = eval("2026-11-05", &[("haie", 1, InProgress)]);
    let entries = [Entry {
        evaluation: &session,
        by: "Karim",
        updated_at: "2026-11-05T10:00:00Z",
    }];
    let haie = tag("haie");
    let debroussailler = tag("debroussailler");
    let seen = [
        Seen {
            on: "2026-11-12",
            skill: &haie,
            level: Acquired,
            note: "Taille seule, nette",
            by: "Léa",
            updated_at: "2026-11-12T15:00:00Z",
        },
        // Older than the session: the session's level stays the latest.
        Seen {
            on: "2026-10-20",
            skill: &debroussailler,
            level: NotAcquired,
            note: "",
            by: "Léa",
            updated_at: "2026-10-20T15:00:00Z",
        },
        // « Non évalué » is no sighting.
        Seen {
            on: "2026-11-30",
            skill: &haie,
            level: NotEvaluated,
            note: "",
            by: "Léa",
            updated_at: "2026-11-30T15:00:00Z",
        },
    ];
    let skills = progression(&entries, &seen, |_| false);
    let by_id = |id: &str| skills.iter().find(|s| s.skill.skill_id == id).unwrap();
    let h = by_id("haie");
    assert_eq!(
        (h.level, h.history.len()),
        (Acquired, 2),
        "seen at work after the session"
    );
    assert!(h.history[0].at_work && !h.history[1].at_work);
    assert_eq!(h.history[0].origin(), "observé en situation de travail");
    assert_eq!(
        h.history[1].origin(),
        format!("séance « {} »", session.title)
    );
    assert_eq!(h.history[0].note, "Taille seule, nette");
    assert_eq!(by_id("debroussailler").level, NotAcquired);
    // A session after the sighting takes over.
    let later = eval("2026-11-20", &[("haie", 1, NotAcquired)]);
    let more = [
        Entry {
            evaluation: &session,
            by: "Karim",
            updated_at: "2026-11-05T10:00:00Z",
        },
        Entry {
            evaluation: &later,
            by: "Karim",
            updated_at: "2026-11-20T10:00:00Z",
        },
    ];
    let skills = progression(&more, &seen, |_| false);
    let h = skills.iter().find(|s| s.skill.skill_id == "haie").unwrap();
    assert_eq!((h.level, h.history.len()), (NotAcquired, 3));
}

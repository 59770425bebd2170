//! The rules of objectives: status from the steps, reviews, claims, and the
//! checks every phone and the server run.
use chrono::NaiveDate;

use super::*;

const WORKER: &str = "01930000-0000-7000-8000-000000000001";
const CLAIM: &str = "01930000-0000-7000-8000-0000000000c1";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn hedge() -> Objective {
    let mut o = Objective::new(WORKER);
    o.title = "Savoir tailler une haie en autonomie".into();
    o.target_on = "2027-03-01".into();
    for (n, title) in [
        "Choisir l'outil",
        "Tailler avec l'encadrant",
        "Tailler seul",
    ]
    .into_iter()
    .enumerate()
    {
        o.steps.push(Step {
            id: format!("e{}", n + 1),
            title: title.into(),
            ..Step::default()
        });
    }
    o
}

#[test]
fn the_first_step_starts_an_objective_and_the_last_reaches_it() {
    let mut o = hedge();
    assert_eq!(o.status, Status::Planned);
    assert_eq!(o.next_step().unwrap().id, "e1");
    assert!(o.set_step("e1", true, "Julien Morel", "2026-12-01"));
    assert_eq!(o.status, Status::InProgress);
    assert_eq!(o.progress(), (1, 3));
    assert_eq!(o.next_step().unwrap().title, "Tailler avec l'encadrant");
    assert!(
        !o.set_step("e1", true, "Julien Morel", "2026-12-02"),
        "already done: no change"
    );
    assert_eq!(
        o.steps[0].done_on, "2026-12-01",
        "the first tick's day is kept"
    );
    assert!(!o.set_step("nope", true, "x", "2026-12-01"));

    // Steps may be reached out of order; the next step is the first not done.
    o.set_step("e3", true, "Sophie Lambert", "2026-12-03");
    assert_eq!(o.next_step().unwrap().id, "e2");
    assert_eq!(o.status, Status::InProgress);
    o.set_step("e2", true, "Sophie Lambert", "2026-12-04");
    assert_eq!(o.status, Status::Reached);
    assert_eq!(o.reached_on, "2026-12-04");
    assert!(o.next_step().is_none());

    // Unticking a step of a reached objective puts it back in progress.
    o.set_step("e2", false, "Sophie Lambert", "2026-12-05");
    assert_eq!(o.status, Status::InProgress);
    assert_eq!(o.reached_on, "");
    assert_eq!(o.steps[1].done_by, "");
}

#[test]
fn an_abandoned_objective_keeps_its_steps_until_a_review_reopens_it() {
    let mut o = hedge();
    o.set_step("e1", true, "Julien Morel", "2026-12-01");
    let stop = Review {
        id: "p1".into(),
        on: "2026-12-02".into(),
        by: "Sophie Lambert".into(),
        decision: "La personne change de chantier : objectif mis de côté.".into(),
        new_target: String::new(),
        status: Status::Abandoned,
        old_target: String::new(),
    };
    o.review(stop).unwrap();
    assert_eq!(o.status, Status::Abandoned);
    assert!(
        !o.set_step("e2", true, "Julien Morel", "2026-12-03"),
        "frozen"
    );
    let reopen = Review {
        id: "p2".into(),
        on: "2027-01-05".into(),
        by: "Sophie Lambert".into(),
        decision: "Retour sur le chantier espaces verts : on reprend.".into(),
        new_target: "2027-04-30".into(),
        status: Status::InProgress,
        old_target: String::new(),
    };
    o.review(reopen).unwrap();
    assert_eq!(o.status, Status::InProgress);
    assert_eq!(o.target_on, "2027-04-30");
    assert_eq!(o.reviews.len(), 2, "the history keeps both reviews");
    assert_eq!(
        o.reviews[1].old_target, "2027-03-01",
        "and the target each replaced"
    );
    assert!(o.set_step("e2", true, "Julien Morel", "2027-01-06"));
}

#[test]
fn a_review_needs_a_decision_and_a_target_after_its_day() {
    let mut o = hedge();
    let mut review = Review {
        id: "p1".into(),
        on: "2026-12-10".into(),
        by: "Sophie Lambert".into(),
        decision: "   ".into(),
        new_target: String::new(),
        status: Status::InProgress,
        old_target: String::new(),
    };
    assert_eq!(
        o.review(review.clone()).unwrap_err(),
        "Ce qui a été décidé : à remplir."
    );
    review.decision = "On repousse : les haies sont taillées au printemps.".into();
    review.new_target = "2026-11-01".into();
    assert_eq!(
        o.review(review.clone()).unwrap_err(),
        "Nouvelle échéance : elle ne peut pas être avant la date du point."
    );
    review.new_target = "01/05/2027".into();
    assert!(o.review(review.clone()).is_err());
    review.on = String::new();
    assert!(o.review(review.clone()).is_err());
    assert!(
        o.reviews.is_empty() && o.target_on == "2027-03-01",
        "nothing half-applied"
    );

    review.on = "2026-12-10".into();
    review.new_target = "2027-05-01".into();
    review.status = Status::Reached;
    o.review(review).unwrap();
    assert_eq!(o.status, Status::Reached);
    assert_eq!(o.reached_on, "2026-12-10", "reached by a review: its day");
    assert_eq!(o.target_on, "2027-05-01");
}

#[test]
fn a_claim_waits_until_it_is_confirmed_or_answered() {
    let mut o = hedge();
    let claim = Reaction {
        worker_id: WORKER.into(),
        objective_id: "01930000-0000-7000-8000-0000000000b1".into(),
        step_id: "e1".into(),
        kind: ReactionKind::Claim,
        body: String::new(),
        sensitive: false,
        said_on: "2026-12-01".into(),
    };
    let comment = Reaction {
        kind: ReactionKind::Comment,
        step_id: String::new(),
        body: "J'aime bien ce travail.".into(),
        ..claim.clone()
    };
    let reactions = vec![
        (CLAIM.to_string(), claim.clone()),
        ("01930000-0000-7000-8000-0000000000c2".to_string(), comment),
    ];
    assert_eq!(
        pending_claims(&o, &reactions).len(),
        1,
        "comments never wait"
    );
    assert!(o.confirm_claim("e1", "Sophie Lambert", "2026-12-02"));
    assert!(o.steps[0].from_claim && o.steps[0].done);
    assert!(pending_claims(&o, &reactions).is_empty());

    // "Pas encore": answered, no longer waiting, the step stays open.
    let mut other = hedge();
    other.answer_claim(CLAIM);
    other.answer_claim(CLAIM);
    assert_eq!(other.answered.len(), 1);
    assert!(pending_claims(&other, &reactions).is_empty());
    assert!(!other.steps[0].done);
    // Unticking a confirmed step forgets that it came from a claim.
    o.set_step("e1", false, "Sophie Lambert", "2026-12-03");
    assert!(!o.steps[0].from_claim);
}

#[test]
fn validation_refuses_bad_input_and_derives_sensitivity() {
    let ok = validate(&hedge(), today()).unwrap();
    assert_eq!(ok.steps.len(), 3);

    let mut empty = hedge();
    empty.title = "  ".into();
    assert_eq!(
        validate(&empty, today()).unwrap_err(),
        "Objectif : à remplir."
    );
    let mut huge = hedge();
    huge.title = "é".repeat(5000);
    assert!(
        validate(&huge, today())
            .unwrap_err()
            .contains("trop long (5000 caractères")
    );
    let mut hostile = hedge();
    hostile.title = "<script>alert(1)</script> l'« objectif »; DROP TABLE objectives; --".into();
    assert_eq!(
        validate(&hostile, today()).unwrap().title,
        hostile.title,
        "kept as text"
    );
    let mut worker = hedge();
    worker.worker_id = "'; DROP TABLE workers; --".into();
    assert!(validate(&worker, today()).is_err());

    let mut twice = hedge();
    twice.steps[1].id = "e1".into();
    assert!(validate(&twice, today()).is_err(), "step ids are unique");
    let mut blank_step = hedge();
    blank_step.steps[2].title = "".into();
    assert_eq!(
        validate(&blank_step, today()).unwrap_err(),
        "Étape : à remplir."
    );
    let mut many = hedge();
    many.steps = (0..21)
        .map(|n| Step {
            id: format!("e{n}"),
            title: "x".into(),
            ..Step::default()
        })
        .collect();
    assert!(
        validate(&many, today())
            .unwrap_err()
            .starts_with("Trop d'étapes (21")
    );
    let mut undated = hedge();
    undated.steps[0].done = true;
    assert!(
        validate(&undated, today()).is_err(),
        "a reached step has its day"
    );
    let mut far = hedge();
    far.target_on = "2040-01-01".into();
    assert!(validate(&far, today()).is_err());
    let mut bad_day = hedge();
    bad_day.target_on = "31/12/2026".into();
    assert_eq!(
        validate(&bad_day, today()).unwrap_err(),
        "Échéance : date illisible."
    );

    // Links: a barrier category for barriers only, a skill for skills and
    // behaviours only; santé and justice make it sensitive whatever is sent.
    let mut barrier = hedge();
    barrier.kind = Kind::Barrier;
    barrier.barrier = "sante".into();
    barrier.sensitive = false;
    assert!(validate(&barrier, today()).unwrap().sensitive);
    barrier.barrier = "mobilite".into();
    barrier.sensitive = true;
    assert!(!validate(&barrier, today()).unwrap().sensitive);
    barrier.barrier = "ponctualite".into();
    assert_eq!(
        validate(&barrier, today()).unwrap_err(),
        "Frein : catégorie inconnue."
    );
    let mut skill_barrier = hedge();
    skill_barrier.barrier = "mobilite".into();
    assert!(validate(&skill_barrier, today()).is_err());
    let mut training = hedge();
    training.kind = Kind::Training;
    training.skill = Some(SkillTag {
        framework_id: "f1".into(),
        skill_id: "taille-haie".into(),
        title: "Tailler une haie".into(),
    });
    assert!(validate(&training, today()).is_err());
    training.kind = Kind::Skill;
    assert!(validate(&training, today()).is_ok());

    // Status and its day.
    let mut reached = hedge();
    reached.status = Status::Reached;
    assert_eq!(
        validate(&reached, today()).unwrap().reached_on,
        "2026-12-01"
    );
    let mut open = hedge();
    open.reached_on = "2026-10-10".into();
    assert_eq!(validate(&open, today()).unwrap().reached_on, "");
}

#[test]
fn the_worker_gets_only_the_notes_shared_with_them() {
    let mut o = hedge();
    for (n, shared) in [(1, true), (2, false), (3, true)] {
        o.notes.push(Note {
            id: format!("n{n}"),
            at: format!("2026-12-0{n}T10:00:00Z"),
            by: "Julien Morel".into(),
            text: format!("note {n}"),
            shared,
        });
    }
    let seen = o.clone().for_worker();
    assert_eq!(seen.notes.len(), 2);
    assert!(seen.notes.iter().all(|n| n.shared));
    let texts: Vec<&str> = o.shared_notes().iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["note 3", "note 1"], "newest first");
}

#[test]
fn reactions_are_checked() {
    let claim = Reaction {
        worker_id: WORKER.into(),
        objective_id: "01930000-0000-7000-8000-0000000000b1".into(),
        step_id: "e1".into(),
        kind: ReactionKind::Claim,
        body: String::new(),
        sensitive: false,
        said_on: "2026-12-01".into(),
    };
    assert!(validate_reaction(&claim, today()).is_ok());
    let mut no_step = claim.clone();
    no_step.step_id = String::new();
    assert_eq!(
        validate_reaction(&no_step, today()).unwrap_err(),
        "Étape inconnue."
    );
    let mut empty = claim.clone();
    empty.kind = ReactionKind::Comment;
    assert_eq!(
        validate_reaction(&empty, today()).unwrap_err(),
        "Votre message est vide. Écrivez quelques mots."
    );
    empty.body = "x".repeat(501);
    assert!(
        validate_reaction(&empty, today())
            .unwrap_err()
            .contains("trop long")
    );
    empty.body = "<b>merci</b>".into();
    let clean = validate_reaction(&empty, today()).unwrap();
    assert_eq!(clean.step_id, "", "a comment names no step");
    let mut future = claim;
    future.said_on = "2027-06-01".into();
    assert!(validate_reaction(&future, today()).is_err());
}

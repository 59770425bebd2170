//! Progression objectives (objectifs et étapes de progression), defined with
//! the worker, followed by their counsellor and supervisors, reviewed and
//! re-adjusted, and the worker's own space that shows them in plain words.
//!
//! Two synced record types:
//! - `objective`: one objective of one worker with its ordered steps,
//!   progress notes and reviews. Staff who may write in the worker's file
//!   change it together (supervisors on the worksite, offline; counsellors
//!   from the office); two changes made at once meet the sync's conflict
//!   rule (both versions kept, one chosen), so nothing is silently lost.
//! - `objective_reaction`: what the worker says from their phone, a step
//!   they think they have done (a *claim*, confirmed by staff) or a short
//!   comment. Only the worker writes them, so they never collide with staff.
//!
//! The rules (status, steps, reviews, claims) are plain functions, tested
//! natively; the screens (`pages`, `worker`) read and write the phone's store.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::observations::Category;
use crate::sessions::SkillTag;
use crate::text::note;

pub const RECORD_TYPE: &str = "objective";
pub const REACTION_TYPE: &str = "objective_reaction";
pub const SCHEMA: u32 = 1;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_STEP_CHARS: usize = 200;
pub const MAX_STEPS: usize = 20;
pub const MAX_NOTE_CHARS: usize = 1000;
pub const MAX_NOTES: usize = 200;
pub const MAX_REVIEWS: usize = 100;
pub const MAX_COMMENT_CHARS: usize = 500;

/// What an objective is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Skill,
    Behaviour,
    Barrier,
    Training,
    JobSearch,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Skill,
        Kind::Behaviour,
        Kind::Barrier,
        Kind::Training,
        Kind::JobSearch,
    ];

    /// Staff words.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Skill => "Compétence professionnelle",
            Kind::Behaviour => "Comportement au travail",
            Kind::Barrier => "Frein à lever",
            Kind::Training => "Formation",
            Kind::JobSearch => "Recherche d'emploi",
        }
    }

    /// The worker's words (no jargon).
    pub fn for_worker(self) -> &'static str {
        match self {
            Kind::Skill => "Apprendre un métier",
            Kind::Behaviour => "Au travail",
            Kind::Barrier => "Ma vie de tous les jours",
            Kind::Training => "Une formation",
            Kind::JobSearch => "Trouver un emploi",
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            Kind::Skill => "star",
            Kind::Behaviour => "team",
            Kind::Barrier => "home",
            Kind::Training => "file",
            Kind::JobSearch => "user",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Kind::Skill => "skill",
            Kind::Behaviour => "behaviour",
            Kind::Barrier => "barrier",
            Kind::Training => "training",
            Kind::JobSearch => "job_search",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A skill of the frameworks may be linked to these.
    pub fn takes_skill(self) -> bool {
        matches!(self, Kind::Skill | Kind::Behaviour)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    InProgress,
    Reached,
    Abandoned,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Planned,
        Status::InProgress,
        Status::Reached,
        Status::Abandoned,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Planned => "À venir",
            Status::InProgress => "En cours",
            Status::Reached => "Atteint",
            Status::Abandoned => "Abandonné",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Reached => "reached",
            Status::Abandoned => "abandoned",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still worked on (shown first, steps can be ticked).
    pub fn open(self) -> bool {
        matches!(self, Status::Planned | Status::InProgress)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable within the objective (claims and history point at it).
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub done: bool,
    /// The day it was reached, `YYYY-MM-DD` ("" while not done).
    #[serde(default)]
    pub done_on: String,
    /// Who ticked it (display name).
    #[serde(default)]
    pub done_by: String,
    /// The worker said it first (a confirmed claim).
    #[serde(default)]
    pub from_claim: bool,
}

/// A progress note; `shared` ones are shown to the worker too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: String,
    /// RFC 3339.
    pub at: String,
    pub by: String,
    pub text: String,
    #[serde(default)]
    pub shared: bool,
}

/// A review (point d'étape): what was decided; it may set a new target
/// date and a new status, and is kept in the objective's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub on: String,
    pub by: String,
    pub decision: String,
    /// `YYYY-MM-DD`, "" when the target is kept.
    #[serde(default)]
    pub new_target: String,
    /// The status after the review.
    pub status: Status,
    /// The target before the review (for the history).
    #[serde(default)]
    pub old_target: String,
}

/// One objective (the synced record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objective {
    pub worker_id: String,
    pub title: String,
    pub kind: Kind,
    /// A skill of the frameworks (skills and behaviours).
    #[serde(default)]
    pub skill: Option<SkillTag>,
    /// A barrier category code (`Category`), barriers only; "" otherwise.
    #[serde(default)]
    pub barrier: String,
    /// Derived from the barrier (santé, handicap, justice): read only by the worker,
    /// their counsellor and its author.
    #[serde(default)]
    pub sensitive: bool,
    /// `YYYY-MM-DD`, "" without a target date.
    #[serde(default)]
    pub target_on: String,
    pub status: Status,
    /// When it was reached, `YYYY-MM-DD` ("" otherwise).
    #[serde(default)]
    pub reached_on: String,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default)]
    pub reviews: Vec<Review>,
    /// Ids of the worker's claims answered "pas encore".
    #[serde(default)]
    pub answered: Vec<String>,
}

fn day(label: &str, value: &str) -> Result<Option<NaiveDate>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("{label} : date illisible."))
}

fn short_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Objective {
    pub fn new(worker_id: &str) -> Objective {
        Objective {
            worker_id: worker_id.to_string(),
            title: String::new(),
            kind: Kind::Skill,
            skill: None,
            barrier: String::new(),
            sensitive: false,
            target_on: String::new(),
            status: Status::Planned,
            reached_on: String::new(),
            steps: Vec::new(),
            notes: Vec::new(),
            reviews: Vec::new(),
            answered: Vec::new(),
        }
    }

    /// Steps reached, and all steps.
    pub fn progress(&self) -> (usize, usize) {
        (
            self.steps.iter().filter(|s| s.done).count(),
            self.steps.len(),
        )
    }

    /// The first step not reached yet, in the agreed order.
    pub fn next_step(&self) -> Option<&Step> {
        self.steps.iter().find(|s| !s.done)
    }

    /// Ticks or unticks a step. The first step reached starts the
    /// objective; the last one reaches it; unticking a step of a reached
    /// objective puts it back in progress. An abandoned objective is left
    /// as it is (a review reopens it). `false` if nothing changed.
    pub fn set_step(&mut self, step_id: &str, done: bool, by: &str, today: &str) -> bool {
        if self.status == Status::Abandoned {
            return false;
        }
        let Some(step) = self.steps.iter_mut().find(|s| s.id == step_id) else {
            return false;
        };
        if step.done == done {
            return false;
        }
        step.done = done;
        if done {
            step.done_on = today.to_string();
            step.done_by = by.to_string();
        } else {
            step.done_on.clear();
            step.done_by.clear();
            step.from_claim = false;
        }
        self.settle(today);
        true
    }

    /// Confirms the worker's claim on a step: ticked, marked as theirs.
    pub fn confirm_claim(&mut self, step_id: &str, by: &str, today: &str) -> bool {
        let changed = self.set_step(step_id, true, by, today);
        if changed && let Some(step) = self.steps.iter_mut().find(|s| s.id == step_id) {
            step.from_claim = true;
        }
        changed
    }

    /// Answers a claim "pas encore": it no longer waits for staff.
    pub fn answer_claim(&mut self, reaction_id: &str) {
        if !self.answered.iter().any(|a| a == reaction_id) {
            self.answered.push(reaction_id.to_string());
        }
    }

    /// Status after a step changed: derived from the steps while open.
    fn settle(&mut self, today: &str) {
        let (done, total) = self.progress();
        match self.status {
            Status::Planned | Status::InProgress if total > 0 && done == total => {
                self.status = Status::Reached;
                self.reached_on = today.to_string();
            }
            Status::Planned if done > 0 => self.status = Status::InProgress,
            Status::Reached if done < total => {
                self.status = Status::InProgress;
                self.reached_on.clear();
            }
            _ => {}
        }
    }

    /// Applies a review: kept in the history, with the target it replaced;
    /// a new target and a new status re-adjust the objective.
    pub fn review(&mut self, mut review: Review) -> Result<(), String> {
        let on = day("Date du point", &review.on)?
            .ok_or_else(|| "Date du point : à remplir.".to_string())?;
        review.decision = note(
            "Ce qui a été décidé",
            &review.decision,
            MAX_NOTE_CHARS,
            true,
        )?;
        if let Some(target) = day("Nouvelle échéance", &review.new_target)?
            && target < on
        {
            return Err("Nouvelle échéance : elle ne peut pas être avant la date du point.".into());
        }
        if review.status == Status::Reached && self.status != Status::Reached {
            self.reached_on = review.on.clone();
        }
        if review.status != Status::Reached {
            self.reached_on.clear();
        }
        review.old_target = self.target_on.clone();
        if !review.new_target.is_empty() {
            self.target_on = review.new_target.clone();
        }
        self.status = review.status;
        self.reviews.push(review);
        Ok(())
    }

    /// Staff notes the worker may read, newest first.
    pub fn shared_notes(&self) -> Vec<&Note> {
        let mut notes: Vec<&Note> = self.notes.iter().filter(|n| n.shared).collect();
        notes.reverse();
        notes
    }

    /// The objective as the worker's phone may hold it: without the notes
    /// kept for staff.
    pub fn for_worker(mut self) -> Objective {
        self.notes.retain(|n| n.shared);
        self
    }
}

/// Checks and tidies an objective; the phone runs it before saving and the
/// server on every push.
pub fn validate(input: &Objective, today: NaiveDate) -> Result<Objective, String> {
    if uuid::Uuid::parse_str(&input.worker_id).is_err() {
        return Err("Objectif : personne inconnue.".into());
    }
    let title = note("Objectif", &input.title, MAX_TITLE_CHARS, true)?;
    let barrier = match (input.kind, input.barrier.as_str()) {
        (_, "") => String::new(),
        (Kind::Barrier, code) => match Category::parse(code) {
            Some(c) if Category::BARRIERS.contains(&c) => code.to_string(),
            _ => return Err("Frein : catégorie inconnue.".into()),
        },
        _ => return Err("Seul un frein à lever se rattache à une catégorie de frein.".into()),
    };
    let sensitive = Category::parse(&barrier).is_some_and(Category::is_sensitive);
    let skill = match (&input.skill, input.kind.takes_skill()) {
        (None, _) => None,
        (Some(s), true) if short_id(&s.skill_id) && short_id(&s.framework_id) => Some(SkillTag {
            title: note("Compétence", &s.title, MAX_TITLE_CHARS, true)?,
            ..s.clone()
        }),
        (Some(_), true) => return Err("Compétence : identifiant illisible.".into()),
        (Some(_), false) => {
            return Err(
                "Une compétence se rattache à un objectif de compétence ou de comportement.".into(),
            );
        }
    };
    if let Some(target) = day("Échéance", &input.target_on)?
        && (target < today - chrono::Duration::days(5 * 366)
            || target > today + chrono::Duration::days(5 * 366))
    {
        return Err("Échéance : à moins de cinq ans d'aujourd'hui.".into());
    }
    if input.steps.len() > MAX_STEPS {
        return Err(format!(
            "Trop d'étapes ({}, au plus {MAX_STEPS}).",
            input.steps.len()
        ));
    }
    let mut steps: Vec<Step> = Vec::new();
    for s in &input.steps {
        if !short_id(&s.id) || steps.iter().any(|k| k.id == s.id) {
            return Err("Étapes : identifiant en double ou illisible.".into());
        }
        let done_on = if s.done {
            day("Étape atteinte le", &s.done_on)?
                .ok_or_else(|| "Étape atteinte : date manquante.".to_string())?;
            s.done_on.clone()
        } else {
            String::new()
        };
        steps.push(Step {
            id: s.id.clone(),
            title: note("Étape", &s.title, MAX_STEP_CHARS, true)?,
            done: s.done,
            done_on,
            done_by: if s.done {
                note("Étape", &s.done_by, MAX_STEP_CHARS, false)?
            } else {
                String::new()
            },
            from_claim: s.done && s.from_claim,
        });
    }
    if input.notes.len() > MAX_NOTES || input.reviews.len() > MAX_REVIEWS {
        return Err("Trop de notes ou de points d'étape sur cet objectif.".into());
    }
    let mut notes = Vec::with_capacity(input.notes.len());
    for n in &input.notes {
        if !short_id(&n.id) || n.at.len() > 40 {
            return Err("Note illisible.".into());
        }
        notes.push(Note {
            text: note("Note", &n.text, MAX_NOTE_CHARS, true)?,
            by: note("Note", &n.by, MAX_STEP_CHARS, false)?,
            ..n.clone()
        });
    }
    let mut reviews = Vec::with_capacity(input.reviews.len());
    for r in &input.reviews {
        if !short_id(&r.id) {
            return Err("Point d'étape illisible.".into());
        }
        day("Date du point", &r.on)?.ok_or_else(|| "Date du point : à remplir.".to_string())?;
        day("Nouvelle échéance", &r.new_target)?;
        day("Échéance", &r.old_target)?;
        reviews.push(Review {
            decision: note("Ce qui a été décidé", &r.decision, MAX_NOTE_CHARS, true)?,
            by: note("Point d'étape", &r.by, MAX_STEP_CHARS, false)?,
            ..r.clone()
        });
    }
    let reached_on = match input.status {
        Status::Reached => {
            day("Atteint le", &input.reached_on)?;
            if input.reached_on.is_empty() {
                today.to_string()
            } else {
                input.reached_on.clone()
            }
        }
        _ => String::new(),
    };
    let mut answered: Vec<String> = Vec::new();
    for a in &input.answered {
        if uuid::Uuid::parse_str(a).is_err() {
            return Err("Réponse à une étape illisible.".into());
        }
        if !answered.contains(a) {
            answered.push(a.clone());
        }
    }
    Ok(Objective {
        worker_id: input.worker_id.clone(),
        title,
        kind: input.kind,
        skill,
        barrier,
        sensitive,
        target_on: input.target_on.clone(),
        status: input.status,
        reached_on,
        steps,
        notes,
        reviews,
        answered,
    })
}

/// What the worker says about an objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReactionKind {
    /// "Je pense l'avoir fait" on a step.
    Claim,
    /// A short comment on the objective.
    Comment,
}

/// A worker's reaction (the synced record, written by the worker only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub worker_id: String,
    pub objective_id: String,
    /// The step claimed ("" for a comment).
    #[serde(default)]
    pub step_id: String,
    pub kind: ReactionKind,
    /// The comment, or an optional word with a claim.
    #[serde(default)]
    pub body: String,
    /// Copied from the objective: read only by its readers.
    #[serde(default)]
    pub sensitive: bool,
    /// `YYYY-MM-DD`.
    pub said_on: String,
}

pub fn validate_reaction(input: &Reaction, today: NaiveDate) -> Result<Reaction, String> {
    if uuid::Uuid::parse_str(&input.worker_id).is_err()
        || uuid::Uuid::parse_str(&input.objective_id).is_err()
    {
        return Err("Message : objectif inconnu.".into());
    }
    let body = note("Votre message", &input.body, MAX_COMMENT_CHARS, false)?;
    let step_id = match input.kind {
        ReactionKind::Claim if short_id(&input.step_id) => input.step_id.clone(),
        ReactionKind::Claim => return Err("Étape inconnue.".into()),
        ReactionKind::Comment if body.is_empty() => {
            return Err("Votre message est vide. Écrivez quelques mots.".into());
        }
        ReactionKind::Comment => String::new(),
    };
    let said = day("Date", &input.said_on)?.ok_or_else(|| "Date : à remplir.".to_string())?;
    if said > today + chrono::Duration::days(1) || said < today - chrono::Duration::days(366) {
        return Err("Date : hors de l'année écoulée.".into());
    }
    Ok(Reaction {
        worker_id: input.worker_id.clone(),
        objective_id: input.objective_id.clone(),
        step_id,
        kind: input.kind,
        body,
        sensitive: input.sensitive,
        said_on: input.said_on.clone(),
    })
}

/// The worker's claims still waiting for staff on this objective: the step
/// isn't ticked yet and nobody answered "pas encore". Oldest first.
pub fn pending_claims<'a>(
    objective: &Objective,
    reactions: &'a [(String, Reaction)],
) -> Vec<&'a (String, Reaction)> {
    reactions
        .iter()
        .filter(|(id, r)| {
            r.kind == ReactionKind::Claim
                && !objective.answered.contains(id)
                && objective.steps.iter().any(|s| s.id == r.step_id && !s.done)
        })
        .collect()
}

#[cfg(test)]
mod tests;

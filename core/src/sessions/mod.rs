//! Learning sessions (séances d'apprentissage): plans prepared by the
//! supervisor, sessions run and evaluated on the phone, offline, and each
//! worker's progression per skill (`progression`). Types and checks here;
//! the screens are in `app/src/pages/sessions/`.
//!
//! A session run is not a record of its own: each participant's evaluation
//! is one synced record (`evaluation`) carrying the session's facts (its id,
//! plan, title, day, place, duration) and that participant's results. The
//! phone groups the records it holds by session; a worker's phone only ever
//! holds their own, so nobody reads the other participants' names.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::note;

pub mod progression;

pub const RECORD_TYPE: &str = "evaluation";
pub const SCHEMA: u32 = 1;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 4000;
pub const MAX_COMMENT_CHARS: usize = 1000;
pub const MAX_LABEL_CHARS: usize = 300;
pub const MAX_CRITERIA: usize = 40;
pub const MAX_ITEMS: usize = 30;

/// The level reached on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Acquired,
    InProgress,
    NotAcquired,
    NotEvaluated,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Acquired,
        Level::InProgress,
        Level::NotAcquired,
        Level::NotEvaluated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Level::Acquired => "Acquis",
            Level::InProgress => "En cours d'acquisition",
            Level::NotAcquired => "Non acquis",
            Level::NotEvaluated => "Non évalué",
        }
    }

    /// The button's word (short enough for two columns at 360 px).
    pub fn short(self) -> &'static str {
        match self {
            Level::Acquired => "Acquis",
            Level::InProgress => "En cours",
            Level::NotAcquired => "Non acquis",
            Level::NotEvaluated => "Non évalué",
        }
    }

    /// For the worker: plain words about themselves.
    pub fn for_worker(self) -> &'static str {
        match self {
            Level::Acquired => "Je sais faire",
            Level::InProgress => "J'apprends",
            Level::NotAcquired => "À travailler",
            Level::NotEvaluated => "Pas encore vu",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Level::Acquired => "acquired",
            Level::InProgress => "in_progress",
            Level::NotAcquired => "not_acquired",
            Level::NotEvaluated => "not_evaluated",
        }
    }
}

/// A skill named in a plan or a result: where it lives and its title then.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SkillTag {
    pub framework_id: String,
    pub skill_id: String,
    pub title: String,
}

/// One evaluation criterion of a plan: a skill's criterion, or written for
/// the plan (then `criterion_id` is empty), maybe tied to a skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCriterion {
    #[serde(default)]
    pub skill: Option<SkillTag>,
    #[serde(default)]
    pub criterion_id: String,
    pub label: String,
}

/// One step of the scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub resources: String,
}

/// A foreseeable difficulty and its remedy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difficulty {
    pub difficulty: String,
    #[serde(default)]
    pub remedy: String,
}

/// The preparation file of a session, as the profession writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanBody {
    /// The real work situation the session is built on.
    pub task: String,
    /// Knowledge, know-how and behaviours it mobilises (skills of the frameworks).
    pub skills: Vec<SkillTag>,
    /// Anything the skills don't name (knowledge, vocabulary…).
    pub knowledge: String,
    pub objectives: Vec<String>,
    pub criteria: Vec<PlanCriterion>,
    pub steps: Vec<Step>,
    pub methods: String,
    pub difficulties: Vec<Difficulty>,
    pub material: String,
    /// How the evaluation will be done (observation, questions, tools).
    pub evaluation: String,
    pub duration_min: u32,
}

/// A plan as lists and screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: String,
    pub title: String,
    /// Offered first, as the starting point of new plans and sessions.
    pub template: bool,
    /// An AFEST: work situation, then a reflective sequence, then evaluation.
    pub afest: bool,
    pub archived: bool,
    pub author_id: String,
    pub author_name: String,
    pub updated_at: String,
    pub body: PlanBody,
}

/// Checks and tidies a plan (the editor shows the same sentences).
pub fn check_plan(title: &str, body: PlanBody) -> Result<(String, PlanBody), String> {
    let title = note("Titre", title, MAX_TITLE_CHARS, true)?;
    let text = |label: &str, v: &str| note(label, v, MAX_TEXT_CHARS, false);
    let line = |label: &str, v: &str| note(label, v, MAX_LABEL_CHARS, false);
    let too_many = |label: &str, n: usize, max: usize| {
        (n > max).then(|| format!("{label} : {n}, au plus {max}."))
    };
    for (label, n, max) in [
        ("Compétences", body.skills.len(), MAX_ITEMS),
        ("Objectifs", body.objectives.len(), MAX_ITEMS),
        ("Critères", body.criteria.len(), MAX_CRITERIA),
        ("Étapes", body.steps.len(), MAX_ITEMS),
        ("Difficultés", body.difficulties.len(), MAX_ITEMS),
    ] {
        if let Some(msg) = too_many(label, n, max) {
            return Err(msg);
        }
    }
    let mut objectives = Vec::new();
    for o in &body.objectives {
        let o = line("Objectif", o)?;
        if !o.is_empty() {
            objectives.push(o);
        }
    }
    let mut criteria: Vec<PlanCriterion> = Vec::new();
    for c in &body.criteria {
        let label = line("Critère", &c.label)?;
        if label.is_empty() {
            continue;
        }
        let duplicate = criteria.iter().any(|k| {
            k.label == label
                && k.skill.as_ref().map(|s| &s.skill_id) == c.skill.as_ref().map(|s| &s.skill_id)
        });
        if !duplicate {
            criteria.push(PlanCriterion { label, ..c.clone() });
        }
    }
    let mut steps = Vec::new();
    for s in &body.steps {
        let step = Step {
            title: line("Étape", &s.title)?,
            content: text("Contenu d'une étape", &s.content)?,
            resources: text("Ressources d'une étape", &s.resources)?,
        };
        if !(step.title.is_empty() && step.content.is_empty() && step.resources.is_empty()) {
            steps.push(step);
        }
    }
    let mut difficulties = Vec::new();
    for d in &body.difficulties {
        let item = Difficulty {
            difficulty: line("Difficulté", &d.difficulty)?,
            remedy: line("Remède", &d.remedy)?,
        };
        if !item.difficulty.is_empty() {
            difficulties.push(item);
        }
    }
    if body.duration_min > 24 * 60 {
        return Err("Durée : au plus 24 heures.".into());
    }
    Ok((
        title,
        PlanBody {
            task: text("Tâche", &body.task)?,
            skills: body.skills,
            knowledge: text("Savoirs", &body.knowledge)?,
            objectives,
            criteria,
            steps,
            methods: text("Méthodes pédagogiques", &body.methods)?,
            difficulties,
            material: text("Ressources matérielles", &body.material)?,
            evaluation: text("Modalités d'évaluation", &body.evaluation)?,
            duration_min: body.duration_min,
        },
    ))
}

/// One criterion's result for one participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// Unique within the session: the criterion's id, or `libre-N`.
    pub key: String,
    #[serde(default)]
    pub skill: Option<SkillTag>,
    pub label: String,
    pub level: Level,
    #[serde(default)]
    pub comment: String,
}

/// One participant's evaluation in one session (the synced record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub worker_id: String,
    pub session_id: String,
    pub plan_id: String,
    pub title: String,
    #[serde(default)]
    pub afest: bool,
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub duration_min: Option<i64>,
    #[serde(default)]
    pub absent: bool,
    /// AFEST: what the worker says they did and understood.
    #[serde(default)]
    pub reflection: String,
    pub results: Vec<CriterionResult>,
}

impl Evaluation {
    /// Criteria with a level other than "non évalué".
    pub fn evaluated(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.level != Level::NotEvaluated)
            .count()
    }
}

/// The results a session starts with: every criterion "non évalué".
pub fn blank_results(criteria: &[PlanCriterion]) -> Vec<CriterionResult> {
    let mut results: Vec<CriterionResult> = Vec::new();
    for (n, c) in criteria.iter().enumerate() {
        let mut key = if c.criterion_id.is_empty() {
            format!("libre-{}", n + 1)
        } else {
            c.criterion_id.clone()
        };
        if results.iter().any(|r| r.key == key) {
            key = format!("{key}-{}", n + 1);
        }
        results.push(CriterionResult {
            key,
            skill: c.skill.clone(),
            label: c.label.clone(),
            level: Level::NotEvaluated,
            comment: String::new(),
        });
    }
    results
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// Checks and tidies an evaluation; the phone runs it before saving and the
/// server on every push.
pub fn validate(input: &Evaluation, today: NaiveDate) -> Result<Evaluation, String> {
    if !is_uuid(&input.worker_id) || !is_uuid(&input.session_id) {
        return Err("Évaluation : personne ou séance inconnue.".into());
    }
    if input.plan_id.is_empty() || input.plan_id.len() > 64 {
        return Err("Évaluation : plan de séance inconnu.".into());
    }
    let title = note("Titre de la séance", &input.title, MAX_TITLE_CHARS, true)?;
    let day = NaiveDate::parse_from_str(&input.held_on, "%Y-%m-%d")
        .map_err(|_| "Date de la séance illisible.".to_string())?;
    if day < today - chrono::Duration::days(5 * 366) || day > today + chrono::Duration::days(366) {
        return Err(
            "Date de la séance : plus d'un an dans le futur ou de cinq ans dans le passé.".into(),
        );
    }
    let place = note("Lieu", &input.place, MAX_LABEL_CHARS, false)?;
    if let Some(d) = input.duration_min
        && !(0..=24 * 60).contains(&d)
    {
        return Err("Durée : entre 0 et 24 heures.".into());
    }
    let reflection = note(
        "Retour de la personne",
        &input.reflection,
        MAX_TEXT_CHARS,
        false,
    )?;
    if input.results.is_empty() {
        return Err("La séance n'a aucun critère d'évaluation.".into());
    }
    if input.results.len() > MAX_CRITERIA {
        return Err(format!(
            "Trop de critères ({}, au plus {MAX_CRITERIA}).",
            input.results.len()
        ));
    }
    let mut results: Vec<CriterionResult> = Vec::new();
    for r in &input.results {
        if r.key.is_empty() || r.key.len() > 80 || results.iter().any(|k| k.key == r.key) {
            return Err("Évaluation : critères en double ou sans identifiant.".into());
        }
        results.push(CriterionResult {
            key: r.key.clone(),
            skill: r.skill.clone(),
            label: note("Critère", &r.label, MAX_LABEL_CHARS, true)?,
            level: r.level,
            comment: note("Commentaire", &r.comment, MAX_COMMENT_CHARS, false)?,
        });
    }
    Ok(Evaluation {
        worker_id: input.worker_id.clone(),
        session_id: input.session_id.clone(),
        plan_id: input.plan_id.clone(),
        title,
        afest: input.afest,
        held_on: day.to_string(),
        place,
        duration_min: input.duration_min,
        absent: input.absent,
        reflection,
        results,
    })
}

/// What a phone keeps to start sessions offline: the frameworks and the
/// plans of the structure, and a fingerprint to skip unchanged downloads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub version: String,
    pub frameworks: Vec<crate::skills::StoredFramework>,
    pub plans: Vec<Plan>,
    /// The structure's welcome checklist (for the welcome screen offline).
    #[serde(default)]
    pub welcome_items: Vec<crate::worksite::welcome::WelcomeItem>,
}

impl Catalogue {
    /// Whether a skill is archived (or its framework is).
    pub fn archived(&self, framework_id: &str, skill_id: &str) -> bool {
        self.frameworks
            .iter()
            .find(|f| f.id == framework_id)
            .is_some_and(|f| {
                f.archived
                    || f.framework
                        .skills
                        .iter()
                        .any(|s| s.id == skill_id && s.archived)
            })
    }
}

#[cfg(test)]
mod tests;

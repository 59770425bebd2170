//! Observations: dated facts about one worker, written on the worksite,
//! offline first. Types, categories, validation and the counsellor's
//! follow-up (read, acknowledged, replies), shared by the phone and the
//! server. The server's spec is `app/src/backend/specs/observations.rs`; the
//! screens are in `app/src/pages/observations/`. Who may read which
//! observation is decided by the access policy (`backend::policy`, resource
//! `Observation`).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::sessions::{Level, SkillTag};
use crate::text::{line, note};

/// The `record_type` of the sync protocol.
pub const RECORD_TYPE: &str = "observation";
/// The data layout version. Version 1 (worker, date, kind, text) is still
/// accepted: its missing fields take their defaults.
pub const SCHEMA: u32 = 2;
pub const MAX_BODY_CHARS: usize = 4000;
pub const MAX_REASON_CHARS: usize = 500;
pub const MAX_REPLY_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Strength,
    Barrier,
    Skill,
    Behaviour,
    Incident,
    Alert,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Strength,
        Kind::Barrier,
        Kind::Skill,
        Kind::Behaviour,
        Kind::Incident,
        Kind::Alert,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Strength => "Atout",
            Kind::Barrier => "Frein",
            Kind::Skill => "Compétence métier",
            Kind::Behaviour => "Comportement professionnel",
            Kind::Incident => "Incident",
            Kind::Alert => "Alerte",
        }
    }

    /// The word on the form's choice (room for two columns at 360 px).
    pub fn short_label(self) -> &'static str {
        match self {
            Kind::Behaviour => "Comportement",
            other => other.label(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Strength => "strength",
            Kind::Barrier => "barrier",
            Kind::Skill => "skill",
            Kind::Behaviour => "behaviour",
            Kind::Incident => "incident",
            Kind::Alert => "alert",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The categories to choose from for this kind (empty: none asked).
    pub fn categories(self) -> &'static [Category] {
        match self {
            Kind::Barrier => &Category::BARRIERS,
            Kind::Behaviour => &Category::BEHAVIOURS,
            _ => &[],
        }
    }
}

/// The category of a barrier (frein) or of a professional behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Mobility,
    Housing,
    Health,
    FamilyChildcare,
    French,
    BasicSkills,
    Money,
    Paperwork,
    Justice,
    Digital,
    Disability,
    OtherBarrier,
    Punctuality,
    Instructions,
    Safety,
    Teamwork,
    Autonomy,
    Communication,
    Equipment,
}

impl Category {
    pub const BARRIERS: [Category; 12] = [
        Category::Mobility,
        Category::Housing,
        Category::Health,
        Category::FamilyChildcare,
        Category::French,
        Category::BasicSkills,
        Category::Money,
        Category::Paperwork,
        Category::Justice,
        Category::Digital,
        Category::Disability,
        Category::OtherBarrier,
    ];
    pub const BEHAVIOURS: [Category; 7] = [
        Category::Punctuality,
        Category::Instructions,
        Category::Safety,
        Category::Teamwork,
        Category::Autonomy,
        Category::Communication,
        Category::Equipment,
    ];

    /// Stored code and French label.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Category::Mobility => ("mobilite", "Mobilité"),
            Category::Housing => ("logement", "Logement"),
            Category::Health => ("sante", "Santé"),
            Category::FamilyChildcare => ("famille", "Famille, garde d'enfants"),
            Category::French => ("francais", "Maîtrise du français"),
            Category::BasicSkills => ("savoirs_base", "Savoirs de base"),
            Category::Money => ("finances", "Finances"),
            Category::Paperwork => ("demarches", "Démarches administratives"),
            Category::Justice => ("justice", "Justice"),
            Category::Digital => ("numerique", "Numérique"),
            Category::Disability => ("handicap", "Handicap"),
            Category::OtherBarrier => ("autre", "Autre"),
            Category::Punctuality => ("ponctualite", "Ponctualité"),
            Category::Instructions => ("consignes", "Respect des consignes"),
            Category::Safety => ("securite", "Sécurité, EPI"),
            Category::Teamwork => ("equipe", "Travail en équipe"),
            Category::Autonomy => ("autonomie", "Autonomie"),
            Category::Communication => ("communication", "Communication"),
            Category::Equipment => ("materiel", "Soin du matériel"),
        }
    }

    pub fn code(self) -> &'static str {
        self.names().0
    }

    pub fn label(self) -> &'static str {
        self.names().1
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::BARRIERS
            .into_iter()
            .chain(Category::BEHAVIOURS)
            .find(|c| c.code() == code)
    }

    /// Santé, handicap (health data too) and justice: seen only by the
    /// author and the worker's counsellor, never shared with the worker,
    /// every read audited.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            Category::Health | Category::Disability | Category::Justice
        )
    }
}

/// The label of a stored category code ("" when none).
pub fn category_label(code: &str) -> &'static str {
    Category::parse(code).map_or("", Category::label)
}

/// An observation's fields, as the phone writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub worker_id: String,
    /// The day observed, `YYYY-MM-DD`.
    pub observed_on: String,
    /// The time observed, `HH:MM` (Paris), "" if not given.
    #[serde(default)]
    pub observed_at: String,
    pub kind: Kind,
    /// A `Category` code for barriers and behaviours, else "".
    #[serde(default)]
    pub category: String,
    /// Emptied when the observation is retracted (the history keeps it).
    pub body: String,
    /// Shown to the worker too (an explicit choice, off by default).
    #[serde(default)]
    pub shared: bool,
    /// Derived from the category on validation; never trusted as sent.
    #[serde(default)]
    pub sensitive: bool,
    /// Withdrawn by its author: the trace stays, the text goes.
    #[serde(default)]
    pub retracted: bool,
    /// Why it was corrected or retracted (required for both).
    #[serde(default)]
    pub change_reason: String,
    /// A skill of a framework seen in ordinary work (« Compétence » only):
    /// it counts in the worker's progression and attestation next to the
    /// sessions' evaluations, as « observé en situation de travail ».
    #[serde(default)]
    pub skill: Option<SkillTag>,
    /// The level seen, with `skill` (never « non évalué »).
    #[serde(default)]
    pub level: Option<Level>,
    /// An « Incident » that hurt someone at work: the employer must declare
    /// it within 48 hours, and it is an alert for the counsellor and the
    /// admin until acknowledged.
    #[serde(default)]
    pub work_accident: bool,
    /// The safety report of an « Incident » (none for older ones).
    #[serde(default)]
    pub incident: Option<IncidentReport>,
}

pub const MAX_PLACE_CHARS: usize = 200;
pub const MAX_INVOLVED_CHARS: usize = 300;
pub const MAX_CARE_CHARS: usize = 1000;
pub const MAX_ACTIONS: usize = 20;
pub const MAX_ACTION_CHARS: usize = 300;
pub const MAX_WHO_CHARS: usize = 100;

/// What the screen says when an incident is a work accident.
pub const WORK_ACCIDENT_NOTICE: &str = "Accident du travail : l'employeur doit le déclarer à la CPAM dans les 48 heures (dimanches et jours fériés non compris). La CIP et la direction sont alertées.";

/// An incident or near miss, as the supervisor reports it and follows it up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentReport {
    /// Nobody was hurt (presque-accident).
    #[serde(default)]
    pub near_miss: bool,
    /// Where it happened.
    #[serde(default)]
    pub place: String,
    /// Others involved or present, as the supervisor names them.
    #[serde(default)]
    pub involved: String,
    /// First care given, if any.
    #[serde(default)]
    pub first_care: String,
    /// What is done so it doesn't happen again: what, who, by when.
    #[serde(default)]
    pub actions: Vec<FollowAction>,
    /// The day the report was closed (every action done), `YYYY-MM-DD`.
    #[serde(default)]
    pub closed_on: Option<String>,
}

/// One follow-up action of an incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowAction {
    /// Made on the phone; keeps the action's place across edits.
    pub id: String,
    pub what: String,
    pub who: String,
    /// By when, `YYYY-MM-DD` ("" if not set).
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub done_on: Option<String>,
}

impl IncidentReport {
    /// Actions not done yet.
    pub fn open_actions(&self) -> usize {
        self.actions.iter().filter(|a| a.done_on.is_none()).count()
    }
}

impl Observation {
    pub fn category(&self) -> Option<Category> {
        Category::parse(&self.category)
    }

    /// An alert for the counsellor and the admin until acknowledged: an
    /// « Alerte », or an incident that is a work accident.
    pub fn is_alert(&self) -> bool {
        is_alert(self.kind, self.work_accident)
    }

    /// « Tailler une haie · Acquis » when it names a skill seen at work.
    pub fn skill_seen(&self) -> Option<String> {
        skill_seen_label(self.skill.as_ref(), self.level)
    }
}

/// Whether an observation of this kind is an alert (see `Observation::is_alert`).
pub fn is_alert(kind: Kind, work_accident: bool) -> bool {
    kind == Kind::Alert || (kind == Kind::Incident && work_accident)
}

/// How a skill seen at work reads on a card: the skill and the level.
pub fn skill_seen_label(skill: Option<&SkillTag>, level: Option<Level>) -> Option<String> {
    Some(format!("{} · {}", skill?.title, level?.label()))
}

/// The few fields of an observation that lists and counts need (the
/// worker's home, the progression): read without the rest, so the code that
/// reads a whole observation (incident reports and all) stays in the screens
/// that show one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Summary {
    pub worker_id: String,
    pub observed_on: String,
    pub kind: Kind,
    pub body: String,
    #[serde(default)]
    pub shared: bool,
    #[serde(default)]
    pub retracted: bool,
    #[serde(default)]
    pub skill: Option<SkillTag>,
    #[serde(default)]
    pub level: Option<Level>,
}

/// Checks and normalises an observation; the error is a French sentence
/// for the person who wrote it. `correction`: it changes a version the
/// server already has, so a reason is required.
pub fn validate(input: &Observation, today: NaiveDate) -> Result<Observation, String> {
    if uuid::Uuid::parse_str(&input.worker_id).is_err() {
        return Err("Choisissez la personne concernée.".into());
    }
    let date = NaiveDate::parse_from_str(&input.observed_on, "%Y-%m-%d")
        .map_err(|_| "Indiquez la date au format jj/mm/aaaa.".to_string())?;
    if date > today + chrono::Duration::days(1) {
        return Err("La date ne peut pas être dans le futur.".into());
    }
    if date < today - chrono::Duration::days(366) {
        return Err("La date a plus d'un an : vérifiez-la.".into());
    }
    let observed_at = input.observed_at.trim().to_string();
    if !observed_at.is_empty() && chrono::NaiveTime::parse_from_str(&observed_at, "%H:%M").is_err()
    {
        return Err("Indiquez l'heure au format hh:mm.".into());
    }
    let category = match input.kind.categories() {
        [] => String::new(),
        choices => match Category::parse(&input.category) {
            Some(c) if choices.contains(&c) => c.code().to_string(),
            _ => {
                return Err(match input.kind {
                    Kind::Barrier => "Choisissez le type de frein.".into(),
                    _ => "Choisissez le comportement concerné.".into(),
                });
            }
        },
    };
    let (skill, level) = checked_skill(input)?;
    let (work_accident, incident) = checked_incident(input, date, today)?;
    let sensitive = Category::parse(&category).is_some_and(Category::is_sensitive);
    let change_reason = note("Motif", &input.change_reason, MAX_REASON_CHARS, false)?;
    let body = note("Texte", &input.body, MAX_BODY_CHARS, false)?;
    if input.retracted {
        if change_reason.is_empty() {
            return Err("Indiquez pourquoi vous retirez cette observation.".into());
        }
    } else {
        if body.is_empty() {
            return Err("Écrivez l'observation.".into());
        }
    }
    Ok(Observation {
        worker_id: input.worker_id.clone(),
        observed_on: date.to_string(),
        observed_at,
        kind: input.kind,
        category,
        body: if input.retracted { String::new() } else { body },
        shared: input.shared && !sensitive && !input.retracted,
        sensitive,
        retracted: input.retracted,
        change_reason,
        skill,
        level,
        work_accident,
        incident,
    })
}

/// A day field: `YYYY-MM-DD`, not after tomorrow, not before `not_before`.
fn checked_day(
    label: &str,
    value: &str,
    not_before: NaiveDate,
    today: NaiveDate,
) -> Result<String, String> {
    let day = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{label} : indiquez la date au format jj/mm/aaaa."))?;
    if day > today + chrono::Duration::days(1) {
        return Err(format!("{label} : la date ne peut pas être dans le futur."));
    }
    if day < not_before {
        return Err(format!("{label} : la date est avant l'incident."));
    }
    Ok(day.to_string())
}

/// The report of an « Incident » (other kinds drop it, and the work
/// accident with it).
fn checked_incident(
    input: &Observation,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(bool, Option<IncidentReport>), String> {
    if input.kind != Kind::Incident {
        return Ok((false, None));
    }
    let Some(report) = &input.incident else {
        return Ok((input.work_accident, None));
    };
    if report.near_miss && input.work_accident {
        return Err(
            "Un presque-accident n'a blessé personne : ce n'est pas un accident du travail.".into(),
        );
    }
    if report.actions.len() > MAX_ACTIONS {
        return Err(format!(
            "{} actions de suivi, au plus {MAX_ACTIONS}.",
            report.actions.len()
        ));
    }
    let mut actions: Vec<FollowAction> = Vec::new();
    for (n, a) in report.actions.iter().enumerate() {
        let label = format!("Action {}", n + 1);
        if !crate::skills::is_id(&a.id) || actions.iter().any(|b| b.id == a.id) {
            return Err(format!(
                "{label} : identifiant invalide, mettez l'application à jour."
            ));
        }
        let what = line(&label, &a.what, MAX_ACTION_CHARS, false)?;
        if what.is_empty() {
            return Err(format!("{label} : écrivez ce qui doit être fait."));
        }
        let who = line(&format!("{label}, qui"), &a.who, MAX_WHO_CHARS, false)?;
        if who.is_empty() {
            return Err(format!("{label} : indiquez qui s'en charge."));
        }
        let due_on = if a.due_on.trim().is_empty() {
            String::new()
        } else {
            NaiveDate::parse_from_str(a.due_on.trim(), "%Y-%m-%d")
                .map_err(|_| format!("{label} : indiquez l'échéance au format jj/mm/aaaa."))?
                .to_string()
        };
        let done_on = match &a.done_on {
            Some(d) => Some(checked_day(&format!("{label}, faite le"), d, on, today)?),
            None => None,
        };
        actions.push(FollowAction {
            id: a.id.clone(),
            what,
            who,
            due_on,
            done_on,
        });
    }
    let closed_on = match &report.closed_on {
        Some(d) => {
            if actions.iter().any(|a| a.done_on.is_none()) {
                return Err(
                    "Des actions de suivi restent à faire : cochez-les avant de clore.".into(),
                );
            }
            Some(checked_day("Clôture", d, on, today)?)
        }
        None => None,
    };
    Ok((
        input.work_accident,
        Some(IncidentReport {
            near_miss: report.near_miss,
            place: line("Lieu", &report.place, MAX_PLACE_CHARS, false)?,
            involved: line(
                "Personnes impliquées",
                &report.involved,
                MAX_INVOLVED_CHARS,
                false,
            )?,
            first_care: note("Premiers soins", &report.first_care, MAX_CARE_CHARS, false)?,
            actions,
            closed_on,
        }),
    ))
}

/// The skill and level of a « Compétence » observation: both or neither
/// (other kinds drop them).
fn checked_skill(input: &Observation) -> Result<(Option<SkillTag>, Option<Level>), String> {
    if input.kind != Kind::Skill {
        return Ok((None, None));
    }
    match (&input.skill, input.level) {
        (None, None) => Ok((None, None)),
        (None, Some(_)) => Err("Choisissez la compétence observée.".into()),
        (Some(_), None | Some(Level::NotEvaluated)) => {
            Err("Choisissez le niveau observé : acquis, en cours ou non acquis.".into())
        }
        (Some(tag), Some(level)) => {
            if !crate::skills::is_id(&tag.framework_id) || !crate::skills::is_id(&tag.skill_id) {
                return Err("Compétence inconnue : mettez l'application à jour.".into());
            }
            let title = line(
                "Compétence",
                &tag.title,
                crate::skills::MAX_TITLE_CHARS,
                true,
            )?;
            Ok((
                Some(SkillTag {
                    framework_id: tag.framework_id.clone(),
                    skill_id: tag.skill_id.clone(),
                    title,
                }),
                Some(level),
            ))
        }
    }
}

/// One counsellor reply, as phones show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub author: String,
    /// Paris time as text ("23/11/2026 à 10:12").
    pub at: String,
    pub body: String,
}

/// What the staff did with an observation (server fields of the record).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    #[serde(default)]
    pub acknowledged_at: Option<String>,
    #[serde(default)]
    pub acknowledged_by: Option<String>,
    #[serde(default)]
    pub seen_at: Option<String>,
    #[serde(default)]
    pub seen_by: Option<String>,
    #[serde(default, deserialize_with = "replies_or_none")]
    pub replies: Vec<Reply>,
}

fn replies_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Reply>, D::Error> {
    Ok(Option::<Vec<Reply>>::deserialize(d)?.unwrap_or_default())
}

impl FollowUp {
    /// Read from a record's data (absent fields: nothing yet).
    pub fn of(data: &serde_json::Value) -> FollowUp {
        serde_json::from_value(data.clone()).unwrap_or_default()
    }
}

/// Checks a reply; the error is a French sentence.
pub fn clean_reply(body: &str) -> Result<String, String> {
    let body = note("Réponse", body, MAX_REPLY_CHARS, false)?;
    if body.is_empty() {
        return Err("Écrivez votre réponse.".into());
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(body: &str, date: &str) -> Observation {
        Observation {
            worker_id: uuid::Uuid::now_v7().to_string(),
            observed_on: date.into(),
            observed_at: "10:15".into(),
            kind: Kind::Strength,
            category: String::new(),
            body: body.into(),
            shared: false,
            sensitive: false,
            retracted: false,
            change_reason: String::new(),
            skill: None,
            level: None,
            work_accident: false,
            incident: None,
        }
    }

    #[test]
    fn validation_trims_and_refuses_empty_long_future_and_malformed_input() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let ok = validate(&obs("  Arrivé à l'heure  ", "2026-11-20"), today).unwrap();
        assert_eq!(ok.body, "Arrivé à l'heure");
        assert_eq!(
            validate(&obs("Arrivé\u{0007}", "2026-11-20"), today),
            Err("Texte : caractères non autorisés.".into())
        );
        assert!(validate(&obs("   ", "2026-11-20"), today).is_err());
        assert!(validate(&obs(&"é".repeat(4000), "2026-11-20"), today).is_ok());
        let huge = validate(&obs(&"é".repeat(20_000), "2026-11-20"), today).unwrap_err();
        assert_eq!(huge, "Texte : trop long (20000 caractères, au plus 4000).");
        assert!(validate(&obs("x", "2026-11-30"), today).is_err());
        assert!(validate(&obs("x", "2025-01-01"), today).is_err());
        assert!(validate(&obs("x", "23/11/2026"), today).is_err());
        let mut bad_time = obs("x", "2026-11-20");
        bad_time.observed_at = "25:99".into();
        assert!(validate(&bad_time, today).is_err());
        let mut bad_worker = obs("x", "2026-11-20");
        bad_worker.worker_id = "'; DROP TABLE workers; --".into();
        assert!(validate(&bad_worker, today).is_err());
        let hostile = validate(&obs("<script>alert(1)</script>", "2026-11-23"), today).unwrap();
        assert_eq!(
            hostile.body, "<script>alert(1)</script>",
            "kept as text, escaped on display"
        );
    }

    #[test]
    fn categories_are_required_where_they_apply_and_sensitivity_is_derived() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut barrier = obs("Pas de bus le matin", "2026-11-23");
        barrier.kind = Kind::Barrier;
        assert_eq!(
            validate(&barrier, today).unwrap_err(),
            "Choisissez le type de frein."
        );
        barrier.category = "ponctualite".into();
        assert!(
            validate(&barrier, today).is_err(),
            "a behaviour is not a barrier"
        );
        barrier.category = "mobilite".into();
        barrier.shared = true;
        let clean = validate(&barrier, today).unwrap();
        assert!(!clean.sensitive && clean.shared);

        // Health: sensitive whatever the phone says, and never shared.
        barrier.category = "sante".into();
        barrier.sensitive = false;
        let clean = validate(&barrier, today).unwrap();
        assert!(clean.sensitive);
        assert!(!clean.shared, "a sensitive observation is never shared");
        barrier.category = "justice".into();
        assert!(validate(&barrier, today).unwrap().sensitive);

        let mut behaviour = obs("Casque oublié deux fois", "2026-11-23");
        behaviour.kind = Kind::Behaviour;
        assert!(validate(&behaviour, today).is_err());
        behaviour.category = "securite".into();
        assert_eq!(validate(&behaviour, today).unwrap().category, "securite");

        // Kinds without categories drop a stray one; a strength can't be sensitive.
        let mut strength = obs("Très soigneux", "2026-11-23");
        strength.category = "sante".into();
        strength.sensitive = true;
        let clean = validate(&strength, today).unwrap();
        assert_eq!(clean.category, "");
        assert!(!clean.sensitive);
    }

    #[test]
    fn retracting_needs_a_reason_and_drops_the_text_and_the_sharing() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut o = obs("Erreur de personne", "2026-11-23");
        o.shared = true;
        o.retracted = true;
        assert_eq!(
            validate(&o, today).unwrap_err(),
            "Indiquez pourquoi vous retirez cette observation."
        );
        o.change_reason = "  Mauvaise personne  ".into();
        let clean = validate(&o, today).unwrap();
        assert_eq!(clean.body, "");
        assert!(!clean.shared);
        assert_eq!(clean.change_reason, "Mauvaise personne");
        o.change_reason = "x".repeat(501);
        assert!(validate(&o, today).is_err());
    }

    #[test]
    fn a_skill_seen_at_work_needs_its_level_and_only_a_skill_observation_keeps_one() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let tag = SkillTag {
            framework_id: "espaces-verts".into(),
            skill_id: "taille-haie".into(),
            title: "  Tailler une haie  ".into(),
        };
        let mut o = obs("Taille nette, sans consigne", "2026-11-23");
        o.kind = Kind::Skill;
        o.skill = Some(tag.clone());
        assert_eq!(
            validate(&o, today).unwrap_err(),
            "Choisissez le niveau observé : acquis, en cours ou non acquis."
        );
        o.level = Some(Level::NotEvaluated);
        assert!(
            validate(&o, today).is_err(),
            "« non évalué » is no sighting"
        );
        o.level = Some(Level::Acquired);
        let clean = validate(&o, today).unwrap();
        assert_eq!(clean.skill.unwrap().title, "Tailler une haie");
        assert_eq!(clean.level, Some(Level::Acquired));

        let mut no_skill = o.clone();
        no_skill.skill = None;
        assert_eq!(
            validate(&no_skill, today).unwrap_err(),
            "Choisissez la compétence observée."
        );
        no_skill.level = None;
        assert!(
            validate(&no_skill, today).is_ok(),
            "free text stays possible"
        );

        let mut hostile = o.clone();
        hostile.skill = Some(SkillTag {
            skill_id: "../../etc".into(),
            ..tag.clone()
        });
        assert!(validate(&hostile, today).is_err());
        hostile.skill = Some(SkillTag {
            title: "x".repeat(201),
            ..tag.clone()
        });
        assert!(validate(&hostile, today).is_err());

        // Another kind drops a stray skill and level.
        let mut strength = o.clone();
        strength.kind = Kind::Strength;
        let clean = validate(&strength, today).unwrap();
        assert_eq!((clean.skill, clean.level), (None, None));
    }

    #[test]
    fn an_incident_report_is_checked_and_closes_only_once_its_actions_are_done() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let action = |id: &str, done: Option<&str>| FollowAction {
            id: id.into(),
            what: " Revoir le rangement des sécateurs ".into(),
            who: "Karim".into(),
            due_on: "2026-11-30".into(),
            done_on: done.map(String::from),
        };
        let mut o = obs("Chute d'un sécateur depuis la remorque", "2026-11-20");
        o.kind = Kind::Incident;
        o.incident = Some(IncidentReport {
            near_miss: true,
            place: "Parc de la Roseraie".into(),
            involved: "Sami".into(),
            first_care: String::new(),
            actions: vec![action("a1", None)],
            closed_on: None,
        });
        let clean = validate(&o, today).unwrap();
        assert_eq!(
            clean.incident.as_ref().unwrap().actions[0].what,
            "Revoir le rangement des sécateurs"
        );
        assert!(!clean.is_alert(), "a near miss is no alert");

        let mut accident = o.clone();
        accident.work_accident = true;
        assert_eq!(
            validate(&accident, today).unwrap_err(),
            "Un presque-accident n'a blessé personne : ce n'est pas un accident du travail."
        );
        accident.incident.as_mut().unwrap().near_miss = false;
        assert!(validate(&accident, today).unwrap().is_alert());

        let mut closing = o.clone();
        closing.incident.as_mut().unwrap().closed_on = Some("2026-11-23".into());
        assert_eq!(
            validate(&closing, today).unwrap_err(),
            "Des actions de suivi restent à faire : cochez-les avant de clore."
        );
        closing.incident.as_mut().unwrap().actions = vec![action("a1", Some("2026-11-22"))];
        assert!(validate(&closing, today).is_ok());
        closing.incident.as_mut().unwrap().actions = vec![action("a1", Some("2026-11-19"))];
        assert_eq!(
            validate(&closing, today).unwrap_err(),
            "Action 1, faite le : la date est avant l'incident."
        );

        let bad = |f: fn(&mut IncidentReport)| {
            let mut b = o.clone();
            f(b.incident.as_mut().unwrap());
            validate(&b, today).unwrap_err()
        };
        assert_eq!(
            bad(|r| r.actions[0].who = "  ".into()),
            "Action 1 : indiquez qui s'en charge."
        );
        assert_eq!(
            bad(|r| r.actions[0].what = String::new()),
            "Action 1 : écrivez ce qui doit être fait."
        );
        assert!(bad(|r| r.actions.push(r.actions[0].clone())).contains("identifiant"));
        assert!(bad(|r| r.actions[0].due_on = "30/11/2026".into()).contains("échéance"));
        assert!(bad(|r| r.place = "x".repeat(201)).contains("Lieu"));
        assert!(bad(|r| r.actions = vec![FollowAction::default(); 21]).contains("au plus 20"));

        // Another kind drops the report and the accident.
        let mut strength = accident.clone();
        strength.kind = Kind::Strength;
        let clean = validate(&strength, today).unwrap();
        assert!(clean.incident.is_none() && !clean.work_accident);
    }

    #[test]
    fn version_1_data_still_reads() {
        let old = serde_json::json!({
            "worker_id": uuid::Uuid::now_v7().to_string(),
            "observed_on": "2026-11-20",
            "kind": "strength",
            "body": "Texte d'avant"
        });
        let o: Observation = serde_json::from_value(old).unwrap();
        assert_eq!(o.category, "");
        assert!(!o.shared);
    }
}

//! A worker's progression per skill, from their evaluations in sessions and
//! the skills seen in ordinary work: the level that counts, the events
//! behind it, successes first.
use super::{Evaluation, Level, SkillTag};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Empty for a skill seen at work.
    pub session_id: String,
    pub held_on: String,
    /// Empty for a skill seen at work.
    pub session_title: String,
    pub by: String,
    pub level: Level,
    /// The skill's criteria in that session: label, level, comment.
    pub criteria: Vec<(String, Level, String)>,
    /// Seen in ordinary work (a « Compétence » observation), not in a session.
    pub at_work: bool,
    /// What the supervisor wrote, for a skill seen at work.
    pub note: String,
}

impl Event {
    /// Where the level comes from, in words: the session, or the worksite.
    pub fn origin(&self) -> String {
        if self.at_work {
            AT_WORK.to_string()
        } else {
            format!("séance « {} »", self.session_title)
        }
    }
}

impl Event {
    /// The situation a document names: the session's title, or
    /// « Observé en situation de travail ».
    pub fn situation(&self) -> String {
        if self.at_work {
            "Observé en situation de travail".to_string()
        } else {
            self.session_title.clone()
        }
    }
}

/// How a skill seen in ordinary work is named wherever it counts.
pub const AT_WORK: &str = "observé en situation de travail";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillProgress {
    pub skill: SkillTag,
    /// The level of the latest session that evaluated the skill.
    pub level: Level,
    /// No longer in the framework (or its framework is archived): shown
    /// apart, its history kept.
    pub archived: bool,
    /// Newest first.
    pub history: Vec<Event>,
}

/// A skill's level from its criteria in one session: all acquired →
/// acquired; all not acquired → not acquired; a mix → in progress.
/// Criteria not evaluated don't count; `None` if none was evaluated.
pub fn skill_level(levels: &[Level]) -> Option<Level> {
    let rated: Vec<Level> = levels
        .iter()
        .copied()
        .filter(|l| *l != Level::NotEvaluated)
        .collect();
    if rated.is_empty() {
        None
    } else if rated.iter().all(|l| *l == Level::Acquired) {
        Some(Level::Acquired)
    } else if rated.iter().all(|l| *l == Level::NotAcquired) {
        Some(Level::NotAcquired)
    } else {
        Some(Level::InProgress)
    }
}

/// One evaluation as the rules need it.
pub struct Entry<'a> {
    pub evaluation: &'a Evaluation,
    /// Who wrote it last.
    pub by: &'a str,
    /// When it was last written (breaks ties between sessions of one day).
    pub updated_at: &'a str,
}

/// A skill seen in ordinary work, as the rules need it.
pub struct Seen<'a> {
    /// The day it was seen.
    pub on: &'a str,
    pub skill: &'a SkillTag,
    pub level: Level,
    pub note: &'a str,
    pub by: &'a str,
    pub updated_at: &'a str,
}

/// Every skill evaluated in these sessions or seen at work, with its
/// latest level and history. Absences and sessions that rated none of a
/// skill's criteria leave no trace on it. Sorted by skill title.
pub fn progression(
    entries: &[Entry],
    seen: &[Seen],
    archived: impl Fn(&SkillTag) -> bool,
) -> Vec<SkillProgress> {
    enum Source<'s, 'a> {
        Session(&'s Entry<'a>),
        Work(&'s Seen<'a>),
    }
    fn key<'k>(s: &Source<'k, '_>) -> (&'k str, &'k str) {
        match s {
            Source::Session(e) => (e.evaluation.held_on.as_str(), e.updated_at),
            Source::Work(w) => (w.on, w.updated_at),
        }
    }
    let mut ordered: Vec<Source> = entries
        .iter()
        .filter(|e| !e.evaluation.absent)
        .map(Source::Session)
        .chain(
            seen.iter()
                .filter(|w| w.level != Level::NotEvaluated)
                .map(Source::Work),
        )
        .collect();
    // Newest first: the day, then the last change.
    ordered.sort_by(|a, b| key(b).cmp(&key(a)));
    let mut skills: Vec<SkillProgress> = Vec::new();
    let mut add =
        |tag: &SkillTag, event: Event| match skills.iter_mut().find(|s| same(&s.skill, tag)) {
            Some(s) => s.history.push(event),
            None => skills.push(SkillProgress {
                skill: tag.clone(),
                level: event.level,
                archived: archived(tag),
                history: vec![event],
            }),
        };
    for source in ordered {
        let entry = match source {
            Source::Session(entry) => entry,
            Source::Work(w) => {
                let event = Event {
                    session_id: String::new(),
                    held_on: w.on.to_string(),
                    session_title: String::new(),
                    by: w.by.to_string(),
                    level: w.level,
                    criteria: Vec::new(),
                    at_work: true,
                    note: w.note.to_string(),
                };
                add(w.skill, event);
                continue;
            }
        };
        let e = entry.evaluation;
        let mut tags: Vec<&SkillTag> = Vec::new();
        for r in &e.results {
            if let Some(tag) = &r.skill
                && !tags.iter().any(|t| same(t, tag))
            {
                tags.push(tag);
            }
        }
        for tag in tags {
            let criteria: Vec<(String, Level, String)> = e
                .results
                .iter()
                .filter(|r| r.skill.as_ref().is_some_and(|t| same(t, tag)))
                .map(|r| (r.label.clone(), r.level, r.comment.clone()))
                .collect();
            let levels: Vec<Level> = criteria.iter().map(|c| c.1).collect();
            let Some(level) = skill_level(&levels) else {
                continue;
            };
            let event = Event {
                session_id: e.session_id.clone(),
                held_on: e.held_on.clone(),
                session_title: e.title.clone(),
                by: entry.by.to_string(),
                level,
                criteria,
                at_work: false,
                note: String::new(),
            };
            add(tag, event);
        }
    }
    skills.sort_by(|a, b| a.skill.title.cmp(&b.skill.title));
    skills
}

fn same(a: &SkillTag, b: &SkillTag) -> bool {
    a.framework_id == b.framework_id && a.skill_id == b.skill_id
}

/// For the worker: what they can do first, then what they are learning,
/// then what to work on.
pub fn successes_first(mut skills: Vec<SkillProgress>) -> Vec<SkillProgress> {
    let rank = |l: Level| match l {
        Level::Acquired => 0,
        Level::InProgress => 1,
        Level::NotAcquired => 2,
        Level::NotEvaluated => 3,
    };
    skills.sort_by(|a, b| (rank(a.level), &a.skill.title).cmp(&(rank(b.level), &b.skill.title)));
    skills
}

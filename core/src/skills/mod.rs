//! Skill frameworks (référentiels de compétences): one per trade plus the
//! professional behaviours shared by every trade. A framework is one
//! document: its skills in order, each in a domain, each with observable
//! criteria. The same layout is the JSON file structures exchange
//! (`parse_file`, `to_file`). Skills and criteria keep their ids for life,
//! so evaluations stay attached to them when they are edited, moved or
//! archived.
use serde::{Deserialize, Serialize};

use crate::text::line;

pub mod defaults;

/// The `format` field of an exchange file.
pub const FILE_FORMAT: &str = "jalon-referentiel";
pub const FILE_VERSION: u32 = 1;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DOMAIN_CHARS: usize = 120;
pub const MAX_CRITERION_CHARS: usize = 300;
pub const MAX_CRITERIA: usize = 8;
pub const MAX_SKILLS: usize = 300;
pub const MAX_FILE_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameworkKind {
    /// The professional behaviours, common to every trade.
    Behaviours,
    /// The skills of one trade (activity).
    Trade,
}

impl FrameworkKind {
    pub fn label(self) -> &'static str {
        match self {
            FrameworkKind::Behaviours => "Comportements professionnels",
            FrameworkKind::Trade => "Métier",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawCriterion")]
pub struct Criterion {
    pub id: String,
    pub text: String,
}

/// A criterion as read from a file, before its checks (so a bad one is
/// reported at its own line).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: String,
    text: String,
}

impl TryFrom<RawCriterion> for Criterion {
    type Error = String;

    fn try_from(raw: RawCriterion) -> Result<Self, String> {
        let label = raw.id.chars().take(70).collect::<String>();
        let text = line("Texte", &raw.text, MAX_CRITERION_CHARS, true)
            .map_err(|m| format!("critère « {label} » : {m}"))?;
        if !is_id(&raw.id) {
            return Err(format!(
                "critère « {label} » : identifiant invalide (lettres sans accent, chiffres, tirets)."
            ));
        }
        Ok(Criterion { id: raw.id, text })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawSkill")]
pub struct Skill {
    pub id: String,
    /// The group it is shown in ("Taille et entretien").
    pub domain: String,
    pub title: String,
    /// Archived: no longer offered for new sessions; its past evaluations stay.
    #[serde(default)]
    pub archived: bool,
    pub criteria: Vec<Criterion>,
}

/// A skill as read from a file, before its checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkill {
    id: String,
    #[serde(default)]
    domain: String,
    title: String,
    #[serde(default)]
    archived: bool,
    criteria: Vec<Criterion>,
}

impl TryFrom<RawSkill> for Skill {
    type Error = String;

    fn try_from(raw: RawSkill) -> Result<Self, String> {
        check_skill(Skill {
            id: raw.id,
            domain: raw.domain,
            title: raw.title,
            archived: raw.archived,
            criteria: raw.criteria,
        })
    }
}

/// A framework as stored and as exchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub format: String,
    pub version: u32,
    pub title: String,
    pub kind: FrameworkKind,
    pub skills: Vec<Skill>,
}

/// A framework with its place in the structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFramework {
    pub id: String,
    pub archived: bool,
    pub framework: Framework,
}

/// A skill's address across frameworks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SkillRef {
    pub framework_id: String,
    pub skill_id: String,
}

/// Ids: letters without accents, digits, dash, underscore (1–64).
pub fn is_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Checks and tidies one skill (the editor and the import run it).
pub fn check_skill(skill: Skill) -> Result<Skill, String> {
    let title = line(
        "Titre de la compétence",
        &skill.title,
        MAX_TITLE_CHARS,
        true,
    )?;
    let named = |msg: String| format!("compétence « {title} » : {msg}");
    if !is_id(&skill.id) {
        return Err(named(format!(
            "identifiant « {} » invalide (lettres sans accent, chiffres, tirets).",
            skill.id.chars().take(70).collect::<String>()
        )));
    }
    let domain = line("Domaine", &skill.domain, MAX_DOMAIN_CHARS, false).map_err(named)?;
    let mut criteria: Vec<Criterion> = Vec::new();
    for c in skill.criteria {
        let text = line("Critère", &c.text, MAX_CRITERION_CHARS, true).map_err(named)?;
        if !is_id(&c.id) {
            return Err(named(format!("critère « {text} » : identifiant invalide.")));
        }
        if criteria.iter().any(|k| k.id == c.id) {
            return Err(named(format!(
                "deux critères ont l'identifiant « {} ».",
                c.id
            )));
        }
        criteria.push(Criterion { id: c.id, text });
    }
    if criteria.is_empty() {
        return Err(named("aucun critère d'évaluation.".into()));
    }
    if criteria.len() > MAX_CRITERIA {
        return Err(named(format!(
            "{} critères, au plus {MAX_CRITERIA}.",
            criteria.len()
        )));
    }
    Ok(Skill {
        id: skill.id,
        domain,
        title,
        archived: skill.archived,
        criteria,
    })
}

/// Checks a whole framework (skills already checked one by one).
pub fn check_framework(f: Framework) -> Result<Framework, String> {
    if f.format != FILE_FORMAT {
        return Err(format!(
            "ce n'est pas un référentiel Jalon (« format » doit valoir « {FILE_FORMAT} »)."
        ));
    }
    if f.version != FILE_VERSION {
        return Err(format!(
            "version {} non prise en charge (attendue : {FILE_VERSION}).",
            f.version
        ));
    }
    let title = line("Titre du référentiel", &f.title, MAX_TITLE_CHARS, true)?;
    if f.skills.len() > MAX_SKILLS {
        return Err(format!(
            "{} compétences, au plus {MAX_SKILLS}.",
            f.skills.len()
        ));
    }
    for (i, s) in f.skills.iter().enumerate() {
        if f.skills[..i].iter().any(|o| o.id == s.id) {
            return Err(format!(
                "deux compétences ont l'identifiant « {} » (« {} »).",
                s.id, s.title
            ));
        }
    }
    // Stored in the order shown: grouped by domain, groups in order of
    // first appearance.
    let skills = by_domain(&f.skills)
        .into_iter()
        .flat_map(|(_, list)| list.into_iter().cloned())
        .collect();
    Ok(Framework { title, skills, ..f })
}

/// Why an import file was refused: where, and what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", self.sentence())]
pub struct FileError {
    /// 1-based; 0 when the whole file is concerned.
    pub line: usize,
    pub reason: String,
}

impl FileError {
    pub fn sentence(&self) -> String {
        if self.line == 0 {
            format!("Fichier refusé : {}", self.reason)
        } else {
            format!("Fichier refusé, ligne {} : {}", self.line, self.reason)
        }
    }
}

/// Turns serde's English wording into a French reason.
fn reason_of(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let text = err.to_string();
    let text = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(head, _)| head)
        .to_string();
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_string).unwrap_or_default();
    match err.classify() {
        Category::Eof => {
            "le fichier s'arrête trop tôt (accolade ou crochet fermant manquant ?).".into()
        }
        Category::Syntax => {
            "JSON mal formé (virgule, guillemet, deux-points ou accolade en trop ou manquant)."
                .into()
        }
        Category::Io => "fichier illisible.".into(),
        Category::Data => {
            if text.starts_with("missing field") {
                format!("champ « {} » manquant.", quoted(&text))
            } else if text.starts_with("unknown field") {
                format!("champ « {} » inconnu.", quoted(&text))
            } else if text.starts_with("unknown variant") {
                format!(
                    "valeur « {} » inconnue (attendu : « behaviours » ou « trade »).",
                    quoted(&text)
                )
            } else if text.starts_with("invalid type") || text.starts_with("invalid value") {
                "une valeur n'a pas le type attendu (texte, nombre, liste ou vrai/faux).".into()
            } else {
                // Our own checks (check_skill): already French.
                text
            }
        }
    }
}

/// The line to show for a reading error. For syntax errors, serde's. For
/// our own checks, serde stops after the faulty object, so the line is the
/// one before that naming the value the message quotes (its id or title).
fn line_of(text: &str, err: &serde_json::Error) -> usize {
    let reported = err.line();
    if err.classify() != serde_json::error::Category::Data {
        return reported;
    }
    let message = err.to_string();
    let quoted = message
        .split_once('«')
        .and_then(|(_, rest)| rest.split_once('»'))
        .map(|(inside, _)| inside.trim().to_string());
    let Some(quoted) = quoted.filter(|q| !q.is_empty()) else {
        return reported;
    };
    let needle = serde_json::to_string(&quoted).unwrap_or_default();
    text.lines()
        .take(reported)
        .enumerate()
        .filter(|(_, line)| line.contains(&needle))
        .map(|(n, _)| n + 1)
        .last()
        .unwrap_or(reported)
}

/// Reads an exchange file: every check runs; the first problem is given
/// with its line.
pub fn parse_file(text: &str) -> Result<Framework, FileError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(FileError {
            line: 0,
            reason: format!(
                "fichier trop gros ({} Ko, au plus {} Ko).",
                text.len() / 1024,
                MAX_FILE_BYTES / 1024
            ),
        });
    }
    if text.trim().is_empty() {
        return Err(FileError {
            line: 0,
            reason: "le fichier est vide.".into(),
        });
    }
    let framework: Framework = serde_json::from_str(text).map_err(|e| FileError {
        line: line_of(text, &e),
        reason: reason_of(&e),
    })?;
    if framework.skills.is_empty() {
        return Err(FileError {
            line: 0,
            reason: "le référentiel n'a aucune compétence.".into(),
        });
    }
    check_framework(framework).map_err(|reason| FileError { line: 0, reason })
}

/// The exchange file of a framework (pretty, one field per line).
pub fn to_file(f: &Framework) -> String {
    serde_json::to_string_pretty(f).unwrap_or_default()
}

/// A new id for a skill or a criterion, from its words ("tailler-une-haie-3f2a").
pub fn new_id(words: &str) -> String {
    let mut slug = String::new();
    for c in words.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let suffix = uuid::Uuid::now_v7().simple().to_string();
    let tail = suffix.get(suffix.len() - 6..).unwrap_or("000000");
    format!("{}-{tail}", slug.trim_end_matches('-'))
        .trim_start_matches('-')
        .to_string()
}

/// A sentence from a reason ("le fichier…" → "Le fichier…").
pub fn capital(reason: &str) -> String {
    let mut chars = reason.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// A skill as the editor sends it: an empty id is a new skill, a criterion
/// with an empty id is new, one with empty text is removed.
pub fn skill_from_form(value: &serde_json::Value) -> Result<Skill, String> {
    let text = |v: &serde_json::Value, name: &str| {
        v.get(name)
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let title = text(value, "title");
    let mut id = text(value, "id");
    if id.is_empty() {
        id = new_id(&title);
    }
    let mut criteria = Vec::new();
    for c in value
        .get("criteria")
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
    {
        let words = text(c, "text");
        if words.trim().is_empty() {
            continue;
        }
        let mut cid = text(c, "id");
        if cid.is_empty() {
            cid = new_id(&words);
        }
        criteria.push(Criterion {
            id: cid,
            text: words,
        });
    }
    check_skill(Skill {
        id,
        domain: text(value, "domain"),
        title,
        archived: false,
        criteria,
    })
}

/// Skills grouped by domain, in order of first appearance.
pub fn by_domain(skills: &[Skill]) -> Vec<(String, Vec<&Skill>)> {
    let mut groups: Vec<(String, Vec<&Skill>)> = Vec::new();
    for s in skills {
        match groups.iter_mut().find(|(d, _)| *d == s.domain) {
            Some((_, list)) => list.push(s),
            None => groups.push((s.domain.clone(), vec![s])),
        }
    }
    groups
}

#[cfg(test)]
mod tests;

//! The frameworks every structure starts with, written in our own words:
//! the professional behaviours and three trades common in SIAE. Each is a
//! short text file (`defaults/*.txt`): `title:` and `kind:` lines, `# domain`,
//! `* id | skill`, `- criterion`.
use super::{Criterion, FILE_FORMAT, FILE_VERSION, Framework, FrameworkKind, Skill};

/// (key, text): the key marks the default in the database, so it is created once.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("comportements", include_str!("defaults/comportements.txt")),
    ("espaces-verts", include_str!("defaults/espaces-verts.txt")),
    ("second-oeuvre", include_str!("defaults/second-oeuvre.txt")),
    ("tri-textile", include_str!("defaults/tri-textile.txt")),
];

/// Reads one default's text (a malformed line is a programming error
/// caught by the unit tests: it is skipped, never a panic).
pub fn read(text: &str) -> Framework {
    let mut f = Framework {
        format: FILE_FORMAT.into(),
        version: FILE_VERSION,
        title: String::new(),
        kind: FrameworkKind::Trade,
        skills: Vec::new(),
    };
    let mut domain = String::new();
    for line in text.lines().map(str::trim) {
        if let Some(title) = line.strip_prefix("title:") {
            f.title = title.trim().into();
        } else if let Some(kind) = line.strip_prefix("kind:") {
            if kind.trim() == "behaviours" {
                f.kind = FrameworkKind::Behaviours;
            }
        } else if let Some(d) = line.strip_prefix('#') {
            domain = d.trim().into();
        } else if let Some(skill) = line.strip_prefix('*') {
            if let Some((id, title)) = skill.split_once('|') {
                f.skills.push(Skill {
                    id: id.trim().into(),
                    domain: domain.clone(),
                    title: title.trim().into(),
                    archived: false,
                    criteria: Vec::new(),
                });
            }
        } else if let Some(criterion) = line.strip_prefix('-')
            && let Some(skill) = f.skills.last_mut()
        {
            let n = skill.criteria.len() + 1;
            skill.criteria.push(Criterion {
                id: format!("{}-{n}", skill.id),
                text: criterion.trim().into(),
            });
        }
    }
    f
}

pub fn all() -> Vec<(&'static str, Framework)> {
    DEFAULTS
        .iter()
        .map(|(key, text)| (*key, read(text)))
        .collect()
}

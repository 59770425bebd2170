//! Bilans and attestations of skills: their kinds, who a bilan is written
//! for, whom it is shared with, the checks on what the counsellor types,
//! and the attestation's verification code.
use serde::{Deserialize, Serialize};

use crate::text;

/// When a bilan is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Entry,
    Midway,
    Exit,
    Request,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Entry, Kind::Midway, Kind::Exit, Kind::Request];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Entry => "entry",
            Kind::Midway => "midway",
            Kind::Exit => "exit",
            Kind::Request => "request",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// « Bilan d'entrée », as titles say it.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Entry => "Bilan d'entrée",
            Kind::Midway => "Bilan intermédiaire",
            Kind::Exit => "Bilan de sortie",
            Kind::Request => "Bilan à la demande",
        }
    }
}

/// Who a bilan is written for: it decides what it may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The structure's staff who follow the person.
    Team,
    /// The person themself.
    Worker,
    /// A funder: figures, skills and progress, never a santé or justice detail.
    Funder,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Team, Audience::Worker, Audience::Funder];

    pub fn code(self) -> &'static str {
        match self {
            Audience::Team => "team",
            Audience::Worker => "worker",
            Audience::Funder => "funder",
        }
    }

    pub fn from_code(code: &str) -> Option<Audience> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Team => "L'équipe qui accompagne",
            Audience::Worker => "La personne",
            Audience::Funder => "Un financeur",
        }
    }
}

/// Whom a validated bilan is handed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Worker,
    Funder,
    Partner,
}

impl Recipient {
    pub const ALL: [Recipient; 3] = [Recipient::Worker, Recipient::Funder, Recipient::Partner];

    pub fn code(self) -> &'static str {
        match self {
            Recipient::Worker => "worker",
            Recipient::Funder => "funder",
            Recipient::Partner => "partner",
        }
    }

    pub fn from_code(code: &str) -> Option<Recipient> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Recipient::Worker => "La personne",
            Recipient::Funder => "Financeur",
            Recipient::Partner => "Partenaire",
        }
    }
}

/// A bilan's free texts: each part's remarks, the person's words, the
/// conclusions, the orientation.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Names, organisations, objective titles.
pub const MAX_LINE_CHARS: usize = 200;
/// Participants, next objectives, added items.
pub const MAX_ITEMS: usize = 20;

pub fn words(label: &str, value: &str) -> Result<String, String> {
    text::note(label, value, MAX_TEXT_CHARS, false)
}

pub fn item(label: &str, value: &str, required: bool) -> Result<String, String> {
    text::line(label, value, MAX_LINE_CHARS, required)
}

/// Checks a list's length, then each of its entries.
pub fn items<T, U>(
    label: &str,
    list: &[T],
    check: impl Fn(&T) -> Result<U, String>,
) -> Result<Vec<U>, String> {
    if list.len() > MAX_ITEMS {
        return Err(format!("{label} : au plus {MAX_ITEMS}."));
    }
    list.iter().map(check).collect()
}

/// The letters of a verification code: no 0/O, 1/I/L, so it can be read
/// aloud and typed from paper without doubt.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// 10 letters of 31: about 2^49 codes, out of reach of guessing through a
/// throttled public page.
pub const CODE_LEN: usize = 10;

/// A code shown in groups (`ABCDE-FGHJK`).
pub fn show_code(code: &str) -> String {
    if code.len() == CODE_LEN {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

/// A code as typed or scanned: upper-cased, spaces and dashes dropped;
/// `None` when it can't be one.
pub fn read_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_typed() {
        assert_eq!(read_code("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(read_code(" ABCDE FGHJK ").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(show_code("ABCDEFGHJK"), "ABCDE-FGHJK");
        assert_eq!(read_code("ABCDE-FGHJ0"), None, "0 is not a code letter");
        assert_eq!(read_code("ABCD"), None);
        assert_eq!(read_code(&"A".repeat(10_000)), None);
        assert_eq!(read_code("../../etc"), None);
    }

    #[test]
    fn codes_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        for a in Audience::ALL {
            assert_eq!(Audience::from_code(a.code()), Some(a));
        }
        for r in Recipient::ALL {
            assert_eq!(Recipient::from_code(r.code()), Some(r));
        }
        assert_eq!(Kind::from_code("sortie"), None);
    }

    #[test]
    fn lists_and_texts_are_bounded() {
        assert!(words("Conclusions", &"a".repeat(MAX_TEXT_CHARS + 1)).is_err());
        assert!(item("Participant", "", true).is_err());
        let many = vec!["x"; MAX_ITEMS + 1];
        assert!(items("Objectifs", &many, |s| item("Objectif", s, true)).is_err());
        assert_eq!(
            items("Objectifs", &["  Passer le CACES  "], |s| item(
                "Objectif", s, true
            )),
            Ok(vec!["Passer le CACES".to_string()])
        );
    }
}

//! Data protection: how long a person's data is kept once their parcours has
//! ended, the reasons an admin may erase it earlier, and the checks on what
//! the admin types for a legal hold. The server applies them
//! (`backend/retention.rs`); screens show the same words.
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::text;

/// Years kept after the last contact when the structure has set nothing:
/// the reference duration of the CNIL's framework for social support.
pub const DEFAULT_YEARS: u32 = 2;
/// The range an admin may choose from.
pub const YEARS: std::ops::RangeInclusive<u32> = 1..=10;
/// How far ahead the admin sees who will be anonymised.
pub const PREVIEW_DAYS: i64 = 30;
/// What the screen says the duration rests on.
pub const LEGAL_BASIS: &str = "Référentiel de la CNIL relatif aux traitements de données \
     dans l'accompagnement social et médico-social (délibérations n° 2021-028 et n° 2023-095) : \
     les données d'une personne accompagnée sont conservées au plus deux ans après le dernier \
     contact, sauf obligation légale contraire.";
/// What an anonymised person is called everywhere afterwards.
pub const ANONYMOUS_FIRST: &str = "Personne";
pub const ANONYMOUS_LAST: &str = "anonymisée";
/// The information on data (`/confidentialite`): its version, and the day
/// it took effect. A new text gets a new version; each account's first view
/// of each version is kept.
pub const NOTICE_VERSION: u32 = 1;
pub const NOTICE_DATE: &str = "2026-12-06";
/// The structure's contact for personal data: at most this many characters.
pub const CONTACT_MAX: usize = 200;
/// A legal hold's reason: at most this many characters.
pub const REASON_MAX: usize = 500;

/// The day a person's data is due for anonymisation: `years` after the last
/// contact (a 29 February becomes the 28th in a common year).
pub fn due_on(last_contact: NaiveDate, years: u32) -> NaiveDate {
    last_contact
        .checked_add_months(Months::new(12 * years))
        .unwrap_or(NaiveDate::MAX)
}

/// Why an admin erases a person's data before the end of its retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// The person asked for it (right to erasure).
    PersonRequest,
    /// The file was created by mistake or holds wrong data.
    Erroneous,
    /// The retention period ends early (the structure decided it).
    RetentionEndedEarly,
    /// A court or the CNIL ordered it.
    Ordered,
}

impl ErasureReason {
    pub const ALL: [ErasureReason; 4] = [
        ErasureReason::PersonRequest,
        ErasureReason::Erroneous,
        ErasureReason::RetentionEndedEarly,
        ErasureReason::Ordered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ErasureReason::PersonRequest => "person_request",
            ErasureReason::Erroneous => "erroneous",
            ErasureReason::RetentionEndedEarly => "retention_ended_early",
            ErasureReason::Ordered => "ordered",
        }
    }

    pub fn from_code(code: &str) -> Option<ErasureReason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ErasureReason::PersonRequest => "Demande de la personne",
            ErasureReason::Erroneous => "Donnée erronée ou dossier créé par erreur",
            ErasureReason::RetentionEndedEarly => "Fin de la durée de conservation anticipée",
            ErasureReason::Ordered => "Décision de justice ou de la CNIL",
        }
    }
}

/// Checks a legal hold typed by the admin: a day after `today` and a reason.
/// Returns the tidied reason, or the French sentence to show.
pub fn check_hold(until: NaiveDate, today: NaiveDate, reason: &str) -> Result<String, String> {
    if until <= today {
        return Err("La date de conservation doit être postérieure à aujourd'hui.".into());
    }
    if until
        > today
            .checked_add_months(Months::new(12 * 30))
            .unwrap_or(NaiveDate::MAX)
    {
        return Err("Une conservation au-delà de trente ans n'est pas possible.".into());
    }
    text::line("Motif de la conservation", reason, REASON_MAX, true)
}

/// What a worker may ask about their data from their phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A copy of everything held (right of access, GDPR art. 15).
    Access,
    /// The correction of something inexact (rectification, art. 16).
    Correction,
}

impl RequestKind {
    pub fn code(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Correction => "correction",
        }
    }

    pub fn from_code(code: &str) -> Option<RequestKind> {
        [RequestKind::Access, RequestKind::Correction]
            .into_iter()
            .find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestKind::Access => "Copie de ses données",
            RequestKind::Correction => "Correction de ses données",
        }
    }
}

/// What the worker writes about a correction, and the answer staff write:
/// at most this many characters.
pub const REQUEST_MAX: usize = 2000;
/// The longest a structure may take to answer (GDPR art. 12: one month).
pub const ANSWER_WITHIN_DAYS: i64 = 30;

/// Checks what a worker wrote with a request: a correction says what is
/// wrong; a copy needs nothing (what was typed is kept if any).
pub fn check_request(kind: RequestKind, body: &str) -> Result<String, String> {
    let required = kind == RequestKind::Correction;
    text::note("Ce qui est inexact", body, REQUEST_MAX, required)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn due_two_years_after_the_last_contact_even_from_a_29_february() {
        assert_eq!(due_on(d("2024-03-15"), 2), d("2026-03-15"));
        assert_eq!(due_on(d("2024-02-29"), 1), d("2025-02-28"));
    }

    #[test]
    fn a_hold_needs_a_later_day_and_a_reason() {
        let today = d("2026-12-06");
        assert!(check_hold(d("2026-12-06"), today, "Contentieux prud'homal").is_err());
        assert_eq!(
            check_hold(d("2027-06-30"), today, "   "),
            Err("Motif de la conservation : à remplir.".to_string())
        );
        assert!(check_hold(d("2027-06-30"), today, &"x".repeat(501)).is_err());
        assert!(check_hold(d("2080-01-01"), today, "Archives").is_err());
        assert_eq!(
            check_hold(d("2027-06-30"), today, "  Contentieux  prud'homal "),
            Ok("Contentieux prud'homal".to_string())
        );
    }

    #[test]
    fn erasure_reasons_read_back_from_their_codes() {
        for r in ErasureReason::ALL {
            assert_eq!(ErasureReason::from_code(r.code()), Some(r));
        }
        assert_eq!(ErasureReason::from_code("autre"), None);
    }
}

//! Observations: dated notes about one worker, written on the worksite,
//! offline first. Types and validation here (shared by the phone and the
//! server), the sync registration behind `ssr`, screens in `pages`.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod pages;
pub use pages::{EditObservationPage, NewObservationPage, ObservationsPage};

/// The `record_type` of the sync protocol.
pub const RECORD_TYPE: &str = "observation";
/// The data layout version.
pub const SCHEMA: u32 = 1;
pub const MAX_BODY_CHARS: usize = 4000;

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
            Kind::Behaviour => "Comportement",
            Kind::Incident => "Incident",
            Kind::Alert => "Alerte",
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
}

/// An observation's fields, as the phone writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub worker_id: String,
    /// The day observed, `YYYY-MM-DD`.
    pub observed_on: String,
    pub kind: Kind,
    pub body: String,
}

/// Checks and normalises an observation (text trimmed, control characters
/// removed); the error is a French sentence for the person who wrote it.
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
    let body: String = input
        .body
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    if body.is_empty() {
        return Err("Écrivez l'observation.".into());
    }
    let count = body.chars().count();
    if count > MAX_BODY_CHARS {
        return Err(format!(
            "L'observation est trop longue ({count} caractères, au plus {MAX_BODY_CHARS})."
        ));
    }
    Ok(Observation {
        worker_id: input.worker_id.clone(),
        observed_on: date.to_string(),
        kind: input.kind,
        body,
    })
}

#[cfg(feature = "ssr")]
pub static SPEC: crate::sync::server::RecordSpec = crate::sync::server::RecordSpec {
    name: RECORD_TYPE,
    schema: SCHEMA,
    table: "observations",
    fields: &[
        ("observed_on", crate::sync::server::FieldType::Text),
        ("kind", crate::sync::server::FieldType::Text),
        ("body", crate::sync::server::FieldType::Text),
    ],
    validate: validate_value,
    // Workers don't see the notes written about them (sharing comes later).
    readable: |actor, _| actor.user.role != crate::auth::Role::Worker,
    slot_id: None,
    history: false,
};

#[cfg(feature = "ssr")]
fn validate_value(
    data: &serde_json::Value,
    today: NaiveDate,
) -> Result<(serde_json::Value, String), String> {
    crate::sync::server::validate_as(
        data,
        today,
        "Observation incomplète ou illisible.",
        validate,
        |o: &Observation| &o.worker_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(body: &str, date: &str) -> Observation {
        Observation {
            worker_id: uuid::Uuid::now_v7().to_string(),
            observed_on: date.into(),
            kind: Kind::Strength,
            body: body.into(),
        }
    }

    #[test]
    fn validation_trims_and_refuses_empty_long_future_and_malformed_input() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let ok = validate(&obs("  Arrivé à l'heure\u{0007}  ", "2026-11-20"), today).unwrap();
        assert_eq!(ok.body, "Arrivé à l'heure");
        assert!(validate(&obs("   ", "2026-11-20"), today).is_err());
        assert!(validate(&obs(&"é".repeat(4001), "2026-11-20"), today).is_err());
        assert!(validate(&obs(&"é".repeat(4000), "2026-11-20"), today).is_ok());
        assert!(validate(&obs("x", "2026-11-30"), today).is_err());
        assert!(validate(&obs("x", "2025-01-01"), today).is_err());
        assert!(validate(&obs("x", "23/11/2026"), today).is_err());
        let mut bad_worker = obs("x", "2026-11-20");
        bad_worker.worker_id = "'; DROP TABLE workers; --".into();
        assert!(validate(&bad_worker, today).is_err());
        let hostile = validate(&obs("<script>alert(1)</script>", "2026-11-23"), today).unwrap();
        assert_eq!(
            hostile.body, "<script>alert(1)</script>",
            "kept as text, escaped on display"
        );
    }
}

//! Attendance (pointage): who was there, late, gone early or absent, per
//! worker and day (or half-day). Types and validation here, shared by the
//! phone and the server; the rates in `rates` (the one place they are
//! computed). The screens are in `app/src/pages/attendance/`.
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::text::line;

pub mod rates;

/// The `record_type` of the sync protocol.
pub const RECORD_TYPE: &str = "attendance";
/// The data layout version.
pub const SCHEMA: u32 = 1;
pub const MAX_REASON_CHARS: usize = 200;
pub const MAX_CHANGE_REASON_CHARS: usize = 500;
/// A lateness beyond a working day is a typing slip.
pub const MAX_LATE_MINUTES: i64 = 600;

/// What a record covers: the whole day, or a half-day when the structure
/// works in half-days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Day,
    Morning,
    Afternoon,
}

impl Slot {
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Day => "day",
            Slot::Morning => "morning",
            Slot::Afternoon => "afternoon",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Slot::Day => "Journée",
            Slot::Morning => "Matin",
            Slot::Afternoon => "Après-midi",
        }
    }

    pub fn parse(s: &str) -> Option<Slot> {
        [Slot::Day, Slot::Morning, Slot::Afternoon]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// Half-days covered (a whole day counts for both).
    pub fn halves(self) -> u32 {
        match self {
            Slot::Day => 2,
            Slot::Morning | Slot::Afternoon => 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Present,
    Absent,
}

/// Why someone was absent. The first four (and "autre", which carries a
/// written reason) count as justified; the last two as unjustified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceReason {
    Sickness,
    Appointment,
    Training,
    Leave,
    Unjustified,
    NoNews,
    Other,
}

impl AbsenceReason {
    pub const ALL: [AbsenceReason; 7] = [
        AbsenceReason::Sickness,
        AbsenceReason::Appointment,
        AbsenceReason::Training,
        AbsenceReason::Leave,
        AbsenceReason::Unjustified,
        AbsenceReason::NoNews,
        AbsenceReason::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AbsenceReason::Sickness => "Maladie",
            AbsenceReason::Appointment => "Rendez-vous social ou administratif",
            AbsenceReason::Training => "Formation",
            AbsenceReason::Leave => "Congé",
            AbsenceReason::Unjustified => "Absence injustifiée",
            AbsenceReason::NoNews => "Sans nouvelles",
            AbsenceReason::Other => "Autre motif",
        }
    }

    /// The word on the roll call buttons (short, for a phone).
    pub fn short(self) -> &'static str {
        match self {
            AbsenceReason::Sickness => "Maladie",
            AbsenceReason::Appointment => "Rendez-vous",
            AbsenceReason::Training => "Formation",
            AbsenceReason::Leave => "Congé",
            AbsenceReason::Unjustified => "Injustifiée",
            AbsenceReason::NoNews => "Sans nouvelles",
            AbsenceReason::Other => "Autre…",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AbsenceReason::Sickness => "sickness",
            AbsenceReason::Appointment => "appointment",
            AbsenceReason::Training => "training",
            AbsenceReason::Leave => "leave",
            AbsenceReason::Unjustified => "unjustified",
            AbsenceReason::NoNews => "no_news",
            AbsenceReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<AbsenceReason> {
        AbsenceReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn justified(self) -> bool {
        !matches!(self, AbsenceReason::Unjustified | AbsenceReason::NoNews)
    }
}

/// One roll call entry, as the phone writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub worker_id: String,
    /// `YYYY-MM-DD`, the structure's (Europe/Paris) calendar day.
    pub day: String,
    pub slot: Slot,
    pub status: Presence,
    /// For an absence (stored and sent as its code, empty when none).
    #[serde(default, with = "reason_code")]
    pub reason: Option<AbsenceReason>,
    /// The written reason of "autre motif".
    #[serde(default)]
    pub reason_text: String,
    /// For a presence: minutes late (0 on time).
    #[serde(default)]
    pub late_minutes: i64,
    /// For a presence: the time the person left early, `HH:MM`, or empty.
    #[serde(default)]
    pub left_at: String,
    /// Why a past day was changed (kept in the history).
    #[serde(default)]
    pub change_reason: String,
}

impl Attendance {
    pub fn present(worker_id: &str, day: &str, slot: Slot) -> Self {
        Attendance {
            worker_id: worker_id.into(),
            day: day.into(),
            slot,
            status: Presence::Present,
            reason: None,
            reason_text: String::new(),
            late_minutes: 0,
            left_at: String::new(),
            change_reason: String::new(),
        }
    }

    /// The record's id: the same worker, day and slot always give the same
    /// id, on every phone, so a roll call taken twice is one record.
    pub fn record_id(&self) -> Uuid {
        slot_id(&self.worker_id, &self.day, self.slot)
    }

    /// A short French description: "Présent", "Retard 10 min", "Absent : Maladie"…
    pub fn describe(&self) -> String {
        match self.status {
            Presence::Absent => {
                let reason = match self.reason {
                    Some(AbsenceReason::Other) if !self.reason_text.is_empty() => {
                        self.reason_text.clone()
                    }
                    Some(r) => r.label().to_string(),
                    None => "motif non précisé".into(),
                };
                format!("Absent : {reason}")
            }
            Presence::Present => {
                let mut parts = vec!["Présent".to_string()];
                if self.late_minutes > 0 {
                    parts.push(format!("retard {} min", self.late_minutes));
                }
                if !self.left_at.is_empty() {
                    parts.push(format!("parti à {}", self.left_at.replace(':', " h ")));
                }
                parts.join(", ")
            }
        }
    }
}

/// An absence reason as a plain text column: its code, or "" for none.
mod reason_code {
    use super::AbsenceReason;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(r: &Option<AbsenceReason>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(r.map_or("", AbsenceReason::as_str))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<AbsenceReason>, D::Error> {
        match Option::<String>::deserialize(d)?.as_deref() {
            None | Some("") => Ok(None),
            Some(code) => AbsenceReason::parse(code)
                .map(Some)
                .ok_or_else(|| D::Error::custom("motif d'absence inconnu")),
        }
    }
}

const NAMESPACE: Uuid = Uuid::from_u128(0x4a61_6c6f_6e2d_4174_7465_6e64_616e_6365);

pub fn slot_id(worker_id: &str, day: &str, slot: Slot) -> Uuid {
    Uuid::new_v5(
        &NAMESPACE,
        format!("{worker_id}/{day}/{}", slot.as_str()).as_bytes(),
    )
}

/// Checks and normalises an entry; the error is a French sentence.
pub fn validate(input: &Attendance, today: NaiveDate) -> Result<Attendance, String> {
    if Uuid::parse_str(&input.worker_id).is_err() {
        return Err("Choisissez la personne concernée.".into());
    }
    let day = NaiveDate::parse_from_str(&input.day, "%Y-%m-%d")
        .map_err(|_| "Indiquez le jour au format jj/mm/aaaa.".to_string())?;
    if day > today + chrono::Duration::days(1) {
        return Err("On ne peut pas pointer un jour à venir.".into());
    }
    if day < today - chrono::Duration::days(366) {
        return Err("Ce jour a plus d'un an : vérifiez la date.".into());
    }
    let change_reason = line(
        "Motif de la modification",
        &input.change_reason,
        MAX_CHANGE_REASON_CHARS,
        false,
    )?;
    let mut clean = Attendance {
        worker_id: input.worker_id.clone(),
        day: day.to_string(),
        slot: input.slot,
        status: input.status,
        reason: None,
        reason_text: String::new(),
        late_minutes: 0,
        left_at: String::new(),
        change_reason,
    };
    match input.status {
        Presence::Absent => {
            let reason = input.reason.ok_or("Choisissez le motif de l'absence.")?;
            if reason == AbsenceReason::Other {
                let text = line("Motif", &input.reason_text, MAX_REASON_CHARS, false)?;
                if text.is_empty() {
                    return Err("Écrivez le motif de l'absence.".into());
                }
                clean.reason_text = text;
            }
            clean.reason = Some(reason);
        }
        Presence::Present => {
            if !(0..=MAX_LATE_MINUTES).contains(&input.late_minutes) {
                return Err(format!(
                    "Le retard doit être compris entre 0 et {MAX_LATE_MINUTES} minutes."
                ));
            }
            clean.late_minutes = input.late_minutes;
            if !input.left_at.is_empty() {
                let time = NaiveTime::parse_from_str(&input.left_at, "%H:%M")
                    .map_err(|_| "Indiquez l'heure de départ au format hh:mm.".to_string())?;
                clean.left_at = time.format("%H:%M").to_string();
            }
        }
    }
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn entry() -> Attendance {
        Attendance::present(&Uuid::now_v7().to_string(), "2026-11-23", Slot::Day)
    }

    #[test]
    fn validation_keeps_only_what_fits_the_status() {
        let mut late = entry();
        late.late_minutes = 15;
        late.left_at = "15:30".into();
        late.reason = Some(AbsenceReason::Sickness);
        let ok = validate(&late, today()).unwrap();
        assert_eq!(ok.reason, None, "a present person has no absence reason");
        assert_eq!((ok.late_minutes, ok.left_at.as_str()), (15, "15:30"));

        let mut absent = entry();
        absent.status = Presence::Absent;
        absent.late_minutes = 20;
        assert!(
            validate(&absent, today()).is_err(),
            "an absence needs a reason"
        );
        absent.reason = Some(AbsenceReason::Leave);
        let ok = validate(&absent, today()).unwrap();
        assert_eq!(ok.late_minutes, 0);
        absent.reason = Some(AbsenceReason::Other);
        absent.reason_text = "   ".into();
        assert!(validate(&absent, today()).is_err(), "autre needs words");
        absent.reason_text = "<script>alert('x')</script>".into();
        assert_eq!(
            validate(&absent, today()).unwrap().reason_text,
            "<script>alert('x')</script>",
            "kept as text, escaped on display"
        );
        absent.reason_text = "é".repeat(MAX_REASON_CHARS + 1);
        assert!(validate(&absent, today()).is_err());
    }

    #[test]
    fn validation_refuses_bad_days_times_and_minutes() {
        for (day, ok) in [
            ("2026-11-24", true),
            ("2026-11-25", false),
            ("2025-11-01", false),
            ("23/11/2026", false),
            ("", false),
        ] {
            let mut e = entry();
            e.day = day.into();
            assert_eq!(validate(&e, today()).is_ok(), ok, "{day}");
        }
        let mut e = entry();
        e.late_minutes = -5;
        assert!(validate(&e, today()).is_err());
        e.late_minutes = MAX_LATE_MINUTES + 1;
        assert!(validate(&e, today()).is_err());
        e.late_minutes = 0;
        e.left_at = "25:00".into();
        assert!(validate(&e, today()).is_err());
        e.left_at = "'; DROP TABLE attendance; --".into();
        assert!(validate(&e, today()).is_err());
        e.left_at = String::new();
        e.worker_id = "pas-un-identifiant".into();
        assert!(validate(&e, today()).is_err());
        let mut long = entry();
        long.change_reason = "x".repeat(MAX_CHANGE_REASON_CHARS + 1);
        assert!(validate(&long, today()).is_err());
    }

    #[test]
    fn the_same_worker_day_and_slot_give_the_same_id_on_every_phone() {
        let a = entry();
        let mut b = a.clone();
        b.status = Presence::Absent;
        assert_eq!(a.record_id(), b.record_id());
        let mut morning = a.clone();
        morning.slot = Slot::Morning;
        assert_ne!(a.record_id(), morning.record_id());
        let mut other_day = a.clone();
        other_day.day = "2026-11-20".into();
        assert_ne!(a.record_id(), other_day.record_id());
    }
}

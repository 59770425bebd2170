//! Safety briefings (quart d'heure sécurité): a topic, a day, the team
//! present ticked one tap each like the roll call. Stored as one record per
//! briefing and worker (present or not), keyed by both, so two phones
//! ticking the same person agree; a briefing is the set of its records.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::text::{line, note};

/// The `record_type` of the sync protocol.
pub const RECORD_TYPE: &str = "briefing";
pub const SCHEMA: u32 = 1;
pub const MAX_TOPIC_CHARS: usize = 150;
pub const MAX_NOTES_CHARS: usize = 1000;

const NAMESPACE: Uuid = Uuid::from_u128(0x4a61_6c6f_6e2d_4272_6965_6600_0000_0001);

/// A few topics to start from (the supervisor may write their own).
pub const TOPICS: [&str; 6] = [
    "Port des EPI sur le chantier",
    "Gestes et postures : porter sans se blesser",
    "Utiliser la débroussailleuse en sécurité",
    "Travailler au bord de la route",
    "Chaleur, froid, pluie : se protéger",
    "Que faire en cas d'accident",
];

/// One worker at one briefing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Briefing {
    /// Made on the phone when the briefing starts; shared by its records.
    pub briefing_id: String,
    pub team_id: String,
    pub held_on: String,
    pub topic: String,
    #[serde(default)]
    pub notes: String,
    pub worker_id: String,
    pub present: bool,
}

impl Briefing {
    pub fn record_id(&self) -> Uuid {
        slot_id(&self.briefing_id, &self.worker_id)
    }
}

/// The record id of a worker at a briefing: the same on every phone.
pub fn slot_id(briefing_id: &str, worker_id: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("{briefing_id}/{worker_id}").as_bytes())
}

/// Checks and normalises one worker's line of a briefing.
pub fn validate(input: &Briefing, today: NaiveDate) -> Result<Briefing, String> {
    if Uuid::parse_str(&input.worker_id).is_err() {
        return Err("Choisissez la personne concernée.".into());
    }
    if Uuid::parse_str(&input.briefing_id).is_err() {
        return Err("Briefing inconnu : mettez l'application à jour.".into());
    }
    if Uuid::parse_str(&input.team_id).is_err() {
        return Err("Choisissez l'équipe.".into());
    }
    let day = NaiveDate::parse_from_str(input.held_on.trim(), "%Y-%m-%d")
        .map_err(|_| "Indiquez le jour au format jj/mm/aaaa.".to_string())?;
    if day > today + chrono::Duration::days(1) {
        return Err("Le jour ne peut pas être dans le futur.".into());
    }
    if day < today - chrono::Duration::days(366) {
        return Err("Le jour a plus d'un an : vérifiez-le.".into());
    }
    let topic = line("Thème", &input.topic, MAX_TOPIC_CHARS, false)?;
    if topic.is_empty() {
        return Err("Écrivez le thème du quart d'heure sécurité.".into());
    }
    Ok(Briefing {
        briefing_id: input.briefing_id.clone(),
        team_id: input.team_id.clone(),
        held_on: day.to_string(),
        topic,
        notes: note("Notes", &input.notes, MAX_NOTES_CHARS, false)?,
        worker_id: input.worker_id.clone(),
        present: input.present,
    })
}

/// A briefing as its records tell it: the day, the topic, who was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub briefing_id: String,
    pub team_id: String,
    pub held_on: String,
    pub topic: String,
    pub notes: String,
    pub present: Vec<String>,
    pub absent: Vec<String>,
}

/// Groups records into briefings, newest first.
pub fn held(records: &[Briefing]) -> Vec<Held> {
    let mut out: Vec<Held> = Vec::new();
    for r in records {
        let at = match out.iter().position(|h| h.briefing_id == r.briefing_id) {
            Some(at) => at,
            None => {
                out.push(Held {
                    briefing_id: r.briefing_id.clone(),
                    team_id: r.team_id.clone(),
                    held_on: r.held_on.clone(),
                    topic: r.topic.clone(),
                    notes: r.notes.clone(),
                    present: Vec::new(),
                    absent: Vec::new(),
                });
                out.len() - 1
            }
        };
        let h = &mut out[at];
        if r.present {
            h.present.push(r.worker_id.clone());
        } else {
            h.absent.push(r.worker_id.clone());
        }
    }
    out.sort_by(|a, b| b.held_on.cmp(&a.held_on).then(a.topic.cmp(&b.topic)));
    out
}

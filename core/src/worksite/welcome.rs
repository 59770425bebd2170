//! The welcome of a new worker (accueil): the structure's checklist, and
//! for each worker one record per item, planned for a day of their first
//! weeks and ticked when done. Keyed by worker and item, so two phones
//! ticking the same item agree.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::text::{line, note};

/// The `record_type` of the sync protocol.
pub const RECORD_TYPE: &str = "welcome_step";
pub const SCHEMA: u32 = 1;
pub const MAX_ITEMS: usize = 30;
pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_NOTE_CHARS: usize = 500;
/// How far ahead an item may be planned: the first weeks.
pub const PLAN_WITHIN_DAYS: i64 = 90;

const NAMESPACE: Uuid = Uuid::from_u128(0x4a61_6c6f_6e2d_4163_6375_6569_6c00_0001);

/// One item of the structure's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomeItem {
    pub id: String,
    pub title: String,
}

/// The checklist a structure starts with (the admin changes it).
pub fn default_items() -> Vec<WelcomeItem> {
    [
        ("reglement", "Règlement intérieur expliqué"),
        ("horaires", "Horaires, pauses et repas"),
        (
            "securite",
            "Consignes de sécurité du poste et risques montrés",
        ),
        ("epi", "Équipements de protection remis"),
        ("visite", "Visite du chantier et des locaux"),
        ("equipe", "Présentation de l'équipe"),
        ("absence", "Qui prévenir en cas d'absence ou de retard"),
        (
            "donnees",
            "Ce que Jalon enregistre et qui le voit, expliqué",
        ),
    ]
    .into_iter()
    .map(|(id, title)| WelcomeItem {
        id: id.into(),
        title: title.into(),
    })
    .collect()
}

/// Checks the admin's list: titles tidy and present, ids valid and unique.
pub fn check_items(items: Vec<WelcomeItem>) -> Result<Vec<WelcomeItem>, String> {
    if items.is_empty() {
        return Err("La liste d'accueil doit avoir au moins une étape.".into());
    }
    if items.len() > MAX_ITEMS {
        return Err(format!("{} étapes, au plus {MAX_ITEMS}.", items.len()));
    }
    let mut out: Vec<WelcomeItem> = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        let label = format!("Étape {}", n + 1);
        let title = line(&label, &item.title, MAX_TITLE_CHARS, false)?;
        if title.is_empty() {
            return Err(format!("{label} : écrivez son intitulé."));
        }
        if !crate::skills::is_id(&item.id) || out.iter().any(|i| i.id == item.id) {
            return Err(format!("{label} : identifiant invalide."));
        }
        if out.iter().any(|i| i.title == title) {
            return Err(format!("{label} : « {title} » est déjà dans la liste."));
        }
        out.push(WelcomeItem { id: item.id, title });
    }
    Ok(out)
}

/// One item of one worker's welcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomeStep {
    pub worker_id: String,
    pub item_id: String,
    /// The item's title when it was planned or ticked.
    pub title: String,
    /// The day it is planned for, `YYYY-MM-DD` ("" if not planned).
    #[serde(default)]
    pub planned_on: String,
    /// The day it was done (by the record's last writer), "" if not yet.
    #[serde(default)]
    pub done_on: String,
    #[serde(default)]
    pub note: String,
}

impl WelcomeStep {
    pub fn is_done(&self) -> bool {
        !self.done_on.is_empty()
    }

    pub fn record_id(&self) -> Uuid {
        step_id(&self.worker_id, &self.item_id)
    }
}

/// The record id of a worker's item: the same on every phone.
pub fn step_id(worker_id: &str, item_id: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("{worker_id}/{item_id}").as_bytes())
}

/// Checks and normalises a step; the error is a French sentence.
pub fn validate(input: &WelcomeStep, today: NaiveDate) -> Result<WelcomeStep, String> {
    if Uuid::parse_str(&input.worker_id).is_err() {
        return Err("Choisissez la personne concernée.".into());
    }
    if !crate::skills::is_id(&input.item_id) {
        return Err("Étape inconnue : mettez l'application à jour.".into());
    }
    let title = line("Étape", &input.title, MAX_TITLE_CHARS, true)?;
    let planned_on = if input.planned_on.trim().is_empty() {
        String::new()
    } else {
        let day = NaiveDate::parse_from_str(input.planned_on.trim(), "%Y-%m-%d")
            .map_err(|_| "Indiquez le jour prévu au format jj/mm/aaaa.".to_string())?;
        if day > today + chrono::Duration::days(PLAN_WITHIN_DAYS) {
            return Err("Le jour prévu est à plus de trois mois : vérifiez-le.".into());
        }
        day.to_string()
    };
    let done_on = if input.done_on.trim().is_empty() {
        String::new()
    } else {
        let day = NaiveDate::parse_from_str(input.done_on.trim(), "%Y-%m-%d")
            .map_err(|_| "Indiquez le jour fait au format jj/mm/aaaa.".to_string())?;
        if day > today + chrono::Duration::days(1) {
            return Err("Une étape ne peut pas être faite dans le futur.".into());
        }
        day.to_string()
    };
    Ok(WelcomeStep {
        worker_id: input.worker_id.clone(),
        item_id: input.item_id.clone(),
        title,
        planned_on,
        done_on,
        note: note("Remarque", &input.note, MAX_NOTE_CHARS, false)?,
    })
}

/// Where a worker's welcome stands: items done out of the checklist.
pub fn progress(items: &[WelcomeItem], steps: &[WelcomeStep]) -> (usize, usize) {
    let done = items
        .iter()
        .filter(|i| steps.iter().any(|s| s.item_id == i.id && s.is_done()))
        .count();
    (done, items.len())
}

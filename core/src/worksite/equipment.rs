//! Protective equipment handed over (EPI remis): what, size, how many,
//! when, when to renew it, and the worker's acknowledgement, on their own
//! phone (a receipt they write) or in front of the supervisor (on the
//! supervisor's phone). The list per worker is their equipment register.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::text::line;

/// The `record_type` of equipment handed over (written by staff).
pub const RECORD_TYPE: &str = "equipment";
/// The `record_type` of the worker's « J'ai reçu » (written by the worker).
pub const RECEIPT_TYPE: &str = "equipment_receipt";
pub const SCHEMA: u32 = 1;
pub const MAX_LABEL_CHARS: usize = 120;
pub const MAX_SIZE_CHARS: usize = 20;
pub const MAX_QUANTITY: u32 = 50;
/// Equipment to renew within this many days is shown as due soon.
pub const RENEW_NOTICE_DAYS: i64 = 30;

const NAMESPACE: Uuid = Uuid::from_u128(0x4a61_6c6f_6e2d_4570_6900_7265_e700_0001);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Helmet,
    Gloves,
    SafetyShoes,
    HighVisibility,
    Glasses,
    Hearing,
    Rainwear,
    Mask,
    Workwear,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::SafetyShoes,
        Kind::Gloves,
        Kind::HighVisibility,
        Kind::Helmet,
        Kind::Glasses,
        Kind::Hearing,
        Kind::Mask,
        Kind::Workwear,
        Kind::Rainwear,
        Kind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Helmet => "helmet",
            Kind::Gloves => "gloves",
            Kind::SafetyShoes => "safety_shoes",
            Kind::HighVisibility => "high_visibility",
            Kind::Glasses => "glasses",
            Kind::Hearing => "hearing",
            Kind::Rainwear => "rainwear",
            Kind::Mask => "mask",
            Kind::Workwear => "workwear",
            Kind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Helmet => "Casque",
            Kind::Gloves => "Gants",
            Kind::SafetyShoes => "Chaussures de sécurité",
            Kind::HighVisibility => "Gilet ou vêtement haute visibilité",
            Kind::Glasses => "Lunettes de protection",
            Kind::Hearing => "Protections auditives",
            Kind::Rainwear => "Vêtements de pluie",
            Kind::Mask => "Masque",
            Kind::Workwear => "Tenue de travail",
            Kind::Other => "Autre équipement",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Equipment handed over to a worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equipment {
    pub worker_id: String,
    pub kind: Kind,
    /// What exactly (required for « Autre équipement »).
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub size: String,
    pub quantity: u32,
    /// `YYYY-MM-DD`.
    pub handed_on: String,
    /// When to renew it, `YYYY-MM-DD` ("" if not set).
    #[serde(default)]
    pub renew_on: String,
    /// The day the worker acknowledged it in front of the supervisor, on
    /// the supervisor's phone ("" if not).
    #[serde(default)]
    pub acknowledged_on: String,
}

impl Equipment {
    /// « Chaussures de sécurité, pointure 42 » / « 2 × Gants, taille 9 ».
    pub fn describe(&self) -> String {
        let what = if self.label.is_empty() {
            self.kind.label().to_string()
        } else if self.kind == Kind::Other {
            self.label.clone()
        } else {
            format!("{} ({})", self.kind.label(), self.label)
        };
        let count = if self.quantity > 1 {
            format!("{} × ", self.quantity)
        } else {
            String::new()
        };
        let size = if self.size.is_empty() {
            String::new()
        } else {
            format!(", taille {}", self.size)
        };
        format!("{count}{what}{size}")
    }

    /// Where its renewal stands on `today`.
    pub fn renewal(&self, today: NaiveDate) -> Renewal {
        match NaiveDate::parse_from_str(&self.renew_on, "%Y-%m-%d") {
            Err(_) => Renewal::None,
            Ok(day) if day <= today => Renewal::Due,
            Ok(day) if day <= today + chrono::Duration::days(RENEW_NOTICE_DAYS) => Renewal::Soon,
            Ok(_) => Renewal::Later,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    None,
    Later,
    Soon,
    Due,
}

fn day(label: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{label} : indiquez la date au format jj/mm/aaaa."))
}

/// Checks and normalises equipment handed over; a French sentence if wrong.
pub fn validate(input: &Equipment, today: NaiveDate) -> Result<Equipment, String> {
    if Uuid::parse_str(&input.worker_id).is_err() {
        return Err("Choisissez la personne concernée.".into());
    }
    let label = line("Précision", &input.label, MAX_LABEL_CHARS, false)?;
    if input.kind == Kind::Other && label.is_empty() {
        return Err("Précisez l'équipement remis.".into());
    }
    let size = line("Taille", &input.size, MAX_SIZE_CHARS, false)?;
    if input.quantity == 0 || input.quantity > MAX_QUANTITY {
        return Err(format!("Quantité : entre 1 et {MAX_QUANTITY}."));
    }
    let handed = day("Remis le", &input.handed_on)?;
    if handed > today + chrono::Duration::days(1) {
        return Err("Remis le : la date ne peut pas être dans le futur.".into());
    }
    if handed < today - chrono::Duration::days(366 * 3) {
        return Err("Remis le : la date a plus de trois ans, vérifiez-la.".into());
    }
    let renew_on = if input.renew_on.trim().is_empty() {
        String::new()
    } else {
        let renew = day("À renouveler le", &input.renew_on)?;
        if renew <= handed {
            return Err("À renouveler le : la date doit suivre la remise.".into());
        }
        renew.to_string()
    };
    let acknowledged_on = if input.acknowledged_on.trim().is_empty() {
        String::new()
    } else {
        let on = day("Reçu le", &input.acknowledged_on)?;
        if on < handed || on > today + chrono::Duration::days(1) {
            return Err("Reçu le : la date doit suivre la remise.".into());
        }
        on.to_string()
    };
    Ok(Equipment {
        worker_id: input.worker_id.clone(),
        kind: input.kind,
        label,
        size,
        quantity: input.quantity,
        handed_on: handed.to_string(),
        renew_on,
        acknowledged_on,
    })
}

/// The worker's « J'ai reçu » for one piece of equipment, from their phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub worker_id: String,
    pub equipment_id: String,
    /// `YYYY-MM-DD`.
    pub received_on: String,
}

impl Receipt {
    pub fn record_id(&self) -> Uuid {
        receipt_id(&self.equipment_id)
    }
}

/// The record id of the receipt of a piece of equipment: one per piece.
pub fn receipt_id(equipment_id: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, equipment_id.as_bytes())
}

pub fn validate_receipt(input: &Receipt, today: NaiveDate) -> Result<Receipt, String> {
    if Uuid::parse_str(&input.worker_id).is_err() || Uuid::parse_str(&input.equipment_id).is_err() {
        return Err("Équipement inconnu : mettez l'application à jour.".into());
    }
    let on = day("Reçu le", &input.received_on)?;
    if on > today + chrono::Duration::days(1) {
        return Err("Reçu le : la date ne peut pas être dans le futur.".into());
    }
    Ok(Receipt {
        worker_id: input.worker_id.clone(),
        equipment_id: input.equipment_id.clone(),
        received_on: on.to_string(),
    })
}

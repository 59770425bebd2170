//! What a bilan starts from: the records of a person's period, gathered for
//! the counsellor to check and complete (issue 21). Only records any reader
//! of a bilan may see: nothing sensitive (santé, handicap, justice) is gathered; the
//! counsellor adds such an item herself when she may read it. Then the
//! bilan itself (content frozen once validated, its versions and shares), the
//! attestation of skills and what the public verification page says.
use serde::{Deserialize, Serialize};

use jalon_core::bilans::{Audience, Kind, Recipient};
use jalon_core::sessions::Level;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BilanPrefill {
    pub worker_name: String,
    /// The period, `YYYY-MM-DD`, both days included.
    pub from: String,
    pub to: String,
    pub attendance: AttendancePart,
    /// Barriers by category: noted in the period, lifted in the period, and
    /// whether one is still open at the period's end.
    pub barriers: Vec<BarrierLine>,
    /// Professional behaviours noted in the period, by category (label, count).
    pub behaviours: Vec<(String, u32)>,
    /// Strengths noted in the period: day and text.
    pub strengths: Vec<(String, String)>,
    /// Each skill evaluated up to the period's end, at its latest level, with
    /// the day and the session that showed it, framework by framework.
    pub skills: Vec<SkillLine>,
    /// Objective titles: reached in the period, still open at its end,
    /// re-adjusted (reviewed) in the period.
    pub objectives_reached: Vec<String>,
    pub objectives_open: Vec<String>,
    pub objectives_readjusted: Vec<String>,
}

/// The attendance report's figures for the person and the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendancePart {
    /// Present over pointed half-days, in percent; `None`: nothing pointed.
    pub rate: Option<f64>,
    pub expected_halves: u32,
    /// Half-days pointed (present or not); the rate's denominator.
    #[serde(default)]
    pub pointed_halves: u32,
    pub present_halves: u32,
    /// Absences by reason (label, half-days).
    pub absences: Vec<(String, u32)>,
    pub late_count: u32,
    pub late_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarrierLine {
    pub category: String,
    pub noted: u32,
    pub lifted: u32,
    pub still_open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillLine {
    pub framework_id: String,
    /// The framework's title, and whether it is the professional behaviours'.
    #[serde(default)]
    pub framework: String,
    #[serde(default)]
    pub behaviour: bool,
    pub skill: String,
    pub level: Level,
    /// `YYYY-MM-DD` of the latest session that evaluated it (or when it was
    /// last seen at work).
    pub on: String,
    /// The session's title, or « Observé en situation de travail ».
    pub session: String,
}

/// Someone who took part in the bilan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Participant {
    /// « Salarié », « Encadrant », « CIP », « Partenaire ».
    pub role: String,
    pub name: String,
    /// A partner's organisation.
    #[serde(default)]
    pub organisation: String,
}

/// An item the counsellor adds herself: an observation she may read,
/// sensitive or not, copied as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedItem {
    pub observation_id: String,
    pub day: String,
    pub category: String,
    pub text: String,
    pub sensitive: bool,
}

/// What the counsellor writes around the gathered records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BilanWords {
    pub participants: Vec<Participant>,
    /// Remarks on each part, as she completes it.
    pub on_attendance: String,
    pub on_barriers: String,
    pub on_behaviours: String,
    pub on_skills: String,
    pub on_objectives: String,
    /// The person's own words, typed with them.
    pub worker_words: String,
    pub conclusions: String,
    pub next_objectives: Vec<String>,
    pub orientation: String,
}

/// A bilan's content: the gathered records as they were when it was last
/// saved (frozen once validated), the words, the items added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BilanContent {
    pub records: BilanPrefill,
    pub words: BilanWords,
    #[serde(default)]
    pub added: Vec<AddedItem>,
}

impl BilanContent {
    /// What the bilan shows its `audience`, and the person on their phone
    /// (`to_worker`): a funder gets figures, skills and progress, without the
    /// strengths' free texts, the items added, the person's words or the
    /// remarks on barriers; the person never gets a sensitive item.
    pub fn shown_to(&self, audience: Audience, to_worker: bool) -> BilanContent {
        let mut shown = self.clone();
        if audience == Audience::Funder {
            shown.added.clear();
            shown.records.strengths.clear();
            shown.words.worker_words.clear();
            shown.words.on_barriers.clear();
        }
        if to_worker {
            shown.added.retain(|a| !a.sensitive);
        }
        shown
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BilanStatus {
    Draft,
    Validated,
    /// A validated version corrected by a later one.
    Replaced,
}

impl BilanStatus {
    pub fn code(self) -> &'static str {
        match self {
            BilanStatus::Draft => "draft",
            BilanStatus::Validated => "validated",
            BilanStatus::Replaced => "replaced",
        }
    }

    pub fn from_code(code: &str) -> Option<BilanStatus> {
        [Self::Draft, Self::Validated, Self::Replaced]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            BilanStatus::Draft => "Brouillon",
            BilanStatus::Validated => "Validé",
            BilanStatus::Replaced => "Remplacé par une version corrigée",
        }
    }
}

/// One line of a person's bilans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BilanLine {
    pub id: String,
    pub kind: Kind,
    pub version: i64,
    pub status: BilanStatus,
    pub audience: Audience,
    pub from: String,
    pub to: String,
    pub validated_at: Option<String>,
}

/// A share of a validated bilan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLine {
    pub recipient: Recipient,
    pub name: String,
    pub by: String,
    pub at: String,
}

/// A bilan as its screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BilanView {
    pub id: String,
    pub worker_id: String,
    pub structure: String,
    pub kind: Kind,
    pub audience: Audience,
    pub version: i64,
    pub status: BilanStatus,
    pub sensitive: bool,
    pub correction_reason: Option<String>,
    pub content: BilanContent,
    pub written_by: String,
    pub validated_by: Option<String>,
    pub validated_at: Option<String>,
    pub shares: Vec<ShareLine>,
    /// The versions of this bilan, oldest first (this one among them).
    pub versions: Vec<BilanLine>,
    /// The reader may complete, validate, correct and share it.
    pub can_write: bool,
    /// Observations the counsellor may add (she may read them), for a draft.
    pub addable: Vec<AddedItem>,
}

/// A person's bilans and attestations, for their parcours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PapersOfWorker {
    pub bilans: Vec<BilanLine>,
    pub attestations: Vec<AttestationLine>,
    pub can_write: bool,
    /// Defaults of the forms: the parcours' start, today, the team's
    /// supervisors, the last head of structure named on an attestation.
    pub contract_start: String,
    pub today: String,
    pub supervisors: Vec<String>,
    pub head_name: String,
}

/// One skill an attestation states, with when and how it was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestedSkill {
    pub skill: String,
    pub on: String,
    /// The learning session (or work situation) it was shown in.
    pub situation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestedFramework {
    pub framework: String,
    pub skills: Vec<AttestedSkill>,
}

/// What an attestation states, frozen when it is issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationContent {
    pub structure: String,
    pub worker_name: String,
    pub trade: String,
    pub from: String,
    pub to: String,
    pub frameworks: Vec<AttestedFramework>,
    pub behaviours: Vec<AttestedSkill>,
    pub supervisor: String,
    pub head: String,
    pub signed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationLine {
    pub id: String,
    pub code: String,
    pub issued_at: String,
    pub withdrawn: bool,
    pub skills: usize,
}

/// An attestation as its screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationView {
    pub id: String,
    pub worker_id: String,
    /// Shown in groups (`ABCDE-FGHJK`).
    pub code: String,
    pub content: AttestationContent,
    pub issued_by: String,
    pub issued_at: String,
    pub withdrawn: Option<Withdrawal>,
    /// The public page anyone can open to check it, and its QR code.
    pub verify_url: String,
    pub qr_svg: String,
    pub can_write: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub at: String,
    pub reason: String,
}

/// What the public verification page says of a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    /// Issued by the structure and in force: exactly what it states.
    Genuine(AttestationContent),
    /// Issued, then withdrawn on that day.
    Withdrawn {
        content: AttestationContent,
        on: String,
    },
    /// No attestation has this code.
    Unknown,
}

/// A validated bilan shared with the person, as their phone keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyBilan {
    pub id: String,
    pub kind: Kind,
    pub from: String,
    pub to: String,
    pub validated_at: String,
    pub content: BilanContent,
}

/// What a worker's phone keeps of their bilans and attestations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MyPapers {
    pub bilans: Vec<MyBilan>,
    pub attestations: Vec<AttestationView>,
}

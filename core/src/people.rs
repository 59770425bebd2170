//! Checks on what people type in the people forms, with French messages.

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_LOGIN_CHARS: usize = 60;
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;
pub const PIN_DIGITS: usize = 6;

fn invalid(msg: impl Into<String>) -> String {
    msg.into()
}

/// A name-like field: one line, required, at most `max` characters.
pub fn text(label: &str, value: &str, max: usize) -> Result<String, String> {
    crate::text::line(label, value, max, true)
}

/// An optional field: empty means none.
pub fn optional_text(
    label: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(label, v, max).map(Some),
    }
}

/// Identifiers: lower-case letters, digits, dot, dash, underscore.
pub fn login(value: &str) -> Result<String, String> {
    let value = value.trim().to_lowercase();
    if value.chars().count() < 3 || value.chars().count() > MAX_LOGIN_CHARS {
        return Err(invalid(format!(
            "Identifiant : entre 3 et {MAX_LOGIN_CHARS} caractères."
        )));
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    {
        return Err(invalid(
            "Identifiant : lettres sans accent, chiffres, point, tiret ou tiret bas seulement.",
        ));
    }
    Ok(value)
}

pub fn password(value: &str) -> Result<(), String> {
    let n = value.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(invalid(format!(
            "Mot de passe : au moins {MIN_PASSWORD_CHARS} caractères."
        )));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(invalid(format!(
            "Mot de passe : {MAX_PASSWORD_CHARS} caractères au plus."
        )));
    }
    Ok(())
}

/// A worker's PIN: at least six digits, not all the same, not a plain run.
pub fn pin(value: &str, again: &str) -> Result<(), String> {
    if value.len() < PIN_DIGITS || value.len() > 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "Le code doit compter 6 chiffres ou plus, sans lettre.",
        ));
    }
    let bytes = value.as_bytes();
    let same = bytes.iter().all(|b| *b == bytes[0]);
    let up = bytes.windows(2).all(|w| w[1] == w[0] + 1);
    let down = bytes.windows(2).all(|w| w[0] == w[1] + 1);
    if same || up || down {
        return Err(invalid(
            "Ce code est trop facile à deviner. Choisissez d'autres chiffres.",
        ));
    }
    if value != again {
        return Err(invalid("Les deux codes ne sont pas identiques."));
    }
    Ok(())
}

/// A date typed as `YYYY-MM-DD` (the value of a date field).
pub fn date(label: &str, value: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(format!("{label} : date invalide.")))
}

pub fn optional_date(
    label: &str,
    value: Option<&str>,
) -> Result<Option<chrono::NaiveDate>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => date(label, v).map(Some),
    }
}

/// How a parcours ended, in the categories funders count exits by (the
/// DDETS and the Département ask for them in every yearly report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitOutcome {
    /// CDI, CDD or temping of six months or more, setting up a business.
    LastingJob,
    /// CDD or temping under six months, a subsidised contract.
    TransitionJob,
    /// Qualifying training.
    Training,
    /// Another work-integration structure.
    OtherSiae,
    /// Any other exit (no solution found, moving away, health…).
    Other,
}

impl ExitOutcome {
    pub const ALL: [ExitOutcome; 5] = [
        ExitOutcome::LastingJob,
        ExitOutcome::TransitionJob,
        ExitOutcome::Training,
        ExitOutcome::OtherSiae,
        ExitOutcome::Other,
    ];

    /// The word stored in the database and sent by forms.
    pub fn code(self) -> &'static str {
        match self {
            ExitOutcome::LastingJob => "lasting_job",
            ExitOutcome::TransitionJob => "transition_job",
            ExitOutcome::Training => "training",
            ExitOutcome::OtherSiae => "other_siae",
            ExitOutcome::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<ExitOutcome> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// The funders' own words.
    pub fn label(self) -> &'static str {
        match self {
            ExitOutcome::LastingJob => "Emploi durable",
            ExitOutcome::TransitionJob => "Emploi de transition",
            ExitOutcome::Training => "Sortie positive : formation",
            ExitOutcome::OtherSiae => "Sortie positive : autre SIAE",
            ExitOutcome::Other => "Autre sortie",
        }
    }

    /// What the category holds, shown under the choice.
    pub fn hint(self) -> &'static str {
        match self {
            ExitOutcome::LastingJob => {
                "CDI, CDD ou intérim de 6 mois et plus, création d'entreprise"
            }
            ExitOutcome::TransitionJob => "CDD ou intérim de moins de 6 mois, contrat aidé",
            ExitOutcome::Training => "formation qualifiante",
            ExitOutcome::OtherSiae => "entrée dans une autre structure d'insertion",
            ExitOutcome::Other => "sans solution, déménagement, santé, autre",
        }
    }

    /// Employment and positive exits: the "sorties dynamiques" funders add up.
    pub fn dynamic(self) -> bool {
        self != ExitOutcome::Other
    }
}

/// The outcome chosen in the exit form.
pub fn exit_outcome(value: &str) -> Result<ExitOutcome, String> {
    match value.trim() {
        "" => Err(invalid("Issue du parcours : à choisir.")),
        v => ExitOutcome::from_code(v).ok_or_else(|| invalid("Issue du parcours : choix inconnu.")),
    }
}

/// Why a contract or a referent changed: required, one paragraph at most.
pub const MAX_REASON_CHARS: usize = 500;

pub fn reason(value: &str) -> Result<String, String> {
    crate::text::line("Motif", value, MAX_REASON_CHARS, true)
}

/// A renewal's new end date: after the contract's start and after its
/// current end (a renewal lengthens; an earlier end is an exit).
pub fn renewal_end(
    start: chrono::NaiveDate,
    current_end: Option<chrono::NaiveDate>,
    new_end: chrono::NaiveDate,
) -> Result<(), String> {
    if new_end < start {
        return Err(invalid("La fin du contrat doit venir après son début."));
    }
    if current_end.is_some_and(|end| new_end <= end) {
        return Err(invalid(
            "Un renouvellement allonge le contrat : choisissez une date après la fin actuelle.",
        ));
    }
    Ok(())
}

pub const MAX_EMAIL_CHARS: usize = 254;

/// A staff member's e-mail address for alert messages; empty means none.
/// Plain ASCII `local@domain.tld`, lower-cased domain, nothing that could
/// leave the address in a message header (spaces, line breaks, commas,
/// angle brackets, quotes).
pub fn email(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let wrong = || invalid("Adresse e-mail : écrivez-la comme prenom.nom@exemple.fr.");
    if value.chars().count() > MAX_EMAIL_CHARS {
        return Err(invalid(format!(
            "Adresse e-mail : {MAX_EMAIL_CHARS} caractères au plus."
        )));
    }
    let (local, domain) = value.split_once('@').ok_or_else(wrong)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !local_ok || !domain_ok {
        return Err(wrong());
    }
    Ok(Some(format!("{local}@{}", domain.to_ascii_lowercase())))
}

/// An activation code as typed: upper-cased, spaces and dashes dropped
/// (`abcd-efgh` = `ABCDEFGH`).
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(text("Nom", "  Diallo ", 100).as_deref(), Ok("Diallo"));
        assert!(text("Nom", "   ", 100).is_err());
        assert!(text("Nom", &"a".repeat(10_000), 100).is_err());
        assert!(text("Nom", "a\u{0}b", 100).is_err());
        // Hostile-looking text is still just a name: stored as typed, escaped on display.
        assert_eq!(
            text("Nom", "<script>x</script>", 100).as_deref(),
            Ok("<script>x</script>")
        );
        assert_eq!(optional_text("Téléphone", Some(" "), 30), Ok(None));
    }

    #[test]
    fn logins_are_plain_ascii() {
        assert_eq!(login(" R.Dupuis ").as_deref(), Ok("r.dupuis"));
        assert!(login("ab").is_err());
        assert!(login("rachel dupuis").is_err());
        assert!(login("élodie").is_err());
        assert!(login("x'; DROP TABLE users; --").is_err());
    }

    #[test]
    fn pins_must_be_six_digits_and_not_trivial() {
        assert!(pin("135790", "135790").is_ok());
        assert!(pin("13579", "13579").is_err());
        assert!(pin("12a456", "12a456").is_err());
        assert!(pin("111111", "111111").is_err());
        assert!(pin("123456", "123456").is_err());
        assert!(pin("987654", "987654").is_err());
        assert!(pin("135790", "135791").is_err());
    }

    #[test]
    fn email_addresses_are_plain_and_header_safe() {
        assert_eq!(email("  "), Ok(None));
        assert_eq!(
            email(" Claire.Martin@Structure.FR "),
            Ok(Some("Claire.Martin@structure.fr".to_string()))
        );
        for bad in [
            "claire",
            "claire@",
            "@structure.fr",
            "claire@structure",
            "claire martin@structure.fr",
            "claire@structure.fr\r\nBcc: tous@exemple.fr",
            "claire@structure.fr, autre@exemple.fr",
            "Claire <claire@structure.fr>",
            "claire..martin@structure.fr",
            "élodie@structure.fr",
            "claire@-structure.fr",
        ] {
            assert!(email(bad).is_err(), "{bad:?} refused");
        }
        assert!(email(&format!("{}@exemple.fr", "a".repeat(300))).is_err());
    }

    #[test]
    fn passwords_have_a_floor_and_a_generous_ceiling() {
        assert!(password("court").is_err());
        assert!(password("dix caract").is_ok());
        assert!(password(&"x".repeat(64)).is_ok());
        assert!(password(&"x".repeat(300)).is_err());
    }
    #[test]
    fn exit_outcomes_round_trip_and_refuse_the_unknown() {
        for o in ExitOutcome::ALL {
            assert_eq!(exit_outcome(o.code()), Ok(o));
        }
        assert_eq!(
            exit_outcome(" "),
            Err("Issue du parcours : à choisir.".into())
        );
        assert!(exit_outcome("emploi").is_err());
        assert!(exit_outcome("' OR 1=1 --").is_err());
        assert!(!ExitOutcome::Other.dynamic() && ExitOutcome::Training.dynamic());
    }

    #[test]
    fn a_renewal_lengthens_the_contract() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let start = d("2026-01-05");
        assert!(renewal_end(start, Some(d("2026-06-30")), d("2026-12-31")).is_ok());
        assert!(renewal_end(start, None, d("2026-12-31")).is_ok());
        assert!(renewal_end(start, Some(d("2026-06-30")), d("2026-06-30")).is_err());
        assert!(renewal_end(start, Some(d("2026-06-30")), d("2026-03-01")).is_err());
        assert!(renewal_end(start, None, d("2025-12-31")).is_err());
        assert!(reason("  ").is_err());
        assert!(reason(&"x".repeat(501)).is_err());
        assert_eq!(
            reason(" Prolongation accordée ").as_deref(),
            Ok("Prolongation accordée")
        );
    }
}

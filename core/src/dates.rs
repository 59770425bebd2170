//! Dates in French, the way every screen and export writes them.
use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const SHORT_MONTHS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const SHORT_WEEKDAYS: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];

fn parse(iso: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d").ok()
}

fn spelled(day: &str, weekdays: &[&str; 7], months: &[&str; 12]) -> String {
    parse(day)
        .map(|d| {
            format!(
                "{} {} {} {}",
                weekdays[d.weekday().num_days_from_monday() as usize],
                d.day(),
                months[d.month0() as usize],
                d.year()
            )
        })
        .unwrap_or_else(|| day.to_string())
}

/// `2026-03-01` (or a timestamp starting so) → `01/03/2026`; anything else unchanged.
pub fn french_date(iso: &str) -> String {
    parse(iso).map_or_else(|| iso.to_string(), |d| d.format("%d/%m/%Y").to_string())
}

/// "lun. 23 nov. 2026"
pub fn day_label(day: &str) -> String {
    spelled(day, &SHORT_WEEKDAYS, &SHORT_MONTHS)
}

/// "lundi 23 novembre 2026"
pub fn long_day(day: &str) -> String {
    spelled(day, &WEEKDAYS, &MONTHS)
}

/// "novembre 2026"
pub fn month_label(first: NaiveDate) -> String {
    format!("{} {}", MONTHS[first.month0() as usize], first.year())
}

/// The last day of the month that starts on `first`.
pub fn month_end(first: NaiveDate) -> NaiveDate {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.map_or(first, |n| n - chrono::Duration::days(1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_as_french() {
        assert_eq!(super::french_date("2026-03-01"), "01/03/2026");
        assert_eq!(super::french_date("2026-03-01T10:00:00Z"), "01/03/2026");
        assert_eq!(super::french_date("hier"), "hier");
        assert_eq!(super::day_label("2026-11-23"), "lun. 23 nov. 2026");
        assert_eq!(super::long_day("2026-11-23"), "lundi 23 novembre 2026");
    }
}

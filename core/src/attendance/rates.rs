//! Attendance figures, computed here and nowhere else: the counsellor's
//! report, the CSV export and the worker's month all call these functions.
//!
//! Everything is counted in half-days, so a structure working in half-days
//! and one working in whole days share one arithmetic (a whole-day entry
//! covers both halves). Expected days are the weekdays (Monday to Friday)
//! that are not French public holidays, within the contract, and, for a
//! team's figures, on which the worker belonged to that team. The presence
//! rate is present half-days over the expected half-days that were pointed;
//! expected half-days nobody pointed are counted apart ("non pointés"); the
//! report counts expected days up to today, never days still to come.
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::{AbsenceReason, Attendance, Presence, Slot};

/// Easter Sunday (Gregorian calendar, anonymous algorithm).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or_default()
}

/// The French public holiday on this day, if any (metropolitan calendar).
pub fn public_holiday(day: NaiveDate) -> Option<&'static str> {
    let fixed = match (day.month(), day.day()) {
        (1, 1) => Some("Jour de l'an"),
        (5, 1) => Some("Fête du travail"),
        (5, 8) => Some("Victoire 1945"),
        (7, 14) => Some("Fête nationale"),
        (8, 15) => Some("Assomption"),
        (11, 1) => Some("Toussaint"),
        (11, 11) => Some("Armistice 1918"),
        (12, 25) => Some("Noël"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let easter = easter(day.year());
    match (day - easter).num_days() {
        1 => Some("Lundi de Pâques"),
        39 => Some("Ascension"),
        50 => Some("Lundi de Pentecôte"),
        _ => None,
    }
}

/// A day people are expected at work: Monday to Friday, not a public holiday.
pub fn working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && public_holiday(day).is_none()
}

/// The days a worker is under contract (both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contract {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Contract {
    pub fn covers(&self, day: NaiveDate) -> bool {
        day >= self.start && self.end.is_none_or(|end| day <= end)
    }
}

/// A worker's teams over time: from each date, the team they belong to.
/// Before the first change, the first known team.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Teams(pub Vec<(NaiveDate, Option<String>)>);

impl Teams {
    pub fn on(&self, day: NaiveDate) -> Option<&str> {
        let mut team = self.0.first().and_then(|(_, t)| t.as_deref());
        for (from, t) in &self.0 {
            if *from <= day {
                team = t.as_deref();
            }
        }
        team
    }
}

/// Counts over a period, in half-days (see the module's introduction).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub expected: u32,
    pub recorded: u32,
    pub present: u32,
    pub justified: u32,
    pub unjustified: u32,
    /// Entries with a lateness, and the minutes they add up to.
    pub late_count: u32,
    pub late_minutes: i64,
    pub left_early: u32,
}

impl Summary {
    /// Present over pointed, in percent; `None` when nothing was pointed.
    pub fn rate(&self) -> Option<f64> {
        (self.recorded > 0).then(|| f64::from(self.present) * 100.0 / f64::from(self.recorded))
    }

    /// Expected half-days nobody pointed.
    pub fn not_recorded(&self) -> u32 {
        self.expected.saturating_sub(self.recorded)
    }

    pub fn absent(&self) -> u32 {
        self.justified + self.unjustified
    }

    pub fn add(&mut self, other: &Summary) {
        self.expected += other.expected;
        self.recorded += other.recorded;
        self.present += other.present;
        self.justified += other.justified;
        self.unjustified += other.unjustified;
        self.late_count += other.late_count;
        self.late_minutes += other.late_minutes;
        self.left_early += other.left_early;
    }
}

/// Half-days as French days: 4 → "2", 5 → "2,5".
pub fn days(halves: u32) -> String {
    if halves.is_multiple_of(2) {
        (halves / 2).to_string()
    } else {
        format!("{},5", halves / 2)
    }
}

/// A rate as French text: "92,3 %", or "—" when nothing was pointed.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1} %", r).replace('.', ","),
        None => "—".into(),
    }
}

/// The entries that hold for one day: a half-day entry takes precedence
/// over a whole-day entry for its half.
fn halves_of<'a>(entries: &[&'a Attendance]) -> [Option<&'a Attendance>; 2] {
    let find = |slot: Slot| entries.iter().copied().find(|e| e.slot == slot);
    let day = find(Slot::Day);
    [find(Slot::Morning).or(day), find(Slot::Afternoon).or(day)]
}

/// Counts what was pointed, whatever the day (the worker's own month).
pub fn tally<'a>(entries: impl IntoIterator<Item = &'a Attendance>) -> Summary {
    let mut by_day: std::collections::BTreeMap<&str, Vec<&Attendance>> = Default::default();
    for e in entries {
        by_day.entry(e.day.as_str()).or_default().push(e);
    }
    let mut s = Summary::default();
    for list in by_day.values() {
        let halves = halves_of(list);
        let mut counted: Vec<&Attendance> = Vec::new();
        for e in halves.into_iter().flatten() {
            s.recorded += 1;
            match (e.status, e.reason) {
                (Presence::Present, _) => s.present += 1,
                (Presence::Absent, Some(r)) if !r.justified() => s.unjustified += 1,
                (Presence::Absent, _) => s.justified += 1,
            }
            if !counted.iter().any(|c| std::ptr::eq(*c, e)) {
                counted.push(e);
            }
        }
        for e in counted
            .into_iter()
            .filter(|e| e.status == Presence::Present)
        {
            if e.late_minutes > 0 {
                s.late_count += 1;
                s.late_minutes += e.late_minutes;
            }
            if !e.left_at.is_empty() {
                s.left_early += 1;
            }
        }
    }
    s
}

/// Whether a day counts for a worker's figures (and a team's, if given).
pub fn expected_day(
    day: NaiveDate,
    contract: &Contract,
    teams: &Teams,
    team: Option<&str>,
) -> bool {
    working_day(day) && contract.covers(day) && team.is_none_or(|t| teams.on(day) == Some(t))
}

/// A worker's figures over `from..=to`, for one team or all of them.
pub fn summarize(
    entries: &[Attendance],
    contract: &Contract,
    teams: &Teams,
    team: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Summary {
    let counts = |e: &&Attendance| {
        NaiveDate::parse_from_str(&e.day, "%Y-%m-%d")
            .is_ok_and(|d| d >= from && d <= to && expected_day(d, contract, teams, team))
    };
    let mut s = tally(entries.iter().filter(counts));
    let mut day = from;
    while day <= to {
        if expected_day(day, contract, teams, team) {
            s.expected += 2;
        }
        day += Duration::days(1);
    }
    s
}

/// Justified or not, for display and export.
pub fn justification(reason: Option<AbsenceReason>) -> &'static str {
    match reason {
        Some(r) if !r.justified() => "injustifiée",
        _ => "justifiée",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const W: &str = "01a206d5-fc4e-75bf-9e31-d7fd557bdfdf";

    fn present(day: &str, slot: Slot) -> Attendance {
        Attendance::present(W, day, slot)
    }

    fn absent(day: &str, slot: Slot, reason: AbsenceReason) -> Attendance {
        Attendance {
            status: Presence::Absent,
            reason: Some(reason),
            ..present(day, slot)
        }
    }

    fn open_contract() -> Contract {
        Contract {
            start: d("2020-01-01"),
            end: None,
        }
    }

    #[test]
    fn public_holidays_follow_easter() {
        assert_eq!(easter(2026), d("2026-04-05"));
        assert_eq!(easter(2027), d("2027-03-28"));
        assert_eq!(public_holiday(d("2026-04-06")), Some("Lundi de Pâques"));
        assert_eq!(public_holiday(d("2026-05-14")), Some("Ascension"));
        assert_eq!(public_holiday(d("2026-05-25")), Some("Lundi de Pentecôte"));
        assert_eq!(public_holiday(d("2026-11-11")), Some("Armistice 1918"));
        assert_eq!(public_holiday(d("2026-11-12")), None);
        assert!(!working_day(d("2026-11-11")), "a Wednesday, but a holiday");
        assert!(!working_day(d("2026-11-14")), "a Saturday");
        assert!(working_day(d("2026-11-13")));
    }

    #[test]
    fn november_2026_has_20_working_days_with_its_two_holidays_not_worked() {
        // 21 weekdays, minus 11 November (1 November is a Sunday).
        let s = summarize(
            &[],
            &open_contract(),
            &Teams::default(),
            None,
            d("2026-11-01"),
            d("2026-11-30"),
        );
        assert_eq!(s.expected, 40);
        assert_eq!(s.not_recorded(), 40);
        assert_eq!(s.rate(), None);
        // A roll call typed on the holiday by mistake does not count.
        let s = summarize(
            &[
                present("2026-11-11", Slot::Day),
                present("2026-11-12", Slot::Day),
            ],
            &open_contract(),
            &Teams::default(),
            None,
            d("2026-11-01"),
            d("2026-11-30"),
        );
        assert_eq!((s.recorded, s.present), (2, 2));
    }

    #[test]
    fn rates_count_half_days_and_lateness_once_per_entry() {
        let entries = vec![
            present("2026-11-02", Slot::Day),
            Attendance {
                late_minutes: 20,
                ..present("2026-11-03", Slot::Morning)
            },
            absent("2026-11-03", Slot::Afternoon, AbsenceReason::Appointment),
            Attendance {
                late_minutes: 10,
                left_at: "15:00".into(),
                ..present("2026-11-04", Slot::Day)
            },
            absent("2026-11-05", Slot::Day, AbsenceReason::NoNews),
            // A half-day entry overrides the whole day for its half.
            present("2026-11-06", Slot::Day),
            absent("2026-11-06", Slot::Afternoon, AbsenceReason::Sickness),
        ];
        let s = summarize(
            &entries,
            &open_contract(),
            &Teams::default(),
            None,
            d("2026-11-02"),
            d("2026-11-06"),
        );
        assert_eq!(s.expected, 10);
        assert_eq!(s.recorded, 10);
        assert_eq!(s.present, 6);
        assert_eq!(s.justified, 2);
        assert_eq!(s.unjustified, 2);
        assert_eq!((s.late_count, s.late_minutes, s.left_early), (2, 30, 1));
        assert_eq!(percent(s.rate()), "60,0 %");
        assert_eq!(days(s.present), "3");
        assert_eq!(days(5), "2,5");
    }

    #[test]
    fn a_contract_starting_mid_month_counts_from_its_first_day() {
        let contract = Contract {
            start: d("2026-11-16"),
            end: Some(d("2026-11-27")),
        };
        let entries = vec![
            // Before the contract (a trial day): not in the figures.
            absent("2026-11-13", Slot::Day, AbsenceReason::Unjustified),
            present("2026-11-16", Slot::Day),
            present("2026-11-17", Slot::Day),
        ];
        let s = summarize(
            &entries,
            &contract,
            &Teams::default(),
            None,
            d("2026-11-01"),
            d("2026-11-30"),
        );
        assert_eq!(s.expected, 20, "10 working days from the 16th to the 27th");
        assert_eq!((s.recorded, s.present, s.unjustified), (4, 4, 0));
        assert_eq!(s.not_recorded(), 16);
        assert_eq!(percent(s.rate()), "100,0 %");
    }

    #[test]
    fn a_worker_moved_between_teams_counts_for_each_team_on_its_own_days() {
        let teams = Teams(vec![
            (d("2026-10-01"), Some("A".into())),
            (d("2026-11-16"), Some("B".into())),
        ]);
        let entries: Vec<Attendance> = ["2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17"]
            .into_iter()
            .map(|day| present(day, Slot::Day))
            .chain([absent("2026-11-18", Slot::Day, AbsenceReason::Sickness)])
            .collect();
        let period = (d("2026-11-09"), d("2026-11-20"));
        let a = summarize(
            &entries,
            &open_contract(),
            &teams,
            Some("A"),
            period.0,
            period.1,
        );
        let b = summarize(
            &entries,
            &open_contract(),
            &teams,
            Some("B"),
            period.0,
            period.1,
        );
        let all = summarize(&entries, &open_contract(), &teams, None, period.0, period.1);
        assert_eq!(
            (a.expected, a.recorded, a.present),
            (8, 4, 4),
            "9–13 Nov (11th a holiday)"
        );
        assert_eq!(
            (b.expected, b.recorded, b.present, b.justified),
            (10, 6, 4, 2)
        );
        assert_eq!(all.expected, a.expected + b.expected);
        assert_eq!(all.present, a.present + b.present);
        assert_eq!(
            teams.on(d("2026-09-01")),
            Some("A"),
            "before the first change: the first team"
        );
    }

    #[test]
    fn the_worker_tally_counts_every_pointed_day() {
        let entries = [
            present("2026-11-14", Slot::Day), // a Saturday worked
            absent("2026-11-16", Slot::Morning, AbsenceReason::Training),
        ];
        let s = tally(entries.iter());
        assert_eq!((s.present, s.justified, s.recorded), (2, 1, 3));
        assert_eq!(days(s.present), "1");
    }
}

//! On the worksite, beyond the roll call and the notes: the welcome of a
//! new worker (`welcome`), the protective equipment handed over and its
//! register (`equipment`), the safety briefings (`briefings`). Incidents are
//! observations (`observations::IncidentReport`). Synced like every record;
//! the server's specs are in `app/src/backend/specs/worksite.rs`, the
//! screens in `app/src/pages/worksite/`.
pub mod briefings;
pub mod equipment;
pub mod welcome;

#[cfg(test)]
mod tests;

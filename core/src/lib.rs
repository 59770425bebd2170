//! Jalon's ground floor, shared by the phone and the server: the records
//! and the rules that check them, text and French dates, roles, the list of
//! synced record types, and the sync protocol with the phone's engine.
//! Nothing here knows about screens or databases.
pub mod attendance;
pub mod bilans;
pub mod dates;
pub mod objectives;
pub mod observations;
pub mod people;
pub mod privacy;
pub mod records;
pub mod roles;
pub mod sessions;
pub mod skills;
pub mod sync;
pub mod text;
pub mod worksite;

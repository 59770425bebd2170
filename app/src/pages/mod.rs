//! The screens, one folder per domain; each file holds its screens and the
//! thin server functions they call. `app.rs` is the only place naming them.
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod bilans;
pub mod home;
pub mod objectives;
pub mod observations;
pub mod people;
pub mod privacy;
pub mod reports;
pub mod sessions;
pub mod skills;
pub mod worksite;

//! The server's floor (built with the `ssr` feature only): the database,
//! the audit writer, the access policy, sessions and passwords, the sync
//! server with one spec per record type, and the queries behind screens.
pub mod access;
pub mod alert_mail;
pub mod attendance;
pub mod attendance_csv;
pub mod audit;
pub mod bilans;
pub mod csv;
pub mod data_requests;
pub mod db;
pub mod devices;
pub mod feed;
pub mod funders;
pub mod home;
pub mod jobs;
pub mod parcours;
pub mod password;
pub mod people;
pub mod plans;
pub mod policy;
pub mod qr;
pub mod records_csv;
pub mod register;
pub mod retention;
pub mod scratch;
pub mod session;
pub mod settings;
pub mod skills;
pub mod spec;
pub mod specs;
pub mod sync;
pub mod throttle;
pub mod worksite;

#[cfg(test)]
#[path = "tests/protocol.rs"]
mod protocol_tests;

#[cfg(test)]
#[path = "tests/concurrent.rs"]
mod concurrent_tests;

//! Jalon's server as a library: configuration, the HTTP routes (Leptos
//! pages and server functions, the sync API, downloads, the PWA files),
//! security headers, the demo structure and the operator's commands.
//! `main.rs` only parses the command line and runs one of them.
pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod documents;
pub mod downloads;
pub mod error;
pub mod exports;
pub mod http;
pub mod jobs;
pub mod people;
pub mod proxy;
pub mod pwa;
pub mod retention;
pub mod security;
pub mod state;
pub mod sync_api;

#[cfg(test)]
#[path = "tests/access_matrix/mod.rs"]
mod access_matrix;

#[cfg(test)]
#[path = "tests/deployment.rs"]
mod deployment_tests;

#[cfg(test)]
#[path = "tests/config.rs"]
mod config_tests;

//! Progression objectives: the staff screens and the worker's own space.
mod staff;
pub mod worker;

pub use staff::{EditObjectivePage, NewObjectivePage, ObjectivePage, ObjectivesPage};
pub use worker::{MyObjectivesPage, MySuccessesPage, WorkerHome};

//! Observations: the supervisor's list and form, the counsellor's feed.
pub mod feed;
mod form;
mod incident;

pub use feed::FeedPage;
pub use form::{EditObservationPage, NewObservationPage, ObservationsPage};

//! What the server answers a screen: plain data, shared by the backend that
//! builds it and the pages that show it.
pub mod attendance;
pub mod bilans;
pub mod documents;
pub mod feed;
pub mod funders;
pub mod home;
pub mod parcours;
pub mod privacy;

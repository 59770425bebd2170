//! Reports across people for those who account for the structure's work:
//! the funders' summary of a period (the attendance report itself lives
//! with attendance).
mod funders;

pub use funders::{FundersPage, FundersSummaryOf};

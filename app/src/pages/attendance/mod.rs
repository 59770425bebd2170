//! Attendance screens: the supervisor's roll call, the worker's month, the
//! counsellor's report (and its CSV export).
#[cfg(feature = "ssr")]
pub mod csv;
mod report;
mod roll_call;
pub mod worker;

#[cfg(feature = "ssr")]
pub use report::build_report;
pub use report::{
    AttendanceHistory, AttendanceReport, HistoryLine, PeriodReport, ReportFilter, ReportPage,
    SetHalfDays, WorkerReport,
};
pub use roll_call::RollCallPage;
pub use worker::MyAttendancePage;

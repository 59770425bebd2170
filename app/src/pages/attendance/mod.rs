//! Attendance screens: the supervisor's roll call, the worker's month, the
//! counsellor's report.
mod report;
mod roll_call;
pub mod worker;

pub use report::{
    AttendanceHistory, AttendanceReport, HistoryLine, PeriodReport, ReportFilter, ReportPage,
    SetHalfDays, WorkerReport,
};
pub use roll_call::RollCallPage;
pub use worker::MyAttendancePage;

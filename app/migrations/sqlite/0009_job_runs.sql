-- Work the server does by itself on a schedule (housekeeping today; retention
-- and notifications to come). One row per job: when it last started, and on
-- which instance. A job is claimed in a write transaction, which runs alone
-- on both engines, so it runs once per period for the whole deployment,
-- however many instances share the database.
CREATE TABLE job_runs (
    name              TEXT PRIMARY KEY,
    last_started_at   TEXT NOT NULL,
    last_finished_at  TEXT,
    instance          TEXT NOT NULL,
    summary           TEXT NOT NULL DEFAULT ''
);

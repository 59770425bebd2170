-- What changes a parcours as a whole, each with who, when and why: a contract
-- renewed (its end moved later), the referent counsellor changed, the exit and
-- its outcome. The worker file keeps the current values; these rows are their
-- history, shown on the file, read by the funders' figures.
CREATE TABLE worker_events (
    id            TEXT PRIMARY KEY,
    worker_id     TEXT NOT NULL REFERENCES workers (id),
    kind          TEXT NOT NULL CHECK (kind IN ('renewal', 'counsellor', 'exit')),
    -- The day the change takes effect ('YYYY-MM-DD').
    effective_on  TEXT NOT NULL,
    -- renewal: end dates; counsellor: user ids; exit: the end date before and the outcome after.
    before_value  TEXT,
    after_value   TEXT,
    reason        TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT REFERENCES users (id)
);
CREATE INDEX worker_events_worker ON worker_events (worker_id, recorded_at);

-- How an ended parcours ended (jalon_core::people::ExitOutcome codes); none
-- for a parcours still running or ended before outcomes were recorded.
ALTER TABLE workers ADD COLUMN exit_outcome TEXT
    CHECK (exit_outcome IN ('lasting_job', 'transition_job', 'training', 'other_siae', 'other'));

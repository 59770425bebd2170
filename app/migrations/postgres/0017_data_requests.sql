-- What a worker asks about their own data from their phone (issue 22): a
-- copy of everything Jalon holds about them (right of access) or the
-- correction of something inexact (rectification). A request reaches who
-- may answer it (their referent counsellor and the admin), who writes how
-- it was answered; both steps are in the audit log.
CREATE TABLE data_requests (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    worker_id     TEXT NOT NULL REFERENCES workers (id),
    kind          TEXT NOT NULL CHECK (kind IN ('access', 'correction')),
    body          TEXT NOT NULL,
    asked_at      TEXT NOT NULL,
    answered_at   TEXT,
    answered_by   TEXT REFERENCES users (id),
    answer        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX data_requests_worker ON data_requests (worker_id, asked_at);
CREATE INDEX data_requests_structure ON data_requests (structure_id, answered_at);

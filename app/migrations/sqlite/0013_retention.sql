-- Data protection (issue 22): how long a structure keeps a person's data
-- once their parcours has ended, the people held longer for a stated reason,
-- and the people whose data has been anonymised.

-- Years after the last contact with a person whose parcours has ended
-- before their data is anonymised (the CNIL's framework for social support
-- names two years as the reference).
ALTER TABLE structure_settings ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 2
    CHECK (retention_years BETWEEN 1 AND 10);

-- Set when the person's data was anonymised (retention or erasure): names
-- replaced, free texts and history deleted; what stays is anonymous.
ALTER TABLE workers ADD COLUMN anonymised_at TEXT;

-- A legal hold: the person is kept until `until` (a day), for a reason.
-- One per person; setting it again replaces it (each change is audited).
CREATE TABLE retention_holds (
    worker_id  TEXT PRIMARY KEY REFERENCES workers (id),
    until      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    set_by     TEXT NOT NULL REFERENCES users (id),
    set_at     TEXT NOT NULL
);

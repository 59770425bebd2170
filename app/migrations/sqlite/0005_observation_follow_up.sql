-- Observations in full: time, category, sharing with the worker, sensitive
-- categories, retraction, and the staff follow-up written by the server
-- (alert acknowledged, seen by a counsellor, replies), synced back to phones.
ALTER TABLE observations ADD COLUMN observed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE observations ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE observations ADD COLUMN shared BOOLEAN NOT NULL DEFAULT FALSE;
-- Santé or justice: read only by the author and the worker's counsellor.
ALTER TABLE observations ADD COLUMN sensitive BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE observations ADD COLUMN retracted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE observations ADD COLUMN change_reason TEXT NOT NULL DEFAULT '';
-- Server fields (never taken from a phone's push): names and Paris times as
-- text ("23/11/2026 à 10:12"), because phones show them as they are.
ALTER TABLE observations ADD COLUMN acknowledged_at TEXT;
ALTER TABLE observations ADD COLUMN acknowledged_by TEXT;
ALTER TABLE observations ADD COLUMN seen_at TEXT;
ALTER TABLE observations ADD COLUMN seen_by TEXT;
-- The replies as a JSON array [{author, at, body}], newest last; each reply
-- is also a row of observation_replies (who wrote it, for the audit).
ALTER TABLE observations ADD COLUMN replies TEXT NOT NULL DEFAULT '[]';
CREATE INDEX observations_feed ON observations (structure_id, observed_on, observed_at);

CREATE TABLE observation_replies (
    id              TEXT PRIMARY KEY,
    structure_id    TEXT NOT NULL REFERENCES structures (id),
    observation_id  TEXT NOT NULL REFERENCES observations (id),
    author_id       TEXT NOT NULL REFERENCES users (id),
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX observation_replies_observation ON observation_replies (observation_id);

-- What each person has read in their feed.
CREATE TABLE observation_reads (
    observation_id  TEXT NOT NULL REFERENCES observations (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    read_at         TEXT NOT NULL,
    PRIMARY KEY (observation_id, user_id)
);

-- Bilans and attestations of skills (issue 21).
--
-- A bilan is written by a counsellor over a period of a person's parcours.
-- Its content (the records gathered, as they were, and the words added) is
-- kept as JSON: once validated it no longer changes, whatever happens to the
-- records later. A correction is a new version of the same bilan (same
-- series), with its reason; the version it replaces is marked so.
CREATE TABLE bilans (
    id              TEXT PRIMARY KEY,
    structure_id    TEXT NOT NULL REFERENCES structures (id),
    worker_id       TEXT NOT NULL REFERENCES workers (id),
    series_id       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('entry', 'midway', 'exit', 'request')),
    -- Who it is written for: the team (staff), the worker, a funder.
    audience        TEXT NOT NULL CHECK (audience IN ('team', 'worker', 'funder')),
    period_from     TEXT NOT NULL,
    period_to       TEXT NOT NULL,
    content         TEXT NOT NULL,
    -- The counsellor added an item of a sensitive category (santé, justice).
    sensitive       BOOLEAN NOT NULL DEFAULT FALSE,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'validated', 'replaced')),
    correction_reason TEXT,
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    validated_by    TEXT REFERENCES users (id),
    validated_at    TEXT,
    UNIQUE (series_id, version)
);
CREATE INDEX bilans_worker ON bilans (worker_id, created_at);

-- Whom a validated bilan was shared with: the worker (it then appears on
-- their phone), a funder or a partner (by name), each with who and when.
CREATE TABLE bilan_shares (
    id          TEXT PRIMARY KEY,
    bilan_id    TEXT NOT NULL REFERENCES bilans (id),
    recipient   TEXT NOT NULL CHECK (recipient IN ('worker', 'funder', 'partner')),
    name        TEXT NOT NULL DEFAULT '',
    shared_by   TEXT NOT NULL REFERENCES users (id),
    shared_at   TEXT NOT NULL
);
CREATE INDEX bilan_shares_bilan ON bilan_shares (bilan_id);

-- An attestation of skills: what it states (JSON, frozen when issued), its
-- verification code (printed with a QR code), and its withdrawal if any.
CREATE TABLE attestations (
    id              TEXT PRIMARY KEY,
    structure_id    TEXT NOT NULL REFERENCES structures (id),
    worker_id       TEXT NOT NULL REFERENCES workers (id),
    code            TEXT NOT NULL UNIQUE,
    content         TEXT NOT NULL,
    issued_by       TEXT NOT NULL REFERENCES users (id),
    issued_at       TEXT NOT NULL,
    withdrawn_at    TEXT,
    withdrawn_by    TEXT REFERENCES users (id),
    withdrawn_reason TEXT
);
CREATE INDEX attestations_worker ON attestations (worker_id, issued_at);

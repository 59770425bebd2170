-- Progression objectives (objectifs et étapes), defined with the worker and
-- followed by their counsellor and supervisors, and the worker's own
-- reactions to them. Both are synced record types (common sync columns as
-- in 0003). See docs/objectives.md.

-- One objective of one worker: its steps, progress notes and reviews are
-- kept in the record (JSON), so ticking a step is one change of one record
-- and two people changing it at once meet the sync's conflict rules.
CREATE TABLE objectives (
    id             TEXT PRIMARY KEY,
    structure_id   TEXT NOT NULL REFERENCES structures (id),
    worker_id      TEXT NOT NULL REFERENCES workers (id),
    author_id      TEXT NOT NULL REFERENCES users (id),
    version        BIGINT  NOT NULL,
    seq            BIGINT  NOT NULL,
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL REFERENCES users (id),
    last_device    TEXT NOT NULL,
    has_conflict   BOOLEAN NOT NULL DEFAULT FALSE,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    skill          TEXT,
    barrier        TEXT NOT NULL,
    sensitive      BOOLEAN NOT NULL DEFAULT FALSE,
    target_on      TEXT NOT NULL,
    status         TEXT NOT NULL,
    reached_on     TEXT NOT NULL,
    -- [{id, title, done, done_on, done_by, from_claim}]
    steps          TEXT,
    -- [{id, at, by, text, shared}]
    notes          TEXT,
    -- [{id, on, by, decision, new_target, status}]
    reviews        TEXT,
    -- Ids of the worker's claims answered "pas encore".
    answered       TEXT
);
CREATE UNIQUE INDEX objectives_seq ON objectives (structure_id, seq);
CREATE INDEX objectives_worker ON objectives (worker_id);

-- What the worker says about an objective from their phone: a step they
-- think they have done (a claim, confirmed by staff), or a short comment.
CREATE TABLE objective_reactions (
    id             TEXT PRIMARY KEY,
    structure_id   TEXT NOT NULL REFERENCES structures (id),
    worker_id      TEXT NOT NULL REFERENCES workers (id),
    author_id      TEXT NOT NULL REFERENCES users (id),
    version        BIGINT  NOT NULL,
    seq            BIGINT  NOT NULL,
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL REFERENCES users (id),
    last_device    TEXT NOT NULL,
    has_conflict   BOOLEAN NOT NULL DEFAULT FALSE,
    objective_id   TEXT NOT NULL,
    step_id        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    body           TEXT NOT NULL,
    sensitive      BOOLEAN NOT NULL DEFAULT FALSE,
    said_on        TEXT NOT NULL
);
CREATE UNIQUE INDEX objective_reactions_seq ON objective_reactions (structure_id, seq);
CREATE INDEX objective_reactions_objective ON objective_reactions (objective_id);

-- On the worksite (issue 23): the welcome of a new worker, the protective
-- equipment handed over and the worker's receipts, the safety briefings.
-- Synced tables: the common columns of every synced table, then the
-- record's fields (see core/src/worksite/).

-- The structure's welcome checklist as the admin set it (JSON list of id
-- and title); none: Jalon's default list.
CREATE TABLE welcome_items (
    structure_id  TEXT PRIMARY KEY REFERENCES structures (id),
    items         TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users (id)
);

-- One item of one worker's welcome: planned for a day, done that day.
CREATE TABLE welcome_steps (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    worker_id     TEXT NOT NULL REFERENCES workers (id),
    author_id     TEXT NOT NULL REFERENCES users (id),
    version       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users (id),
    last_device   TEXT NOT NULL,
    has_conflict  INTEGER NOT NULL DEFAULT 0 CHECK (has_conflict IN (0, 1)),
    item_id       TEXT NOT NULL,
    title         TEXT NOT NULL,
    planned_on    TEXT NOT NULL,
    done_on       TEXT NOT NULL,
    note          TEXT NOT NULL
);
CREATE UNIQUE INDEX welcome_steps_seq ON welcome_steps (structure_id, seq);
CREATE INDEX welcome_steps_worker ON welcome_steps (worker_id);

-- Protective equipment handed over (the worker's equipment register).
CREATE TABLE equipment (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    worker_id     TEXT NOT NULL REFERENCES workers (id),
    author_id     TEXT NOT NULL REFERENCES users (id),
    version       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users (id),
    last_device   TEXT NOT NULL,
    has_conflict  INTEGER NOT NULL DEFAULT 0 CHECK (has_conflict IN (0, 1)),
    kind             TEXT NOT NULL,
    label            TEXT NOT NULL,
    size             TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    handed_on        TEXT NOT NULL,
    renew_on         TEXT NOT NULL,
    acknowledged_on  TEXT NOT NULL
);
CREATE UNIQUE INDEX equipment_seq ON equipment (structure_id, seq);
CREATE INDEX equipment_worker ON equipment (worker_id);

-- The worker's « J'ai reçu » from their own phone, one per piece.
CREATE TABLE equipment_receipts (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    worker_id     TEXT NOT NULL REFERENCES workers (id),
    author_id     TEXT NOT NULL REFERENCES users (id),
    version       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users (id),
    last_device   TEXT NOT NULL,
    has_conflict  INTEGER NOT NULL DEFAULT 0 CHECK (has_conflict IN (0, 1)),
    equipment_id  TEXT NOT NULL,
    received_on   TEXT NOT NULL
);
CREATE UNIQUE INDEX equipment_receipts_seq ON equipment_receipts (structure_id, seq);
CREATE INDEX equipment_receipts_worker ON equipment_receipts (worker_id);

-- One worker at one safety briefing (present or not).
CREATE TABLE briefings (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    worker_id     TEXT NOT NULL REFERENCES workers (id),
    author_id     TEXT NOT NULL REFERENCES users (id),
    version       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users (id),
    last_device   TEXT NOT NULL,
    has_conflict  INTEGER NOT NULL DEFAULT 0 CHECK (has_conflict IN (0, 1)),
    briefing_id   TEXT NOT NULL,
    team_id       TEXT NOT NULL,
    held_on       TEXT NOT NULL,
    topic         TEXT NOT NULL,
    notes         TEXT NOT NULL,
    present       INTEGER NOT NULL DEFAULT 0 CHECK (present IN (0, 1))
);
CREATE UNIQUE INDEX briefings_seq ON briefings (structure_id, seq);
CREATE INDEX briefings_worker ON briefings (worker_id);
CREATE INDEX briefings_briefing ON briefings (briefing_id);

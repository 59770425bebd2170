-- Skill frameworks, learning-session plans, and the evaluations of each
-- participant (a synced record type). See docs/sessions.md.

-- A structure's skill framework (référentiel): one per trade, plus the
-- professional behaviours. The skills and their criteria are kept as one
-- JSON document (the same layout as the import/export file), so a skill's
-- id stays stable while it is edited, moved or archived.
CREATE TABLE frameworks (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    -- Set for the frameworks Jalon ships, so they are created once.
    default_key   TEXT,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    position      INTEGER NOT NULL,
    archived      BOOLEAN NOT NULL DEFAULT FALSE,
    body          TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT REFERENCES users (id)
);
CREATE UNIQUE INDEX frameworks_default ON frameworks (structure_id, default_key);

-- A learning-session plan (fiche de préparation), reusable as a template.
CREATE TABLE session_plans (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    author_id     TEXT NOT NULL REFERENCES users (id),
    title         TEXT NOT NULL,
    template      BOOLEAN NOT NULL DEFAULT FALSE,
    afest         BOOLEAN NOT NULL DEFAULT FALSE,
    archived      BOOLEAN NOT NULL DEFAULT FALSE,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX session_plans_structure ON session_plans (structure_id, archived);

-- One participant's evaluation in one session run (synced from the phones;
-- common sync columns as in 0003). The session's facts are copied in each
-- participant's record, so a record never names the other participants.
CREATE TABLE evaluations (
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
    session_id     TEXT NOT NULL,
    plan_id        TEXT NOT NULL,
    title          TEXT NOT NULL,
    afest          BOOLEAN NOT NULL DEFAULT FALSE,
    held_on        TEXT NOT NULL,
    place          TEXT NOT NULL,
    duration_min   INTEGER,
    absent         BOOLEAN NOT NULL DEFAULT FALSE,
    reflection     TEXT NOT NULL,
    -- [{skill: {framework_id, skill_id, title}?, criterion_id, label, result, comment}]
    results        TEXT
);
CREATE UNIQUE INDEX evaluations_seq ON evaluations (structure_id, seq);
CREATE INDEX evaluations_worker ON evaluations (worker_id, held_on);
CREATE INDEX evaluations_session ON evaluations (session_id);

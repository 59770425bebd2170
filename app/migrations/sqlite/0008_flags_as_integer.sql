-- Flags are declared INTEGER (0 or 1, checked), SQLite's own convention,
-- instead of BOOLEAN: the database layer reads SQLite and PostgreSQL through
-- one driver, which knows no BOOLEAN declared type on SQLite. Values and
-- meaning are unchanged (a BOOLEAN column already held 0 and 1).
--
-- SQLite cannot change a column's declared type in place: each table is
-- rebuilt the documented way (a new table filled from the old one, the old
-- one dropped, the new one renamed, its indexes made again). The migration runs in one
-- transaction with foreign keys on, so the rows that refer to an observation
-- (its replies and reads) are set aside while observations is rebuilt, then
-- put back: every reference is checked again as they return.

CREATE TABLE structure_settings_new (
    structure_id          TEXT PRIMARY KEY REFERENCES structures (id),
    counsellors_see_all   INTEGER NOT NULL DEFAULT 0 CHECK (counsellors_see_all IN (0, 1)),
    attendance_half_days  INTEGER NOT NULL DEFAULT 0 CHECK (attendance_half_days IN (0, 1))
);
INSERT INTO structure_settings_new SELECT * FROM structure_settings;
DROP TABLE structure_settings;
ALTER TABLE structure_settings_new RENAME TO structure_settings;

CREATE TEMP TABLE observation_replies_aside AS SELECT * FROM observation_replies;
DELETE FROM observation_replies;
CREATE TEMP TABLE observation_reads_aside AS SELECT * FROM observation_reads;
DELETE FROM observation_reads;
CREATE TABLE observations_new (
    id               TEXT PRIMARY KEY,
    structure_id     TEXT NOT NULL REFERENCES structures (id),
    worker_id        TEXT NOT NULL REFERENCES workers (id),
    author_id        TEXT NOT NULL REFERENCES users (id),
    version          INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by       TEXT NOT NULL REFERENCES users (id),
    last_device      TEXT NOT NULL,
    has_conflict     INTEGER NOT NULL DEFAULT 0 CHECK (has_conflict IN (0, 1)),
    observed_on      TEXT NOT NULL,
    kind             TEXT NOT NULL,
    body             TEXT NOT NULL,
    observed_at      TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL DEFAULT '',
    shared           INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    sensitive        INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    retracted        INTEGER NOT NULL DEFAULT 0 CHECK (retracted IN (0, 1)),
    change_reason    TEXT NOT NULL DEFAULT '',
    acknowledged_at  TEXT,
    acknowledged_by  TEXT,
    seen_at          TEXT,
    seen_by          TEXT,
    replies          TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO observations_new SELECT * FROM observations;
DROP TABLE observations;
ALTER TABLE observations_new RENAME TO observations;
INSERT INTO observation_replies SELECT * FROM temp.observation_replies_aside;
DROP TABLE temp.observation_replies_aside;
INSERT INTO observation_reads SELECT * FROM temp.observation_reads_aside;
DROP TABLE temp.observation_reads_aside;
CREATE UNIQUE INDEX observations_seq ON observations (structure_id, seq);
CREATE INDEX observations_worker ON observations (worker_id, observed_on);
CREATE INDEX observations_feed ON observations (structure_id, observed_on, observed_at);

CREATE TABLE attendance_new (
    id             TEXT PRIMARY KEY,
    structure_id   TEXT NOT NULL REFERENCES structures (id),
    worker_id      TEXT NOT NULL REFERENCES workers (id),
    author_id      TEXT NOT NULL REFERENCES users (id),
    version        INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL REFERENCES users (id),
    last_device    TEXT NOT NULL,
    has_conflict   INTEGER NOT NULL DEFAULT 0 CHECK (has_conflict IN (0, 1)),
    day            TEXT NOT NULL,
    slot           TEXT NOT NULL,
    status         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    reason_text    TEXT NOT NULL,
    late_minutes   INTEGER,
    left_at        TEXT NOT NULL,
    change_reason  TEXT NOT NULL
);
INSERT INTO attendance_new SELECT * FROM attendance;
DROP TABLE attendance;
ALTER TABLE attendance_new RENAME TO attendance;
CREATE UNIQUE INDEX attendance_seq ON attendance (structure_id, seq);
CREATE INDEX attendance_worker_day ON attendance (worker_id, day);

CREATE TABLE frameworks_new (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    default_key   TEXT,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    position      INTEGER NOT NULL,
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    body          TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT REFERENCES users (id)
);
INSERT INTO frameworks_new SELECT * FROM frameworks;
DROP TABLE frameworks;
ALTER TABLE frameworks_new RENAME TO frameworks;
CREATE UNIQUE INDEX frameworks_default ON frameworks (structure_id, default_key);

CREATE TABLE session_plans_new (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    author_id     TEXT NOT NULL REFERENCES users (id),
    title         TEXT NOT NULL,
    template      INTEGER NOT NULL DEFAULT 0 CHECK (template IN (0, 1)),
    afest         INTEGER NOT NULL DEFAULT 0 CHECK (afest IN (0, 1)),
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
INSERT INTO session_plans_new SELECT * FROM session_plans;
DROP TABLE session_plans;
ALTER TABLE session_plans_new RENAME TO session_plans;
CREATE INDEX session_plans_structure ON session_plans (structure_id, archived);

CREATE TABLE evaluations_new (
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
    session_id    TEXT NOT NULL,
    plan_id       TEXT NOT NULL,
    title         TEXT NOT NULL,
    afest         INTEGER NOT NULL DEFAULT 0 CHECK (afest IN (0, 1)),
    held_on       TEXT NOT NULL,
    place         TEXT NOT NULL,
    duration_min  INTEGER,
    absent        INTEGER NOT NULL DEFAULT 0 CHECK (absent IN (0, 1)),
    reflection    TEXT NOT NULL,
    results       TEXT
);
INSERT INTO evaluations_new SELECT * FROM evaluations;
DROP TABLE evaluations;
ALTER TABLE evaluations_new RENAME TO evaluations;
CREATE UNIQUE INDEX evaluations_seq ON evaluations (structure_id, seq);
CREATE INDEX evaluations_worker ON evaluations (worker_id, held_on);
CREATE INDEX evaluations_session ON evaluations (session_id);

CREATE TABLE objectives_new (
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
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    skill         TEXT,
    barrier       TEXT NOT NULL,
    sensitive     INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    target_on     TEXT NOT NULL,
    status        TEXT NOT NULL,
    reached_on    TEXT NOT NULL,
    steps         TEXT,
    notes         TEXT,
    reviews       TEXT,
    answered      TEXT
);
INSERT INTO objectives_new SELECT * FROM objectives;
DROP TABLE objectives;
ALTER TABLE objectives_new RENAME TO objectives;
CREATE UNIQUE INDEX objectives_seq ON objectives (structure_id, seq);
CREATE INDEX objectives_worker ON objectives (worker_id);

CREATE TABLE objective_reactions_new (
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
    objective_id  TEXT NOT NULL,
    step_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    body          TEXT NOT NULL,
    sensitive     INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    said_on       TEXT NOT NULL
);
INSERT INTO objective_reactions_new SELECT * FROM objective_reactions;
DROP TABLE objective_reactions;
ALTER TABLE objective_reactions_new RENAME TO objective_reactions;
CREATE UNIQUE INDEX objective_reactions_seq ON objective_reactions (structure_id, seq);
CREATE INDEX objective_reactions_objective ON objective_reactions (objective_id);

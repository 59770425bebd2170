-- Offline sync: the change sequence, devices, applied mutations, conflicts,
-- and the first synced record type (observations). See docs/sync.md.

-- The change sequence. One row, bumped inside each writing transaction: the
-- row lock orders writers, so sequence numbers become visible in order and a
-- pull cursor never skips a row (also true on PostgreSQL, unlike a SEQUENCE).
CREATE TABLE sync_counter (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  BIGINT  NOT NULL
);
INSERT INTO sync_counter (id, value) VALUES (1, 0);

-- A phone's install, bound to the person signed in on it.
CREATE TABLE sync_devices (
    device_id     TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    last_batch    BIGINT  NOT NULL,
    last_seen_at  TEXT NOT NULL
);

-- Every mutation applied, per device, with the answer given: a retried push
-- gets the same answer and changes nothing.
CREATE TABLE sync_mutations (
    device_id    TEXT NOT NULL REFERENCES sync_devices (device_id),
    mutation_id  TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    record_type  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    applied_at   TEXT NOT NULL,
    PRIMARY KEY (device_id, mutation_id)
);
CREATE INDEX sync_mutations_record ON sync_mutations (record_type, record_id);

-- Versions kept beside the current one after concurrent edits, until
-- someone chooses (any later edit of the record clears them).
CREATE TABLE sync_conflicts (
    id           TEXT PRIMARY KEY,
    record_type  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    data         TEXT NOT NULL,
    author_id    TEXT NOT NULL REFERENCES users (id),
    device_id    TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX sync_conflicts_record ON sync_conflicts (record_type, record_id);

-- A dated note about one worker. The first block of columns is common to
-- every synced table; deleted rows stay as tombstones with their text wiped.
CREATE TABLE observations (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    worker_id     TEXT NOT NULL REFERENCES workers (id),
    author_id     TEXT NOT NULL REFERENCES users (id),
    version       BIGINT  NOT NULL,
    seq           BIGINT  NOT NULL,
    deleted       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users (id),
    last_device   TEXT NOT NULL,
    has_conflict  BOOLEAN NOT NULL DEFAULT FALSE,
    observed_on   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE UNIQUE INDEX observations_seq ON observations (structure_id, seq);
CREATE INDEX observations_worker ON observations (worker_id, observed_on);

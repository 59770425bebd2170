-- Attendance (pointage): one record per worker and day, or per half-day when
-- the structure works in half-days. Its id is derived from worker, day and
-- slot, so two phones pointing the same person the same morning write the
-- same record. Common sync columns as in 0003.
CREATE TABLE attendance (
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
    day            TEXT NOT NULL,
    slot           TEXT NOT NULL,
    status         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    reason_text    TEXT NOT NULL,
    late_minutes   INTEGER,
    left_at        TEXT NOT NULL,
    change_reason  TEXT NOT NULL
);
CREATE UNIQUE INDEX attendance_seq ON attendance (structure_id, seq);
CREATE INDEX attendance_worker_day ON attendance (worker_id, day);

-- Every version of the record types that keep history: who wrote it, when,
-- what it replaced and why. Written in the same transaction as the change.
CREATE TABLE record_history (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT NOT NULL REFERENCES structures (id),
    record_type   TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    version       BIGINT  NOT NULL,
    previous      TEXT,
    data          TEXT,
    reason        TEXT NOT NULL,
    changed_by    TEXT NOT NULL REFERENCES users (id),
    changed_at    TEXT NOT NULL
);
CREATE INDEX record_history_record ON record_history (record_type, record_id, version);

-- Whether the roll call is taken per half-day (morning, afternoon).
ALTER TABLE structure_settings ADD COLUMN attendance_half_days BOOLEAN NOT NULL DEFAULT FALSE;

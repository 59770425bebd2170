-- When a deleted record's tombstone is pruned, its id stays here, without
-- anything else about it: a phone that still holds a creation of that
-- record (sent once, answer lost, then edited) is told it was deleted
-- instead of bringing it back. Slots shared by several phones (attendance,
-- the worker's own objectives) are not kept: pointing one again brings it
-- back, as it does while its tombstone exists.
CREATE TABLE sync_pruned (
    record_type   TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    structure_id  TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id)
);

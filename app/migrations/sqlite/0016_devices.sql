-- Each person's phones (issue 22): what they and the admin see of them,
-- signing one out from afar, and what the sync's housekeeping needs to
-- know to prune safely. A device row is written by its first sync.

-- When the device first synced, what it is (browser and system, read from
-- its requests), how many changes it said were waiting on it, and the pull
-- cursor it last reported (everything up to it is on the phone).
ALTER TABLE sync_devices ADD COLUMN first_seen_at TEXT;
ALTER TABLE sync_devices ADD COLUMN browser TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_devices ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_devices ADD COLUMN pull_cursor INTEGER;
-- The hash of the session the device last synced with: signing the device
-- out ends that session.
ALTER TABLE sync_devices ADD COLUMN session_hash TEXT;
-- Signed out from afar: by whom, and whether its waiting changes may still
-- be sent once (a phone handed back) or are dropped (a lost phone).
ALTER TABLE sync_devices ADD COLUMN revoked_at TEXT;
ALTER TABLE sync_devices ADD COLUMN revoked_by TEXT REFERENCES users (id);
ALTER TABLE sync_devices ADD COLUMN revoke_sends INTEGER NOT NULL DEFAULT 0
    CHECK (revoke_sends IN (0, 1));
-- When the device was told to empty its store (it can push nothing after).
ALTER TABLE sync_devices ADD COLUMN wiped_at TEXT;
UPDATE sync_devices SET first_seen_at = last_seen_at;
CREATE INDEX sync_devices_user ON sync_devices (user_id);

-- Tombstones up to this change number have been pruned: a pull from an
-- older cursor starts over (a reset), so no phone misses a deletion.
CREATE TABLE sync_horizon (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through  INTEGER NOT NULL
);
INSERT INTO sync_horizon (id, pruned_through) VALUES (1, 0);

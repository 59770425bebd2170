-- Access control, audit and account life cycle.

-- Per-structure settings decided by the admin.
CREATE TABLE structure_settings (
    structure_id         TEXT PRIMARY KEY REFERENCES structures (id),
    counsellors_see_all  BOOLEAN NOT NULL DEFAULT FALSE
);

-- Who did what, when, from where; old and new values for admin changes.
-- Sign-in attempts are counted from here for the brute-force limits.
CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    structure_id  TEXT REFERENCES structures (id),
    at            TEXT NOT NULL,
    actor_id      TEXT REFERENCES users (id),
    action        TEXT NOT NULL,
    target_type   TEXT,
    target_id     TEXT,
    details       TEXT,
    client_ip     TEXT
);
CREATE INDEX audit_structure_at ON audit_log (structure_id, at);
CREATE INDEX audit_action_target_at ON audit_log (action, target_id, at);
CREATE INDEX audit_action_ip_at ON audit_log (action, client_ip, at);

-- Team changes of a worker file, oldest first: the file keeps its history.
CREATE TABLE worker_team_history (
    id          TEXT PRIMARY KEY,
    worker_id   TEXT NOT NULL REFERENCES workers (id),
    team_id     TEXT REFERENCES teams (id),
    changed_at  TEXT NOT NULL,
    changed_by  TEXT REFERENCES users (id)
);
CREATE INDEX worker_team_history_worker ON worker_team_history (worker_id, changed_at);

-- One-time activation codes for worker accounts (hashed, 48 h, single use).
CREATE TABLE activation_codes (
    code_hash   TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX activation_codes_user ON activation_codes (user_id);

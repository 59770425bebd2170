-- Alerts that reach counsellors by e-mail.
--
-- A staff account's address for these messages (none: alerts in Jalon only).
ALTER TABLE users ADD COLUMN email TEXT;

-- One row per new alert observation and counsellor to tell, written in the
-- same transaction as the observation (so none is lost or told twice). The
-- sender claims due rows, sends one message per counsellor (a digest when
-- several wait) and writes how it went; the message itself names no one.
CREATE TABLE alert_mails (
    observation_id  TEXT NOT NULL REFERENCES observations (id),
    recipient_id    TEXT NOT NULL REFERENCES users (id),
    queued_at       TEXT NOT NULL,
    -- The sending pass that holds the row, and since when.
    claim           TEXT,
    claimed_at      TEXT,
    -- When it was settled, and how: sent, no_address, moot (followed up or
    -- withdrawn before sending), expired (waited more than a day).
    done_at         TEXT,
    outcome         TEXT CHECK (outcome IN ('sent', 'no_address', 'moot', 'expired')),
    -- The last failed attempt, kept for the operator (retried next pass).
    last_error      TEXT,
    PRIMARY KEY (observation_id, recipient_id)
);
CREATE INDEX alert_mails_due ON alert_mails (done_at, queued_at);

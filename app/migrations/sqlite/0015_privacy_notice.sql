-- The information given to people about their data (issue 22): who to
-- contact about personal data in the structure (set by its admin), and which
-- version of the information each account was shown, and when.
ALTER TABLE structure_settings ADD COLUMN privacy_contact TEXT NOT NULL DEFAULT '';

CREATE TABLE privacy_notices (
    user_id   TEXT NOT NULL REFERENCES users (id),
    version   INTEGER NOT NULL,
    shown_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, version)
);

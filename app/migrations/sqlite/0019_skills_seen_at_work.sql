-- A « Compétence » observation can name a skill of a framework and the
-- level seen in ordinary work (issue 23): it counts in the progression and
-- the attestation next to the sessions' evaluations. Both kept as JSON
-- (the skill's framework, id and title then; the level's code), NULL for
-- every other observation.
ALTER TABLE observations ADD COLUMN skill TEXT;
ALTER TABLE observations ADD COLUMN level TEXT;

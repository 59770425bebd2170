-- An « Incident » observation carries its safety report (issue 23): near
-- miss or not, place, others involved, first care, follow-up actions (what,
-- who, by when, done), closed. A work accident is an alert until
-- acknowledged, like an « Alerte ». NULL and false for every other one.
ALTER TABLE observations ADD COLUMN work_accident BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE observations ADD COLUMN incident TEXT;

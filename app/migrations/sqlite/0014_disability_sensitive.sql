-- « Handicap » is health data (GDPR article 9): from now on it is sensitive
-- like santé and justice (read by the author and the person's counsellor
-- only, never shared, every read logged). Records noted before are made so
-- here, each as a new version with a sync number of its own, so the phones
-- that held them and may no longer read them receive a tombstone at their
-- next sync.
UPDATE observations SET
    sensitive = 1,
    shared = 0,
    version = version + 1,
    seq = (SELECT value FROM sync_counter WHERE id = 1)
        + (SELECT COUNT(*) FROM observations o2
           WHERE o2.category = 'disability' AND o2.id <= observations.id)
WHERE category = 'disability';
UPDATE sync_counter SET value = value
    + (SELECT COUNT(*) FROM observations WHERE category = 'disability')
WHERE id = 1;

UPDATE objectives SET
    sensitive = 1,
    version = version + 1,
    seq = (SELECT value FROM sync_counter WHERE id = 1)
        + (SELECT COUNT(*) FROM objectives o2
           WHERE o2.barrier = 'disability' AND o2.id <= objectives.id)
WHERE barrier = 'disability';
UPDATE sync_counter SET value = value
    + (SELECT COUNT(*) FROM objectives WHERE barrier = 'disability')
WHERE id = 1;

UPDATE objective_reactions SET
    sensitive = 1,
    version = version + 1,
    seq = (SELECT value FROM sync_counter WHERE id = 1)
        + (SELECT COUNT(*) FROM objective_reactions r2
           WHERE r2.objective_id IN (SELECT id FROM objectives WHERE barrier = 'disability')
           AND r2.id <= objective_reactions.id)
WHERE objective_id IN (SELECT id FROM objectives WHERE barrier = 'disability');
UPDATE sync_counter SET value = value
    + (SELECT COUNT(*) FROM objective_reactions
       WHERE objective_id IN (SELECT id FROM objectives WHERE barrier = 'disability'))
WHERE id = 1;

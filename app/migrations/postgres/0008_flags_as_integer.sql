-- Nothing to change on PostgreSQL: its flags are BOOLEAN, which the database
-- layer reads as they are. The SQLite twin of this migration declares
-- SQLite's flags INTEGER; the file keeps both folders numbered alike.
SELECT 1;

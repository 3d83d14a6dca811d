-- Exports the transaction's snapshot so pg_dump sees exactly the data the manifest counts.
-- returns: snapshot text
SELECT pg_export_snapshot() AS snapshot

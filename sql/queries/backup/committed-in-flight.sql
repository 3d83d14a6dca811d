-- On a copy recovered to a restore point: transactions running at the manifest's snapshot, or begun after it, that committed before the restore point.
-- $1: snapshot pg_snapshot (the manifest's)
-- returns: committed bigint
SELECT count(*) AS committed
FROM (SELECT x FROM pg_snapshot_xip($1::pg_snapshot) AS x
      UNION
      SELECT g::text::xid8 FROM generate_series(pg_snapshot_xmax($1::pg_snapshot)::text::bigint, pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1) AS g) AS t
WHERE pg_xact_status(t.x) = 'committed'

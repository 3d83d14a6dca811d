-- Prepared (two-phase) transactions: they hold their locks and the xmin horizon until COMMIT PREPARED or ROLLBACK PREPARED; the age of the oldest in seconds.
-- returns: value numeric (seconds, 0 without prepared transactions), detail text
SELECT coalesce(extract(epoch FROM now() - min(p.prepared)), 0)::numeric(12, 1) AS value,
       CASE WHEN count(*) = 0 THEN 'no prepared transactions'
            ELSE format('%s prepared transaction(s); oldest: %L (owner %s, database %s) prepared %s ago; COMMIT PREPARED or ROLLBACK PREPARED it in that database',
                        count(*), (array_agg(p.gid ORDER BY p.prepared))[1], (array_agg(p.owner ORDER BY p.prepared))[1], (array_agg(p.database ORDER BY p.prepared))[1],
                        date_trunc('second', now() - min(p.prepared))) END AS detail
FROM pg_prepared_xacts p

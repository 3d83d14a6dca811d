-- Oldest datfrozenxid age of any database, as a percentage of the 2^31 transaction-ID wraparound limit.
-- returns: value numeric (percent of 2^31), detail text
SELECT round(100.0 * age(d.datfrozenxid) / 2147483648, 4) AS value,
       format('%s: xid age %s (%s%% of autovacuum_freeze_max_age)', d.datname, age(d.datfrozenxid),
              round(100.0 * age(d.datfrozenxid) / current_setting('autovacuum_freeze_max_age')::numeric, 1)) AS detail
FROM pg_database d
ORDER BY age(d.datfrozenxid) DESC
LIMIT 1

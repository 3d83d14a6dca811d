-- Oldest datminmxid age of any database, as a percentage of the 2^31 multixact wraparound limit.
-- returns: value numeric (percent of 2^31), detail text
SELECT round(100.0 * mxid_age(d.datminmxid) / 2147483648, 4) AS value,
       format('%s: multixact age %s (%s%% of autovacuum_multixact_freeze_max_age)', d.datname, mxid_age(d.datminmxid),
              round(100.0 * mxid_age(d.datminmxid) / current_setting('autovacuum_multixact_freeze_max_age')::numeric, 1)) AS detail
FROM pg_database d
ORDER BY mxid_age(d.datminmxid) DESC
LIMIT 1

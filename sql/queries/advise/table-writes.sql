-- Rows inserted and updated without HOT (each writes a new entry into every index) per table, and since when the counters count.
-- $1: relids oid[]
-- returns: relid oid, n_tup_ins bigint, n_tup_upd bigint, n_tup_hot_upd bigint, counting_since timestamptz, at timestamptz
SELECT t.relid, t.n_tup_ins, t.n_tup_upd, t.n_tup_hot_upd,
       coalesce((SELECT d.stats_reset FROM pg_stat_database d WHERE d.datname = current_database()), pg_postmaster_start_time()) AS counting_since,
       now() AS at
FROM pg_stat_user_tables t
WHERE t.relid = ANY ($1::oid[])

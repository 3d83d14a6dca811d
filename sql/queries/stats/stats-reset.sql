-- When pg_stat_statements was last reset as a whole and how many entries it evicted since (pg_stat_statements 1.9+, PostgreSQL 14's).
-- returns: stats_reset timestamptz, dealloc bigint
-- requires: pg_stat_statements >= 1.9
SELECT stats_reset, dealloc FROM pg_stat_statements_info

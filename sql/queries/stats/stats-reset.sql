-- When pg_stat_statements was last reset as a whole (pg_stat_statements 1.9+, PostgreSQL 14's).
-- returns: stats_reset timestamptz
-- requires: pg_stat_statements >= 1.9
SELECT stats_reset FROM pg_stat_statements_info

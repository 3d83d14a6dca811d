-- Sets statement_timeout and lock_timeout for this session (CREATE INDEX CONCURRENTLY runs outside a transaction) and returns the values before.
-- $1: statement_timeout text
-- $2: lock_timeout text
-- returns: statement_timeout text, lock_timeout text
SELECT current_setting('statement_timeout') AS statement_timeout, current_setting('lock_timeout') AS lock_timeout,
       set_config('statement_timeout', $1::text, false) AS new_statement_timeout, set_config('lock_timeout', $2::text, false) AS new_lock_timeout

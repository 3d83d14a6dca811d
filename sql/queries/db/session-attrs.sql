-- What target_session_attrs asks of a server just connected to, as libpq checks it: read-only when transaction_read_only is on (default_transaction_read_only, or a hot standby), a standby when in recovery.
-- returns: read_only boolean, in_recovery boolean
SELECT current_setting('transaction_read_only') = 'on' AS read_only, pg_is_in_recovery() AS in_recovery

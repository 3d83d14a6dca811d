-- Lets the snapshot-holding transaction sit idle while pg_dump runs (for this transaction only).
-- returns: setting text
SELECT set_config('idle_in_transaction_session_timeout', '0', true) AS setting

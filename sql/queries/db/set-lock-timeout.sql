-- Sets lock_timeout for the rest of the transaction (SET LOCAL takes no bind parameters; set_config does).
-- $1: lock_timeout text (milliseconds, e.g. '30000'; '0' waits for ever)
-- returns: set_config text
SELECT set_config('lock_timeout', $1::text, true)

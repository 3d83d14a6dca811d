-- Cancels the current query of a server process, or terminates the process.
-- $1: pid int
-- $2: signal text: cancel or terminate
-- returns: signalled boolean (false when the process was gone)
SELECT CASE $2::text
         WHEN 'terminate' THEN pg_terminate_backend($1::int)
         WHEN 'cancel' THEN pg_cancel_backend($1::int)
       END AS signalled

-- This standby's WAL receiver: its status and seconds since the last message from the upstream server (needs pg_read_all_stats to see it).
-- returns: value numeric (seconds since the last message, NULL on a primary or without a receiver), in_recovery boolean, status text (NULL without a receiver, 'hidden' without privilege), detail text
SELECT round(extract(epoch FROM now() - w.last_msg_receipt_time)::numeric, 1) AS value,
       pg_is_in_recovery() AS in_recovery,
       CASE WHEN w.pid IS NULL THEN NULL ELSE coalesce(w.status, 'hidden') END AS status,
       CASE WHEN NOT pg_is_in_recovery() THEN 'not a standby'
            WHEN w.pid IS NULL THEN 'no WAL receiver: not streaming from a primary (check primary_conninfo and the standby''s log)'
            WHEN w.status IS NULL THEN 'cannot see the WAL receiver: connect as a member of pg_read_all_stats (pg_monitor)'
            ELSE format('%s from %s:%s, slot %s, last message %s', w.status, w.sender_host, w.sender_port, coalesce(w.slot_name, 'none'), w.last_msg_receipt_time) END AS detail
FROM (SELECT 1) one
LEFT JOIN pg_stat_wal_receiver w ON true

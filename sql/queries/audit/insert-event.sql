-- Writes one audit row into security_events (in the caller's transaction).
-- $1: user_id uuid or null (the user the event is about)
-- $2: event_type text, e.g. admin.org.suspended
-- $3: severity text: info, warning or critical
-- $4: description text
-- $5: user_agent text (fluxadmin/<version>)
-- $6: metadata jsonb (actor, arguments, affected ids)
-- returns: id uuid, created_at timestamptz
INSERT INTO security_events (user_id, event_type, severity, description, user_agent, metadata)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id, created_at

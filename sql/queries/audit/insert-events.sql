-- Writes several audit rows into security_events in one statement (in the caller's transaction), one per element of $4.
-- $1: event_type text, e.g. admin.backend.terminated
-- $2: severity text: info, warning or critical
-- $3: user_agent text (fluxadmin/<version>)
-- $4: descriptions text[] (one per row)
-- $5: metadata jsonb (an array: one object per row, in the order of $4)
-- returns: id uuid, created_at timestamptz, ordinal int (the row's position in $4, from 1)
WITH r AS (
  SELECT gen_random_uuid() AS id, d.ordinal::int AS ordinal, d.description, m.metadata
  FROM unnest($4::text[]) WITH ORDINALITY AS d (description, ordinal)
  JOIN jsonb_array_elements($5::jsonb) WITH ORDINALITY AS m (metadata, ordinal) USING (ordinal)
), ins AS (
  INSERT INTO security_events (id, user_id, event_type, severity, description, user_agent, metadata)
  SELECT r.id, NULL, $1, $2, r.description, $3, r.metadata FROM r
  RETURNING id, created_at
)
SELECT ins.id, ins.created_at, r.ordinal FROM ins JOIN r USING (id) ORDER BY r.ordinal

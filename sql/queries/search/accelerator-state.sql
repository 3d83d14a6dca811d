-- The search accelerator's recorded state (off when no row), and whether its column and trigger exist.
-- returns: state text ('off', 'backfilling', 'complete'), started_at timestamptz, completed_at timestamptz, backfilled bigint, has_column boolean, has_trigger boolean
SELECT coalesce(s.state, 'off') AS state, s.started_at, s.completed_at, coalesce(s.backfilled, 0) AS backfilled,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = 'public.messages'::regclass AND a.attname = 'search_vector' AND NOT a.attisdropped) AS has_column,
       EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = 'public.messages'::regclass AND t.tgname = 'search_vector_fill') AS has_trigger
FROM (SELECT 1) one
LEFT JOIN fluxadmin.search_accelerator s ON true

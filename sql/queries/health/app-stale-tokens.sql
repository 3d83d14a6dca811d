-- Expired or revoked refresh tokens still stored (not purged), with the bytes they take.
-- returns: value numeric (stale tokens), detail text
SELECT count(*)::numeric AS value,
       format('%s expired or revoked token(s) not purged (%s); oldest expired %s', count(*), pg_size_pretty(coalesce(sum(pg_column_size(t.*)), 0)),
              coalesce(date_trunc('second', min(t.expires_at))::text, 'none')) AS detail
FROM refresh_tokens t
WHERE t.revoked_at IS NOT NULL OR t.expires_at <= now()

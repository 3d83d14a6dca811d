-- Refresh tokens (live, expired and revoked), security events and notifications for every user.
-- returns: rowCount of security events
WITH tokens AS (
  INSERT INTO refresh_tokens (user_id, token_hash, device_info, ip_address, expires_at, revoked_at, created_at)
  SELECT u.id, md5(u.id::text || k), jsonb_build_object('browser', (ARRAY['Chrome', 'Firefox', 'Safari', 'Edge'])[1 + k % 4], 'os', (ARRAY['macOS', 'Windows', 'iOS', 'Android'])[1 + (k + length(u.email)) % 4]),
         '10.' || (k * 7 % 255) || '.' || (length(u.email) % 255) || '.' || (abs(hashtext(u.email)) % 255),
         now() + (k * 10 - 15) * interval '1 day',
         CASE WHEN k = 3 THEN now() - interval '2 days' END,
         now() - (40 - k * 10) * interval '1 day'
  FROM users u CROSS JOIN generate_series(1, 3) k
  WHERE abs(hashtext(u.email || k)) % 3 > 0
  RETURNING 1
), notes AS (
  INSERT INTO notifications (user_id, organization_id, type, title, body, is_read, created_at)
  SELECT m.user_id, m.organization_id, 'mention', 'You were mentioned', 'Someone mentioned you in a conversation', random() < 0.6, now() - random() * interval '20 days'
  FROM organization_members m
  RETURNING 1
)
INSERT INTO security_events (user_id, event_type, severity, description, ip_address, user_agent, metadata, created_at)
SELECT u.id, e.type, e.severity, e.description, '10.0.' || (k % 255) || '.' || (abs(hashtext(u.email)) % 255), 'Mozilla/5.0',
       jsonb_build_object('seed', true), now() - random() * interval '30 days'
FROM users u
CROSS JOIN generate_series(1, 4) k
CROSS JOIN LATERAL (
  SELECT * FROM (VALUES
    ('auth.login.success', 'info', 'Successful login'),
    ('auth.login.success', 'info', 'Successful login'),
    ('auth.login.failed', 'warning', 'Failed login attempt'),
    ('auth.password.changed', 'info', 'Password changed'),
    ('auth.token.reuse', 'critical', 'Refresh token reuse detected')
  ) AS v(type, severity, description)
  OFFSET (CASE WHEN abs(hashtext(u.email || k)) % 200 = 0 THEN 4 ELSE abs(hashtext(u.email || k)) % 4 END) LIMIT 1
) e

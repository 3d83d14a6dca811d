-- Inserts demo users from parallel arrays with ids derived from their emails (reproducible); activity fields from random() (seeded by the caller), preferences of the documented shape from a hash of the email.
-- $1: emails text[]
-- $2: names text[]
-- $3: user_types text[]
-- returns: count of inserted rows via rowCount
INSERT INTO users (id, email, name, user_type, password_hash, timezone, email_verified, is_active, last_login, created_at, preferences)
SELECT uuid_generate_v5(uuid_ns_url(), 'user:' || e), e, n, t,
       CASE WHEN random() < 0.9 THEN '$2b$12$' || md5(e) || md5(n) END,
       (ARRAY['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'])[1 + floor(random() * 6)::int],
       random() < 0.8,
       random() < 0.97,
       CASE WHEN random() < 0.85 THEN now() - random() * interval '120 days' END,
       now() - interval '400 days' + random() * interval '300 days',
       jsonb_build_object('notifications', jsonb_build_object('email', abs(hashtext(e)) % 5 <> 0, 'push', abs(hashtext(e || '/push')) % 3 <> 0, 'mentions', true),
                          'display', jsonb_build_object('theme', (ARRAY['light', 'dark'])[1 + abs(hashtext(e)) % 2], 'compactMode', abs(hashtext(e || '/compact')) % 4 = 0))
FROM unnest($1::text[], $2::text[], $3::text[]) AS u(e, n, t)

-- Inserts demo users from parallel arrays with ids derived from their emails (reproducible); activity fields from random() (seeded by the caller).
-- $1: emails text[]
-- $2: names text[]
-- $3: user_types text[]
-- returns: count of inserted rows via rowCount
INSERT INTO users (id, email, name, user_type, password_hash, timezone, email_verified, is_active, last_login, created_at)
SELECT uuid_generate_v5(uuid_ns_url(), 'user:' || e), e, n, t,
       CASE WHEN random() < 0.9 THEN '$2b$12$' || md5(e) || md5(n) END,
       (ARRAY['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'])[1 + floor(random() * 6)::int],
       random() < 0.8,
       random() < 0.97,
       CASE WHEN random() < 0.85 THEN now() - random() * interval '120 days' END,
       now() - interval '400 days' + random() * interval '300 days'
FROM unnest($1::text[], $2::text[], $3::text[]) AS u(e, n, t)

-- Puts every user in one organization (round robin) and one in ten in a second; the first members own it.
-- returns: rowCount
INSERT INTO organization_members (organization_id, user_id, role, created_at)
SELECT o.id, u.id,
       CASE WHEN u.rn <= o.cnt THEN 'owner' WHEN u.rn <= o.cnt * 4 THEN 'admin' WHEN u.rn % 9 = 0 THEN 'viewer' ELSE 'member' END,
       o.created_at + random() * interval '90 days'
FROM (SELECT id, row_number() OVER (ORDER BY email) AS rn FROM users) u
JOIN (SELECT id, created_at, row_number() OVER (ORDER BY slug) - 1 AS idx, count(*) OVER () AS cnt FROM organizations) o
  ON o.idx = u.rn % o.cnt OR (u.rn % 10 = 0 AND o.idx = (u.rn / 10) % o.cnt AND (u.rn / 10) % o.cnt <> u.rn % o.cnt)
ON CONFLICT DO NOTHING

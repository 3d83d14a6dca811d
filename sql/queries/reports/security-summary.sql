-- Security events per day (UTC), type and severity, with distinct users and IPs; burst_ips counts IPs with 5 or more events of that type in one clock hour (failed-login bursts).
-- $1: org_id uuid (only events of this organization's members; all when absent)
-- $2: since timestamptz (window start; default 30d)
-- $3: until timestamptz (window end, exclusive; default now)
-- returns: day text, event_type text, severity text, events bigint, users bigint, ips bigint, burst_ips bigint, max_per_ip_hour bigint
WITH ev AS (
  SELECT e.*, (e.created_at AT TIME ZONE 'UTC')::date AS day, date_trunc('hour', e.created_at AT TIME ZONE 'UTC') AS hour
  FROM security_events e
  WHERE e.created_at >= COALESCE($2::timestamptz, '-infinity') AND e.created_at < COALESCE($3::timestamptz, 'infinity')
    AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM organization_members om WHERE om.user_id = e.user_id AND om.organization_id = $1::uuid))
), per_ip_hour AS (
  SELECT day, event_type, severity, ip_address, hour, count(*) AS n
  FROM ev WHERE ip_address IS NOT NULL
  GROUP BY day, event_type, severity, ip_address, hour
), bursts AS (
  SELECT day, event_type, severity, count(DISTINCT ip_address) FILTER (WHERE n >= 5) AS burst_ips, max(n) AS max_per_ip_hour
  FROM per_ip_hour GROUP BY day, event_type, severity
)
SELECT ev.day::text AS day, ev.event_type::text AS event_type, ev.severity::text AS severity,
       count(*) AS events, count(DISTINCT ev.user_id) AS users, count(DISTINCT ev.ip_address) AS ips,
       COALESCE(max(b.burst_ips), 0) AS burst_ips, COALESCE(max(b.max_per_ip_hour), 0) AS max_per_ip_hour
FROM ev
LEFT JOIN bursts b ON b.day = ev.day AND b.event_type = ev.event_type AND b.severity = ev.severity
GROUP BY ev.day, ev.event_type, ev.severity
ORDER BY day, event_type, severity

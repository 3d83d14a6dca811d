-- Projects past their due date that are neither completed nor cancelled, with manager, client, budget and hours estimated vs actual.
-- $1: org_id uuid (only this organization; all when absent)
-- $2: until timestamptz (overdue as of this time; default now)
-- returns: organization_slug text, project_slug text, project_name text, status text, priority text, due_date text, days_overdue int, manager_email text, client_email text, budget numeric, estimated_hours int, actual_hours int, hours_over int
SELECT o.slug::text AS organization_slug, p.slug::text AS project_slug, p.name::text AS project_name,
       p.status::text AS status, p.priority::text AS priority, p.due_date::text AS due_date,
       ((COALESCE($2::timestamptz, now()) AT TIME ZONE 'UTC')::date - p.due_date) AS days_overdue,
       mgr.email::text AS manager_email, cl.email::text AS client_email, p.budget,
       p.estimated_hours, p.actual_hours, p.actual_hours - p.estimated_hours AS hours_over
FROM projects p
LEFT JOIN organizations o ON o.id = p.organization_id
JOIN users mgr ON mgr.id = p.manager_id
LEFT JOIN users cl ON cl.id = p.client_id
WHERE p.due_date < (COALESCE($2::timestamptz, now()) AT TIME ZONE 'UTC')::date
  AND p.status NOT IN ('completed', 'cancelled')
  AND NOT p.is_template
  AND ($1::uuid IS NULL OR p.organization_id = $1::uuid)
ORDER BY days_overdue DESC, organization_slug, project_slug

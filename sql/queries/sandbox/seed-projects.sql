-- Creates projects per organization in every status, with a manager and a client from its members.
-- $1: projects per organization int
INSERT INTO projects (id, name, slug, organization_id, team_id, manager_id, client_id, status, priority, project_type, service_category, service_tier, ensemble_type,
                      budget, estimated_hours, actual_hours, start_date, due_date, completion_date, tags, created_at)
SELECT uuid_generate_v5(o.id, 'project:' || g), initcap(adj) || ' ' || noun || ' ' || g,
       lower(adj || '-' || noun || '-' || g),
       o.id,
       (SELECT id FROM teams t WHERE t.organization_id = o.id ORDER BY md5(t.id::text || g) LIMIT 1),
       (SELECT user_id FROM organization_members m WHERE m.organization_id = o.id AND m.role IN ('owner', 'admin') ORDER BY md5(m.user_id::text || g) LIMIT 1),
       (SELECT m.user_id FROM organization_members m JOIN users u ON u.id = m.user_id WHERE m.organization_id = o.id AND u.user_type = 'client' ORDER BY md5(m.user_id::text || g) LIMIT 1),
       st.status,
       (ARRAY['low', 'medium', 'high', 'urgent'])[1 + g % 4],
       (ARRAY['branding', 'marching band show', 'poster series', 'website', 'yearbook', 'stage design'])[1 + g % 6],
       (ARRAY['design', 'illustration', 'production', 'consulting'])[1 + g % 4],
       (ARRAY['basic', 'standard', 'premium'])[1 + g % 3],
       (ARRAY['marching band', 'orchestra', 'choir', 'theatre', 'none'])[1 + g % 5],
       round((500 + random() * 20000)::numeric, 2),
       20 + (random() * 200)::int,
       (random() * 250)::int,
       current_date - (30 + g * 7),
       current_date + (g % 9 - 4) * 15,
       CASE WHEN st.status = 'completed' THEN current_date - (g % 20) END,
       ARRAY[noun, adj],
       now() - (g * 7 + 30) * interval '1 day'
FROM organizations o
CROSS JOIN generate_series(1, $1::int) g
CROSS JOIN LATERAL (SELECT (ARRAY['planning', 'active', 'on-hold', 'completed', 'cancelled'])[1 + (g + abs(hashtext(o.slug))) % 5] AS status) st
CROSS JOIN LATERAL (SELECT (ARRAY['bold', 'bright', 'quiet', 'golden', 'urban', 'spring', 'winter', 'modern'])[1 + (g + abs(hashtext(o.slug))) % 8] AS adj,
                           (ARRAY['identity', 'showcase', 'campaign', 'festival', 'season', 'concert', 'exhibit'])[1 + (g * 3 + abs(hashtext(o.name))) % 7] AS noun) w

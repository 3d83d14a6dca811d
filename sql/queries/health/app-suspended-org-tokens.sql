-- Live refresh tokens (not revoked, not expired) held by members of suspended organizations.
-- returns: value numeric (live tokens), detail text
SELECT count(DISTINCT t.id)::numeric AS value,
       CASE WHEN count(DISTINCT t.id) = 0 THEN 'no live tokens in suspended organizations'
            ELSE format('%s live token(s) of %s user(s) in suspended organization(s) %s; revoke them', count(DISTINCT t.id), count(DISTINCT t.user_id),
                        array_to_string((array_agg(DISTINCT o.slug))[1:5], ', ')) END AS detail
FROM organizations o
JOIN organization_members m ON m.organization_id = o.id
JOIN refresh_tokens t ON t.user_id = m.user_id AND t.revoked_at IS NULL AND t.expires_at > now()
WHERE o.subscription_status = 'suspended'

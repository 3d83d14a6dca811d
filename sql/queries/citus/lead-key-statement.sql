-- The DDL that replaces a primary key or unique constraint by the same one with organization_id in front (Citus needs the distribution column in each).
-- $1: table text
-- $2: constraint text
-- $3: kind text (PRIMARY KEY or UNIQUE)
-- $4: columns text[] (without organization_id)
-- returns: sql text
SELECT format('ALTER TABLE %I DROP CONSTRAINT %I, ADD CONSTRAINT %I %s (organization_id, %s)', $1::text, $2::text, $2::text,
              CASE $3::text WHEN 'PRIMARY KEY' THEN 'PRIMARY KEY' WHEN 'UNIQUE' THEN 'UNIQUE' END,
              (SELECT string_agg(format('%I', c), ', ' ORDER BY i) FROM unnest($4::text[]) WITH ORDINALITY AS u(c, i))) AS sql

-- The DDL that creates a foreign key between two tenant tables within one organization: (organization_id, column) -> parent (organization_id, id).
-- $1: table text
-- $2: constraint text
-- $3: column text
-- $4: parent table text
-- $5: cascade boolean (ON DELETE CASCADE, as on a single node)
-- returns: sql text
SELECT format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (organization_id, %I) REFERENCES %I (organization_id, id)%s',
              $1::text, $2::text, $3::text, $4::text, CASE WHEN $5::boolean THEN ' ON DELETE CASCADE' ELSE '' END) AS sql

-- A write to an organization's messages shard that changes no row: it waits exactly as long as a shard move blocks the organization's writes.
-- $1: organization_id uuid
-- requires: citus
UPDATE messages SET id = id WHERE organization_id = $1::uuid AND id = '00000000-0000-0000-0000-000000000000'::uuid

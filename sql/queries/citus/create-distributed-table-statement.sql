-- The call that hash-distributes a tenant table by organization_id: the first one with its shard count, the others co-located with it.
-- $1: table text
-- $2: shard count int (the first table), or null
-- $3: co-locate with text (a table already distributed), or null
-- returns: sql text
SELECT CASE WHEN $3::text IS NULL
            THEN format('SELECT create_distributed_table(%L, %L, shard_count => %s, colocate_with => %L)', $1::text, 'organization_id', $2::int, 'none')
            ELSE format('SELECT create_distributed_table(%L, %L, colocate_with => %L)', $1::text, 'organization_id', $3::text) END AS sql

-- lifecycle/export-organization_members for the distributed layout on Citus: the same rows and bytes, found by the table's own organization_id. On Citus the organization is read from the transaction's setting on the coordinator (a subplan: the workers do not have the setting, and COPY takes no bind parameter), so every shard is asked.
-- requires: the distributed layout (db distribute), lifecycle/set-scope in the same transaction
-- returns: COPY text rows of organization_members, every column, ordered by id
COPY (SELECT t.* FROM organization_members t WHERE t.organization_id = (SELECT current_setting('fluxadmin.lifecycle_org')::uuid OFFSET 0) ORDER BY t.id) TO STDOUT

-- What `stats regressions` and `stats advise` read from each snapshot besides the counters: whether the server restarted
-- or evicted statements, the generic plan shape of the top statements, and the write counters of every table.
ALTER TABLE fluxadmin.stat_snapshots
    ADD COLUMN postmaster_start TIMESTAMP WITH TIME ZONE,
    -- pg_stat_statements_info.dealloc (1.9+): entries evicted since the last reset.
    ADD COLUMN dealloc BIGINT;

CREATE TABLE fluxadmin.stat_snapshot_plans (
    snapshot_id BIGINT NOT NULL REFERENCES fluxadmin.stat_snapshots(id) ON DELETE CASCADE,
    queryid BIGINT NOT NULL,
    dbid OID NOT NULL,
    -- md5 of the plan text with COSTS OFF: the same hash means the same shape.
    plan_hash TEXT NOT NULL,
    plan TEXT NOT NULL,
    -- how the plan was made: plain, generic_plan (16+) or prepared_generic
    method TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, queryid, dbid)
);

CREATE TABLE fluxadmin.stat_snapshot_tables (
    snapshot_id BIGINT NOT NULL REFERENCES fluxadmin.stat_snapshots(id) ON DELETE CASCADE,
    relid OID NOT NULL,
    schema_name TEXT NOT NULL,
    table_name TEXT NOT NULL,
    n_tup_ins BIGINT NOT NULL,
    n_tup_upd BIGINT NOT NULL,
    n_tup_hot_upd BIGINT NOT NULL,
    n_tup_del BIGINT NOT NULL,
    PRIMARY KEY (snapshot_id, relid)
);

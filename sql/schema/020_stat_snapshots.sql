-- fluxadmin's pg_stat_statements history: `stats snapshot` stores the counters, `stats top --since` subtracts them.
CREATE TABLE fluxadmin.stat_snapshots (
    id BIGSERIAL PRIMARY KEY,
    taken_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
    -- pg_stat_statements_info.stats_reset (PostgreSQL 14+): a change between two snapshots means a reset.
    stats_reset TIMESTAMP WITH TIME ZONE,
    server_version_num INTEGER NOT NULL,
    statement_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stat_snapshots_taken_at ON fluxadmin.stat_snapshots(taken_at);

CREATE TABLE fluxadmin.stat_snapshot_statements (
    snapshot_id BIGINT NOT NULL REFERENCES fluxadmin.stat_snapshots(id) ON DELETE CASCADE,
    queryid BIGINT NOT NULL,
    userid OID NOT NULL,
    dbid OID NOT NULL,
    toplevel BOOLEAN NOT NULL,
    user_name TEXT,
    db_name TEXT,
    query TEXT,
    calls BIGINT NOT NULL,
    total_ms DOUBLE PRECISION NOT NULL,
    mean_ms DOUBLE PRECISION NOT NULL,
    stddev_ms DOUBLE PRECISION NOT NULL,
    rows BIGINT NOT NULL,
    shared_blks_hit BIGINT NOT NULL,
    shared_blks_read BIGINT NOT NULL,
    shared_blks_written BIGINT NOT NULL,
    temp_blks_read BIGINT NOT NULL,
    temp_blks_written BIGINT NOT NULL,
    PRIMARY KEY (snapshot_id, queryid, userid, dbid, toplevel)
);

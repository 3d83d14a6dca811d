-- Block read and write time of each statement in a snapshot (pg_stat_statements' blk_read_time / blk_write_time,
-- shared_ and local_blk_*_time from 1.11); null in snapshots taken before, so no delta is computed from them.
ALTER TABLE fluxadmin.stat_snapshot_statements
    ADD COLUMN blk_read_ms DOUBLE PRECISION,
    ADD COLUMN blk_write_ms DOUBLE PRECISION;

-- Checks one B-tree index's structure with amcheck (AccessShareLock only).
-- $1: index_oid oid (from backup/btree-indexes)
-- returns: nothing
-- requires: amcheck
SELECT bt_index_check($1::oid::regclass)

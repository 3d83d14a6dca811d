-- Finishes or rolls back the two-phase commits an interrupted coordinator left on the workers (they would hold their locks until the maintenance daemon came by).
-- returns: recovered int
-- requires: citus
SELECT recover_prepared_transactions() AS recovered

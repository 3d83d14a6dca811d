-- Forgets every hypothetical index of this session (HypoPG).
-- returns: reset boolean
-- requires: hypopg
SELECT hypopg_reset() IS NULL AS reset

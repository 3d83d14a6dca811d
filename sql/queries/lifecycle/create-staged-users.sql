-- Creates the staging table for the users of an archive, dropped at commit.
-- returns: nothing
CREATE TEMP TABLE lifecycle_users (LIKE users) ON COMMIT DROP

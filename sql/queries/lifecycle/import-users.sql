-- Loads the users part of an organization archive into the staging table, to be matched with the users already there.
-- requires: lifecycle/create-staged-users in the same transaction
-- returns: row count
COPY lifecycle_users FROM STDIN

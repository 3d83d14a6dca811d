-- Clears an erased user's email where an organization gives it as its contact or billing address (the columns besides users.email that hold an email).
-- $1: email text (before the erasure)
-- returns: organizations int
WITH c AS (
  UPDATE organizations
  SET contact_email = CASE WHEN lower(contact_email) = lower($1::text) THEN NULL ELSE contact_email END,
      billing_email = CASE WHEN lower(billing_email) = lower($1::text) THEN NULL ELSE billing_email END
  WHERE lower(contact_email) = lower($1::text) OR lower(billing_email) = lower($1::text)
  RETURNING 1
)
SELECT count(*)::int AS organizations FROM c

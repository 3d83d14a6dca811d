-- Scopes the lifecycle statements of this transaction to one organization, with the settings that make COPY text identical on every server.
-- $1: organization id text
-- $2: with_secrets text: on to export password hashes, off to leave them NULL
-- returns: org text
SELECT set_config('fluxadmin.lifecycle_org', $1::text, true) AS org,
       set_config('fluxadmin.lifecycle_secrets', $2::text, true) AS secrets,
       set_config('TimeZone', 'UTC', true) AS time_zone,
       set_config('DateStyle', 'ISO, MDY', true) AS date_style,
       set_config('IntervalStyle', 'postgres', true) AS interval_style,
       set_config('extra_float_digits', '1', true) AS float_digits

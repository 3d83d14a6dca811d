-- Sets one report parameter for this transaction only, so a COPY (which takes no bind parameters) can read it with current_setting.
-- $1: name text (fluxadmin.report_p<n>)
-- $2: value text (the parameter as text; empty for NULL)
-- returns: set_config text
SELECT set_config($1, $2, true)

-- `fluxadmin search accelerate`: search ranks with fluxadmin.message_search_vector(m). Until the
-- accelerator is complete it computes the vector from the content, exactly the expression of
-- idx_messages_content_search; `search accelerate` replaces it, in the transaction that records
-- completion, by one that returns the stored messages.search_vector column (and `--undo` puts this
-- one back). A one-expression SQL function, so the planner inlines it: no call per row.
CREATE FUNCTION fluxadmin.message_search_vector(m messages) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_tsvector('english', m.content) $$;

-- The accelerator's state: no row while it is off.
CREATE TABLE fluxadmin.search_accelerator (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    state TEXT NOT NULL CHECK (state IN ('backfilling', 'complete')),
    started_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMP WITH TIME ZONE,
    backfilled BIGINT NOT NULL DEFAULT 0
);

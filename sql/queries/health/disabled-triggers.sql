-- User triggers of this database that are disabled (ALTER TABLE ... DISABLE TRIGGER): their rules (updated_at, audit) silently stop applying.
-- returns: value numeric (disabled triggers), detail text
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'no disabled triggers'
            ELSE 'disabled: ' || string_agg(format('%s on %s', tg.tgname, tg.tgrelid::regclass), ', ' ORDER BY tg.tgrelid::regclass::text, tg.tgname)
                 || '; ALTER TABLE ... ENABLE TRIGGER them' END AS detail
FROM pg_trigger tg
WHERE NOT tg.tgisinternal AND tg.tgenabled = 'D'

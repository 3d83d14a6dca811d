-- bench/search.js data: 100 organizations, 2,000 users, 1,000 conversations, 1,000,000 messages.
-- Expects bench_vocab(rank int, word text): word ranks follow Zipf's law (the word of rank r is drawn
-- with probability ~ 1/r), like real text, so a few words are everywhere and most are rare.
-- The secondary indexes of messages are dropped during the load and rebuilt afterwards from their own
-- definitions, and foreign-key triggers are off for the load (the rows are consistent by construction).
ANALYZE bench_vocab;
SELECT setseed(0.5);
SET session_replication_role = replica;
INSERT INTO users (email, name, user_type)
SELECT 'user' || g || '@org' || (g - 1) / 20 || '.example.com', 'User ' || g, (ARRAY['designer', 'client', 'admin'])[1 + g % 3]
FROM generate_series(1, 2000) g;
INSERT INTO organizations (name, slug, type)
SELECT 'Org ' || g, 'org-' || g, 'studio' FROM generate_series(0, 99) g;
CREATE TEMP TABLE bench_users AS
SELECT row_number() OVER (ORDER BY u.email) - 1 AS idx, u.id FROM users u WHERE u.email LIKE 'user%@org%.example.com';
CREATE TEMP TABLE bench_people AS
SELECT o.idx AS org_idx, array_agg(bu.id ORDER BY bu.idx) AS people
FROM (SELECT g AS idx FROM generate_series(0, 99) g) o
JOIN users u ON u.email LIKE '%@org' || o.idx || '.example.com'
JOIN bench_users bu ON bu.id = u.id
GROUP BY o.idx;
INSERT INTO conversations (organization_id, name, type)
SELECT o.id, 'Conversation ' || g, 'group' FROM generate_series(0, 999) g JOIN organizations o ON o.slug = 'org-' || g / 10;
CREATE TEMP TABLE bench_conv AS
SELECT row_number() OVER (ORDER BY c.name) - 1 AS idx, c.id, p.people
FROM conversations c JOIN organizations o ON o.id = c.organization_id JOIN bench_people p ON 'org-' || p.org_idx = o.slug;
CREATE TEMP TABLE bench_index_defs AS SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'messages' AND indexname <> 'messages_pkey';
DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexname FROM bench_index_defs LOOP EXECUTE format('DROP INDEX %I', r.indexname); END LOOP; END $$;
CREATE TEMP TABLE bench_words AS SELECT count(*)::float8 AS n FROM bench_vocab;
INSERT INTO messages (conversation_id, author_id, content, message_type, created_at, deleted_at)
SELECT c.id,
       c.people[1 + s.g % 20],
       (SELECT string_agg(v.word, ' ') FROM (SELECT floor(power(bw.n, random()))::int AS r FROM generate_series(1, 3 + s.g % 17)) t JOIN bench_vocab v ON v.rank = t.r),
       (ARRAY['text', 'text', 'text', 'text', 'text', 'text', 'file', 'image', 'system'])[1 + s.g % 9],
       s.at,
       CASE WHEN s.g % 97 = 0 THEN s.at + interval '1 hour' END
FROM (SELECT g, (hashint4(g) & 1023) % 1000 AS conv_idx, now() - random() * interval '365 days' AS at
      FROM generate_series(1, 1000000) g) s
JOIN bench_conv c ON c.idx = s.conv_idx
CROSS JOIN bench_words bw;
DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexdef FROM bench_index_defs LOOP EXECUTE r.indexdef; END LOOP; END $$;
ANALYZE;
RESET session_replication_role;

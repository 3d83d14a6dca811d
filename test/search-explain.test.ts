import test from 'ava'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {explainSearch, searchMessages} from '../src/search/messages.js'

// 20,000 messages over 3 organizations with a Zipf vocabulary of made-up words, analyzed: big enough
// that the planner picks the GIN index on its own (no enable_seqscan tricks).
test('the plan uses idx_messages_content_search, with and without --org, and --explain says so', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(`
    INSERT INTO users (email, name, user_type) SELECT 'u' || g || '@x.example', 'U' || g, 'client' FROM generate_series(1, 30) g;
    INSERT INTO organizations (name, slug, type) SELECT 'Org ' || g, 'org-' || g, 'studio' FROM generate_series(1, 3) g;
    INSERT INTO conversations (organization_id, name) SELECT o.id, o.slug || '-' || g FROM organizations o, generate_series(1, 10) g;
    SELECT setseed(0.25);
    CREATE TEMP TABLE vocab AS SELECT array_agg(translate(substr(md5(g::text), 1, 7), '0123456789', 'ghijklmnop') ORDER BY g) AS w FROM generate_series(1, 2000) g;
    INSERT INTO messages (conversation_id, author_id, content)
    SELECT c.id, u.id, (SELECT string_agg(vocab.w[t.r], ' ') FROM (SELECT floor(power(2000, random()))::int AS r FROM generate_series(1, 4 + g % 12)) t)
    FROM generate_series(1, 20000) g
    CROSS JOIN vocab
    JOIN LATERAL (SELECT id FROM conversations ORDER BY id OFFSET g % 30 LIMIT 1) c ON true
    JOIN LATERAL (SELECT id FROM users ORDER BY id OFFSET g % 30 LIMIT 1) u ON true;
    ANALYZE;`)
  const {
    rows: [{word}],
  } = await db.pg.query(
    "SELECT w[150] AS word FROM (SELECT array_agg(translate(substr(md5(g::text), 1, 7), '0123456789', 'ghijklmnop') ORDER BY g) AS w FROM generate_series(1, 2000) g) v",
  )
  const session = await db.session()
  for (const org of [undefined, 'org-2']) {
    const plan = await explainSearch(session, {query: word, org})
    const text = plan.lines.map((l) => l.query_plan).join('\n')
    t.true(plan.usesIndex, text)
    t.regex(text, /Bitmap Index Scan on idx_messages_content_search/)
    t.notRegex(text, /Seq Scan on messages/)
    t.regex(text, /Buffers: shared/)
    t.is(plan.note, undefined)
  }
  const page = await searchMessages(session, {query: word, org: 'org-2', limit: 1000})
  t.true(page.rows.length > 0)
  t.true(page.rows.every((r) => r.org === 'org-2'))

  const r = await runCli([
    'search',
    'messages',
    word,
    '--org',
    'org-2',
    '--explain',
    '--db-url',
    db.url,
    '--format',
    'csv',
  ])
  t.is(r.code, 0, r.stderr)
  t.regex(r.stdout, /^query_plan\n/)
  t.regex(r.stdout, /idx_messages_content_search/)
  t.regex(r.stdout, /Execution Time/)
  t.is(r.stderr, 'fluxadmin: idx_messages_content_search is used\n')
})

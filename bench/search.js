// bench/search: full-text message search on 1,000,000 messages (1,000 conversations, 100 organizations),
// through the domain function, against the naive `content ILIKE '%word%'` in the same run.
//   npm run build && node bench/search.js [--searches 200] [--rebuild] [--accelerate]
// --accelerate then applies `search accelerate` (the stored vector) and prints the same searches after it
// next to before, the table's growth, the backfill rate and a batch insert with and without the trigger;
// it removes the accelerator at the end, so the bench database stays as it was.
// The data lives in its own PostgreSQL cluster under FLUXADMIN_BENCH_DIR (default /var/lib/fluxadmin/sb-search/bench
// as root, else ~/.cache/fluxadmin-bench-search); it is built once (in SQL) and reused; the cluster is stopped at the end.
import {existsSync, readFileSync} from 'node:fs'
import {cpus, homedir, loadavg} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {findServerBinaries} from '../dist/cluster/binaries.js'
import {clusterUrl, freePort, initCluster, serverUser, startCluster, stopCluster} from '../dist/cluster/control.js'
import {dataDir} from '../dist/cluster/postmaster.js'
import {createDatabase} from '../dist/sandbox/sandbox.js'
import {resolveTarget} from '../dist/db/resolve.js'
import {openSession} from '../dist/db/session.js'
import {migrate} from '../dist/schema/migrate.js'
import {searchMessages} from '../dist/search/messages.js'
import {accelerate, removeAccelerator} from '../dist/search/accelerator.js'

const {values: args} = parseArgs({
  options: {
    searches: {type: 'string', default: '240'},
    rebuild: {type: 'boolean', default: false},
    'ilike-samples': {type: 'string', default: '20'},
    accelerate: {type: 'boolean', default: false},
  },
})
const DB = 'search_bench'
const MESSAGES = 1_000_000
const dir =
  process.env.FLUXADMIN_BENCH_DIR ??
  (process.getuid?.() === 0
    ? '/var/lib/fluxadmin/sb-search/bench'
    : join(homedir(), '.cache', 'fluxadmin-bench-search'))
const bins = await findServerBinaries()
const spec = {
  dir,
  port: await freePort(),
  superuser: 'postgres',
  password: 'bench-search-pw',
  binDir: bins.binDir,
  runAs: serverUser(),
  settings: {
    shared_buffers: "'512MB'",
    work_mem: "'16MB'",
    maintenance_work_mem: "'512MB'",
    max_wal_size: "'4GB'",
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
  },
}
if (!existsSync(dataDir(dir))) await initCluster(spec)
else
  spec.port = Number(
    /port = (\d+)/.exec(readFileSync(join(dataDir(dir), 'postgresql.auto.conf'), 'utf8'))?.[1] ?? spec.port,
  )
await startCluster(spec)
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
const fmt = (x) => x.toFixed(x < 10 ? 2 : 1)

try {
  const admin = await openSession(resolveTarget(clusterUrl(spec, 'postgres')))
  const {rows: exists} = await admin.client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])
  let complete = false
  if (exists.length > 0 && !args.rebuild) {
    const s = await openSession(resolveTarget(clusterUrl(spec, DB)))
    complete = (await s.client.query("SELECT to_regclass('bench_done') IS NOT NULL AS done")).rows[0].done
    await s.close()
  }
  if (exists.length > 0 && !complete) await admin.client.query(`DROP DATABASE ${DB}`)
  await admin.close()
  if (!complete) await build()
  if (Number(args.searches) > 0) await run()
} finally {
  await stopCluster(spec)
}

async function build() {
  await createDatabase(clusterUrl(spec, 'postgres'), DB)
  const session = await openSession(resolveTarget(clusterUrl(spec, DB)))
  await migrate(session)
  const {fakerEN: faker} = await import('@faker-js/faker')
  faker.seed(7)
  // Function words first (most frequent), then studio words, then faker's English words in a fixed shuffled order.
  const studio = [
    'design',
    'review',
    'mockup',
    'logo',
    'typography',
    'palette',
    'feedback',
    'deadline',
    'client',
    'invoice',
    'render',
    'draft',
    'revision',
    'layout',
    'wireframe',
    'prototype',
    'poster',
    'portfolio',
    'exhibition',
    'kerning',
    'storyboard',
    'rehearsal',
    'concert',
    'budget',
    'contract',
    'approval',
    'upload',
    'export',
    'vector',
    'pixel',
    'resolution',
    'bleed',
    'proof',
    'urgent',
    'headline',
    'caption',
    'homepage',
    'critique',
  ]
  const fn = [
    'the',
    'a',
    'to',
    'and',
    'of',
    'is',
    'for',
    'we',
    'it',
    'on',
    'this',
    'can',
    'you',
    'with',
    'please',
    'thanks',
    'next',
    'new',
  ]
  const d = faker.definitions.word
  const english = faker.helpers.shuffle(
    [...new Set([...d.noun, ...d.verb, ...d.adjective, ...d.adverb])].filter((w) => /^[a-z]+$/.test(w)),
  )
  const words = [...new Set([...fn, ...studio, ...english])]
  const t0 = process.hrtime.bigint()
  await session.client.query('CREATE UNLOGGED TABLE bench_vocab (rank int PRIMARY KEY, word text NOT NULL)')
  await session.client.query(
    'INSERT INTO bench_vocab SELECT ord, w FROM unnest($1::text[]) WITH ORDINALITY AS t(w, ord)',
    [words],
  )
  await session.client.query(readFileSync(new URL('./search-data.sql', import.meta.url), 'utf8'))
  const {
    rows: [{n}],
  } = await session.client.query('SELECT count(*)::int AS n FROM messages')
  await session.client.query('CREATE TABLE bench_done AS SELECT now() AS built_at')
  console.log(
    `built ${n.toLocaleString('en')} messages, 1,000 conversations, 100 organizations, vocabulary of ${words.length} words (Zipf) in ${fmt(ms(t0) / 1000)} s`,
  )
  await session.close()
}

// Deterministic choices, so two runs search for the same things.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The same searches after `search accelerate`, and what the accelerator costs. */
async function accelerated(session, searches, line, time) {
  const size = async () => (await session.client.query("SELECT pg_table_size('messages') AS heap")).rows[0].heap
  const insertBatch = async () => {
    await session.client.query('BEGIN')
    const [elapsed] = await time(() =>
      session.client.query(`INSERT INTO messages (conversation_id, author_id, content)
      SELECT conversation_id, author_id, content FROM messages ORDER BY id LIMIT 20000`),
    )
    await session.client.query('ROLLBACK')
    return elapsed
  }
  const heapBefore = await size()
  const insertPlain = Math.min(await insertBatch(), await insertBatch())
  const [accelMs, result] = await time(() => accelerate(session, {batchSize: 10_000, actor: 'bench'}))
  await session.client.query('VACUUM messages')
  const heapAfter = await size()
  const insertTrigger = Math.min(await insertBatch(), await insertBatch())
  for (const s of searches.slice(0, 20)) await searchMessages(session, {...s, limit: 20})
  const after = []
  for (const s of searches) {
    const [elapsed] = await time(() => searchMessages(session, {...s, limit: 20}))
    after.push({...s, ms: elapsed})
  }
  console.log('\nafter `search accelerate` (ranking reads the stored vector):')
  const all = line('all', after)
  line(
    'without --org',
    after.filter((r) => !r.org),
  )
  line(
    'with --org',
    after.filter((r) => r.org),
  )
  line(
    '1 word, without --org',
    after.filter((r) => !r.org && r.query.split(' ').length === 1),
  )
  for (const words of [2, 3])
    line(
      `${words} words`,
      after.filter((r) => r.query.split(' ').length === words),
    )
  const mb = (b) => `${(b / 1e6).toFixed(0)} MB`
  const {
    rows: [{n}],
  } = await session.client.query('SELECT count(*)::int AS n FROM messages')
  console.log(
    `backfill: ${result.backfilled.toLocaleString('en')} rows in ${fmt(accelMs / 1000)} s (${result.rows_per_second.toLocaleString('en')} rows/s, ${result.batches} batches of 10,000)`,
  )
  console.log(
    `table: ${mb(heapBefore)} before, ${mb(heapAfter)} after the backfill and VACUUM; stored vectors ${mb(result.vector_bytes)} (${mb((result.vector_bytes * 1e6) / n)} per million messages)`,
  )
  console.log(
    `batch insert of 20,000 messages: ${fmt(insertPlain)} ms without the trigger, ${fmt(insertTrigger)} ms with it (${((20000 / insertPlain) * 1000).toFixed(0)} vs ${((20000 / insertTrigger) * 1000).toFixed(0)} rows/s)`,
  )
  console.log(
    `goal p95 <= 20 ms with the accelerator: ${pct(all, 95) <= 20 ? 'met' : 'NOT met'} (${fmt(pct(all, 95))} ms)`,
  )
  await removeAccelerator(session, {actor: 'bench'})
  await session.client.query('VACUUM FULL messages') // the dropped column's bytes stay in the rows until they are rewritten
}

async function run() {
  const session = await openSession(resolveTarget(clusterUrl(spec, DB)))
  await migrate(session) // a database built by an older fluxadmin gets the newer migrations
  const {rows: vocab} = await session.client.query('SELECT rank, word FROM bench_vocab ORDER BY rank')
  const random = rng(2026)
  // Query words are drawn uniformly from the vocabulary (not by frequency): like people looking for a
  // particular word, most are rarer than the few very common ones. The 18 function words are left out.
  const pick = () => vocab[18 + Math.floor(random() * (vocab.length - 18))].word
  const total = Number(args.searches)
  const searches = Array.from({length: total}, (_, i) => ({
    query: Array.from({length: 1 + (i % 3)}, pick).join(' '),
    org: i % 2 === 1 ? `org-${Math.floor(random() * 100)}` : undefined,
  }))
  const time = async (fn) => {
    const t0 = process.hrtime.bigint()
    const out = await fn()
    return [ms(t0), out]
  }
  for (const s of searches.slice(0, 20)) await searchMessages(session, {...s, limit: 20}) // warm-up, not counted
  const results = []
  for (const s of searches) {
    const [elapsed, page] = await time(() => searchMessages(session, {...s, limit: 20}))
    results.push({...s, ms: elapsed, rows: page.rows.length})
  }
  const {
    rows: [{n}],
  } = await session.client.query('SELECT count(*)::int AS n FROM messages')
  console.log(
    `\nsearch messages on ${n.toLocaleString('en')} messages: ${total} searches of 1-3 words (half with --org), 20 rows a page, through searchMessages()`,
  )
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} (figures are wall-clock, so they include waiting for a CPU)`,
  )
  console.log(
    `${'searches'.padEnd(24)} ${'n'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
  )
  const line = (label, list) => {
    const sorted = list.map((r) => r.ms).sort((a, b) => a - b)
    if (sorted.length === 0) return
    console.log(
      `${label.padEnd(24)} ${String(sorted.length).padStart(5)} ${fmt(pct(sorted, 50)).padStart(8)} ${fmt(pct(sorted, 95)).padStart(8)} ${fmt(pct(sorted, 99)).padStart(8)} ${fmt(sorted.at(-1)).padStart(8)}`,
    )
    return sorted
  }
  const all = line('all', results)
  line(
    'without --org',
    results.filter((r) => !r.org),
  )
  line(
    'with --org',
    results.filter((r) => r.org),
  )
  for (const words of [1, 2, 3])
    line(
      `${words} word${words > 1 ? 's' : ''}`,
      results.filter((r) => r.query.split(' ').length === words),
    )

  const newest = []
  for (const s of searches) {
    const [elapsed] = await time(() => searchMessages(session, {...s, sort: 'newest', limit: 20}))
    newest.push({...s, ms: elapsed})
  }
  line('all, --sort newest', newest)
  if (args.accelerate) await accelerated(session, searches, line, time)

  // The naive equivalent, on a sample of the same searches (each one reads every message).
  const samples = Number(args['ilike-samples'])
  const pairs = []
  // Spread over the 6 kinds of search (1-3 words, with and without --org) in the same proportions.
  for (let k = 0; k < Math.min(samples, results.length); k++) {
    const s = results[Math.min(results.length - 1, Math.floor((k * results.length) / samples / 6) * 6 + (k % 6))]
    const words = s.query.split(' ')
    const params = words.map((w) => `%${w}%`)
    const orgParam = s.org ? `$${params.length + 1}` : null
    const sql = `SELECT m.id, m.created_at, m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN organizations o ON o.id = c.organization_id
      WHERE ${words.map((_, k) => `m.content ILIKE $${k + 1}`).join(' AND ')} AND m.deleted_at IS NULL${orgParam ? ` AND o.slug = ${orgParam}` : ''}
      ORDER BY m.created_at DESC LIMIT 20`
    const [ilikeMs] = await time(() => session.client.query(sql, s.org ? [...params, s.org] : params))
    const [ftsMs] = await time(() => searchMessages(session, {query: s.query, org: s.org, limit: 20}))
    pairs.push({query: s.query, org: s.org, ilikeMs, ftsMs})
  }
  const med = (xs) =>
    pct(
      [...xs].sort((a, b) => a - b),
      50,
    )
  const compare = (label, list) => {
    if (list.length === 0) return 0
    const ilike = med(list.map((p) => p.ilikeMs))
    const fts = med(list.map((p) => p.ftsMs))
    const ratio = med(list.map((p) => p.ilikeMs / p.ftsMs))
    console.log(
      `${label.padEnd(16)} ${String(list.length).padStart(3)} searches: ILIKE p50 ${fmt(ilike).padStart(7)} ms, full-text p50 ${fmt(fts).padStart(6)} ms, median ratio ${ratio.toFixed(0).padStart(4)}x`,
    )
    return ratio
  }
  console.log(
    `\nthe naive equivalent (content ILIKE '%word%' for each word, newest first), on a sample of the same searches:`,
  )
  compare('all', pairs)
  const unscoped = compare(
    'without --org',
    pairs.filter((p) => !p.org),
  )
  const scoped = compare(
    'with --org',
    pairs.filter((p) => p.org),
  )
  const p95 = pct(all, 95)
  console.log(`\ngoal p95 <= 20 ms: ${p95 <= 20 ? 'met' : 'NOT met'} (${fmt(p95)} ms)`)
  console.log(
    `goal >= 50x ILIKE: ${unscoped >= 50 ? 'met' : 'NOT met'} without --org (${unscoped.toFixed(0)}x); with --org ${scoped.toFixed(0)}x (ILIKE then reads only that organization's messages, through its conversations)`,
  )
  await session.close()
}

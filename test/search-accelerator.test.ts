import test from 'ava'
import {join} from 'node:path'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'
import {accelerate, acceleratorStatus, removeAccelerator} from '../src/search/accelerator.js'
import {searchMessages, type SearchOptions} from '../src/search/messages.js'
import {tempDir} from './lifecycle-fixtures.js'

// One database for the file: the accelerator is a schema change, so the tests run in order on it.
let db: TestDb
let drop: () => Promise<void> = async () => {}
let acme: string
test.before(async () => {
  db = await freshDb({
    after: {
      always: (fn) => {
        drop = fn
      },
    },
  })
  const q = async (text: string, params: unknown[] = []) => (await db.pg.query(text, params)).rows
  const [ana] = (
    await q(`INSERT INTO users (email, name, user_type) VALUES ('ana@acme.example', 'Ana', 'designer') RETURNING id`)
  ).map((r) => r.id)
  const orgs = (
    await q(
      `INSERT INTO organizations (name, slug, type) VALUES ('Acme', 'acme', 'studio'), ('Globex', 'globex', 'studio') RETURNING id`,
    )
  ).map((r) => r.id)
  acme = orgs[0]
  // Its owner: an archive of an organization without one is not imported.
  await q(`INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner')`, [acme, ana])
  const convs = (
    await q(
      `INSERT INTO conversations (organization_id, name) VALUES ($1, 'a'), ($1, 'b'), ($2, 'c') RETURNING id`,
      orgs,
    )
  ).map((r) => r.id)
  // 4,000 messages whose words repeat with different frequencies, so ranks differ and tie; some without content.
  await q(
    `INSERT INTO messages (conversation_id, author_id, content, created_at, deleted_at)
    SELECT ($1::uuid[])[1 + g % 3], $2, CASE WHEN g % 97 = 0 THEN NULL ELSE
             (ARRAY['poster', 'invoice', 'proof', 'final', 'logo'])[1 + g % 5] || ' ' ||
             repeat((ARRAY['poster ', 'draft ', 'colour ', 'review '])[1 + g % 4], 1 + g % 3) || 'message ' || g END,
           timestamptz '2026-01-01' + (g % 500) * interval '1 hour', CASE WHEN g % 50 = 0 THEN now() END
    FROM generate_series(1, 4000) g`,
    [convs, ana],
  )
})
test.after.always(() => drop())

const QUERIES: SearchOptions[] = [
  {query: 'poster'},
  {query: 'poster', org: 'acme'},
  {query: '"final poster"'},
  {query: 'invoice or logo', sort: 'newest'},
  {query: 'proof -draft', limit: 50},
  {query: 'review colour', includeDeleted: true},
  {query: 'poster', limit: 7},
]

async function results() {
  const session = await db.session()
  const out = []
  for (const q of QUERIES) {
    const first = await searchMessages(session, {...q, limit: q.limit ?? 20})
    const second = first.next
      ? await searchMessages(session, {...q, limit: q.limit ?? 20, after: first.next})
      : {rows: []}
    out.push([...first.rows, ...second.rows].map((r) => [r.message_id, r.rank, r.snippet]))
  }
  await session.close()
  return out
}

async function rankingPlan(): Promise<string> {
  const {rows} = await db.pg
    .query(`EXPLAIN VERBOSE SELECT ts_rank_cd(fluxadmin.message_search_vector(m), websearch_to_tsquery('english', 'poster'))
    FROM search_message_hits(websearch_to_tsquery('english', 'poster'), NULL, NULL, NULL, NULL, NULL, NULL, false) m`)
  return rows.map((r) => r['QUERY PLAN']).join('\n')
}

const cli = (args: string[]) => runCli([...args, '--db-url', db.url], {timeoutMs: 170_000})

let before: unknown[]

test.serial('off: ranking recomputes the vector; --status says off; --dry-run adds nothing', async (t) => {
  before = await results()
  t.true((before[0] as unknown[]).length > 20)
  t.regex(await rankingPlan(), /ts_rank_cd\(to_tsvector\('english'::regconfig, m\.content\)/)
  const status = await cli(['search', 'accelerate', '--status', '--json'])
  t.is(status.code, 0, status.stderr)
  t.like(JSON.parse(status.stdout)[0], {state: 'off', messages: null})
  const dry = await cli(['search', 'accelerate', '--dry-run', '--json'])
  t.is(dry.code, 0, dry.stderr)
  t.like(JSON.parse(dry.stdout)[0], {state: 'off', backfilled: 3959, dry_run: true})
  const {rows} = await db.pg.query(
    "SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'messages'::regclass AND attname = 'search_vector'",
  )
  t.is(rows[0].n, 0)
  const refused = await cli(['search', 'accelerate'])
  t.is(refused.code, 2, 'off a terminal without --yes')
})

test.serial(
  'an interrupted backfill is never used for ranking, a concurrent insert is covered, and a rerun completes',
  async (t) => {
    const session = await db.session()
    let batches = 0
    let insert: Promise<unknown> = Promise.resolve()
    const interrupted = accelerate(session, {
      batchSize: 500,
      onProgress: () => {
        if (++batches === 1)
          insert = db.pg.query(
            "INSERT INTO messages (conversation_id, author_id, content) SELECT conversation_id, author_id, 'poster written during the backfill' FROM messages LIMIT 1",
          )
        if (batches === 3) throw new Error('interrupted')
      },
    })
    await t.throwsAsync(interrupted, {message: 'interrupted'})
    await insert
    const partial = await acceleratorStatus(session)
    t.is(partial.state, 'backfilling')
    t.true(partial.missing! > 0 && partial.filled! >= 1400, `partly filled: ${partial.filled}`)
    t.regex(await rankingPlan(), /to_tsvector\('english'::regconfig, m\.content\)/, 'a partial backfill is not used')
    const {
      rows: [late],
    } = await db.pg.query(
      "SELECT search_vector = to_tsvector('english', content) AS filled FROM messages WHERE content = 'poster written during the backfill'",
    )
    t.true(late.filled, 'the trigger filled the message inserted meanwhile')
    await db.pg.query("DELETE FROM messages WHERE content = 'poster written during the backfill'")
    t.deepEqual(await results(), before, 'same rows, order and ranks while backfilling')

    const rerun = await cli(['search', 'accelerate', '--yes', '--batch-size', '1000', '--json'])
    t.is(rerun.code, 0, rerun.stderr)
    const done = JSON.parse(rerun.stdout)[0]
    t.like(done, {state: 'complete', dry_run: false})
    t.true(done.backfilled > 0 && done.backfilled < 3959, `the rerun continued (${done.backfilled} rows)`)
    t.regex(await rankingPlan(), /ts_rank_cd\(m\.search_vector,/, 'ranking reads the column')
    t.deepEqual(await results(), before, 'same rows, order and ranks when complete')
    const status = JSON.parse((await cli(['search', 'accelerate', '--status', '--json'])).stdout)[0]
    t.like(status, {state: 'complete', missing: 0, filled: 3959, messages: 3959})
    t.true(status.vector_bytes > 3959 * 10)
    await session.close()
  },
)

test.serial(
  'complete: the trigger keeps vectors of new and edited messages; db status is clean; a second run changes nothing',
  async (t) => {
    const {
      rows: [{id, content}],
    } = await db.pg.query('SELECT id, content FROM messages WHERE content IS NOT NULL ORDER BY id LIMIT 1')
    await db.pg.query("UPDATE messages SET content = 'poster rewritten poster poster' WHERE id = $1", [id])
    const {
      rows: [edited],
    } = await db.pg.query(
      "SELECT search_vector = to_tsvector('english', content) AS same FROM messages WHERE id = $1",
      [id],
    )
    t.true(edited.same)
    const {
      rows: [inserted],
    } = await db.pg.query(
      "INSERT INTO messages (conversation_id, author_id, content) SELECT conversation_id, author_id, 'brand new poster' FROM messages LIMIT 1 RETURNING id, search_vector IS NOT NULL AS filled",
    )
    t.true(inserted.filled)
    await db.pg.query('DELETE FROM messages WHERE id = $1', [inserted.id])
    const again = await cli(['search', 'accelerate', '--yes', '--json'])
    t.like(JSON.parse(again.stdout)[0], {state: 'complete', backfilled: 0})
    const migrate = await cli(['db', 'migrate'])
    t.is(migrate.code, 0, migrate.stderr)
    const status = await cli(['db', 'status', '--json'])
    t.is(status.code, 0, status.stdout)
    t.like(
      JSON.parse(status.stdout).find((r: {item: string}) => r.item === 'accelerator'),
      {state: 'complete'},
    )
    const events = (
      await db.pg.query(
        "SELECT event_type FROM security_events WHERE event_type LIKE 'admin.search.%' ORDER BY created_at",
      )
    ).rows.map((r) => r.event_type)
    t.deepEqual(events, [
      'admin.search.accelerator_started',
      'admin.search.accelerator_started',
      'admin.search.accelerator_completed',
    ])
    await db.pg.query('UPDATE messages SET content = $2 WHERE id = $1', [id, content])

    // The opt-in column stays out of organization archives: an accelerated database exports to one without it.
    const archive = join(tempDir(), 'acme.tar')
    const exported = await cli(['orgs', 'export', 'acme', '--out', archive])
    t.is(exported.code, 0, exported.stderr)
    const target = await freshDb(t)
    const imported = await runCli(['orgs', 'import', archive, '--yes', '--db-url', target.url], {timeoutMs: 170_000})
    t.is(imported.code, 0, imported.stderr)
    const count = async (d: TestDb) =>
      (
        await d.pg.query(
          'SELECT count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.organization_id = $1',
          [acme],
        )
      ).rows[0].n
    t.is(await count(target), await count(db))
  },
)

test.serial('--undo removes trigger and column, ranking recomputes again, db status stays clean', async (t) => {
  const undo = await cli(['search', 'accelerate', '--undo', '--yes', '--json'])
  t.is(undo.code, 0, undo.stderr)
  t.like(JSON.parse(undo.stdout)[0], {was: 'complete', removed: true})
  const {rows} = await db.pg.query(
    "SELECT (SELECT count(*)::int FROM pg_attribute WHERE attrelid = 'messages'::regclass AND attname = 'search_vector' AND NOT attisdropped) AS cols, (SELECT count(*)::int FROM pg_trigger WHERE tgname = 'search_vector_fill') AS triggers",
  )
  t.deepEqual(rows[0], {cols: 0, triggers: 0})
  t.regex(await rankingPlan(), /to_tsvector\('english'::regconfig, m\.content\)/)
  t.deepEqual(await results(), before)
  const status = await cli(['db', 'status'])
  t.is(status.code, 0, status.stdout)
  const twice = await cli(['search', 'accelerate', '--undo', '--yes', '--json'])
  t.like(JSON.parse(twice.stdout)[0], {was: 'off', removed: false})
})

test.serial(
  'concurrent runs take turns: an --undo during a backfill stops it with exit 5; of three runs one completes it and one audit says so',
  async (t) => {
    const events = async (type: string) =>
      (await db.pg.query('SELECT count(*)::int AS n FROM security_events WHERE event_type = $1', [type])).rows[0]
        .n as number
    const removedBefore = await events('admin.search.accelerator_removed')
    const [building, undoing] = [await db.session(), await db.session()]
    let undo: Promise<unknown> = Promise.resolve()
    const run = accelerate(building, {
      batchSize: 100,
      onProgress: (p) => {
        if (p.filled <= 100) undo = removeAccelerator(undoing, {})
      },
    })
    const error = await t.throwsAsync(run)
    t.like(error, {
      kind: 'conflict',
      message: 'the search accelerator was removed (search accelerate --undo) while this run was building it',
    })
    t.like(await undo, {was: 'backfilling', removed: true})
    t.like(await acceleratorStatus(building), {state: 'off', messages: null})
    t.is(await events('admin.search.accelerator_removed'), removedBefore + 1)

    const completedBefore = await events('admin.search.accelerator_completed')
    const sessions = [building, undoing, await db.session()]
    const runs = await Promise.all(sessions.map((s) => accelerate(s, {batchSize: 500})))
    t.deepEqual(
      runs.map((r) => r.state),
      ['complete', 'complete', 'complete'],
    )
    t.is(
      runs.reduce((sum, r) => sum + r.backfilled, 0),
      3959,
      'each row filled once',
    )
    t.is(await events('admin.search.accelerator_completed'), completedBefore + 1)
    t.like(await acceleratorStatus(building), {state: 'complete', missing: 0})
    t.deepEqual(await results(), before)
    for (const s of sessions) await s.close()
  },
)

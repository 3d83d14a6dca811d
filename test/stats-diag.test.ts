import test from 'ava'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'

async function cliJson(args: string[], db: TestDb) {
  const result = await runCli(['stats', ...args, '--db-url', db.url, '--format', 'json'])
  return {...result, rows: result.code === 0 ? (JSON.parse(result.stdout) as Array<Record<string, unknown>>) : []}
}

/** Two organizations: acme with known messages, files, projects and members; empty with nothing. */
async function fixture(db: TestDb) {
  const q = (text: string, params: unknown[] = []) => db.pg.query(text, params)
  const {
    rows: [u1],
  } = await q("INSERT INTO users (email, name, user_type) VALUES ('a@x.co', 'A', 'designer') RETURNING id")
  const {
    rows: [u2],
  } = await q("INSERT INTO users (email, name, user_type) VALUES ('b@x.co', 'B', 'client') RETURNING id")
  const {
    rows: [acme],
  } = await q("INSERT INTO organizations (name, slug, type) VALUES ('Acme', 'acme', 'independent') RETURNING id")
  await q("INSERT INTO organizations (name, slug, type) VALUES ('Empty', 'empty', 'independent')")
  await q('INSERT INTO organization_members (organization_id, user_id) VALUES ($1, $2), ($1, $3)', [
    acme.id,
    u1.id,
    u2.id,
  ])
  const {
    rows: [project],
  } = await q(
    `INSERT INTO projects (name, slug, organization_id, manager_id, project_type, service_category, service_tier, ensemble_type)
    VALUES ('P', 'p', $1, $2, 't', 'c', 's', 'e') RETURNING id`,
    [acme.id, u1.id],
  )
  const {
    rows: [conv],
  } = await q('INSERT INTO conversations (organization_id, project_id) VALUES ($1, $2) RETURNING id', [
    acme.id,
    project.id,
  ])
  for (const content of ['héllo', 'abc', null])
    await q('INSERT INTO messages (conversation_id, author_id, content) VALUES ($1, $2, $3)', [conv.id, u1.id, content])
  for (const size of [100, 250]) {
    await q(
      `INSERT INTO files (name, original_name, file_path, file_url, mime_type, file_size, organization_id, uploaded_by)
      VALUES ('f', 'f', '/f', 'http://f', 'image/png', $1, $2, $3)`,
      [size, acme.id, u1.id],
    )
  }
  return {acmeId: acme.id as string}
}

test('stats tenants: messages rows and bytes, files, projects and members per organization', async (t) => {
  const db = await freshDb(t)
  const {acmeId} = await fixture(db)
  const {
    rows: [{bytes}],
  } = await db.pg.query('SELECT sum(pg_column_size(m.*))::int AS bytes FROM messages m')
  const result = await cliJson(['tenants'], db)
  t.is(result.code, 0, result.stderr)
  t.deepEqual(
    result.rows.map((r) => r.slug),
    ['acme', 'empty'],
  )
  t.deepEqual(result.rows[0], {
    organization_id: acmeId,
    slug: 'acme',
    name: 'Acme',
    message_rows: 3,
    message_bytes: bytes,
    content_bytes: 9,
    recent_messages: 3,
    file_count: 2,
    file_bytes: 350,
    project_count: 1,
    member_count: 2,
    total_bytes: bytes + 350,
  })
  t.like(result.rows[1], {
    message_rows: 0,
    message_bytes: 0,
    file_count: 0,
    file_bytes: 0,
    project_count: 0,
    member_count: 0,
    total_bytes: 0,
  })
  const bad = await runCli(['stats', 'tenants', '--sort', 'size', '--db-url', db.url])
  t.is(bad.code, 2)
})

test('pg-extras diagnostics: table-size adds up, duplicate and unused indexes, scans and estimated rows', async (t) => {
  const db = await freshDb(t)
  await fixture(db)
  await db.pg.query('CREATE INDEX stats_dup_author ON messages(author_id)')
  await db.pg.query('SELECT count(*) FROM projects')
  // Cumulative statistics reach the shared view when a backend goes idle (at most once a second): wait for ours.
  await db.pg.query('SELECT pg_stat_force_next_flush()')
  for (let i = 0; i < 100; i++) {
    const {
      rows: [r],
    } = await db.pg.query(
      "SELECT (SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'projects') > 0 AND (SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'messages') = 3 AS ready",
    )
    if (r.ready) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  const size = await cliJson(['table-size'], db)
  t.is(size.code, 0, size.stderr)
  const messages = size.rows.find((r) => r.table_name === 'messages')!
  t.truthy(messages)
  for (const r of size.rows)
    t.is(Number(r.table_bytes) + Number(r.index_bytes) + Number(r.toast_bytes), r.total_bytes, String(r.table_name))
  const {
    rows: [{total}],
  } = await db.pg.query("SELECT pg_total_relation_size('messages')::int AS total")
  t.is(messages.total_bytes, total)

  const dup = await cliJson(['duplicate-indexes'], db)
  t.is(dup.code, 0, dup.stderr)
  // The schema itself has two such pairs (a plain index beside the UNIQUE constraint's): real findings.
  t.deepEqual(dup.rows.map((r) => r.indexes).sort(), [
    ['idx_messages_author', 'stats_dup_author'],
    ['idx_organizations_slug', 'organizations_slug_key'],
    ['idx_users_email', 'users_email_key'],
  ])

  const unused = await cliJson(['unused-indexes', '--max-scans', '1'], db)
  t.true(unused.rows.some((r) => r.index_name === 'stats_dup_author' && r.index_scans === 0))
  t.false(
    unused.rows.some((r) => r.index_name === 'messages_pkey'),
    'unique indexes are left out',
  )

  const rank = await cliJson(['records-rank'], db)
  t.like(
    rank.rows.find((r) => r.table_name === 'messages'),
    {schema_name: 'public', estimated_rows: 3},
  )
  const seq = await cliJson(['seq-scans'], db)
  t.true(Number(seq.rows.find((r) => r.table_name === 'projects')?.seq_scan) >= 1)
  const usage = await cliJson(['index-usage'], db)
  t.deepEqual(Object.keys(usage.rows[0]), [
    'schema_name',
    'table_name',
    'index_scan_pct',
    'idx_scan',
    'seq_scan',
    'estimated_rows',
  ])
  const hit = await cliJson(['cache-hit'], db)
  t.deepEqual(
    hit.rows.map((r) => r.kind),
    ['table', 'index'],
  )
  t.true(hit.rows.every((r) => r.ratio === null || (Number(r.ratio) >= 0 && Number(r.ratio) <= 1)))

  for (let i = 0; i < 30; i++) await db.pg.query('SELECT count(*) FROM teams WHERE slug = $1', ['x'])
  const calls = await cliJson(['calls', '--db', db.name, '-n', '1'], db)
  t.is(calls.code, 0, calls.stderr)
  t.deepEqual(Object.keys(calls.rows[0]), ['queryid', 'calls', 'total_ms', 'mean_ms', 'pct_total', 'db_name', 'query'])
  t.true(Number(calls.rows[0].calls) >= 30)
})

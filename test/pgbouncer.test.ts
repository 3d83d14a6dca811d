import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {inTransaction} from '../src/db/transaction.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {maybe, pgbouncer, pooledDb} from './helpers/pgbouncer.js'

maybe('commands work through PgBouncer in transaction mode, with settings applied per transaction', async (t) => {
  if (!pgbouncer) return t.fail('pgbouncer is not installed (.ci/run installs it)')
  const {url} = await pooledDb(t)

  const status = await runCli(['db', 'status', '--db-url', url, '--format', 'json'])
  t.is(status.code, 0, status.stderr)
  const slow = await runCli(['db', 'tables', '--db-url', url, '--statement-timeout', '1ms'])
  t.is(slow.code, 6, slow.stderr)
  // A 1 ms timeout that fires as a statement ends is reported by the server as a cancel "due to user request".
  t.regex(slow.stderr, /statement timeout|statement cancelled: canceling statement due to user request/)

  // SET LOCAL holds inside our transaction and leaks into no other client of the shared server connection.
  const {openSession} = await import('../src/db/session.js')
  const {resolveTarget} = await import('../src/db/resolve.js')
  const session = await openSession(resolveTarget(url), {
    statementTimeoutMs: 4321,
    lockTimeoutMs: 1234,
    idleInTransactionMs: 60_000,
  })
  t.teardown(() => session.close())
  const inside = await inTransaction(
    session,
    'write',
    async (client) => (await client.query('SHOW statement_timeout')).rows[0].statement_timeout,
  )
  t.is(inside, '4321ms')
  const after = (await session.client.query('SHOW statement_timeout')).rows[0].statement_timeout
  t.is(after, '0')
  const app = (await session.client.query('SHOW application_name')).rows[0].application_name
  t.is(app, 'fluxadmin')
})

maybe(
  'onboarding (temp tables, COPY), search and streamed reports work through PgBouncer in transaction mode',
  async (t) => {
    if (!pgbouncer) return t.fail('pgbouncer is not installed (.ci/run installs it)')
    const {db, url} = await pooledDb(t)
    await db.pg
      .query(`WITH o AS (INSERT INTO organizations (name, slug, type) VALUES ('Pooled', 'pooled', 'studio') RETURNING id),
    u AS (INSERT INTO users (email, name, user_type) VALUES ('host@example.org', 'Host', 'admin') RETURNING id),
    c AS (INSERT INTO conversations (organization_id, name) SELECT id, 'general' FROM o RETURNING id)
    INSERT INTO messages (conversation_id, author_id, content) SELECT c.id, u.id, 'the pooled connection keeps working' FROM c, u`)
    const file = join(process.env.FLUXADMIN_TEST_DIR!, `pooled-${process.pid}.csv`)
    writeFileSync(
      file,
      'email,name,user_type,role\n' +
        Array.from({length: 500}, (_, i) => `p${i}@example.org,P ${i},client,member`).join('\n') +
        '\n',
    )

    const onboarded = await runCli(['onboard', file, '--org', 'pooled', '--db-url', url, '--json'])
    t.is(onboarded.code, 0, onboarded.stderr)
    t.like(JSON.parse(onboarded.stdout)[0], {rows: 500, created: 500, added_to_org: 500})
    const again = await runCli(['onboard', file, '--org', 'pooled', '--db-url', url, '--json'])
    t.like(JSON.parse(again.stdout)[0], {created: 0, already_existed: 500, added_to_org: 0})

    const found = await runCli(['search', 'messages', 'pooled', '--db-url', url, '--json'])
    t.is(found.code, 0, found.stderr)
    t.is(JSON.parse(found.stdout).length, 1)
    for (const format of ['csv', 'ndjson']) {
      const report = await runCli(['reports', 'run', 'tenant-usage', '--db-url', url, '--format', format])
      t.is(report.code, 0, report.stderr)
      t.regex(report.stdout, /pooled/)
    }
  },
)

maybe(
  'orgs export (one snapshot, COPY TO) and orgs import (temp table, COPY FROM) work through PgBouncer in transaction mode',
  async (t) => {
    if (!pgbouncer) return t.fail('pgbouncer is not installed (.ci/run installs it)')
    const {db, url} = await pooledDb(t)
    const target = await freshDb(t)
    const pooledTarget = Object.assign(new URL(target.url), {port: new URL(url).port}).toString()
    await db.pg
      .query(`WITH o AS (INSERT INTO organizations (name, slug, type) VALUES ('Pooled', 'pooled', 'studio') RETURNING id),
    u AS (INSERT INTO users (email, name, user_type) VALUES ('host@example.org', 'Host', 'admin') RETURNING id),
    m AS (INSERT INTO organization_members (organization_id, user_id, role) SELECT o.id, u.id, 'owner' FROM o, u),
    c AS (INSERT INTO conversations (organization_id, name) SELECT id, 'general' FROM o RETURNING id)
    INSERT INTO messages (conversation_id, author_id, content) SELECT c.id, u.id, 'moved through the pooler' FROM c, u`)
    const file = join(process.env.FLUXADMIN_TEST_DIR!, `pooled-${process.pid}.tar`)
    const exported = await runCli(['orgs', 'export', 'pooled', '--out', file, '--db-url', url, '--json'])
    t.is(exported.code, 0, exported.stderr)
    const imported = await runCli(['orgs', 'import', file, '--yes', '--db-url', pooledTarget, '--json'])
    t.is(imported.code, 0, imported.stderr)
    t.is((await target.pg.query('SELECT content FROM messages')).rows[0].content, 'moved through the pooler')
  },
)

// The matrix: every command family on a single node and on a distributed Citus database holding the same data,
// with the same JSON. There is no Citus-specific column in these outputs; the one difference in the data is the
// audit row of `db distribute` itself (admin.db.distributed), which only the Citus side has.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import pg from 'pg'
import {clusterUrl} from '../src/cluster/control.js'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession} from '../src/db/session.js'
import type {RawRows} from '../src/output/format.js'
import {runReport} from '../src/reports/run.js'
import {runCli, type CliResult} from './helpers/cli.js'
import {freshCitusDb, withCitus, type CitusDb} from './helpers/citus.js'
import {freshDb, type TestDb} from './helpers/db.js'
import {ids, loadFixture, REPORTS, SINCE} from './reports-fixture.js'

const DESIGN_TEAM = '20000000-0000-4000-8000-000000000001'
const FIXED = '2026-01-01T00:00:00Z'

/** On top of the reports fixture: team members, sessions and messages that several organizations share a word in. */
async function moreData(client: pg.Client): Promise<void> {
  await client.query(`
INSERT INTO team_members (team_id, user_id, role) VALUES ('${DESIGN_TEAM}', '${ids.alice}', 'lead'), ('${DESIGN_TEAM}', '${ids.bob}', 'member');
INSERT INTO refresh_tokens (user_id, token_hash, ip_address, expires_at, created_at) VALUES
  ('${ids.alice}', 'm1', '10.0.0.1', '2030-01-01', '${FIXED}'), ('${ids.carol}', 'm2', '10.0.0.3', '2030-01-01', '${FIXED}'),
  ('${ids.dave}', 'm3', '10.0.0.4', '2030-01-01', '${FIXED}');
INSERT INTO messages (id, conversation_id, author_id, content, message_type, created_at) VALUES
  ('30000000-0000-4000-8000-000000000011', '60000000-0000-4000-8000-000000000001', '${ids.alice}', 'the spring concert poster, concert hall booked', 'text', '2026-02-10T10:00:00Z'),
  ('30000000-0000-4000-8000-000000000012', '60000000-0000-4000-8000-000000000001', '${ids.bob}', 'concert', 'text', '2026-02-11T10:00:00Z'),
  ('30000000-0000-4000-8000-000000000013', '60000000-0000-4000-8000-000000000002', '${ids.carol}', 'a concert for the crew after the show', 'text', '2026-02-12T10:00:00Z'),
  ('30000000-0000-4000-8000-000000000014', '60000000-0000-4000-8000-000000000002', '${ids.dave}', 'concert concert concert', 'text', '2026-02-13T10:00:00Z');
`)
  // Random ids (gen_random_uuid defaults) and now() defaults differ between the two databases: made the same.
  await client.query(`UPDATE security_events SET id = md5(event_type || user_id || created_at::text)::uuid`)
  await client.query(`UPDATE refresh_tokens SET id = md5(token_hash)::uuid`)
  await client.query(`UPDATE organization_members SET id = md5(organization_id::text || user_id::text)::uuid`)
  await client.query(`UPDATE team_members SET id = md5(team_id::text || user_id::text)::uuid`)
  // Defaults of now() differ between the two databases by the time between their loads: one fixed instant for all.
  const {rows} = await client.query(`SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND data_type = 'timestamp with time zone'
      AND table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = 'public') ORDER BY 1, 2`)
  await client.query('SET session_replication_role = replica')
  for (const r of rows)
    await client.query(
      `UPDATE ${client.escapeIdentifier(r.table_name)} SET ${client.escapeIdentifier(r.column_name)} = $1 WHERE ${client.escapeIdentifier(r.column_name)} > now() - interval '1 hour'`,
      [FIXED],
    )
  await client.query('RESET session_replication_role')
}

let single: TestDb
let citus: CitusDb

const on = (db: {url: string}, args: string[]) => runCli([...args, '--db-url', db.url])
async function both(args: string[]): Promise<[CliResult, CliResult]> {
  return Promise.all([on(single, args), on(citus, args)])
}

/** The same command on both databases: exit 0 on both, the same JSON (`shape` first, for what differs by design). */
async function same(t: import('ava').ExecutionContext, args: string[], shape = (v: unknown) => v): Promise<unknown> {
  const [a, b] = await both([...args, '--format', 'json'])
  t.is(a.code, 0, `${args.join(' ')} (single node): ${a.stderr}`)
  t.is(b.code, 0, `${args.join(' ')} (Citus): ${b.stderr}`)
  const left = shape(JSON.parse(a.stdout))
  t.deepEqual(shape(JSON.parse(b.stdout)), left, args.join(' '))
  return left
}

/** orgs list and orgs show add where each organization lives on Citus (docs/citus.md, Tenant operations). */
const withoutPlacement = (rows: unknown) =>
  (rows as Array<Record<string, unknown>>).map(({node: _n, shard_id: _s, isolated: _i, ...r}) => r)

withCitus(test, () => {
  const cleanups: Array<() => Promise<void>> = []
  test.after.always(() => Promise.all(cleanups.map((fn) => fn())))
  test.before(async () => {
    const after = {always: (fn: () => Promise<void>) => cleanups.push(fn)}
    ;[single, citus] = await Promise.all([freshDb({after}), freshCitusDb({after})])
    for (const db of [single, citus]) {
      await loadFixture(db.pg)
      await moreData(db.pg)
    }
    const r = await on(citus, ['db', 'distribute', '--shard-count', '4'])
    if (r.code !== 0) throw new Error(`db distribute: ${r.stderr}`)
  })

  test.serial('read commands give the same JSON on a single node and on Citus', async (t) => {
    await same(t, ['orgs', 'list'], withoutPlacement)
    await same(t, ['orgs', 'show', 'acme'], withoutPlacement)
    for (const args of [
      ['users', 'list'],
      ['users', 'list', '--org', 'beta'],
      ['users', 'show', 'alice@acme.test'],
      ['members', 'list', 'acme'],
      ['teams', 'list', '--org', 'acme'],
      ['teams', 'show', 'design', '--org', 'acme'],
      ['sessions', 'list'],
    ])
      await same(t, args)
    const notDistribute = (rows: unknown) =>
      (rows as Array<{event_type: string}>).filter((r) => r.event_type !== 'admin.db.distributed')
    await same(t, ['audit', 'list'], notDistribute)
  })

  test.serial('search: the same ids, order and snippets; one shard with --org, every shard without', async (t) => {
    const all = (await same(t, ['search', 'messages', 'concert'])) as Array<{message_id: string}>
    t.is(all.length, 4)
    const acme = (await same(t, ['search', 'messages', 'concert', '--org', 'acme'])) as Array<{org: string}>
    t.deepEqual(
      acme.map((r) => r.org),
      ['acme', 'acme'],
    )
    await same(t, ['search', 'messages', 'concert OR hello', '--sort', 'newest', '--since', SINCE, '--limit', '2'])
    await same(t, ['search', 'messages', 'concert', '--count'])

    const routed = await on(citus, ['search', 'messages', 'concert', '--org', 'acme', '--explain', '--format', 'csv'])
    t.is(routed.code, 0, routed.stderr)
    t.regex(routed.stdout, /Task Count: 1\b/)
    const fanned = await on(citus, ['search', 'messages', 'concert', '--explain', '--format', 'csv'])
    t.is(fanned.code, 0, fanned.stderr)
    t.regex(fanned.stdout, /Task Count: 4\b/)
  })

  test.serial('the seven reports give the same JSON lines', async (t) => {
    // In process (runReport, as `reports run --format json` streams them): the CLI is covered by the commands above.
    const lines = async (db: {url: string}, name: string, window: {since?: string; until?: string}, org?: string) => {
      const session = await openSession(resolveTarget(db.url))
      try {
        return await runReport(session, name, {...window, org, format: 'json'}, async (rows) => {
          let text = ''
          for await (const chunk of (rows as RawRows).raw) text += chunk.toString()
          return text
        })
      } finally {
        await session.close()
      }
    }
    for (const [name, window] of REPORTS) {
      for (const org of [undefined, 'beta']) {
        const [a, b] = await Promise.all([lines(single, name, window, org), lines(citus, name, window, org)])
        t.true(a.length > 0 || name === 'projects-overdue', name)
        t.is(b, a, `${name} ${org ?? ''}`)
      }
    }
  })

  test.serial('changes: the same results and audit rows on both', async (t) => {
    // Generated ids differ between the two databases: compared by their place, not their value.
    const noIds = (rows: unknown) =>
      (rows as Array<{id: string | null; created_at?: string}>).map((r) => ({
        ...r,
        id: r.id && 'id',
        ...(r.created_at && {created_at: 'now'}),
      }))
    await same(
      t,
      ['orgs', 'create', '--slug', 'gamma', '--name', 'Gamma', '--type', 'studio', '--owner', 'bob@acme.test', '--yes'],
      noIds,
    )
    await same(t, ['members', 'add', 'gamma', 'carol@beta.test', '--role', 'admin', '--yes'], noIds)
    await same(t, ['teams', 'create', '--org', 'gamma', '--slug', 'brass', '--name', 'Brass', '--yes'], noIds)
    await same(
      t,
      ['teams', 'add-member', 'brass', 'carol@beta.test', '--org', 'gamma', '--role', 'lead', '--yes'],
      noIds,
    )
    await same(t, ['orgs', 'update', 'gamma', '--name', 'Gamma Studio', '--yes'], noIds)
    await same(t, ['orgs', 'suspend', 'beta', '--reason', 'unpaid', '--yes'], (rows) =>
      (rows as Array<{field: string; after: unknown}>).map((r) => (r.field === 'settings' ? {...r, after: 'at'} : r)),
    )
    await same(t, ['teams', 'show', 'brass', '--org', 'gamma'], noIds)
    await same(t, ['orgs', 'show', 'gamma'], (rows) =>
      (withoutPlacement(rows) as Array<Record<string, unknown>>).map(
        ({id: _i, created_at: _c, updated_at: _u, ...r}) => r,
      ),
    )
    const audit = async (db: {pg: pg.Client}) =>
      (
        await db.pg
          .query(`SELECT event_type, severity, description, metadata - 'org_id' - 'team_id' - 'user_id' - 'suspension' AS metadata
          FROM security_events WHERE event_type LIKE 'admin.%' AND event_type <> 'admin.db.distributed' ORDER BY created_at, event_type`)
      ).rows
    const rows = await audit(single)
    t.is(rows.length, 6)
    t.deepEqual(await audit(citus), rows)
  })

  test.serial('orgs export writes the same archive parts on both', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-matrix-'))
    t.teardown(() => rmSync(dir, {recursive: true, force: true}))
    const parts = async (db: {url: string}, file: string) => {
      const r = await on(db, ['orgs', 'export', 'acme', '-o', join(dir, file), '--format', 'json'])
      t.is(r.code, 0, r.stderr)
      return JSON.parse(r.stdout)
    }
    const [a, b] = await Promise.all([parts(single, 'single.tar'), parts(citus, 'citus.tar')])
    t.true((a as unknown[]).length > 5)
    t.deepEqual(b, a)
  })

  test.serial('backup restore-point marks every Citus node with the same name', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-matrix-rp-'))
    t.teardown(() => rmSync(dir, {recursive: true, force: true}))
    const workers = citus.nodes.workers.map((w) => new pg.Client({connectionString: clusterUrl(w, 'postgres')}))
    await Promise.all(workers.map((w) => w.connect()))
    t.teardown(() => Promise.all(workers.map((w) => w.end())))
    const lsn = async () =>
      Promise.all(workers.map(async (w) => (await w.query('SELECT pg_current_wal_lsn()::text AS l')).rows[0].l))
    const before = await lsn()
    const r = await on(citus, ['backup', 'restore-point', 'matrix-point', '--dir', dir, '--format', 'json'])
    t.is(r.code, 0, r.stderr)
    const manifest = JSON.parse(readFileSync(join(dir, 'matrix-point.restore-point.json'), 'utf8'))
    t.deepEqual(
      manifest.citus_workers,
      citus.nodes.workers.map((w) => `127.0.0.1:${w.port}`),
    )
    const after = await lsn()
    for (const [i, w] of citus.nodes.workers.entries()) {
      const wal = execFileSync(
        join(w.binDir, 'pg_waldump'),
        // Only the XLOG resource manager's records (a restore point is one): other files write to the workers meanwhile.
        ['-p', join(w.dir, 'data', 'pg_wal'), '-r', 'XLOG', '-s', before[i], '-e', after[i]],
        {encoding: 'utf8', maxBuffer: 64 << 20},
      )
      t.regex(wal, /desc: RESTORE_POINT matrix-point\n/, `worker ${w.port}`)
    }
  })
})

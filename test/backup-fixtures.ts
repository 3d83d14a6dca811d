import {randomBytes} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {ExecutionContext} from 'ava'
import pg from 'pg'
import {adminUrl, freshDb, type TestDb} from './helpers/db.js'
import {runCli, type CliResult} from './helpers/cli.js'

/** Two organizations (acme: 3 members, 2 teams; beta: 1 member), three users. Known counts. */
export async function smallFixture(db: TestDb): Promise<void> {
  await db.pg.query(`
    WITH u AS (INSERT INTO users (email, name, user_type) VALUES ('a@x.co', 'A', 'client'), ('b@x.co', 'B', 'designer'), ('c@x.co', 'C', 'admin') RETURNING id, email),
    o AS (INSERT INTO organizations (name, slug, type) VALUES ('Acme', 'acme', 'university'), ('Beta', 'beta', 'independent') RETURNING id, slug),
    m AS (INSERT INTO organization_members (organization_id, user_id) SELECT o.id, u.id FROM o, u WHERE o.slug = 'acme' OR u.email = 'a@x.co' RETURNING 1)
    INSERT INTO teams (organization_id, name, slug) SELECT o.id, t, t FROM o, unnest(ARRAY['red', 'blue']) t WHERE o.slug = 'acme'`)
}

export function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-backup-test-'))
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  return dir
}

/** Whether a database exists on the test server (scratch databases must never survive a verify). */
export async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({connectionString: adminUrl()})
  await client.connect()
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1
  } finally {
    await client.end()
  }
}

/**
 * `backup verify` with a scratch name of its own (tests run in parallel on one server), so that
 * the test can check that exactly this run's scratch database is gone afterwards.
 */
export async function verifyCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult & {scratch: string}> {
  const scratch = `fluxadmin_verify_t${randomBytes(5).toString('hex')}`
  const result = await runCli(['backup', 'verify', ...args], {
    env: {FLUXADMIN_VERIFY_SCRATCH_NAME: scratch, ...env},
    timeoutMs: 150_000,
  })
  return {...result, scratch}
}

/** Rewrites a manifest field (e.g. after corrupting the dump on purpose). */
export function editManifest(dump: string, edit: (m: Record<string, any>) => void): void {
  const path = `${dump}.manifest.json`
  const m = JSON.parse(readFileSync(path, 'utf8'))
  edit(m)
  writeFileSync(path, JSON.stringify(m))
}

export function parseJson(result: CliResult): any {
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`)
  }
}

/** A fresh database with the small fixture, backed up end to end with `backup create` (extra flags allowed). */
export async function createdWithCli(t: ExecutionContext, extra: string[] = []) {
  const db = await freshDb(t)
  await smallFixture(db)
  const dir = tempDir(t)
  const result = await runCli(['backup', 'create', '--db-url', db.url, '--dir', dir, '--format', 'json', ...extra], {
    timeoutMs: 150_000,
  })
  t.is(result.code, 0, result.stderr)
  return {db, dir, result, row: parseJson(result)[0]}
}

/** pids of pg_restore processes restoring into this database (none may outlive their verify). */
export function restoresInto(database: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (/pg_restore$/.test(argv[0]) && argv.includes(database)) pids.push(Number(entry))
    } catch {
      // the process is gone
    }
  }
  return pids
}
